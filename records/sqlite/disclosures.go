package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/nabij/nabij/records"
)

const maxDisclosed = 200

// Disclose produces the package for one recipient, only under a consent of the
// client for that recipient and purpose that is valid now (not expired, not
// withdrawn — a withdrawal committed before this request counts). It keeps an
// accounting entry and writes the access record (action export, purpose
// disclosure) in the same transaction. Only shared notes, contacts and
// trajectories can be disclosed; personal and restricted notes never.
// EINVALID for bad input or records that are not the client's or cannot be
// disclosed; EFORBIDDEN wrapping ErrNoConsent (with a denied record) without
// consent; EFORBIDDEN (with a denied record) when no rule allows the actor.
func (s *Store) Disclose(ctx context.Context, a records.Actor, clientID string, in records.NewDisclosure) (*records.DisclosurePackage, error) {
	in.Recipient, in.Purpose = strings.TrimSpace(in.Recipient), strings.TrimSpace(in.Purpose)
	if in.Recipient == "" {
		return nil, invalid("recipient", "name the recipient")
	}
	if in.Purpose == "" {
		return nil, invalid("purpose", "state the purpose of the disclosure")
	}
	if err := records.CheckText("recipient", in.Recipient, 200); err != nil {
		return nil, err
	}
	if err := records.CheckText("purpose", in.Purpose, 500); err != nil {
		return nil, err
	}
	if len(in.RecordIDs) == 0 || len(in.RecordIDs) > maxDisclosed {
		return nil, invalid("record_ids", "list between 1 and %d record ids", maxDisclosed)
	}
	seen := map[string]bool{}
	for _, id := range in.RecordIDs {
		if id == "" || seen[id] || strings.Contains(id, ",") {
			return nil, invalid("record_ids", "record ids must be distinct ids")
		}
		seen[id] = true
	}
	p := &records.DisclosurePackage{Trajectories: []records.Trajectory{}, Contacts: []records.Contact{}, Notes: []records.Note{}}
	err := s.gate(ctx, func(w *wtx, u *unsealing) error {
		p.Trajectories, p.Contacts, p.Notes = p.Trajectories[:0], p.Contacts[:0], p.Notes[:0]
		if !isProfessional(a) {
			return w.deny(entry{actor: a, clientID: clientID, kind: "disclosure", ids: in.RecordIDs, action: records.ActionExport, purpose: records.PurposeDisclosure},
				"only professionals disclose records")
		}
		g, err := w.authorize(a, clientID, records.PurposeDisclosure, "disclosure", records.ActionExport)
		if err != nil {
			return err
		}
		if err := w.noBreakGlass(g, "disclosure", in.RecordIDs, records.ActionExport); err != nil {
			return err
		}
		sl, err := w.sealerFor(g)
		if err != nil {
			return err
		}
		// Which consent allows this, now?
		rows, err := w.query(`SELECT c.id, c.recipient_sealed, c.reason_sealed FROM consents c
			LEFT JOIN consent_withdrawals x ON x.consent_id = c.id
			WHERE c.client_id = ?1 AND c.purpose = 'disclosure' AND `+validConsentAt("?2")+` ORDER BY c.granted_at DESC`,
			clientID, ms(w.now))
		if err != nil {
			return internal("disclosure consent", err)
		}
		type cand struct {
			id       string
			rec, rea []byte
		}
		var cands []cand
		for rows.Next() {
			var c cand
			if err := rows.Scan(&c.id, &c.rec, &c.rea); err != nil {
				rows.Close()
				return internal("disclosure consent", err)
			}
			cands = append(cands, c)
		}
		rows.Close()
		consentID := ""
		want := []string{in.Recipient, in.Purpose}
		for _, c := range cands {
			ok, err := sealedMatches(sl, records.SameText, want,
				sealedField{table: "consents", column: "recipient", recordID: c.id, data: c.rec},
				sealedField{table: "consents", column: "reason", recordID: c.id, data: c.rea})
			if err != nil {
				return err
			}
			if ok {
				consentID = c.id
				break
			}
		}
		if consentID == "" {
			_ = w.deny(entry{actor: a, clientID: clientID, kind: "disclosure", ids: in.RecordIDs, action: records.ActionExport,
				purpose: records.PurposeDisclosure}, "")
			return &records.Error{Code: records.EFORBIDDEN, Field: "consent", Message: "the client has no valid consent for disclosure to this recipient for this purpose", Err: records.ErrNoConsent}
		}
		fields, err := w.readDisclosed(p, clientID, in.RecordIDs, nil)
		if err != nil {
			return err
		}
		d := records.Disclosure{ID: newID(), ClientID: clientID, ConsentID: consentID, Recipient: in.Recipient, Purpose: in.Purpose,
			RecordIDs: in.RecordIDs, DisclosedBy: a.UserID, DisclosedAt: fromMS(ms(w.now))}
		if _, err := w.exec(`INSERT INTO disclosures (id, client_id, consent_id, recipient_sealed, purpose_sealed, record_ids,
			disclosed_by, disclosed_at) VALUES (?,?,?,?,?,?,?,?)`, d.ID, clientID, consentID,
			sl.seal("disclosures", "recipient", d.ID, d.Recipient), sl.seal("disclosures", "purpose", d.ID, d.Purpose),
			strings.Join(d.RecordIDs, ","), d.DisclosedBy, ms(d.DisclosedAt)); err != nil {
			return internal("disclosure", err)
		}
		p.Disclosure = d
		if err := u.add(w, g, fields...); err != nil {
			return err
		}
		return w.record(g.entry("disclosure", in.RecordIDs, records.ActionExport))
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// readDisclosed reads the records to disclose: each id must be a trajectory,
// contact or shared note of the client.
func (w *wtx) readDisclosed(p *records.DisclosurePackage, clientID string, ids []string, fields []sealedField) ([]sealedField, error) {
	var goals, bodies [][]byte
	for _, id := range ids {
		var t records.Trajectory
		var goal []byte
		var opened int64
		var closed sql.NullInt64
		err := w.queryRow(`SELECT id, goal_sealed, COALESCE(lead_id, ''), opened_at, closed_at FROM trajectories WHERE id = ? AND client_id = ?`,
			id, clientID).Scan(&t.ID, &goal, &t.LeadID, &opened, &closed)
		if err == nil {
			t.ClientID, t.OpenedAt, t.ClosedAt = clientID, fromMS(opened), fromNullMS(closed)
			p.Trajectories = append(p.Trajectories, t)
			goals = append(goals, goal)
			continue
		} else if !errors.Is(err, sql.ErrNoRows) {
			return nil, internal("disclosure: trajectory", err)
		}
		var c records.Contact
		var occurred, created int64
		var ch string
		err = w.queryRow(`SELECT id, trajectory_id, channel, synchronous, occurred_at, duration_minutes, COALESCE(follow_up_of, ''),
			consent_missing, author_id, created_at FROM contacts WHERE id = ? AND client_id = ?`, id, clientID).
			Scan(&c.ID, &c.TrajectoryID, &ch, &c.Synchronous, &occurred, &c.DurationMinutes, &c.FollowUpOf, &c.ConsentMissing, &c.AuthorID, &created)
		if err == nil {
			c.ClientID, c.Channel, c.Mode, c.OccurredAt, c.CreatedAt = clientID, records.Channel(ch), records.Channel(ch).Mode(), fromMS(occurred), fromMS(created)
			p.Contacts = append(p.Contacts, c)
			continue
		} else if !errors.Is(err, sql.ErrNoRows) {
			return nil, internal("disclosure: contact", err)
		}
		var n records.Note
		var vis string
		var body []byte
		var vAt int64
		err = w.queryRow(`SELECT n.id, n.trajectory_id, COALESCE(n.contact_id, ''), n.author_id, n.created_at, v.version, v.visibility,
			v.body_sealed, v.author_id, v.created_at FROM notes n JOIN note_versions v ON v.note_id = n.id
			WHERE n.id = ? AND n.client_id = ? ORDER BY v.version DESC LIMIT 1`, id, clientID).
			Scan(&n.ID, &n.TrajectoryID, &n.ContactID, &n.AuthorID, &created, &n.Version, &vis, &body, &n.VersionAuthorID, &vAt)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, invalid("record_ids", "record %s is not a trajectory, contact or note of this client", id)
		} else if err != nil {
			return nil, internal("disclosure: note", err)
		}
		if records.Visibility(vis) != records.VisibilityShared {
			// Same answer as for an unknown id: whether a note one cannot see is
			// personal or restricted is not told.
			return nil, invalid("record_ids", "record %s is not a trajectory, contact or shared note of this client", id)
		}
		n.ClientID, n.CreatedAt, n.Visibility, n.VersionAt = clientID, fromMS(created), records.Visibility(vis), fromMS(vAt)
		p.Notes = append(p.Notes, n)
		bodies = append(bodies, body)
	}
	for i := range p.Trajectories {
		fields = append(fields, sealedField{"trajectories", "goal", p.Trajectories[i].ID, goals[i], &p.Trajectories[i].Goal})
	}
	for i := range p.Notes {
		n := &p.Notes[i]
		fields = append(fields, sealedField{"note_versions", "body", noteVersionID(n.ID, n.Version), bodies[i], &n.Body})
	}
	return fields, nil
}

// Disclosures returns the accounting of disclosures, newest first: the client
// reads their own, a professional those of a client they may reach, the data
// officer those of one client or (clientID "") of every client. Every client
// whose entries are returned gets an access record in the same transaction.
// EFORBIDDEN (with a denied record) otherwise.
func (s *Store) Disclosures(ctx context.Context, a records.Actor, clientID string) ([]records.Disclosure, error) {
	out := []records.Disclosure{}
	err := s.gate(ctx, func(w *wtx, u *unsealing) error {
		out = out[:0]
		var sealed [][2][]byte
		var own grant
		switch {
		case isDataOfficer(a):
			if clientID != "" && !w.clientExists(clientID) {
				return notFound("client")
			}
		case isClient(a) || isProfessional(a):
			g, err := w.authorize(a, clientID, careOrOwnFile(a), "disclosure", records.ActionRead)
			if err != nil {
				return err
			}
			own = g
		default:
			return w.deny(entry{actor: a, clientID: clientID, kind: "disclosure", action: records.ActionRead, purpose: purposeFor(a)},
				"your role does not read disclosures")
		}
		q := `SELECT id, client_id, consent_id, recipient_sealed, purpose_sealed, record_ids, disclosed_by, disclosed_at FROM disclosures`
		var args []any
		if clientID != "" {
			q += ` WHERE client_id = ?`
			args = append(args, clientID)
		}
		rows, err := w.query(q+` ORDER BY disclosed_at DESC, id`, args...)
		if err != nil {
			return internal("disclosures", err)
		}
		for rows.Next() {
			var d records.Disclosure
			var ids string
			var at int64
			var rec, pur []byte
			if err := rows.Scan(&d.ID, &d.ClientID, &d.ConsentID, &rec, &pur, &ids, &d.DisclosedBy, &at); err != nil {
				rows.Close()
				return internal("disclosures", err)
			}
			d.RecordIDs, d.DisclosedAt = splitIDs(ids), fromMS(at)
			out = append(out, d)
			sealed = append(sealed, [2][]byte{rec, pur})
		}
		rows.Close()
		if isDataOfficer(a) {
			officer, err := w.officer(a, "", "disclosure", records.ActionRead, records.PurposeAudit)
			if err != nil {
				return err
			}
			byClient := map[string][]string{}
			var order []string
			for _, d := range out {
				if _, ok := byClient[d.ClientID]; !ok {
					order = append(order, d.ClientID)
				}
				byClient[d.ClientID] = append(byClient[d.ClientID], d.ID)
			}
			if clientID != "" && len(order) == 0 {
				order = append(order, clientID)
			}
			for _, id := range order {
				if err := w.record(officer.forClient(id).entry("disclosure", byClient[id], records.ActionRead)); err != nil {
					return err
				}
			}
			for _, id := range order {
				// A shredded client's accounting stays, without names.
				if err := skipDestroyed(u.add(w, officer.forClient(id), disclosureFieldsOf(out, sealed, id)...)); err != nil {
					return err
				}
			}
			return nil
		}
		ids := make([]string, len(out))
		for i := range out {
			ids[i] = out[i].ID
		}
		if err := u.add(w, own, disclosureFields(out, sealed)...); err != nil {
			return err
		}
		return w.record(own.entry("disclosure", ids, records.ActionRead))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// disclosureFields are the sealed recipient and purpose of each disclosure,
// to open into out.
func disclosureFields(out []records.Disclosure, sealed [][2][]byte) []sealedField {
	fields := make([]sealedField, 0, 2*len(out))
	for i := range out {
		fields = append(fields, sealedField{"disclosures", "recipient", out[i].ID, sealed[i][0], &out[i].Recipient},
			sealedField{"disclosures", "purpose", out[i].ID, sealed[i][1], &out[i].Purpose})
	}
	return fields
}

// disclosureFieldsOf are disclosureFields of one client's entries.
func disclosureFieldsOf(out []records.Disclosure, sealed [][2][]byte, clientID string) []sealedField {
	var fields []sealedField
	for i := range out {
		if out[i].ClientID == clientID {
			fields = append(fields, sealedField{"disclosures", "recipient", out[i].ID, sealed[i][0], &out[i].Recipient},
				sealedField{"disclosures", "purpose", out[i].ID, sealed[i][1], &out[i].Purpose})
		}
	}
	return fields
}
