package sqlite_test

import (
	"errors"
	"testing"

	"github.com/nabij/nabij/crypto"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/sqlite"
)

// TestShredClient: crypto-shredding (destroying a client's key destroys their
// data everywhere). Deleting client A's
// data key makes everything of A unreadable — file, identity, caseload name —
// with EDESTROYED (wrapping crypto.ErrDestroyed), also after a restart; client B
// is untouched; the access log stays whole and records the destruction; and
// A's wrapped key is gone from the bytes of the database and its WAL.
func TestShredClient(t *testing.T) {
	env := mustOpen(t, func(o *sqlite.Options) { o.CheckpointEvery = 5 })
	s, ctx := env.store, t.Context()
	sam := mustCreateUser(t, s, "sam", records.RoleProfessional, "")
	mk := func(name, body string) *records.Client {
		c, err := s.CreateClient(ctx, sam, records.NewClient{Name: name, BirthDate: "1970-01-02", Contact: "somewhere"})
		if err != nil {
			t.Fatal(err)
		}
		tr, err := s.CreateTrajectory(ctx, sam, c.ID, records.NewTrajectory{Goal: "goal of " + name})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateNote(ctx, sam, c.ID, records.NewNote{TrajectoryID: tr.ID, Body: body, Visibility: records.VisibilityShared}); err != nil {
			t.Fatal(err)
		}
		return c
	}
	a := mk("Anna Apeldoorn", "note of A")
	b := mk("Bert Bolsward", "note of B")
	db := rawDB(t, env.dbPath())
	wrappedKey := func(id string) []byte {
		var k []byte
		if err := db.QueryRow(`SELECT wrapped FROM client_keys WHERE client_id = ?`, id).Scan(&k); err != nil {
			t.Fatal(err)
		}
		return k
	}
	keyA, keyB := wrappedKey(a.ID), wrappedKey(b.ID)
	// Read A once so its key sits in the store's key cache: shredding must evict it.
	if _, err := s.ClientFile(ctx, sam, records.PurposeCare, a.ID); err != nil {
		t.Fatal(err)
	}

	t.Run("OnlyNabijItselfShreds", func(t *testing.T) {
		if err := s.ShredClient(ctx, sam, records.PurposeErasure, a.ID); records.ErrorCode(err) != records.EFORBIDDEN {
			t.Fatalf("professional: %v", err)
		}
		if err := s.ShredClient(ctx, records.System(), records.PurposeErasure, "0190a000-0000-7000-8000-000000000000"); records.ErrorCode(err) != records.ENOTFOUND {
			t.Fatalf("unknown client: %v", err)
		}
	})

	looked := func() (n int) {
		t.Helper()
		if err := db.QueryRow(`SELECT COUNT(*) FROM last_looked WHERE client_id = ?`, a.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if looked() != 1 {
		t.Fatalf("sam's read of A left %d marks of when he last looked, want 1", looked())
	}
	before := maxSeq(t, db)
	if err := s.ShredClient(ctx, records.System(), records.PurposeErasure, a.ID); err != nil {
		t.Fatal(err)
	}
	if n := looked(); n != 0 {
		t.Errorf("%d marks of who last looked at A are left after its key was shredded", n)
	}
	got := accessRowsAfter(t, db, before)
	if len(got) != 1 || got[0].Action != "destroy" || got[0].ClientID != a.ID || got[0].RecordKind != "client_key" ||
		got[0].Purpose != "erasure" || got[0].Rule != "system" || got[0].Outcome != "ok" {
		t.Fatalf("destroy record %+v", got)
	}

	check := func(t *testing.T, s *sqlite.Store) {
		t.Helper()
		destroyed := func(what string, err error) {
			t.Helper()
			if records.ErrorCode(err) != records.EDESTROYED || !errors.Is(err, crypto.ErrDestroyed) {
				t.Errorf("%s of A: %v, want EDESTROYED", what, err)
			}
		}
		f, err := s.ClientFile(ctx, sam, records.PurposeCare, a.ID)
		destroyed("file", err)
		if f != nil {
			t.Error("a file of A was returned")
		}
		c, err := s.Client(ctx, sam, records.PurposeCare, a.ID)
		destroyed("identity", err)
		if c != nil {
			t.Error("A's identity was returned")
		}
		// The caseload cannot fail as a whole for one erased client: A is listed
		// by id, without a name (its name ciphertext no longer opens).
		cl, err := s.Caseload(ctx, sam)
		if err != nil || len(cl) != 2 || cl[0].ClientID != a.ID || cl[0].Name != "" || cl[1].Name != "Bert Bolsward" {
			t.Errorf("caseload %+v, %v", cl, err)
		}
		fb, err := s.ClientFile(ctx, sam, records.PurposeCare, b.ID)
		if err != nil || fb.Client.Name != "Bert Bolsward" || len(fb.Notes) != 1 || fb.Notes[0].Body != "note of B" {
			t.Errorf("B: %v", err)
		}
		rep := mustVerifyOK(t, s)
		if rep.Checkpoints == 0 {
			t.Errorf("no checkpoints: %+v", rep)
		}
	}
	scan := func(t *testing.T, when string) {
		t.Helper()
		raw := env.stored(t)
		if storedHas(raw, keyA) {
			t.Errorf("%s: A's wrapped key is still in the database or its WAL", when)
		}
		if !storedHas(raw, keyB) {
			t.Errorf("%s: B's wrapped key is not found either: the scan reads the wrong files", when)
		}
	}
	t.Run("Open", func(t *testing.T) {
		check(t, s)
		scan(t, "open")
	})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	scan(t, "closed")
	t.Run("Restarted", func(t *testing.T) {
		check(t, mustOpenAt(t, env.dir).store)
	})
}
