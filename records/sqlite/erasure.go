package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/nabij/nabij/records"
)

// RequestErasure records the client's request to erase everything kept about
// them. Only the client, for their own file. ECONFLICT when one is pending.
func (s *Store) RequestErasure(ctx context.Context, a records.Actor, clientID string) (*records.ErasureRequest, error) {
	r := &records.ErasureRequest{ID: newID(), ClientID: clientID, RequestedBy: a.UserID, Status: records.ErasurePending}
	err := s.write(ctx, func(w *wtx) error {
		if !isClient(a) {
			return w.deny(entry{actor: a, clientID: clientID, kind: "erasure_request", action: records.ActionCreate, purpose: purposeFor(a)},
				"only the client asks to erase their own data")
		}
		g, err := w.authorize(a, clientID, records.PurposeOwnFile, "erasure_request", records.ActionCreate)
		if err != nil {
			return err
		}
		if _, err := w.dataKey(clientID); err != nil {
			return err // EDESTROYED: there is nothing left to erase
		}
		var pending bool
		if err := w.queryRow(`SELECT EXISTS(SELECT 1 FROM erasure_requests WHERE client_id = ? AND status = 'pending')`, clientID).Scan(&pending); err != nil {
			return internal("erasure request", err)
		}
		if pending {
			return conflict("you have asked already; the data officer is handling your request")
		}
		r.RequestedAt = fromMS(ms(w.now))
		if _, err := w.exec(`INSERT INTO erasure_requests (id, client_id, requested_by, requested_at) VALUES (?,?,?,?)`,
			r.ID, clientID, r.RequestedBy, ms(r.RequestedAt)); err != nil {
			return internal("erasure request", err)
		}
		return w.record(g.entry("erasure_request", []string{r.ID}, records.ActionCreate))
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// ErasureRequests lists erasure requests, newest first: the client their own
// (clientID = theirs), the data officer all (clientID "") or one client's.
// One access record per client listed. EFORBIDDEN (with a denied record) otherwise.
func (s *Store) ErasureRequests(ctx context.Context, a records.Actor, clientID string) ([]records.ErasureRequest, error) {
	out := []records.ErasureRequest{}
	err := s.gate(ctx, func(w *wtx, u *unsealing) error {
		out = out[:0]
		var sealed [][]byte
		var g grant
		switch {
		case isClient(a):
			own, err := w.authorize(a, clientID, records.PurposeOwnFile, "erasure_request", records.ActionRead)
			if err != nil {
				return err
			}
			g = own
		case isDataOfficer(a):
			officer, err := w.officer(a, clientID, "erasure_request", records.ActionRead, records.PurposeErasure)
			if err != nil {
				return err
			}
			g = officer
		default:
			return w.deny(entry{actor: a, clientID: clientID, kind: "erasure_request", action: records.ActionRead, purpose: purposeFor(a)},
				"your role does not read erasure requests")
		}
		q := `SELECT id, client_id, requested_by, requested_at, status, COALESCE(decided_by, ''), decided_at, decision_reason_sealed
			FROM erasure_requests`
		var args []any
		if clientID != "" {
			q += ` WHERE client_id = ?`
			args = append(args, clientID)
		}
		rows, err := w.query(q+` ORDER BY requested_at DESC, id DESC`, args...)
		if err != nil {
			return internal("erasure requests", err)
		}
		for rows.Next() {
			var r records.ErasureRequest
			var at int64
			var dec sql.NullInt64
			var reason []byte
			if err := rows.Scan(&r.ID, &r.ClientID, &r.RequestedBy, &at, &r.Status, &r.DecidedBy, &dec, &reason); err != nil {
				rows.Close()
				return internal("erasure requests", err)
			}
			r.RequestedAt, r.DecidedAt = fromMS(at), fromNullMS(dec)
			out = append(out, r)
			sealed = append(sealed, reason)
		}
		rows.Close()
		byClient := map[string][]string{}
		var order []string
		for _, r := range out {
			if _, ok := byClient[r.ClientID]; !ok {
				order = append(order, r.ClientID)
			}
			byClient[r.ClientID] = append(byClient[r.ClientID], r.ID)
		}
		fieldsOf := func(id string) []sealedField {
			var fields []sealedField
			for i := range out {
				if out[i].ClientID == id && sealed[i] != nil {
					fields = append(fields, sealedField{"erasure_requests", "decision_reason", out[i].ID, sealed[i], &out[i].Reason})
				}
			}
			return fields
		}
		if isClient(a) {
			// shredded: the outcome stays, without the reason
			if err := skipDestroyed(u.add(w, g, fieldsOf(clientID)...)); err != nil {
				return err
			}
			return w.record(g.entry("erasure_request", byClient[clientID], records.ActionRead))
		}
		for _, id := range order {
			cg := g.forClient(id)
			// shredded: listed without the reason
			if err := skipDestroyed(u.add(w, cg, fieldsOf(id)...)); err != nil {
				return err
			}
			if err := w.record(cg.entry("erasure_request", byClient[id], records.ActionRead)); err != nil {
				return err
			}
		}
		if len(order) == 0 {
			return w.record(entry{actor: a, clientID: clientID, kind: "erasure_request", action: records.ActionRead, purpose: records.PurposeErasure,
				rule: records.RuleAudit, outcome: records.OutcomeOK})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DecideErasure approves or refuses a pending erasure request. A refusal needs a
// reason (sealed; the client reads it). An approval erases the client's whole
// file by crypto-shredding in one transaction — rows deleted, the data key
// destroyed — writes destroy access records and a purge report (trigger
// erasure), and truncates the WAL. Only the data officer. ENOTFOUND for an
// unknown request; ECONFLICT when decided already or under a legal hold;
// EINVALID for a refusal without reason.
func (s *Store) DecideErasure(ctx context.Context, a records.Actor, id string, approve bool, reason string) (*records.ErasureRequest, *records.PurgeReport, error) {
	reason = strings.TrimSpace(reason)
	if !approve && len([]rune(reason)) < 5 {
		return nil, nil, invalid("reason", "give the reason for the refusal, e.g. a legal retention duty")
	}
	if err := records.CheckText("reason", reason, 500); err != nil {
		return nil, nil, err
	}
	r := &records.ErasureRequest{ID: id}
	rep := &records.PurgeReport{RunID: newID(), Trigger: "erasure", At: fromMS(ms(s.now())), Items: []records.PurgeItem{}}
	err := s.write(ctx, func(w *wtx) error {
		var at int64
		err := w.queryRow(`SELECT client_id, requested_by, requested_at, status FROM erasure_requests WHERE id = ?`, id).
			Scan(&r.ClientID, &r.RequestedBy, &at, &r.Status)
		if errors.Is(err, sql.ErrNoRows) {
			if _, err := w.officer(a, "", "erasure_request", records.ActionCorrect, records.PurposeErasure); err != nil {
				return err
			}
			return notFound("erasure request")
		} else if err != nil {
			return internal("erasure decision", err)
		}
		r.RequestedAt = fromMS(at)
		g, err := w.officer(a, r.ClientID, "erasure_request", records.ActionCorrect, records.PurposeErasure)
		if err != nil {
			return err
		}
		if r.Status != records.ErasurePending {
			return conflict("this request was %s already", r.Status)
		}
		now := fromMS(ms(w.now))
		r.DecidedBy, r.DecidedAt = a.UserID, &now
		if _, err := w.dataKey(r.ClientID); records.ErrorCode(err) == records.EDESTROYED {
			// Retention destroyed everything meanwhile: the request is fulfilled,
			// whichever way the data officer meant to decide.
			r.Status = records.ErasureApproved
			if _, err := w.exec(`UPDATE erasure_requests SET status = 'approved', decided_by = ?, decided_at = ? WHERE id = ?`,
				a.UserID, ms(now), id); err != nil {
				return internal("erasure decision", err)
			}
			return w.record(g.entry("erasure_request", []string{id}, records.ActionCorrect))
		}
		if !approve {
			sl, err := w.sealerFor(g)
			if err != nil {
				return err
			}
			r.Status, r.Reason = records.ErasureRefused, reason
			if _, err := w.exec(`UPDATE erasure_requests SET status = 'refused', decided_by = ?, decided_at = ?, decision_reason_sealed = ? WHERE id = ?`,
				a.UserID, ms(now), sl.seal("erasure_requests", "decision_reason", id, reason), id); err != nil {
				return internal("erasure decision", err)
			}
			return w.record(g.entry("erasure_request", []string{id}, records.ActionCorrect))
		}
		var held bool
		if err := w.queryRow(`SELECT EXISTS(SELECT 1 FROM legal_holds WHERE client_id = ? AND released_at IS NULL)`, r.ClientID).Scan(&held); err != nil {
			return internal("erasure decision", err)
		}
		if held {
			return conflict("a legal hold applies to this client: refuse the request with that reason, or release the hold first")
		}
		if _, err := w.dataKey(r.ClientID); err != nil {
			return err
		}
		r.Status = records.ErasureApproved
		if _, err := w.exec(`UPDATE erasure_requests SET status = 'approved', decided_by = ?, decided_at = ? WHERE id = ?`,
			a.UserID, ms(now), id); err != nil {
			return internal("erasure decision", err)
		}
		if err := w.record(g.entry("erasure_request", []string{id}, records.ActionCorrect)); err != nil {
			return err
		}
		rule := "approved erasure request " + id
		var items []records.PurgeItem
		for _, t := range []struct{ kind, q, table string }{
			{"note", `SELECT id FROM notes WHERE client_id = ?`, "notes"},
			{records.KindContact, `SELECT id FROM contacts WHERE client_id = ?`, "contacts"},
			{records.KindTrajectory, `SELECT id FROM trajectories WHERE client_id = ?`, "trajectories"},
			{records.KindEntry, `SELECT id FROM entries WHERE client_id = ?`, "entries"},
			{records.KindDisclosure, `SELECT id FROM disclosures WHERE client_id = ?`, "disclosures"},
		} {
			ids, err := scanIDs(w.query(t.q, r.ClientID))
			if err != nil {
				return internal("erasure", err)
			}
			if len(ids) == 0 {
				continue
			}
			items = append(items, records.PurgeItem{ClientID: r.ClientID, Kind: t.kind, Action: records.ActionDestroyRows, Count: len(ids), RecordIDs: ids, Rule: rule})
			if _, err := w.exec(`DELETE FROM `+t.table+` WHERE client_id = ?`, r.ClientID); err != nil {
				return internal("erasure", err)
			}
		}
		more, err := w.finalShredItems(r.ClientID, false, true)
		if err != nil {
			return err
		}
		for i := range more {
			more[i].Rule = rule
		}
		items = append(items, more...)
		rep.Items, rep.ClientsChecked, rep.KeysDestroyed = items, 1, 1
		return w.report(rep, items, records.PurposeErasure)
	})
	if err != nil {
		return nil, nil, err
	}
	if !approve {
		return r, nil, nil
	}
	rep.WALTruncated = s.truncateWAL(ctx) == nil
	return r, rep, nil
}
