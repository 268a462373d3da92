package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/sqlite"
	"github.com/nabij/nabij/records/sqlite/storetest"
)

// TestMoveToPostgres: a SQLite data dir with notes, a consent, a plan, a
// broken glass, a shredded client and signed checkpoints moves into an
// empty PostgreSQL database as stored: the same chain and checkpoints, a
// store on PostgreSQL with the dir's keys reads the same file, the log
// verifies there, and the shredded client stays unreadable. A dir being
// served and a target that holds rows are refused and change nothing.
func TestMoveToPostgres(t *testing.T) {
	if !onPostgres() {
		t.Skip("PostgreSQL only: moves a SQLite data dir into the PostgreSQL server NABIJ_TEST_POSTGRES names")
	}
	ctx := context.Background()
	dir := t.TempDir()
	open := func() *sqlite.Store {
		t.Helper()
		st, _, err := sqlite.OpenDir(dir, sqlite.DirOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	st := open()
	sam := mustCreateUser(t, st, "sam", records.RoleProfessional, "")
	bram := mustCreateUser(t, st, "bram", records.RoleProfessional, "")
	c, err := st.CreateClient(ctx, sam, records.NewClient{Name: "Noor Jansen", BirthDate: "1990-04-30"})
	if err != nil {
		t.Fatal(err)
	}
	d, err := st.CreateClient(ctx, sam, records.NewClient{Name: "Daan de Vries"})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := st.CreateTrajectory(ctx, sam, c.ID, records.NewTrajectory{Goal: "Stable housing"})
	if err != nil {
		t.Fatal(err)
	}
	visit, err := st.CreateContact(ctx, sam, c.ID, records.NewContact{TrajectoryID: tr.ID,
		Channel: records.ChannelHomeVisit, OccurredAt: time.Now().Add(-time.Hour), DurationMinutes: 30, Synchronous: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{"Noor slept at the shelter again", "Landlord called back: viewing on Friday"} {
		if _, err := st.CreateNote(ctx, sam, c.ID, records.NewNote{ContactID: visit.ID, Body: body, Visibility: records.VisibilityShared}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.RecordConsent(ctx, sam, c.ID, records.NewConsent{Purpose: records.ConsentContactChannel,
		Channel: records.ChannelVideo, Evidence: records.EvidenceVerbal}); err != nil {
		t.Fatal(err)
	}
	noor := mustCreateUser(t, st, "noor", records.RoleClient, c.ID)
	goal, err := st.AddPlanGoal(ctx, noor, c.ID, "A home of her own")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddPlanStep(ctx, noor, c.ID, goal.ID, "Register with the housing corporation"); err != nil {
		t.Fatal(err)
	}
	st.Close() // signs a checkpoint
	st = open()
	if _, err := st.BreakGlass(ctx, bram, c.ID, "client in crisis at the night shelter, lead unreachable"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ClientFile(ctx, bram, records.PurposeCare, c.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.ShredClient(ctx, records.System(), records.PurposeErasure, d.ID); err != nil {
		t.Fatal(err)
	}
	want, err := st.ClientFile(ctx, sam, records.PurposeCare, c.ID)
	if err != nil {
		t.Fatal(err)
	}

	target := storetest.Database(t, t.TempDir())
	if _, err := sqlite.MoveToPostgres(ctx, dir, sqlite.DirOptions{DB: target}); !errors.Is(err, sqlite.ErrDirInUse) {
		t.Fatalf("move of a dir being served: %v, want ErrDirInUse", err)
	}
	st.Close()

	rep, err := sqlite.MoveToPostgres(ctx, dir, sqlite.DirOptions{DB: target})
	if err != nil {
		t.Fatalf("move: %v (%+v)", err, rep)
	}
	copied := map[string]int64{}
	for _, mt := range rep.Tables {
		if mt.Source != mt.Target {
			t.Errorf("%s: %d rows in the source, %d in the target", mt.Name, mt.Source, mt.Target)
		}
		copied[mt.Name] = mt.Target
	}
	for _, name := range []string{"clients", "client_keys", "notes", "note_versions", "consents", "plan_goals",
		"plan_steps", "break_glass", "access_log", "access_checkpoints"} {
		if copied[name] == 0 {
			t.Errorf("%s: nothing copied (%v)", name, copied)
		}
	}
	if !rep.Target.OK || rep.Target.Checkpoints < 2 || rep.Target.Records != rep.Source.Records {
		t.Errorf("verify on arrival %+v, source %+v", rep.Target, rep.Source)
	}

	src, err := sql.Open("sqlite3", "file:"+sqlite.DBPath(dir)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := sqlite.OpenPostgresDB(target)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	for _, q := range []string{
		`SELECT seq, id, prev_hash, hash FROM access_log ORDER BY seq`,
		`SELECT seq, hash, at, signature FROM access_checkpoints ORDER BY seq`,
		`SELECT client_id, wrapped, kek_version FROM client_keys ORDER BY client_id`,
		`SELECT notes.id, version, body_sealed FROM notes JOIN note_versions ON notes.id = note_versions.note_id ORDER BY notes.id, version`,
	} {
		if a, b := dump(t, src, q), dump(t, dst, q); !reflect.DeepEqual(a, b) {
			t.Errorf("%s: the target differs from the source\n%v\n%v", q, a, b)
		}
	}

	pg, _, err := sqlite.OpenDir(dir, sqlite.DirOptions{DB: target})
	if err != nil {
		t.Fatalf("open the moved database with the dir's keys: %v", err)
	}
	got, err := pg.ClientFile(ctx, sam, records.PurposeCare, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the file read on PostgreSQL differs from SQLite's:\n%+v\n%+v", got, want)
	}
	if _, err := pg.ClientFile(ctx, sam, records.PurposeCare, d.ID); records.ErrorCode(err) != records.EDESTROYED {
		t.Errorf("file of the shredded client: %v, want EDESTROYED", err)
	}
	mustVerifyOK(t, pg)
	pg.Close()
	if v, err := sqlite.VerifyDir(ctx, dir, sqlite.DirOptions{DB: target}); err != nil || !v.OK {
		t.Errorf("verify-log on PostgreSQL: %+v %v", v, err)
	}

	before := dump(t, dst, `SELECT seq, hash FROM access_log ORDER BY seq`)
	if _, err := sqlite.MoveToPostgres(ctx, dir, sqlite.DirOptions{DB: target}); !errors.Is(err, sqlite.ErrTargetNotEmpty) {
		t.Fatalf("move into a database that holds rows: %v, want ErrTargetNotEmpty", err)
	}
	if after := dump(t, dst, `SELECT seq, hash FROM access_log ORDER BY seq`); !reflect.DeepEqual(before, after) {
		t.Errorf("a refused move changed the target: %d records, then %d", len(before), len(after))
	}
}

// TestMoveRefusesOtherVersion: a data dir at another schema version than
// the PostgreSQL database is refused, says what to do, and copies nothing.
func TestMoveRefusesOtherVersion(t *testing.T) {
	if !onPostgres() {
		t.Skip("PostgreSQL only: moves a SQLite data dir into the PostgreSQL server NABIJ_TEST_POSTGRES names")
	}
	dir := t.TempDir()
	st, _, err := sqlite.OpenDir(dir, sqlite.DirOptions{})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	src, err := sql.Open("sqlite3", "file:"+sqlite.DBPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, src, `INSERT INTO goose_db_version (version_id, is_applied) VALUES (9999, 1)`)
	src.Close()
	target := storetest.Database(t, t.TempDir())
	_, err = sqlite.MoveToPostgres(context.Background(), dir, sqlite.DirOptions{DB: target})
	if err == nil || !strings.Contains(err.Error(), "schema version 9999") || !strings.Contains(err.Error(), "nothing was copied") {
		t.Fatalf("move of a dir at another version: %v", err)
	}
	dst, err := sqlite.OpenPostgresDB(target)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if n := countRows(t, dst, "access_log"); n != 0 {
		t.Errorf("a refused move copied %d access records", n)
	}
}

// dump is every row of q, each column as bytes.
func dump(t *testing.T, db *sql.DB, q string) [][]string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([][]byte, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = string(v)
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
