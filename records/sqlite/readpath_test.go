package sqlite

import (
	"runtime"
	"testing"
)

func TestReadPath(t *testing.T) {
	for _, c := range []struct {
		in      string
		want    ReadPath
		wantErr bool
	}{
		{"", "", true}, {"auto", ReadsAuto, false}, {"writer", ReadsOnWriter, false},
		{"snapshot", ReadsInSnapshots, false}, {"Writer", "", true}, {"reader", "", true},
	} {
		got, err := ParseReadPath(c.in)
		if got != c.want || (err != nil) != c.wantErr {
			t.Errorf("ParseReadPath(%q) = %q, %v", c.in, got, err)
		}
	}

	procs := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(procs)
	for _, c := range []struct {
		p        ReadPath
		pg       bool
		procs    int
		onWriter bool
	}{
		{ReadsOnWriter, false, 8, true},
		{ReadsInSnapshots, false, 1, false},
		{ReadsAuto, false, 1, true},
		{"", false, 2, true}, // not set: as auto
		{"", false, 8, false},
		{ReadsAuto, false, 2, true},
		{ReadsAuto, false, 4, false},
		{ReadsAuto, true, 2, false}, // PostgreSQL: never hold the chain's lock for a read
		{ReadsOnWriter, true, 2, true},
	} {
		runtime.GOMAXPROCS(c.procs)
		if got := c.p.onWriter(c.pg); got != c.onWriter {
			t.Errorf("%q on %d cores (PostgreSQL %v): on the writer %v, want %v", c.p, c.procs, c.pg, got, c.onWriter)
		}
	}
}
