// Package sqlite is nabij's store on one SQLite database (WAL mode, a single
// writer behind a group committer): the records.Store interface, its SQL and
// migrations, the clients' data keys, the hash-chained access log and its
// verification, backups, and the opener of a data dir.
//
// Privacy is built in so that it cannot be got wrong by accident:
//
//   - Every read of client data passes through one read gate, which authorizes,
//     runs the read, writes the access record in the same transaction, and opens
//     sealed fields only after the commit (fail closed).
//   - Sealing and opening a client's fields needs a grant, which only the
//     named access rules in policy.go make: no code opens a client's data with a
//     bare client id.
//   - A test walks the package's code and fails when an exported method reaches
//     a sealed column without passing the gate or a policy check.
package sqlite
