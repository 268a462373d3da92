package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strings"

	"github.com/nabij/nabij/records"
)

// QuickLog logs one contact with its note in one transaction: for a client the
// professional may reach, or a new client known by first name or nickname (who
// goes on the professional's caseload). Without an open trajectory (or for a
// new client) it opens one with goal FirstContactGoal, so that every contact
// still belongs to a trajectory. Each part writes the access record its own
// write writes; if any part fails, nothing is kept.
// EINVALID for bad input; EFORBIDDEN (with a denied record) when no rule allows it.
func (s *Store) QuickLog(ctx context.Context, a records.Actor, in records.QuickLog) (*records.QuickLogResult, error) {
	if err := in.Validate(s.now()); err != nil {
		return nil, err
	}
	res := &records.QuickLogResult{}
	err := s.write(ctx, func(w *wtx) error {
		*res = records.QuickLogResult{ClientID: in.ClientID, TrajectoryID: in.TrajectoryID}
		var g grant
		var err error
		if in.NewClientName != "" {
			c := &records.Client{ID: newID(), Name: in.NewClientName}
			if g, err = w.creator(a, c.ID); err != nil {
				return err
			}
			if err := w.createClient(g, c); err != nil {
				return err
			}
			res.ClientID, res.ClientCreated = c.ID, true
		} else {
			if !doesCare(a) {
				return w.deny(entry{actor: a, clientID: in.ClientID, kind: "contact", action: records.ActionCreate, purpose: records.PurposeCare},
					"only professionals log contacts")
			}
			if g, err = w.authorize(a, in.ClientID, records.PurposeCare, "contact", records.ActionCreate); err != nil {
				return err
			}
		}
		if res.TrajectoryID == "" {
			if res.TrajectoryID, err = w.openTrajectory(res.ClientID); err != nil {
				return err
			}
		}
		if res.TrajectoryID == "" {
			t := &records.Trajectory{ID: newID(), ClientID: res.ClientID, Goal: records.FirstContactGoal, OpenedAt: fromMS(ms(w.now))}
			if isProfessional(a) {
				t.LeadID = a.UserID
			}
			if err := w.createTrajectory(g, t); err != nil {
				return err
			}
			res.TrajectoryID, res.TrajectoryCreated = t.ID, true
		}
		k := &records.Contact{ID: newID(), ClientID: res.ClientID, TrajectoryID: res.TrajectoryID, Channel: in.Channel,
			Mode: in.Channel.Mode(), Synchronous: records.SynchronousByDefault(in.Channel), OccurredAt: fromMS(ms(in.OccurredAt)),
			DurationMinutes: in.DurationMinutes, FollowUpOf: in.FollowUpOf, AuthorID: a.UserID}
		if err := w.createContact(g, k); err != nil {
			return err
		}
		res.Contact = k
		if in.Body == "" {
			return nil
		}
		n := &records.Note{ID: newID(), ClientID: res.ClientID, ContactID: k.ID, AuthorID: a.UserID,
			NoteVersion: records.NoteVersion{Version: 1, Visibility: in.Visibility, Body: in.Body,
				RestrictedReason: in.RestrictedReason, VersionAuthorID: a.UserID}}
		if err := w.createNote(g, n); err != nil {
			return err
		}
		res.Note = n
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// openTrajectory is the client's most recently opened trajectory that is still
// open, or "" when there is none.
func (w *wtx) openTrajectory(clientID string) (string, error) {
	var id string
	err := w.queryRow(`SELECT id FROM trajectories WHERE client_id = ? AND closed_at IS NULL
		ORDER BY opened_at DESC, id DESC LIMIT 1`, clientID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	} else if err != nil {
		return "", internal("open trajectory", err)
	}
	return id, nil
}

// LogAnonymousContact logs an outreach contact with nobody identified. Only
// professionals. There is no client, so no key and no grant: the access record
// names nobody and carries rule anonymous.
// EINVALID for bad input; EFORBIDDEN (with a denied record) for anyone else.
func (s *Store) LogAnonymousContact(ctx context.Context, a records.Actor, in records.NewAnonymousContact) (*records.AnonymousContact, error) {
	if err := in.Validate(s.now()); err != nil {
		return nil, err
	}
	k := &records.AnonymousContact{ID: newID(), Channel: in.Channel, Place: in.Place, Topics: in.Topics,
		OccurredAt: fromMS(ms(in.OccurredAt)), DurationMinutes: in.DurationMinutes, AuthorID: a.UserID}
	if k.Topics == nil {
		k.Topics = []records.Topic{}
	}
	err := s.write(ctx, func(w *wtx) error {
		e := entry{actor: a, kind: "anonymous_contact", action: records.ActionCreate, purpose: records.PurposeCare}
		if !isProfessional(a) {
			return w.deny(e, "only professionals log contacts")
		}
		k.CreatedAt = fromMS(ms(w.now))
		topics := make([]string, len(k.Topics))
		for i, t := range k.Topics {
			topics[i] = string(t)
		}
		if _, err := w.exec(`INSERT INTO anonymous_outreach (id, channel, place, topics, occurred_at, duration_minutes, author_id, created_at)
			VALUES (?,?,?,?,?,?,?,?)`, k.ID, string(k.Channel), k.Place, strings.Join(topics, ","), ms(k.OccurredAt),
			k.DurationMinutes, k.AuthorID, ms(w.now)); err != nil {
			return internal("anonymous contact", err)
		}
		e.ids, e.rule, e.outcome = []string{k.ID}, records.RuleAnonymous, records.OutcomeOK
		return w.record(e)
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

// anonymousCounts counts anonymous contacts per channel and month, for the
// statistics.
func (w *wtx) anonymousCounts() ([]records.AnonymousCount, error) {
	// Months are counted here, not in SQL, so that one query text runs on
	// both engines.
	rows, err := w.query(`SELECT channel, occurred_at, duration_minutes FROM anonymous_outreach`)
	if err != nil {
		return nil, internal("anonymous contacts", err)
	}
	defer rows.Close()
	type bucket struct{ ch, month string }
	counts := map[bucket]*records.AnonymousCount{}
	for rows.Next() {
		var ch string
		var at int64
		var minutes int
		if err := rows.Scan(&ch, &at, &minutes); err != nil {
			return nil, internal("anonymous contacts", err)
		}
		b := bucket{ch, monthOf(at)}
		c := counts[b]
		if c == nil {
			c = &records.AnonymousCount{Channel: records.Channel(ch), Month: b.month}
			counts[b] = c
		}
		c.Contacts++
		c.Minutes += minutes
	}
	if err := rows.Err(); err != nil {
		return nil, internal("anonymous contacts", err)
	}
	out := make([]records.AnonymousCount, 0, len(counts))
	for _, c := range counts {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Month != out[j].Month {
			return out[i].Month < out[j].Month
		}
		return out[i].Channel < out[j].Channel
	})
	return out, nil
}

// ResolveConsentFlag resolves the consent flag of a contact with a reason,
// sealed with the client's key, and records it (kind consent_flag) in the same
// transaction, so the client and the data officer see it.
// EINVALID for a bad reason or a contact without a flag; ECONFLICT when resolved
// already; EFORBIDDEN (with a denied record) for an unknown contact or when no
// rule allows it.
func (s *Store) ResolveConsentFlag(ctx context.Context, a records.Actor, contactID, reason string) (*records.Contact, error) {
	if err := records.CheckFlagReason(&reason); err != nil {
		return nil, err
	}
	var k *records.Contact
	err := s.write(ctx, func(w *wtx) error {
		var clientID string
		var flagged bool
		err := w.queryRow(`SELECT client_id, consent_missing FROM contacts WHERE id = ?`, contactID).Scan(&clientID, &flagged)
		if errors.Is(err, sql.ErrNoRows) {
			// Recorded as a denied attempt: ids cannot be probed without a trace.
			return w.deny(entry{actor: a, kind: "consent_flag", ids: []string{contactID}, action: records.ActionCreate, purpose: purposeFor(a)},
				"no such contact for you")
		} else if err != nil {
			return internal("resolve flag", err)
		}
		if !doesCare(a) {
			return w.deny(entry{actor: a, clientID: clientID, kind: "consent_flag", ids: []string{contactID}, action: records.ActionCreate, purpose: purposeFor(a)},
				"only professionals resolve consent flags")
		}
		g, err := w.authorize(a, clientID, records.PurposeCare, "consent_flag", records.ActionCreate)
		if err != nil {
			return err
		}
		if err := w.noBreakGlass(g, "consent_flag", []string{contactID}, records.ActionCreate); err != nil {
			return err
		}
		if !flagged {
			return invalid("contact", "this contact has no consent flag")
		}
		var done bool
		if err := w.queryRow(`SELECT EXISTS(SELECT 1 FROM consent_flag_resolutions WHERE contact_id = ?)`, contactID).Scan(&done); err != nil {
			return internal("resolve flag", err)
		}
		if done {
			return conflict("this consent flag was resolved already")
		}
		sl, err := w.sealerFor(g)
		if err != nil {
			return err
		}
		now := fromMS(ms(w.now))
		if _, err := w.exec(`INSERT INTO consent_flag_resolutions (contact_id, client_id, reason_sealed, resolved_by, resolved_at)
			VALUES (?,?,?,?,?)`, contactID, clientID, sl.seal("consent_flag_resolutions", "reason", contactID, reason), a.UserID, ms(now)); err != nil {
			return internal("resolve flag", err)
		}
		k = &records.Contact{ID: contactID, ClientID: clientID, ConsentMissing: true,
			FlagResolution: &records.FlagResolution{Reason: reason, ResolvedBy: a.UserID, ResolvedAt: now}}
		return w.record(g.entry("consent_flag", []string{contactID}, records.ActionCreate))
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

// flagResolutions reads the client's resolved consent flags, keyed by contact,
// with their sealed reasons, for readFile to open.
func (w *wtx) flagResolutions(clientID string) (map[string]*records.FlagResolution, map[string][]byte, error) {
	rows, err := w.query(`SELECT contact_id, reason_sealed, resolved_by, resolved_at FROM consent_flag_resolutions WHERE client_id = ?`, clientID)
	if err != nil {
		return nil, nil, internal("flag resolutions", err)
	}
	defer rows.Close()
	out, sealed := map[string]*records.FlagResolution{}, map[string][]byte{}
	for rows.Next() {
		var id string
		var reason []byte
		var at int64
		r := &records.FlagResolution{}
		if err := rows.Scan(&id, &reason, &r.ResolvedBy, &at); err != nil {
			return nil, nil, internal("flag resolutions", err)
		}
		r.ResolvedAt = fromMS(at)
		out[id], sealed[id] = r, reason
	}
	return out, sealed, rows.Err()
}
