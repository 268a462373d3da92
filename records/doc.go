// Package records holds nabij's client records — clients, caseloads, trajectories,
// contacts, notes, client-written entries — and the tamper-evident access log,
// stored in SQLite behind one Store type.
//
// The package is built so that privacy cannot be got wrong by accident:
//
//   - Every exported function that returns client data takes the Actor and the
//     Purpose and writes an AccessRecord in the same transaction that reads the
//     rows, before it returns. A refused attempt writes a denied record. If the
//     record cannot be written, the caller gets an error and no data.
//   - Personal text (identity fields, note bodies, goals, reasons) is sealed with
//     the client's own data key before it reaches SQL; the only way to put such a
//     field in a row is through the sealing helpers in this package.
//   - The access log is append-only and hash-chained; signed checkpoints make a
//     rewrite of the whole chain detectable with the public key alone.
//
// All SQL of nabij lives in this package (migrations and store), so that a second
// backend (PostgreSQL) can later pass the same tests.
package records
