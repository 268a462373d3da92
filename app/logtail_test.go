package app_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nabij/nabij/records"
)

// TestClientKeepsSignedHead: the client's access log carries the newest
// signed head of the whole log, which verifies with the key it names, and the
// client's access page shows it in plain words, so the client can keep a
// receipt.
func TestClientKeepsSignedHead(t *testing.T) {
	e := newEnv(t)
	if err := e.srv.Store.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	var page struct {
		Records    []records.AccessView
		SignedHead *struct {
			Size      int64     `json:"size"`
			Hash      []byte    `json:"hash"`
			SignedAt  time.Time `json:"signed_at"`
			Signature []byte    `json:"signature"`
			PublicKey []byte    `json:"public_key"`
		} `json:"signed_head"`
	}
	e.get(t, e.token(t, noor), "/api/v1/me/access-log").expect(t, 200).decode(t, &page)
	h := page.SignedHead
	if h == nil || h.Size < 1 {
		t.Fatalf("no signed head in noor's access log: %+v", h)
	}
	// The receipt verifies on its own: the message is the checkpoint's.
	msg := append([]byte("nabij/checkpoint/v1"), binary.BigEndian.AppendUint64(nil, uint64(h.Size))...)
	msg = append(msg, h.Hash...)
	msg = binary.BigEndian.AppendUint64(msg, uint64(h.SignedAt.UnixMilli()))
	if !ed25519.Verify(h.PublicKey, msg, h.Signature) {
		t.Error("the signed head does not verify with the key it names")
	}
	if !bytes.Equal(h.PublicKey, e.srv.Store.PublicKey()) {
		t.Error("the signed head names another key than the store's")
	}

	ph := newPageHarness(t, true)
	if err := ph.srv.Store.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	for lang, title := range map[string]string{"en": "Your receipt", "nl": "Je bewijs"} {
		b := ph.browser(lang)
		b.login(noor)
		r := b.get("/my/access")
		r.want(t, http.StatusOK, title)
		// The server signs every second, so the page shows the head signed
		// when it was made: one of the checkpoints, hash and signature both.
		if !showsACheckpoint(t, ph.srv.Store.Path(), r.body) {
			t.Errorf("%s: /my/access shows no signed checkpoint", lang)
		}
	}
}

// showsACheckpoint tells whether page holds the hash and signature of one of
// the database's checkpoints, in base64.
func showsACheckpoint(t *testing.T, dbPath, page string) bool {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+dbPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT hash, signature FROM access_checkpoints`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	page = html.UnescapeString(page) // "+" in base64 is written as &#43;
	for rows.Next() {
		var hash, sig []byte
		if err := rows.Scan(&hash, &sig); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(page, base64.StdEncoding.EncodeToString(hash)) && strings.Contains(page, base64.StdEncoding.EncodeToString(sig)) {
			return true
		}
	}
	return false
}

// TestBrokenLogNotReady: a record slipped into the database behind the
// server's back makes /readyz say 503 and the data officer's verification
// (API and page) report the break, and the server signs nothing over it.
func TestBrokenLogNotReady(t *testing.T) {
	e := newEnv(t)
	e.get(t, "", "/readyz").expect(t, http.StatusOK)
	ctx := context.Background()
	if err := e.srv.Store.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", e.srv.Store.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var cps int
	db.QueryRow(`SELECT COUNT(*) FROM access_checkpoints`).Scan(&cps)
	// Someone with the file cuts the newest record (after dropping the
	// append-only trigger).
	for _, q := range []string{`DROP TRIGGER access_log_append_only_delete`,
		`DELETE FROM access_log WHERE seq = (SELECT MAX(seq) FROM access_log)`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	// The next write finds a head it did not commit.
	e.get(t, e.token(t, noor), "/api/v1/me/file").expect(t, http.StatusOK)
	if err := e.srv.Store.Checkpoint(ctx); err == nil {
		t.Error("the server signed a checkpoint over a log it did not write")
	}
	var after int
	db.QueryRow(`SELECT COUNT(*) FROM access_checkpoints`).Scan(&after)
	if after != cps {
		t.Errorf("%d checkpoints after the cut, want %d", after, cps)
	}
	e.get(t, "", "/readyz").expect(t, http.StatusServiceUnavailable)
	var rep records.VerifyReport
	e.get(t, e.token(t, dpo), "/api/v1/access-log/verify").expect(t, http.StatusOK).decode(t, &rep)
	if rep.OK {
		t.Errorf("the data officer's verification: %+v", rep)
	}
}
