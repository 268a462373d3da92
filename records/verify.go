package records

import (
	"encoding/binary"
	"time"
)

// Checkpoint is a signed statement of the access-log chain head: "record Seq has
// hash Hash", signed with the store's Ed25519 key at At.
type Checkpoint struct {
	Seq       int64
	Hash      []byte
	At        time.Time
	Signature []byte
}

// CheckpointMessage is what a checkpoint's signature covers: the chain head
// (record seq and its hash) and when it was signed. Every store and the
// witness sign and verify this same message.
func CheckpointMessage(seq int64, hash []byte, at time.Time) []byte {
	msg := make([]byte, 0, 64)
	msg = append(msg, "nabij/checkpoint/v1"...)
	msg = binary.BigEndian.AppendUint64(msg, uint64(seq))
	msg = append(msg, hash...)
	msg = binary.BigEndian.AppendUint64(msg, uint64(at.UnixMilli()))
	return msg
}

// VerifyReport is the outcome of walking the access log.
type VerifyReport struct {
	OK          bool   `json:"ok"`
	Records     int64  `json:"records"`
	Checkpoints int    `json:"checkpoints"`
	BrokenAt    int64  `json:"broken_at,omitempty"` // seq of the first record where the log is broken
	Problem     string `json:"problem,omitempty"`
	// LastCheckpoint is the seq the newest valid checkpoint vouches for; records after
	// it are covered by the chain only until the next checkpoint is signed.
	LastCheckpoint int64 `json:"last_checkpoint"`
}

// LogHealth says whether the store can still vouch for its access log: it
// signs nothing once it found records it did not write, or when its witness
// does not take the signed heads.
type LogHealth struct {
	OK bool
	// Problem says what is wrong, in words; "" when OK.
	Problem string
	// Since is the first record the store can no longer vouch for.
	Since int64
}
