package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"strings"

	"github.com/nabij/nabij/records"
)

// canonical is the byte string the chain hashes: every field, in a fixed order,
// length-prefixed, after the previous hash. Changing it breaks every existing log,
// so it is versioned by its prefix.
func canonical(r *records.AccessRecord, buf []byte) []byte {
	fields := [canonicalFields][]byte{
		[]byte(r.ID), []byte(r.ActorID), []byte(r.ActorRole), []byte(r.ClientID), []byte(r.RecordKind),
		[]byte(strings.Join(r.RecordIDs, ",")), []byte(r.Action), []byte(r.Purpose),
		[]byte(r.Rule), []byte(r.GrantID), []byte(r.Remote), []byte(r.Outcome),
	}
	return appendCanonical(buf, r.PrevHash, r.Seq, r.At.UnixMilli(), &fields)
}

func computeHash(r *records.AccessRecord, scratch []byte) ([]byte, []byte) {
	scratch = canonical(r, scratch[:0])
	sum := sha256.Sum256(scratch)
	return sum[:], scratch
}

const canonicalFields = 12

// appendCanonical is the one encoder of an access record, shared by append and
// Verify (which feeds it raw column bytes to avoid allocations).
func appendCanonical(buf, prev []byte, seq, atMS int64, fields *[canonicalFields][]byte) []byte {
	buf = append(buf, "nabij/access/v1"...)
	buf = append(buf, prev...)
	buf = binary.BigEndian.AppendUint64(buf, uint64(seq))
	buf = binary.BigEndian.AppendUint64(buf, uint64(atMS))
	for _, f := range fields {
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(f)))
		buf = append(buf, f...)
	}
	return buf
}

// genesis is the previous hash of the first record.
var genesis = make([]byte, sha256.Size)

func chainHead(tx *sql.Tx) (int64, []byte, error) {
	var seq int64
	var hash []byte
	err := tx.QueryRow(`SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, genesis, nil
	}
	return seq, hash, err
}

// entry describes an access record to append; the committer fills in the rest.
type entry struct {
	actor    records.Actor
	clientID string
	kind     string
	ids      []string
	action   records.Action
	purpose  records.Purpose
	rule     records.Rule
	grantID  string
	outcome  records.Outcome
}

// record appends an access record to the chain inside the job's transaction.
// When this fails the job fails, and the caller gets no data (fail closed).
func (w *wtx) record(e entry) error {
	if w.snap != nil {
		// A read in a snapshot: the writer appends it after deciding the
		// grant again (snapshot.go).
		w.snap.entries = append(w.snap.entries, snapEntry{e: e})
		if w.recorded != nil && e.outcome == records.OutcomeOK {
			w.recorded[e.clientID] = true
		}
		return nil
	}
	r := records.AccessRecord{
		Seq: w.seq + 1, ID: newID(), At: w.now, ActorID: e.actor.UserID, ActorRole: e.actor.Role,
		ClientID: e.clientID, RecordKind: e.kind, RecordIDs: e.ids, Action: e.action,
		Purpose: e.purpose, Rule: e.rule, GrantID: e.grantID, Remote: e.actor.Remote,
		Outcome: e.outcome, PrevHash: w.head,
	}
	if r.RecordIDs == nil {
		r.RecordIDs = []string{}
	}
	hash, _ := computeHash(&r, nil)
	_, err := w.exec(`INSERT INTO access_log (seq, id, at, actor_id, actor_role, client_id, record_kind,
		record_ids, action, purpose, rule, grant_id, remote, outcome, prev_hash, hash)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		r.Seq, r.ID, ms(r.At), r.ActorID, string(r.ActorRole), r.ClientID, r.RecordKind,
		strings.Join(r.RecordIDs, ","), string(r.Action), string(r.Purpose), string(r.Rule),
		r.GrantID, r.Remote, string(r.Outcome), r.PrevHash, hash)
	if err != nil {
		return internal("access record", err)
	}
	w.seq, w.head = r.Seq, hash
	if w.recorded != nil && e.outcome == records.OutcomeOK {
		w.recorded[e.clientID] = true
	}
	return w.markLooked(e, r.Seq)
}

// deny writes a denied access record and returns the forbidden error; the record
// stays even though the job fails.
func (w *wtx) deny(e entry, msg string) error {
	e.outcome = records.OutcomeDenied
	e.rule = records.RuleNone
	if w.snap != nil {
		w.snap.entries = append(w.snap.entries, snapEntry{e: e, denied: true, refusal: msg})
		w.keep = true
		return forbidden(msg)
	}
	if err := w.record(e); err != nil {
		return err
	}
	w.keep = true
	return forbidden(msg)
}

func scanAccessRecord(sc interface{ Scan(...any) error }) (records.AccessRecord, error) {
	var r records.AccessRecord
	var at int64
	var ids, role, action, purpose, rule, outcome string
	err := sc.Scan(&r.Seq, &r.ID, &at, &r.ActorID, &role, &r.ClientID, &r.RecordKind, &ids,
		&action, &purpose, &rule, &r.GrantID, &r.Remote, &outcome, &r.PrevHash, &r.Hash)
	if err != nil {
		return r, err
	}
	r.At = fromMS(at)
	r.ActorRole, r.Action, r.Purpose, r.Rule, r.Outcome = records.Role(role), records.Action(action), records.Purpose(purpose), records.Rule(rule), records.Outcome(outcome)
	r.RecordIDs = []string{}
	if ids != "" {
		r.RecordIDs = strings.Split(ids, ",")
	}
	return r, nil
}

// RecordDenied writes a denied access record for a request refused at the edge
// (a role that never does this), so that every refusal is in the log. clientID
// may be "" when the request names no client.
// Returns EINTERNAL when the record cannot be written.
func (s *Store) RecordDenied(ctx context.Context, a records.Actor, clientID, kind string, action records.Action) error {
	if !validAction(action) {
		action = records.ActionRead
	}
	return s.write(ctx, func(w *wtx) error {
		return w.record(entry{actor: a, clientID: clientID, kind: kind, action: action,
			purpose: purposeFor(a), rule: records.RuleNone, outcome: records.OutcomeDenied})
	})
}

// Administrative and security events are access records in the same chain as
// reads, written in the same transaction as the change they describe: when the
// record cannot be written the change does not happen. They hold ids only:
// never names, passwords, secrets or codes.

// adminEvent is the record of a change an admin (or nabij itself) made to
// accounts, teams or caseloads. clientID is the client concerned, "" when
// there is none.
func adminEvent(a records.Actor, clientID, kind string, ids []string, action records.Action) entry {
	rule := records.RuleAdmin
	if a.IsSystem() {
		rule = records.RuleSystem
	}
	return entry{actor: a, clientID: clientID, kind: kind, ids: ids, action: action,
		purpose: records.PurposeAdministration, rule: rule, outcome: records.OutcomeOK}
}

// accountOwner is the account as the actor of its own security events
// (signing in, setting its password or second factor), with the client it is
// when it is a client account. ENOTFOUND when there is no such account.
func (w *wtx) accountOwner(userID string) (records.Actor, error) {
	var role, clientID string
	err := w.queryRow(`SELECT role, COALESCE(client_id, '') FROM users WHERE id = ?`, userID).Scan(&role, &clientID)
	if errors.Is(err, sql.ErrNoRows) {
		return records.Actor{}, notFound("user")
	}
	if err != nil {
		return records.Actor{}, internal("account", err)
	}
	return records.Actor{UserID: userID, Role: records.Role(role), ClientID: clientID}, nil
}

// ownAccountEvent is the record of a security event on one's own account. The
// client concerned is the account's client, so a client sees sign-ins to and
// changes of their own account.
func ownAccountEvent(owner records.Actor, kind string, action records.Action, outcome records.Outcome) entry {
	rule := records.RuleOwnAccount
	if outcome != records.OutcomeOK {
		rule = records.RuleNone
	}
	return entry{actor: owner, clientID: owner.ClientID, kind: kind, ids: []string{owner.UserID}, action: action,
		purpose: records.PurposeSecurity, rule: rule, outcome: outcome}
}
