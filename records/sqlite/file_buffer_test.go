package sqlite

import (
	"bytes"
	"database/sql"
	"testing"
)

// TestSealedBuffer: a kept value is a copy that later values never
// overwrite; NULL stays nil and an empty value stays empty; one long value
// does not size the buffer for a page of long values.
func TestSealedBuffer(t *testing.T) {
	var b sealedBuffer
	row := sql.RawBytes("first")
	b.reserve(2, len(row))
	first := b.keep(row)
	row[0] = 'X' // the driver reuses its memory for the next row
	var kept [][]byte
	for i := range 100 {
		v := bytes.Repeat([]byte{byte('a' + i%26)}, 10+i)
		b.reserve(2, len(v))
		kept = append(kept, b.keep(v))
	}
	if string(first) != "first" {
		t.Errorf("the first value reads %q after more were kept", first)
	}
	for i, k := range kept {
		if want := bytes.Repeat([]byte{byte('a' + i%26)}, 10+i); !bytes.Equal(k, want) {
			t.Fatalf("value %d reads %q", i, k)
		}
	}
	for _, c := range []struct {
		name string
		in   sql.RawBytes
		nil  bool
	}{{"null", nil, true}, {"empty", sql.RawBytes{}, false}} {
		var e sealedBuffer
		e.reserve(50, len(c.in))
		if got := e.keep(c.in); (got == nil) != c.nil || len(got) != 0 {
			t.Errorf("%s: kept %#v", c.name, got)
		}
	}
	var big sealedBuffer
	big.reserve(100, 80_000)
	if c := cap(big.buf); c > 1<<20 {
		t.Errorf("a page of 100 with one value of 80 kB took a buffer of %d bytes", c)
	}
}
