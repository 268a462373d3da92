package witness

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nabij/nabij/records"
)

func signedHead(t *testing.T, key ed25519.PrivateKey, seq int64, what string) records.Checkpoint {
	t.Helper()
	h := sha256.Sum256([]byte(what))
	at := time.UnixMilli(1_700_000_000_000 + seq).UTC()
	return records.Checkpoint{Seq: seq, Hash: h[:], At: at, Signature: ed25519.Sign(key, records.CheckpointMessage(seq, h[:], at))}
}

// TestWitnessOnlyMovesForward: the witness takes heads in order, refuses one
// behind its newest or unlike it at the same record, survives a torn last
// line, and refuses a head with a forged signature when read.
func TestWitnessOnlyMovesForward(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	path := filepath.Join(t.TempDir(), "w.log")
	w := New(path)
	for _, seq := range []int64{5, 9} {
		if err := w.AppendHead(signedHead(t, key, seq, "ok")); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.AppendHead(signedHead(t, key, 9, "ok")); err != nil {
		t.Errorf("the same head again: %v", err)
	}
	for name, cp := range map[string]records.Checkpoint{
		"Behind":      signedHead(t, key, 7, "ok"),
		"SameSeqElse": signedHead(t, key, 9, "other"),
	} {
		if err := w.AppendHead(cp); err == nil {
			t.Errorf("%s: the witness took a head that goes back on its newest", name)
		}
	}
	st, err := w.State(pub)
	if err != nil || st.Head.Seq != 9 {
		t.Fatalf("state: %+v, %v", st, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("witness mode %v, %v", fi.Mode(), err)
	}
	// A torn last line (an append cut by a crash) is ignored.
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString("head 12 AAAA")
	f.Close()
	if st, err := w.State(pub); err != nil || st.Head.Seq != 9 {
		t.Errorf("after a torn line: %+v, %v", st, err)
	}
	// A head signed with another key does not verify.
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	path2 := filepath.Join(t.TempDir(), "w2.log")
	w2 := New(path2)
	w2.AppendHead(signedHead(t, other, 3, "ok"))
	if _, err := w2.State(pub); err == nil || !strings.Contains(err.Error(), "invalid signature") {
		t.Errorf("a forged head: %v", err)
	}
}

// TestProblem: what the log is held against.
func TestProblem(t *testing.T) {
	h := func(s string) []byte { b := sha256.Sum256([]byte(s)); return b[:] }
	log := map[int64][]byte{1: h("1"), 2: h("2"), 3: h("3")}
	hashAt := func(seq int64) ([]byte, error) { return log[seq], nil }
	tests := []struct {
		name string
		st   State
		head int64
		says string // "" for no problem
	}{
		{"Empty", State{ClosedAt: -1}, 3, ""},
		{"AtHead", State{Head: records.Checkpoint{Seq: 3, Hash: h("3")}, ClosedAt: 3}, 3, ""},
		{"Behind", State{Head: records.Checkpoint{Seq: 5, Hash: h("5")}, ClosedAt: -1}, 3, "cut off"},
		{"Diverges", State{Head: records.Checkpoint{Seq: 2, Hash: h("x")}, ClosedAt: -1}, 3, "rewritten"},
		{"GrewAfterClose", State{Head: records.Checkpoint{Seq: 2, Hash: h("2")}, ClosedAt: 2}, 3, "not by nabij"},
		{"GrewWhileOpen", State{Head: records.Checkpoint{Seq: 2, Hash: h("2")}, ClosedAt: -1}, 3, ""},
		{"Broken", State{Broken: "the server found records", ClosedAt: -1}, 3, "found records"},
	}
	for _, tt := range tests {
		_, got, err := Problem(tt.st, tt.head, hashAt)
		if err != nil || (tt.says == "") != (got == "") || !strings.Contains(got, tt.says) {
			t.Errorf("%s: %q, %v; want %q", tt.name, got, err, tt.says)
		}
	}
}

// TestWitnessReadsItsEnd: a long witness is read from its end, also when the
// newest head lies further back than the first chunk read.
func TestWitnessReadsItsEnd(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	path := filepath.Join(t.TempDir(), "w.log")
	var b strings.Builder
	for seq := int64(1); seq <= 2000; seq++ {
		cp := signedHead(t, key, seq, "ok")
		fmt.Fprintf(&b, "head %d %s %d %s\n", cp.Seq, base64.StdEncoding.EncodeToString(cp.Hash), cp.At.UnixMilli(),
			base64.StdEncoding.EncodeToString(cp.Signature))
	}
	b.WriteString(strings.Repeat("opened 2000\n", 10_000)) // ~120 KiB after the newest head
	b.WriteString("closed 2000\n")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	w := New(path)
	st, err := w.State(pub)
	if err != nil || st.Head.Seq != 2000 || st.ClosedAt != 2000 {
		t.Fatalf("state: head %d closed %d, %v", st.Head.Seq, st.ClosedAt, err)
	}
	// A fresh Witness on the same file refuses to go back, too.
	if err := New(w.Path()).AppendHead(signedHead(t, key, 1999, "ok")); err == nil {
		t.Error("a reopened witness took a head behind its newest")
	}
}
