package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/nabij/nabij/records"
)

// validConsentSQL is the validity rule in SQL over consents c and
// consent_withdrawals x at the time bound to ?T (repeated three times). A
// consent counts from when it was given, which may precede its recording.
const validConsentSQL = `c.given_at <= ?T AND (c.expires_at IS NULL OR c.expires_at > ?T) AND (x.withdrawn_at IS NULL OR x.withdrawn_at > ?T)`

func validConsentAt(param string) string { return strings.ReplaceAll(validConsentSQL, "?T", param) }

// RecordConsent records a consent of the client. A professional (with access to
// the client) records verbal or written consent; the client gives consent online
// in their own file. Recipient and reason are sealed with the client's key.
// EINVALID for bad input; EFORBIDDEN (with a denied record) otherwise.
func (s *Store) RecordConsent(ctx context.Context, a records.Actor, clientID string, in records.NewConsent) (*records.Consent, error) {
	if err := in.Validate(s.now()); err != nil {
		return nil, err
	}
	c := &records.Consent{ID: newID(), ClientID: clientID, Purpose: in.Purpose, Channel: in.Channel, Recipient: in.Recipient,
		Reason: in.Reason, Evidence: in.Evidence, RecordedBy: a.UserID, ToolID: in.ToolID}
	if in.GivenAt != nil {
		c.GivenAt = fromMS(ms(*in.GivenAt))
	}
	if in.ExpiresAt != nil {
		t := fromMS(ms(*in.ExpiresAt))
		c.ExpiresAt = &t
	}
	err := s.write(ctx, func(w *wtx) error {
		purpose := careOrOwnFile(a)
		if !recordsConsent(a) {
			return w.deny(entry{actor: a, clientID: clientID, kind: "consent", action: records.ActionCreate, purpose: purpose},
				"only professionals and the client record consent")
		}
		g, err := w.authorize(a, clientID, purpose, "consent", records.ActionCreate)
		if err != nil {
			return err
		}
		if err := w.noBreakGlass(g, "consent", nil, records.ActionCreate); err != nil {
			return err
		}
		if isClient(a) != (c.Evidence == records.EvidenceOnline) {
			return invalid("evidence", "the client gives consent online; a professional records verbal or written consent")
		}
		sl, err := w.sealerFor(g)
		if err != nil {
			return err
		}
		var recipient, reason []byte
		if c.Recipient != "" {
			recipient = sl.seal("consents", "recipient", c.ID, c.Recipient)
			reason = sl.seal("consents", "reason", c.ID, c.Reason)
		}
		if c.ToolID != "" {
			if _, _, err := w.toolVerdict("tool_id", c.ToolID); err != nil {
				return err
			}
		}
		c.GrantedAt = fromMS(ms(w.now))
		if c.GivenAt.IsZero() || c.GivenAt.After(c.GrantedAt) {
			c.GivenAt = c.GrantedAt
		}
		if _, err := w.exec(`INSERT INTO consents (id, client_id, purpose, channel, recipient_sealed, reason_sealed, evidence,
			recorded_by, granted_at, given_at, expires_at, tool_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
			c.ID, clientID, string(c.Purpose), string(c.Channel), recipient, reason, string(c.Evidence), c.RecordedBy,
			ms(c.GrantedAt), ms(c.GivenAt), optMS(c.ExpiresAt), nullString(c.ToolID)); err != nil {
			return internal("record consent", err)
		}
		if c.Purpose == records.ConsentContactChannel {
			// Contacts from the moment it was given on may now have consent.
			if err := w.reflagContacts(clientID, c.Channel, ms(c.GivenAt)); err != nil {
				return err
			}
		}
		return w.record(g.entry("consent", []string{c.ID}, records.ActionCreate))
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// reflagContacts recomputes consent_missing for the client's contacts through ch
// that lie at or after from, after a grant (from: when it was given, so the
// contacts it covers lose their flag) or a withdrawal (from: now, so planned
// contacts get one); earlier contacts keep the flag they had, which already
// follows the validity rule at their time.
func (w *wtx) reflagContacts(clientID string, ch records.Channel, from int64) error {
	_, err := w.exec(`UPDATE contacts SET consent_missing = CASE WHEN EXISTS(SELECT 1 FROM consents c
		LEFT JOIN consent_withdrawals x ON x.consent_id = c.id
		WHERE c.client_id = contacts.client_id AND c.purpose = 'contact_channel' AND c.channel = contacts.channel
		  AND `+validConsentAt("contacts.occurred_at")+`) THEN 0 ELSE 1 END
		WHERE client_id = ? AND channel = ? AND occurred_at >= ?`, clientID, string(ch), from)
	if err != nil {
		return internal("consent flags", err)
	}
	return nil
}

// Consents returns the client's consent history, oldest first, withdrawals
// included. A read of client data: the access record is written in the same
// transaction. EFORBIDDEN (with a denied record) when no rule allows it.
func (s *Store) Consents(ctx context.Context, a records.Actor, clientID string) ([]records.Consent, error) {
	var out []records.Consent
	spec := readSpec{actor: a, clientID: clientID, purpose: careOrOwnFile(a), kind: "consent", action: records.ActionRead}
	err := s.readClient(ctx, spec, func(w *wtx, g grant, u *unsealing) ([]string, error) {
		if err := u.add(w, g); err != nil {
			return nil, err // EDESTROYED before anything is read
		}
		list, sealed, err := w.consents(clientID, "")
		if err != nil {
			return nil, err
		}
		out = list
		ids := make([]string, len(out))
		for i := range out {
			ids[i] = out[i].ID
		}
		return ids, u.add(w, g, consentFields(out, sealed)...)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// consentFields are the sealed recipient and reason of each consent, to open
// into out.
func consentFields(out []records.Consent, sealed [][2][]byte) []sealedField {
	fields := make([]sealedField, 0, 2*len(out))
	for i := range out {
		fields = append(fields, sealedField{"consents", "recipient", out[i].ID, sealed[i][0], &out[i].Recipient},
			sealedField{"consents", "reason", out[i].ID, sealed[i][1], &out[i].Reason})
	}
	return fields
}

// consents reads the client's consents (all, or one id) with their sealed fields.
func (w *wtx) consents(clientID, id string) ([]records.Consent, [][2][]byte, error) {
	q := `SELECT c.id, c.purpose, c.channel, c.recipient_sealed, c.reason_sealed, c.evidence, c.recorded_by,
		c.granted_at, c.given_at, c.expires_at, x.withdrawn_at, COALESCE(x.withdrawn_by, ''), COALESCE(c.tool_id, '')
		FROM consents c LEFT JOIN consent_withdrawals x ON x.consent_id = c.id WHERE c.client_id = ?`
	args := []any{clientID}
	if id != "" {
		q += ` AND c.id = ?`
		args = append(args, id)
	}
	rows, err := w.query(q+` ORDER BY c.given_at, c.granted_at, c.id`, args...)
	if err != nil {
		return nil, nil, internal("consents", err)
	}
	defer rows.Close()
	out := []records.Consent{}
	var sealed [][2][]byte
	for rows.Next() {
		c := records.Consent{ClientID: clientID}
		var purpose, channel, evidence string
		var granted, given int64
		var expires, withdrawn sql.NullInt64
		var rec, rea []byte
		if err := rows.Scan(&c.ID, &purpose, &channel, &rec, &rea, &evidence, &c.RecordedBy, &granted, &given, &expires, &withdrawn, &c.WithdrawnBy, &c.ToolID); err != nil {
			return nil, nil, internal("consents", err)
		}
		c.Purpose, c.Channel, c.Evidence = records.ConsentPurpose(purpose), records.Channel(channel), records.Evidence(evidence)
		c.GrantedAt, c.GivenAt, c.ExpiresAt, c.WithdrawnAt = fromMS(granted), fromMS(given), fromNullMS(expires), fromNullMS(withdrawn)
		out = append(out, c)
		sealed = append(sealed, [2][]byte{rec, rea})
	}
	return out, sealed, rows.Err()
}

// WithdrawConsent withdraws a consent at once: from this commit on, no request
// may rely on it. The withdrawal is a new row; the consent stays in the history.
// The client withdraws their own consents; a professional with access to the
// client records a withdrawal the client gave them.
// ENOTFOUND for an unknown consent; ECONFLICT when it was withdrawn already;
// EFORBIDDEN (with a denied record) when no rule allows it.
func (s *Store) WithdrawConsent(ctx context.Context, a records.Actor, consentID string) (*records.Consent, error) {
	var c *records.Consent
	err := s.gate(ctx, func(w *wtx, u *unsealing) error {
		var clientID string
		err := w.queryRow(`SELECT client_id FROM consents WHERE id = ?`, consentID).Scan(&clientID)
		if errors.Is(err, sql.ErrNoRows) {
			// Recorded as a denied attempt: ids cannot be probed without a trace.
			return w.deny(entry{actor: a, kind: "consent", ids: []string{consentID}, action: records.ActionCreate, purpose: purposeFor(a)},
				"no such consent for you")
		} else if err != nil {
			return internal("withdraw consent", err)
		}
		purpose := careOrOwnFile(a)
		if !recordsConsent(a) {
			return w.deny(entry{actor: a, clientID: clientID, kind: "consent", ids: []string{consentID}, action: records.ActionCreate, purpose: purpose},
				"only professionals and the client withdraw consent")
		}
		g, err := w.authorize(a, clientID, purpose, "consent", records.ActionCreate)
		if err != nil {
			return err
		}
		if err := w.noBreakGlass(g, "consent", []string{consentID}, records.ActionCreate); err != nil {
			return err
		}
		list, sealed, err := w.consents(clientID, consentID)
		if err != nil {
			return err
		}
		if len(list) != 1 {
			return notFound("consent")
		}
		if list[0].WithdrawnAt != nil {
			return conflict("this consent was withdrawn already")
		}
		now := fromMS(ms(w.now))
		if _, err := w.exec(`INSERT INTO consent_withdrawals (consent_id, withdrawn_by, withdrawn_at) VALUES (?,?,?)`,
			consentID, a.UserID, ms(now)); err != nil {
			return internal("withdraw consent", err)
		}
		list[0].WithdrawnAt, list[0].WithdrawnBy = &now, a.UserID
		if list[0].Purpose == records.ConsentContactChannel {
			if err := w.reflagContacts(clientID, list[0].Channel, ms(w.now)); err != nil {
				return err
			}
		}
		c = &list[0]
		if err := u.add(w, g, consentFields(list, sealed)...); err != nil {
			return err
		}
		return w.record(g.entry("consent_withdrawal", []string{consentID}, records.ActionCreate))
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// optMS stores an optional time as Unix milliseconds or NULL.
func optMS(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ms(*t)
}
