package sqlite

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/pressly/goose/v3"

	"github.com/nabij/nabij/records"
)

// Moving an organisation from a SQLite data dir to PostgreSQL: every row is
// copied as it is stored (ciphertext, ids, the access log's chain and its
// signed checkpoints), so the keys in the dir open the copy and the chain
// verifies there with the same checkpoints. The copy is one PostgreSQL
// transaction: the row counts and the chain are checked inside it, before
// the commit, so a failed move leaves the target as empty as it was. The
// append-only triggers stay on: they refuse updates and deletes, and an
// access record below the head, and the copy only inserts, in seq order.

// ErrTargetNotEmpty is returned by MoveToPostgres when the PostgreSQL
// database already holds rows: a move never merges into existing data.
var ErrTargetNotEmpty = errors.New("records: the PostgreSQL database is not empty")

// MoveTable is one table of a move: the rows in the source and the rows the
// target holds after the copy.
type MoveTable struct {
	Name   string
	Source int64
	Target int64
}

// MoveReport says what a move copied and what the chain check found in the
// target before the commit.
type MoveReport struct {
	Version int64       // the schema version of both databases
	Tables  []MoveTable // in the order they were copied (foreign keys first)
	Source  records.VerifyReport
	Target  records.VerifyReport
}

// MoveToPostgres copies the data dir dir (SQLite) into the PostgreSQL
// database opts.DB; opts.Witness, when set, is the source's witness (the
// source log is verified against it first). It holds the dir's lock as a running store does, so a dir
// being served is refused (ErrDirInUse). The keys in dir must open its data
// (ErrKeysDoNotOpenData) and its log must verify. The target is migrated
// like every start does, must then be at the source's schema version and
// have the same tables and columns, and must hold no row (ErrTargetNotEmpty).
// The copy commits only when every table's count matches and the chain in
// the target verifies as in the source; otherwise nothing is written. Keys
// are not copied: they stay files in dir.
func MoveToPostgres(ctx context.Context, dir string, opts DirOptions) (MoveReport, error) {
	var rep MoveReport
	dsn := opts.DB
	if dsn == "" {
		return rep, errors.New("records: move: no PostgreSQL database to move into")
	}
	path := DBPath(dir)
	if _, err := os.Stat(path); err != nil {
		return rep, fmt.Errorf("records: no database in %s: %w", dir, err)
	}
	unlock, err := lockDir(dir)
	if err != nil {
		return rep, err
	}
	defer unlock()
	holds, err := holdsData(path)
	if err != nil {
		return rep, err
	}
	var signer ed25519.PrivateKey
	if holds {
		if _, signer, err = loadKeys(dir, path); err != nil {
			return rep, err
		}
	}
	if rep.Source, err = VerifyDir(ctx, dir, DirOptions{Witness: opts.Witness}); err != nil {
		return rep, err
	}
	if !rep.Source.OK {
		return rep, fmt.Errorf("records: the access log in %s is broken at record %d (%s); nothing was copied: run nabij verify-log --data %s and resolve it first",
			dir, rep.Source.BrokenAt, rep.Source.Problem, dir)
	}

	src, err := openReadOnly(path)
	if err != nil {
		return rep, err
	}
	defer src.Close()
	srcVersion, err := sqliteVersion(ctx, src)
	if err != nil {
		return rep, err
	}
	// A database that holds nabij's data is refused before anything, the
	// migration included, touches it.
	pre, err := OpenPostgresDB(dsn)
	if err != nil {
		return rep, err
	}
	holdsTarget, err := holdsDataPG(pre)
	pre.Close()
	if err != nil {
		return rep, err
	}
	if holdsTarget {
		return rep, fmt.Errorf("%w (accounts, data keys or access records); nothing was copied: move into a new, empty database (CREATE DATABASE …)", ErrTargetNotEmpty)
	}
	dstVersion, err := MigratePostgres(dsn)
	if err != nil {
		return rep, err
	}
	switch {
	case srcVersion < dstVersion:
		return rep, fmt.Errorf("records: %s is at schema version %d, the PostgreSQL database at %d; nothing was copied: run nabij migrate --data %s with this nabij first",
			dir, srcVersion, dstVersion, dir)
	case srcVersion > dstVersion:
		return rep, fmt.Errorf("records: %s is at schema version %d, newer than this nabij's PostgreSQL schema (%d); nothing was copied: move it with the nabij that last served it",
			dir, srcVersion, dstVersion)
	}
	rep.Version = srcVersion

	db, err := OpenPostgresDB(dsn)
	if err != nil {
		return rep, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	tables, err := moveTables(ctx, src, db)
	if err != nil {
		return rep, err
	}

	srcTx, err := src.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return rep, fmt.Errorf("records: move: %w", err)
	}
	defer srcTx.Rollback()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return rep, fmt.Errorf("records: move: %w", err)
	}
	defer tx.Rollback()
	// The chain's turn: an instance started on the target meanwhile appends
	// nothing until the copy has committed.
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, int64(chainLockKey)); err != nil {
		return rep, fmt.Errorf("records: move: %w", err)
	}
	var full []string
	for _, t := range tables {
		var has bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS(SELECT 1 FROM `+t.name+`)`).Scan(&has); err != nil {
			return rep, fmt.Errorf("records: move: %s: %w", t.name, err)
		}
		if has {
			full = append(full, t.name)
		}
	}
	if len(full) > 0 {
		return rep, fmt.Errorf("%w (rows in %s); nothing was copied: move into a new, empty database (CREATE DATABASE …)",
			ErrTargetNotEmpty, strings.Join(full, ", "))
	}
	for _, t := range tables {
		mt := MoveTable{Name: t.name}
		if err := srcTx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t.name).Scan(&mt.Source); err != nil {
			return rep, fmt.Errorf("records: move: %s: %w", t.name, err)
		}
		if err := copyTable(ctx, srcTx, tx, t); err != nil {
			return rep, err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t.name).Scan(&mt.Target); err != nil {
			return rep, fmt.Errorf("records: move: %s: %w", t.name, err)
		}
		rep.Tables = append(rep.Tables, mt)
	}
	for _, mt := range rep.Tables {
		if mt.Source != mt.Target {
			return rep, fmt.Errorf("records: move: %s has %d rows in the source but %d in the target; nothing was copied",
				mt.Name, mt.Source, mt.Target)
		}
	}
	if holds {
		if rep.Target, err = verifyChain(ctx, tx, signer.Public().(ed25519.PublicKey), defaultCheckpointEvery, nil, 0, 0); err != nil {
			return rep, err
		}
	} else {
		rep.Target = rep.Source
	}
	if !rep.Target.OK || rep.Target.Records != rep.Source.Records || rep.Target.Checkpoints != rep.Source.Checkpoints ||
		rep.Target.LastCheckpoint != rep.Source.LastCheckpoint {
		return rep, fmt.Errorf("records: move: the access log in the target does not verify as in the source (%d records, %d checkpoints, broken at %d: %s); nothing was copied",
			rep.Target.Records, rep.Target.Checkpoints, rep.Target.BrokenAt, rep.Target.Problem)
	}
	if err := tx.Commit(); err != nil {
		return rep, fmt.Errorf("records: move: commit: %w", err)
	}
	return rep, nil
}

// sqliteVersion is the goose version of a SQLite database opened read-only.
func sqliteVersion(ctx context.Context, db *sql.DB) (int64, error) {
	p, err := goose.NewProvider(goose.DialectSQLite3, db, mustSub(migrations, "migrations"))
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}

// moveTable is a table to copy: its name and the target's columns with
// their PostgreSQL types.
type moveTable struct {
	name  string
	cols  []string
	types []string // information_schema data_type of each column
}

// moveTables lists the tables of the schema (SQLite's sqlite_master and
// PostgreSQL's information_schema, without goose's version table), checks
// that both engines have the same tables with the same columns, so that a
// table a later migration adds cannot be left behind, and orders them so
// that every table comes after the tables its foreign keys point to.
func moveTables(ctx context.Context, src, dst *sql.DB) ([]moveTable, error) {
	srcNames, err := strings0(ctx, src, `SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	dstNames, err := strings0(ctx, dst, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'goose_db_version'
		ORDER BY table_name`)
	if err != nil {
		return nil, err
	}
	if d := difference(srcNames, dstNames, "only in the source", "only in the target"); d != "" {
		return nil, fmt.Errorf("records: move: the schemas have different tables (%s); nothing was copied", d)
	}
	byName := map[string]*moveTable{}
	for _, n := range dstNames {
		t := &moveTable{name: n}
		rows, err := dst.QueryContext(ctx, `SELECT column_name, data_type FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`, n)
		if err != nil {
			return nil, fmt.Errorf("records: move: %w", err)
		}
		for rows.Next() {
			var c, typ string
			if err := rows.Scan(&c, &typ); err != nil {
				rows.Close()
				return nil, fmt.Errorf("records: move: %w", err)
			}
			t.cols = append(t.cols, c)
			t.types = append(t.types, typ)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("records: move: %w", err)
		}
		srcCols, err := strings0(ctx, src, `SELECT name FROM pragma_table_info(?) ORDER BY name`, n)
		if err != nil {
			return nil, err
		}
		if d := difference(srcCols, slices.Sorted(slices.Values(t.cols)), "only in the source", "only in the target"); d != "" {
			return nil, fmt.Errorf("records: move: table %s has different columns (%s); nothing was copied", n, d)
		}
		byName[n] = t
	}
	rows, err := dst.QueryContext(ctx, `SELECT c.conrelid::regclass::text, c.confrelid::regclass::text
		FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
		WHERE c.contype = 'f' AND n.nspname = current_schema()`)
	if err != nil {
		return nil, fmt.Errorf("records: move: %w", err)
	}
	deps := map[string][]string{}
	for rows.Next() {
		var from, to string
		if err := rows.Scan(&from, &to); err != nil {
			rows.Close()
			return nil, fmt.Errorf("records: move: %w", err)
		}
		if from != to { // a table's rows referring to its own come in insertion order
			deps[from] = append(deps[from], to)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("records: move: %w", err)
	}
	var order []moveTable
	done := map[string]bool{}
	for len(order) < len(dstNames) {
		progress := false
		for _, n := range dstNames {
			if done[n] || !all(deps[n], func(d string) bool { return done[d] }) {
				continue
			}
			done[n] = true
			order = append(order, *byName[n])
			progress = true
		}
		if !progress {
			return nil, errors.New("records: move: the foreign keys form a cycle; nothing was copied")
		}
	}
	return order, nil
}

// copyBatch is how many rows one INSERT carries, within PostgreSQL's limit
// of 65535 parameters.
const copyBatch = 200

// copyTable copies every row of t from the source to the target as stored,
// in the order they were written (rowid; the access log's is its seq), in
// multi-row INSERTs.
func copyTable(ctx context.Context, src, dst *sql.Tx, t moveTable) error {
	cols := `"` + strings.Join(t.cols, `", "`) + `"`
	rows, err := src.QueryContext(ctx, `SELECT `+cols+` FROM `+t.name+` ORDER BY rowid`)
	if err != nil {
		return fmt.Errorf("records: move: %s: %w", t.name, err)
	}
	defer rows.Close()
	var args []any
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		var q strings.Builder
		q.WriteString(`INSERT INTO ` + t.name + ` (` + cols + `) VALUES `)
		for i := range n {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteByte('(')
			for j := range t.cols {
				if j > 0 {
					q.WriteString(", ")
				}
				q.WriteString("$" + itoa(i*len(t.cols)+j+1))
			}
			q.WriteByte(')')
		}
		if _, err := dst.ExecContext(ctx, q.String(), args...); err != nil {
			return fmt.Errorf("records: move: %s: %w", t.name, err)
		}
		args, n = args[:0], 0
		return nil
	}
	vals := make([]any, len(t.cols))
	ptrs := make([]any, len(t.cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("records: move: %s: %w", t.name, err)
		}
		for i, v := range vals {
			args = append(args, asColumn(v, t.types[i]))
		}
		n++
		if n == copyBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("records: move: %s: %w", t.name, err)
	}
	return flush()
}

// asColumn is a value read from SQLite as the PostgreSQL column of type typ
// takes it: SQLite keeps whatever type was written, so a blob column may
// hand back text and a text column bytes; the bytes themselves are kept.
func asColumn(v any, typ string) any {
	switch x := v.(type) {
	case string:
		if typ == "bytea" {
			return []byte(x)
		}
	case []byte:
		if typ != "bytea" {
			return string(x)
		}
		return slices.Clone(x)
	}
	return v
}

// strings0 runs a query of one text column.
func strings0(ctx context.Context, db *sql.DB, q string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("records: move: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("records: move: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// difference names what is in only one of two sorted lists.
func difference(a, b []string, onlyA, onlyB string) string {
	var parts []string
	var inA, inB []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			inA = append(inA, x)
		}
	}
	for _, x := range b {
		if !slices.Contains(a, x) {
			inB = append(inB, x)
		}
	}
	if len(inA) > 0 {
		parts = append(parts, onlyA+": "+strings.Join(inA, ", "))
	}
	if len(inB) > 0 {
		parts = append(parts, onlyB+": "+strings.Join(inB, ", "))
	}
	return strings.Join(parts, "; ")
}

func all[T any](xs []T, f func(T) bool) bool {
	for _, x := range xs {
		if !f(x) {
			return false
		}
	}
	return true
}
