// Package records is nabij's domain: the words of a client's file — clients,
// caseloads, trajectories, contacts, notes, the client's own entries, consents,
// retention — and of the access log, the roles and rules that decide who may
// read what, the error codes callers match, the input checks that need no
// database, and the Store interface every storage backend implements.
//
// It imports no database. The SQLite store is package records/sqlite; a second
// backend (PostgreSQL) implements the same interface and passes the same tests.
//
// What every Store must hold, whatever its backend:
//
//   - Every method that returns client data takes the Actor and the Purpose and
//     writes an AccessRecord in the same transaction that reads the rows, before
//     it returns. A refused attempt writes a denied record. If the record cannot
//     be written, the caller gets an error and no data.
//   - Personal text (identity fields, note bodies, goals, reasons) is sealed with
//     the client's own data key before it is stored.
//   - The access log is append-only and hash-chained; signed checkpoints make a
//     rewrite of the whole chain detectable with the public key alone.
package records
