package sqlite

import (
	"fmt"
	"runtime"
)

// ReadPath is where a data dir's reads of one client run: in a snapshot on
// a reader connection, or inside the writer's transaction. Both go through
// the same read gate and write the same access record before they answer;
// they differ only in cost.
type ReadPath string

const (
	// ReadsAuto picks by engine and machine (onWriter); so does the zero
	// value, which means not set.
	ReadsAuto ReadPath = "auto"
	// ReadsOnWriter runs each read in the writer's transaction.
	ReadsOnWriter ReadPath = "writer"
	// ReadsInSnapshots runs each read in a snapshot on a reader connection.
	ReadsInSnapshots ReadPath = "snapshot"
)

// ParseReadPath reads "auto", "writer" or "snapshot".
func ParseReadPath(v string) (ReadPath, error) {
	switch p := ReadPath(v); p {
	case ReadsAuto, ReadsOnWriter, ReadsInSnapshots:
		return p, nil
	}
	return "", fmt.Errorf("reads must be auto, writer or snapshot, not %q", v)
}

// onWriter tells whether reads run on the writer. Automatic: on SQLite with
// fewer than four cores. In WAL mode every commit empties the page cache of
// each reader connection that starts a new read after it, and every read
// commits an access record, so a read in a snapshot fetches every page it
// touches again; a read on the writer finds them in the writer's cache. On
// two cores the load test measured the writer path at two thirds to three
// quarters of the CPU per read, half the p99 and three quarters of the peak
// memory of snapshots (bench/README.md). Snapshots pay off once there are cores to
// spare beyond the one the writer runs on. On PostgreSQL a read on the
// writer would hold the chain's lock that every instance's writes wait
// for, so reads there run in snapshots.
func (p ReadPath) onWriter(pg bool) bool {
	switch p {
	case ReadsOnWriter:
		return true
	case ReadsInSnapshots:
		return false
	}
	return !pg && runtime.GOMAXPROCS(0) < 4
}
