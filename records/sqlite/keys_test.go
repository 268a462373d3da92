package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/nabij/nabij/crypto"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/sqlite"
)

// TestNoPlaintextAtRest: nothing personal is stored in plaintext. After every
// kind of personal text has been written — identity fields, a goal, note bodies (all three
// visibilities, and a correction), a restricted reason, a client's entry and a
// break-the-glass reason — neither the database file nor its WAL holds any of
// it, in any case, while the store is open or after Close.
func TestNoPlaintextAtRest(t *testing.T) {
	env := mustOpen(t)
	s, ctx := env.store, context.Background()
	sam := mustCreateUser(t, s, "sam", records.RoleProfessional, "")
	bram := mustCreateUser(t, s, "bram", records.RoleProfessional, "")
	admin := mustCreateUser(t, s, "admin", records.RoleAdmin, "")
	secrets := []string{
		"Zwanenburg-Oyelaran",             // name
		"1987-11-23",                      // birth date
		"Quintijnsdreef 41, Oudewater",    // contact details
		"Vlinderhof-Mereveld housing",     // trajectory goal
		"Korenbloem-Oosterhout shared",    // shared note
		"Nachtegaal-Zuidwolde restricted", // restricted note
		"Meidoorn-Harkstede reason",       // its reason
		"Sleedoorn-Eext personal",         // personal note
		"Hazelaar-Ternaard corrected",     // a correction
		"Populier-Wapserveen entry",       // the client's entry
		"Lijsterbes-Nieuwolda emergency",  // break-the-glass reason
	}
	// A team name is not personal data and is stored as it is: it shows that the
	// scan below does see what is written.
	const control = "Team-Kwekerij-Marker"
	if _, err := s.CreateTeam(ctx, admin, control); err != nil {
		t.Fatal(err)
	}
	c, err := s.CreateClient(ctx, sam, records.NewClient{Name: "Femke " + secrets[0], BirthDate: secrets[1], Contact: secrets[2]})
	if err != nil {
		t.Fatal(err)
	}
	self := mustCreateUser(t, s, "femke", records.RoleClient, c.ID)
	tr, err := s.CreateTrajectory(ctx, sam, c.ID, records.NewTrajectory{Goal: secrets[3]})
	if err != nil {
		t.Fatal(err)
	}
	mk := func(body string, vis records.Visibility, reason string) *records.Note {
		n, err := s.CreateNote(ctx, sam, c.ID, records.NewNote{TrajectoryID: tr.ID, Body: body, Visibility: vis, RestrictedReason: reason})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	mk(secrets[4], records.VisibilityShared, "")
	mk(secrets[5], records.VisibilityRestricted, secrets[6])
	p := mk(secrets[7], records.VisibilityPersonal, "")
	if _, err := s.CorrectNote(ctx, sam, p.ID, records.Correction{Body: secrets[8], Visibility: records.VisibilityShared}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateEntry(ctx, self, c.ID, secrets[9]); err != nil {
		t.Fatal(err)
	}
	if _, err := s.BreakGlass(ctx, bram, c.ID, secrets[10]); err != nil {
		t.Fatal(err)
	}
	// Everything reads back, so it was all written.
	f, err := s.ClientFile(ctx, sam, records.PurposeCare, c.ID)
	if err != nil || f.Client.Contact != secrets[2] || len(f.Notes) != 3 || len(f.Entries) != 1 || f.Trajectories[0].Goal != secrets[3] {
		t.Fatalf("file %v", err)
	}

	scan := func(t *testing.T, when string) {
		t.Helper()
		stored := env.stored(t)
		t.Logf("%s: %d bytes stored", when, len(stored))
		for _, secret := range secrets {
			for _, v := range []string{secret, strings.ToLower(secret), strings.ToUpper(secret)} {
				if storedHas(stored, []byte(v)) {
					t.Errorf("%s: the database holds %q in plaintext", when, v)
				}
			}
		}
		if !storedHas(stored, []byte(control)) {
			t.Errorf("%s: the control string is in neither file: the scan reads the wrong files", when)
		}
	}
	scan(t, "open")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	scan(t, "closed")
}

// TestSealedFieldsBoundToTheirRow: a ciphertext opens only in the row, column
// and client it was written for. Moving one with raw SQL — between two notes of
// one client (same data key), between versions of one note, between columns of
// one row, or between clients — makes reading fail with an error and return
// nothing; putting it back makes the file readable again.
func TestSealedFieldsBoundToTheirRow(t *testing.T) {
	w := newWorld(t)
	db := w.raw(t)
	n1 := w.note(t, w.sam, "first note of C", records.VisibilityShared, "")
	n2 := w.note(t, w.sam, "second note of C", records.VisibilityShared, "")
	if _, err := w.s.CorrectNote(w.ctx, w.sam, n2.ID, records.Correction{Body: "second note of C, corrected", Visibility: records.VisibilityShared}); err != nil {
		t.Fatal(err)
	}
	nr := w.note(t, w.sam, "restricted note of C", records.VisibilityRestricted, "third-party information")
	trD, err := w.s.CreateTrajectory(w.ctx, w.olga, w.d.ID, records.NewTrajectory{Goal: "Debt relief"})
	if err != nil {
		t.Fatal(err)
	}
	nd, err := w.s.CreateNote(w.ctx, w.olga, w.d.ID, records.NewNote{TrajectoryID: trD.ID, Body: "note of D", Visibility: records.VisibilityShared})
	if err != nil {
		t.Fatal(err)
	}

	type cell struct {
		table, column, where string
		args                 []any
	}
	version := func(noteID string, v int, column string) cell {
		return cell{"note_versions", column, "note_id = ? AND version = ?", []any{noteID, v}}
	}
	client := func(id, column string) cell { return cell{"clients", column, "id = ?", []any{id}} }
	fileC := func(w *world) error {
		f, err := w.s.ClientFile(w.ctx, w.sam, records.PurposeCare, w.c.ID)
		if f != nil {
			return fmt.Errorf("a file was returned along with %v", err)
		}
		return err
	}
	fileD := func(w *world) error {
		f, err := w.s.ClientFile(w.ctx, w.olga, records.PurposeCare, w.d.ID)
		if f != nil {
			return fmt.Errorf("a file was returned along with %v", err)
		}
		return err
	}
	clientD := func(w *world) error {
		c, err := w.s.Client(w.ctx, w.olga, records.PurposeCare, w.d.ID)
		if c != nil {
			return fmt.Errorf("a client was returned along with %v", err)
		}
		return err
	}
	caseloadD := func(w *world) error {
		cl, err := w.s.Caseload(w.ctx, w.olga)
		if cl != nil {
			return fmt.Errorf("a caseload was returned along with %v", err)
		}
		return err
	}
	tests := []struct {
		name     string
		from, to cell
		reads    []func(*world) error
	}{
		{"BodyToOtherNoteOfSameClient", version(n1.ID, 1, "body_sealed"), version(n2.ID, 2, "body_sealed"), []func(*world) error{fileC}},
		{"BodyToOtherVersionOfSameNote", version(n2.ID, 1, "body_sealed"), version(n2.ID, 2, "body_sealed"), []func(*world) error{fileC}},
		{"ReasonToBodyOfSameVersion", version(nr.ID, 1, "reason_sealed"), version(nr.ID, 1, "body_sealed"), []func(*world) error{fileC}},
		{"BodyToNoteOfOtherClient", version(n1.ID, 1, "body_sealed"), version(nd.ID, 1, "body_sealed"), []func(*world) error{fileD}},
		{"NameToOtherClient", client(w.c.ID, "name_sealed"), client(w.d.ID, "name_sealed"), []func(*world) error{clientD, fileD, caseloadD}},
		{"BirthDateToNameOfSameClient", client(w.c.ID, "birth_date_sealed"), client(w.c.ID, "name_sealed"), []func(*world) error{fileC}},
	}
	get := func(t *testing.T, c cell) []byte {
		t.Helper()
		var b []byte
		if err := db.QueryRow(`SELECT `+c.column+` FROM `+c.table+` WHERE `+c.where, c.args...).Scan(&b); err != nil {
			t.Fatal(err)
		}
		if len(b) == 0 {
			t.Fatalf("%s.%s is empty", c.table, c.column)
		}
		return b
	}
	set := func(t *testing.T, c cell, b []byte) {
		t.Helper()
		res, err := db.Exec(`UPDATE `+c.table+` SET `+c.column+` = ? WHERE `+c.where, append([]any{b}, c.args...)...)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			t.Fatalf("updated %d rows", n)
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig := get(t, tt.to)
			set(t, tt.to, get(t, tt.from))
			for i, read := range tt.reads {
				err := read(w)
				if err == nil || !errors.Is(err, crypto.ErrOpen) || records.ErrorCode(err) != records.EINTERNAL {
					t.Errorf("read %d with a moved ciphertext: got %v, want an error wrapping crypto.ErrOpen", i, err)
				}
			}
			set(t, tt.to, orig)
			for i, read := range tt.reads {
				if err := read(w); err == nil || !strings.Contains(err.Error(), "was returned along with <nil>") {
					t.Errorf("read %d after restoring: %v", i, err)
				}
			}
		})
	}
}

// rotationWorld is a data dir with three clients, each with a note, and the
// store closed, ready to be reopened as a restarted server would.
type rotationWorld struct {
	dir     string
	clients []string
	sam     records.Actor
}

func newRotationWorld(t *testing.T) *rotationWorld {
	t.Helper()
	env := mustOpen(t, func(o *sqlite.Options) { o.CheckpointEvery = 5 })
	ctx := context.Background()
	rw := &rotationWorld{dir: env.dir, sam: mustCreateUser(t, env.store, "sam", records.RoleProfessional, "")}
	for i := range 3 {
		c, err := env.store.CreateClient(ctx, rw.sam, records.NewClient{Name: fmt.Sprintf("Client %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		tr, err := env.store.CreateTrajectory(ctx, rw.sam, c.ID, records.NewTrajectory{Goal: fmt.Sprintf("Goal %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.store.CreateNote(ctx, rw.sam, c.ID, records.NewNote{TrajectoryID: tr.ID, Body: fmt.Sprintf("Note %d", i), Visibility: records.VisibilityShared}); err != nil {
			t.Fatal(err)
		}
		rw.clients = append(rw.clients, c.ID)
	}
	if err := env.store.Close(); err != nil {
		t.Fatal(err)
	}
	return rw
}

// open reopens the data dir with a freshly loaded keyring.
func (rw *rotationWorld) open(t *testing.T) *testEnv {
	t.Helper()
	return mustOpenAt(t, rw.dir, func(o *sqlite.Options) { o.CheckpointEvery = 5 })
}

// checkReadable reads every client's file and caseload name and verifies the log.
func (rw *rotationWorld) checkReadable(t *testing.T, env *testEnv) {
	t.Helper()
	ctx := context.Background()
	for i, id := range rw.clients {
		f, err := env.store.ClientFile(ctx, rw.sam, records.PurposeCare, id)
		if err != nil {
			t.Fatalf("client %d: %v", i, err)
		}
		if f.Client.Name != fmt.Sprintf("Client %d", i) || len(f.Notes) != 1 || f.Notes[0].Body != fmt.Sprintf("Note %d", i) {
			t.Errorf("client %d: %q %+v", i, f.Client.Name, f.Notes)
		}
	}
	cl, err := env.store.Caseload(ctx, rw.sam)
	if err != nil || len(cl) != len(rw.clients) {
		t.Fatalf("caseload %+v %v", cl, err)
	}
	for i, e := range cl {
		if e.Name != fmt.Sprintf("Client %d", i) {
			t.Errorf("caseload[%d] = %q", i, e.Name)
		}
	}
	if rep := mustVerifyOK(t, env.store); rep.Checkpoints == 0 {
		t.Errorf("no checkpoints: %+v", rep)
	}
}

func wrappedBy(t *testing.T, s *sqlite.Store, version int) int {
	t.Helper()
	n, err := s.KeysWrappedBy(context.Background(), version)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRotateMasterKey: a master key rotation re-wraps every data key under the
// new version without re-encrypting data; the old version can then be retired,
// and a restarted server reads everything with the new key file alone.
func TestRotateMasterKey(t *testing.T) {
	rw := newRotationWorld(t)
	env := rw.open(t)
	ctx := context.Background()
	old := env.kr.Active()
	next, err := env.kr.Rotate()
	if err != nil || next == old {
		t.Fatalf("rotate: %d %v", next, err)
	}
	n, err := env.store.RotateMasterKey(ctx)
	if err != nil || n != len(rw.clients) {
		t.Fatalf("re-wrapped %d, %v", n, err)
	}
	if got := wrappedBy(t, env.store, old); got != 0 {
		t.Fatalf("KeysWrappedBy(old) = %d", got)
	}
	if got := wrappedBy(t, env.store, next); got != len(rw.clients) {
		t.Fatalf("KeysWrappedBy(new) = %d", got)
	}
	if n, err := env.store.RotateMasterKey(ctx); err != nil || n != 0 {
		t.Fatalf("second run re-wrapped %d, %v", n, err)
	}
	if err := env.kr.Retire(old); err != nil {
		t.Fatal(err)
	}
	env.store.Close()

	env = rw.open(t)
	if vs := env.kr.Versions(); len(vs) != 1 || vs[0] != next {
		t.Fatalf("versions %v", vs)
	}
	rw.checkReadable(t, env)
}

// TestRotateMasterKeyInterrupted: a rotation that stops half way leaves
// everything readable, because every key row names the master key version that
// wraps it and old versions stay in the key file until retired; running the
// rotation again finishes it.
func TestRotateMasterKeyInterrupted(t *testing.T) {
	tests := []struct {
		name string
		// rewrap is how many key rows the interrupted run re-wrapped.
		rewrap int
	}{
		{"KeyringRotatedOnly", 0},
		{"SomeRowsRewrapped", 1},
		{"AllButOneRewrapped", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rw := newRotationWorld(t)
			env := rw.open(t)
			old := env.kr.Active()
			next, err := env.kr.Rotate()
			if err != nil {
				t.Fatal(err)
			}
			// Re-wrap the first rows as RotateMasterKey would, then "crash".
			db := rawDB(t, env.dbPath())
			for _, id := range rw.clients[:tt.rewrap] {
				var wrapped []byte
				var v int
				if err := db.QueryRow(`SELECT wrapped, kek_version FROM client_keys WHERE client_id = ?`, id).Scan(&wrapped, &v); err != nil {
					t.Fatal(err)
				}
				dk, err := env.kr.Unwrap(id, wrapped, v)
				if err != nil {
					t.Fatal(err)
				}
				nw, nv, err := env.kr.Wrap(id, dk)
				if err != nil {
					t.Fatal(err)
				}
				mustExec(t, db, `UPDATE client_keys SET wrapped = ?, kek_version = ? WHERE client_id = ?`, nw, nv, id)
			}
			env.store.Close()

			env = rw.open(t)
			rw.checkReadable(t, env)
			if got := wrappedBy(t, env.store, old); got != len(rw.clients)-tt.rewrap {
				t.Fatalf("KeysWrappedBy(old) = %d", got)
			}
			// A client created now gets a key wrapped by the new version.
			c, err := env.store.CreateClient(context.Background(), rw.sam, records.NewClient{Name: "Client 3"})
			if err != nil {
				t.Fatal(err)
			}
			rw.clients = append(rw.clients, c.ID)
			tr, err := env.store.CreateTrajectory(context.Background(), rw.sam, c.ID, records.NewTrajectory{Goal: "Goal 3"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := env.store.CreateNote(context.Background(), rw.sam, c.ID, records.NewNote{TrajectoryID: tr.ID, Body: "Note 3", Visibility: records.VisibilityShared}); err != nil {
				t.Fatal(err)
			}
			if got := wrappedBy(t, env.store, next); got != tt.rewrap+1 {
				t.Fatalf("KeysWrappedBy(new) = %d", got)
			}
			// Finishing the rotation re-wraps exactly what was left.
			n, err := env.store.RotateMasterKey(context.Background())
			if err != nil || n != len(rw.clients)-1-tt.rewrap {
				t.Fatalf("re-wrapped %d, %v", n, err)
			}
			if err := env.kr.Retire(old); err != nil {
				t.Fatal(err)
			}
			env.store.Close()
			rw.checkReadable(t, rw.open(t))
		})
	}
}

// TestRetireTooEarly: retiring a master key version that still wraps data keys
// makes those clients unreadable — every read fails with an error (never blank
// or partial data) until the key file is restored. KeysWrappedBy is the guard.
func TestRetireTooEarly(t *testing.T) {
	rw := newRotationWorld(t)
	env := rw.open(t)
	old := env.kr.Active()
	if _, err := env.kr.Rotate(); err != nil {
		t.Fatal(err)
	}
	if n := wrappedBy(t, env.store, old); n != len(rw.clients) {
		t.Fatalf("KeysWrappedBy(old) = %d", n)
	}
	if err := env.kr.Retire(old); err != nil {
		t.Fatal(err)
	}
	env.store.Close()
	env = rw.open(t)
	ctx := context.Background()
	f, err := env.store.ClientFile(ctx, rw.sam, records.PurposeCare, rw.clients[0])
	if f != nil || !errors.Is(err, crypto.ErrUnknownKeyVersion) {
		t.Errorf("ClientFile: %v", err)
	}
	c, err := env.store.Client(ctx, rw.sam, records.PurposeCare, rw.clients[0])
	if c != nil || !errors.Is(err, crypto.ErrUnknownKeyVersion) {
		t.Errorf("Client: %v", err)
	}
	// The caseload must not pass a missing master key off as shredded clients.
	cl, err := env.store.Caseload(ctx, rw.sam)
	if cl != nil || !errors.Is(err, crypto.ErrUnknownKeyVersion) {
		t.Errorf("Caseload: %+v, %v", cl, err)
	}
}
