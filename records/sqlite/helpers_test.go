package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nabij/nabij/crypto"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/sqlite"
	"github.com/nabij/nabij/records/sqlite/storetest"
)

// testEnv is a store on a real SQLite file in a temp dir, with a real keyring.
type testEnv struct {
	dir   string
	kr    *crypto.Keyring
	store *sqlite.Store
}

// mustOpen opens a fresh store; opts may adjust the options before Open.
func mustOpen(tb testing.TB, opts ...func(*sqlite.Options)) *testEnv {
	tb.Helper()
	return mustOpenAt(tb, tb.TempDir(), opts...)
}

// mustOpenAt opens the store (and a new keyring) kept in dir, as a restarted
// server would. Each call loads the key file afresh.
func mustOpenAt(tb testing.TB, dir string, opts ...func(*sqlite.Options)) *testEnv {
	tb.Helper()
	kr, err := crypto.OpenKeyring(filepath.Join(dir, "keys"))
	if err != nil {
		tb.Fatal(err)
	}
	signer, err := kr.SigningKey("checkpoints")
	if err != nil {
		tb.Fatal(err)
	}
	// The suite runs on both read paths: in snapshots by default, on the
	// writer with NABIJ_TEST_READS=writer (scripts/test runs it both ways).
	o := sqlite.Options{Keyring: kr, Signer: signer, ReadsOnWriter: os.Getenv("NABIJ_TEST_READS") == "writer"}
	for _, f := range opts {
		f(&o)
	}
	s, err := storetest.Open(tb, dir, o)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return &testEnv{dir: dir, kr: kr, store: s}
}

func (e *testEnv) dbPath() string { return filepath.Join(e.dir, "nabij.db") }

func mustCreateUser(tb testing.TB, s *sqlite.Store, username string, role records.Role, clientID string) records.Actor {
	tb.Helper()
	u, err := s.CreateUser(context.Background(), records.System(), records.NewUser{
		Username: username, Role: role, DisplayName: username, PasswordHash: "$argon2id$dummy", ClientID: clientID})
	if err != nil {
		tb.Fatal(err)
	}
	return records.Actor{UserID: u.ID, Role: role, ClientID: clientID, Remote: "127.0.0.1"}
}

// clock is a settable clock for Options.Now.
type clock struct{ ms atomic.Int64 }

func newClock(t time.Time) *clock {
	c := &clock{}
	c.ms.Store(t.UnixMilli())
	return c
}

func (c *clock) Now() time.Time          { return time.UnixMilli(c.ms.Load()).UTC() }
func (c *clock) Advance(d time.Duration) { c.ms.Add(d.Milliseconds()) }

func withClock(c *clock) func(*sqlite.Options) {
	return func(o *sqlite.Options) { o.Now = c.Now }
}

// rawDB is a second, plain connection to the store's database (path is
// its SQLite file, whose dir names the database on PostgreSQL): what someone
// with access to the disk (or a bug outside records) could do with the rows.
func rawDB(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	return storetest.RawDB(tb, filepath.Dir(path))
}

// onPostgres tells whether the suite runs on PostgreSQL.
func onPostgres() bool { return storetest.Postgres() != "" }

// sqliteOnly skips a test that checks something only SQLite has.
func sqliteOnly(tb testing.TB, why string) {
	tb.Helper()
	if onPostgres() {
		tb.Skip("SQLite only: " + why)
	}
}

func mustExec(tb testing.TB, db *sql.DB, query string, args ...any) {
	tb.Helper()
	if _, err := db.Exec(query, args...); err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
}

// countRows counts the rows of table (a fixed name from the test, never input).
func countRows(tb testing.TB, db *sql.DB, table string) int {
	tb.Helper()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

// accessRow is one access record as stored.
type accessRow struct {
	Seq                                      int64
	ActorID, ActorRole, ClientID, RecordKind string
	RecordIDs, Action, Purpose, Rule         string
	GrantID, Outcome                         string
}

// accessRowsAfter returns the access records with seq > after, oldest first.
func accessRowsAfter(tb testing.TB, db *sql.DB, after int64) []accessRow {
	tb.Helper()
	rows, err := db.Query(`SELECT seq, actor_id, actor_role, client_id, record_kind, record_ids, action, purpose,
		rule, grant_id, outcome FROM access_log WHERE seq > ? ORDER BY seq`, after)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []accessRow
	for rows.Next() {
		var r accessRow
		if err := rows.Scan(&r.Seq, &r.ActorID, &r.ActorRole, &r.ClientID, &r.RecordKind, &r.RecordIDs,
			&r.Action, &r.Purpose, &r.Rule, &r.GrantID, &r.Outcome); err != nil {
			tb.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

func maxSeq(tb testing.TB, db *sql.DB) int64 {
	tb.Helper()
	var n int64
	if err := db.QueryRow(`SELECT COALESCE(MAX(seq), 0) FROM access_log`).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

func mustVerifyOK(tb testing.TB, s *sqlite.Store) records.VerifyReport {
	tb.Helper()
	rep, err := s.VerifyAccessLog(context.Background(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	if !rep.OK {
		tb.Fatalf("access log does not verify: %+v", rep)
	}
	return rep
}

// world is a small organisation around client C:
//   - sam has C on his caseload (he created C) and wrote its notes;
//   - tess is in team "Wijkteam Noord", which has C on its caseload;
//   - olga is a professional without any link to C;
//   - bram is a professional who broke the glass for C;
//   - self is C's own client account, other is the account of another client D;
//   - dpo is the data officer, admin the admin.
type world struct {
	*testEnv
	clock                                        *clock
	ctx                                          context.Context
	s                                            *sqlite.Store
	sam, tess, olga, bram, self, other, dpo, adm records.Actor
	c, d                                         *records.Client
	tr                                           *records.Trajectory
	visit                                        *records.Contact
	grant                                        *records.Grant
}

func newWorld(tb testing.TB, opts ...func(*sqlite.Options)) *world {
	tb.Helper()
	clk := newClock(time.Now())
	env := mustOpen(tb, append([]func(*sqlite.Options){withClock(clk)}, opts...)...)
	w := &world{testEnv: env, clock: clk, ctx: context.Background(), s: env.store}
	s, ctx := w.s, w.ctx
	w.sam = mustCreateUser(tb, s, "sam", records.RoleProfessional, "")
	w.tess = mustCreateUser(tb, s, "tess", records.RoleProfessional, "")
	w.olga = mustCreateUser(tb, s, "olga", records.RoleProfessional, "")
	w.bram = mustCreateUser(tb, s, "bram", records.RoleProfessional, "")
	w.dpo = mustCreateUser(tb, s, "dpo", records.RoleDataOfficer, "")
	w.adm = mustCreateUser(tb, s, "admin", records.RoleAdmin, "")
	var err error
	if w.c, err = s.CreateClient(ctx, w.sam, records.NewClient{Name: "Noor Jansen", BirthDate: "1990-04-30"}); err != nil {
		tb.Fatal(err)
	}
	if w.d, err = s.CreateClient(ctx, w.olga, records.NewClient{Name: "Daan de Vries"}); err != nil {
		tb.Fatal(err)
	}
	w.self = mustCreateUser(tb, s, "noor", records.RoleClient, w.c.ID)
	w.other = mustCreateUser(tb, s, "daan", records.RoleClient, w.d.ID)
	team, err := s.CreateTeam(ctx, w.adm, "Wijkteam Noord")
	if err != nil {
		tb.Fatal(err)
	}
	if err := s.AddTeamMember(ctx, w.adm, team.ID, w.tess.UserID); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.Assign(ctx, w.adm, w.c.ID, "", team.ID); err != nil {
		tb.Fatal(err)
	}
	if w.tr, err = s.CreateTrajectory(ctx, w.sam, w.c.ID, records.NewTrajectory{Goal: "Stable housing"}); err != nil {
		tb.Fatal(err)
	}
	if w.visit, err = s.CreateContact(ctx, w.sam, w.c.ID, records.NewContact{TrajectoryID: w.tr.ID,
		Channel: records.ChannelHomeVisit, OccurredAt: w.now().Add(-2 * time.Hour), DurationMinutes: 45, Synchronous: true}); err != nil {
		tb.Fatal(err)
	}
	if w.grant, err = s.BreakGlass(ctx, w.bram, w.c.ID, "client in crisis at the night shelter, lead unreachable"); err != nil {
		tb.Fatal(err)
	}
	return w
}

// now is the time as the store sees it.
func (w *world) now() time.Time { return w.clock.Now() }

func (w *world) raw(tb testing.TB) *sql.DB { return rawDB(tb, w.dbPath()) }

func (w *world) note(tb testing.TB, a records.Actor, body string, vis records.Visibility, reason string) *records.Note {
	tb.Helper()
	n, err := w.s.CreateNote(w.ctx, a, w.c.ID, records.NewNote{ContactID: w.visit.ID, Body: body, Visibility: vis, RestrictedReason: reason})
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// refuseInserts makes the database refuse every insert into table with msg,
// through db (a second connection, past the store): SQLite's RAISE(ABORT) in
// a trigger, or a plpgsql trigger function on PostgreSQL. allowInserts
// removes it again.
func refuseInserts(tb testing.TB, db *sql.DB, name, table, msg string) {
	tb.Helper()
	if !onPostgres() {
		mustExec(tb, db, `CREATE TRIGGER `+name+` BEFORE INSERT ON `+table+` BEGIN SELECT RAISE(ABORT, '`+msg+`'); END`)
		return
	}
	mustExec(tb, db, `CREATE FUNCTION `+name+`() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '`+msg+`'; END; $$`)
	mustExec(tb, db, `CREATE TRIGGER `+name+` BEFORE INSERT ON `+table+` FOR EACH ROW EXECUTE FUNCTION `+name+`()`)
}

func allowInserts(tb testing.TB, db *sql.DB, name, table string) {
	tb.Helper()
	if !onPostgres() {
		mustExec(tb, db, `DROP TRIGGER `+name)
		return
	}
	mustExec(tb, db, `DROP TRIGGER `+name+` ON `+table)
	mustExec(tb, db, `DROP FUNCTION `+name+`()`)
}

// columnNames lists the columns of table as the database holds them.
func columnNames(tb testing.TB, db *sql.DB, table string) []string {
	tb.Helper()
	q := `SELECT name FROM pragma_table_info(?)`
	if onPostgres() {
		q = `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ?`
	}
	names, err := scanStrings(db.Query(q, table))
	if err != nil {
		tb.Fatal(err)
	}
	return names
}

func scanStrings(rows *sql.Rows, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// stored is everything the engine keeps of the store's database, for the
// scans for plaintext: the SQLite file and its WAL, or a pg_dump.
func (e *testEnv) stored(tb testing.TB) []byte {
	tb.Helper()
	return storetest.Stored(tb, e.dir)
}

// storedHas tells whether the stored bytes hold b: as is, or, in a pg_dump,
// as the hex a BYTEA column is dumped in.
func storedHas(stored, b []byte) bool {
	if bytes.Contains(stored, b) {
		return true
	}
	return onPostgres() && bytes.Contains(stored, []byte(hex.EncodeToString(b)))
}
