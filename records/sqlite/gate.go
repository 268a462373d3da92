package sqlite

import (
	"context"
	"errors"

	"github.com/nabij/nabij/crypto"
	"github.com/nabij/nabij/records"
)

// The read gate: every read of client data passes through gate. Inside the
// writer's transaction the read authorizes (a denied record on refusal), reads
// its rows and queues the sealed fields it returns; it writes the access
// record in the same transaction. Only after the commit does the gate open the
// sealed fields. Any failure — the rule, the read, the record, the commit, a
// decryption — returns an error and no data (fail closed). The gate adds no
// query: it only moves the opening of fields past the commit.

// sealedField is one sealed column value read inside the gate, to be opened
// into dst after the commit.
type sealedField struct {
	table, column, recordID string
	data                    []byte
	dst                     *string
}

// unsealing collects, inside the gate's transaction, the sealed fields a read
// returns, each with the sealer its grant opened.
type unsealing struct {
	sealers map[string]sealer // by client id
	batches []unsealBatch
	// account holds fields sealed with the account-secrets key (TOTP seeds):
	// no client's data, so no access record.
	account []sealedField
	sys     sealer
}

// unsealBatch is the fields of one add: one client's, kept as the caller's
// slice (no copy).
type unsealBatch struct {
	clientID string
	fields   []sealedField
}

func (u *unsealing) reset() {
	*u = unsealing{sealers: map[string]sealer{}}
}

// add queues fields of the grant's client. The grant comes from an access rule
// (policy.go); EDESTROYED when the client's key was shredded. Pointers in
// fields must stay valid until the gate returns.
func (u *unsealing) add(w *wtx, g grant, fields ...sealedField) error {
	// Every add shows its own grant, also for a client whose sealer is cached
	// already: a refused or empty grant never queues fields.
	if !g.valid() {
		return internal("read gate", errNoGrant)
	}
	if _, ok := u.sealers[g.clientID]; !ok {
		sl, err := w.sealerFor(g)
		if err != nil {
			return err
		}
		u.sealers[g.clientID] = sl
	}
	if len(fields) > 0 {
		u.batches = append(u.batches, unsealBatch{g.clientID, fields})
	}
	return nil
}

// skipDestroyed lets a listing across clients go on without the sealed fields
// of a client whose key was destroyed (crypto-shredding: the row stays, its
// personal text is gone), and fails closed on every other error.
func skipDestroyed(err error) error {
	if records.ErrorCode(err) == records.EDESTROYED {
		return nil
	}
	return err
}

// addAccount queues a field sealed with the account-secrets key (a TOTP
// seed). It takes no sealer: it always uses the account-secrets sealer, so no
// client's data can pass this way, which writes no access record.
func (u *unsealing) addAccount(w *wtx, f sealedField) error {
	sl, err := w.systemSealer()
	if err != nil {
		return err
	}
	u.sys = sl
	u.account = append(u.account, f)
	return nil
}

// gate runs fn as one job in the writer and, after its commit, opens what fn
// queued. Every client whose fields it opens must have an access record with
// outcome ok from this job; otherwise the read fails and returns nothing.
func (s *Store) gate(ctx context.Context, fn func(w *wtx, u *unsealing) error) error {
	var u unsealing
	err := s.write(ctx, func(w *wtx) error {
		u.reset()
		w.recorded = map[string]bool{}
		if err := fn(w, &u); err != nil {
			return err
		}
		for _, b := range u.batches {
			if !w.recorded[b.clientID] {
				return internal("read gate", errors.New("a read of client data wrote no access record"))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return u.openAll()
}

// openAll opens every queued field into its destination; called only once the
// access records are committed (gate), or while they commit and with the
// result dropped unless they did (readSnapshot).
func (u *unsealing) openAll() error {
	var bufs crypto.OpenBuffers
	for _, b := range u.batches {
		sl := u.sealers[b.clientID]
		for _, f := range b.fields {
			if err := unseal(sl, f, &bufs); err != nil {
				return err // fail closed: the caller discards everything
			}
		}
	}
	for _, f := range u.account {
		if err := unseal(u.sys, f, nil); err != nil {
			return err
		}
	}
	return nil
}

// unseal opens one field into its destination. It is the only caller of
// sealer.open.
func unseal(sl sealer, f sealedField, bufs *crypto.OpenBuffers) error {
	v, err := sl.open(f.table, f.column, f.recordID, f.data, bufs)
	if err != nil {
		return err
	}
	*f.dst = v
	return nil
}

// sealedMatches opens fields inside the transaction only to compare them with
// what the caller gave (the recipient and purpose of a disclosure against the
// client's consents): it returns whether each matches, never the plaintext.
// sl comes from sealerFor, so from a grant, like every sealer.
func sealedMatches(sl sealer, same func(a, b string) bool, want []string, fields ...sealedField) (bool, error) {
	got := make([]string, len(fields))
	for i, f := range fields {
		f.dst = &got[i]
		if err := unseal(sl, f, nil); err != nil {
			return false, err
		}
	}
	for i := range got {
		if !same(got[i], want[i]) {
			return false, nil
		}
	}
	return true, nil
}

// readSpec describes a read of one client's data through readClient.
type readSpec struct {
	actor    records.Actor
	clientID string
	purpose  records.Purpose
	kind     string
	action   records.Action
	// may, when set, is the named policy check of who does this at all; anyone
	// else gets a denied record and refusal as the message.
	may     func(records.Actor) bool
	refusal string
}

// readClient is the gate for a read of one client: the policy check, the
// access rule (authorize), fn's read, and the access record of kind and
// action with the ids fn returns, all in one transaction; fields opened after
// the commit.
//
// It runs in a snapshot on a reader connection (readSnapshot), unless the
// store was opened with ReadsOnWriter; the caller cannot tell the difference.
func (s *Store) readClient(ctx context.Context, r readSpec, fn func(w *wtx, g grant, u *unsealing) ([]string, error)) error {
	body := func(w *wtx, u *unsealing) error {
		if r.may != nil && !r.may(r.actor) {
			return w.deny(entry{actor: r.actor, clientID: r.clientID, kind: r.kind, action: r.action, purpose: r.purpose}, r.refusal)
		}
		g, err := w.authorize(r.actor, r.clientID, r.purpose, r.kind, r.action)
		if err != nil {
			return err
		}
		ids, err := fn(w, g, u)
		if err != nil {
			return err
		}
		return w.record(g.entry(r.kind, ids, r.action))
	}
	if s.opts.ReadsOnWriter {
		return s.gate(ctx, body)
	}
	return s.readSnapshot(ctx, body)
}
