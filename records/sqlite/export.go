package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/nabij/nabij/records"
)

// ClientExport returns the client's export and writes an export access record
// (with the ids of the notes whose content it returns) in the same transaction
// that reads the rows. Only the client, for their own file (and nabij itself).
// Its access log leaves out the addresses requests came from.
// EFORBIDDEN (with a denied record) otherwise; EDESTROYED after crypto-shredding.
func (s *Store) ClientExport(ctx context.Context, a records.Actor, clientID string) (*records.Export, error) {
	var ex *records.Export
	spec := readSpec{actor: a, clientID: clientID, purpose: records.PurposeExport, kind: "export", action: records.ActionExport,
		may: exportsOwnData, refusal: "only the client downloads their own data"}
	err := s.readClient(ctx, spec, func(w *wtx, g grant, u *unsealing) ([]string, error) {
		ex = &records.Export{GeneratedAt: fromMS(ms(w.now)), Jurisdiction: w.s.opts.Jurisdiction,
			File: &records.File{Client: records.Client{ID: clientID}, Trajectories: []records.Trajectory{}, Contacts: []records.Contact{}, Notes: []records.Note{}, Entries: []records.Entry{}, Rule: g.rule}}
		if err := u.add(w, g); err != nil {
			return nil, err // EDESTROYED before anything is read
		}
		fields, err := w.readFile(ex.File, a, clientID, nil, nil)
		if err != nil {
			return nil, err
		}
		var consSealed [][2][]byte
		if ex.Consents, consSealed, err = w.consents(clientID, ""); err != nil {
			return nil, err
		}
		fields = append(fields, consentFields(ex.Consents, consSealed)...)
		ex.Disclosures = []records.Disclosure{}
		var discSealed [][2][]byte
		rows, err := w.query(`SELECT id, consent_id, recipient_sealed, purpose_sealed, record_ids, disclosed_by, disclosed_at
			FROM disclosures WHERE client_id = ? ORDER BY disclosed_at, id`, clientID)
		if err != nil {
			return nil, internal("export: disclosures", err)
		}
		for rows.Next() {
			d := records.Disclosure{ClientID: clientID}
			var ids string
			var at int64
			var rec, pur []byte
			if err := rows.Scan(&d.ID, &d.ConsentID, &rec, &pur, &ids, &d.DisclosedBy, &at); err != nil {
				rows.Close()
				return nil, internal("export: disclosures", err)
			}
			d.RecordIDs, d.DisclosedAt = splitIDs(ids), fromMS(at)
			ex.Disclosures = append(ex.Disclosures, d)
			discSealed = append(discSealed, [2][]byte{rec, pur})
		}
		rows.Close()
		fields = append(fields, disclosureFields(ex.Disclosures, discSealed)...)
		if ex.AccessLog, err = w.searchAccessLog(records.AccessFilter{ClientID: clientID, Limit: 1 << 30}, true); err != nil {
			return nil, err
		}
		for i := range ex.AccessLog {
			ex.AccessLog[i].Remote = "" // where staff worked from is not the client's to take
		}
		ex.ErasureRequests = []records.ErasureRequest{}
		var reqSealed [][]byte
		rows, err = w.query(`SELECT id, requested_by, requested_at, status, COALESCE(decided_by, ''), decided_at, decision_reason_sealed
			FROM erasure_requests WHERE client_id = ? ORDER BY requested_at, id`, clientID)
		if err != nil {
			return nil, internal("export: erasure requests", err)
		}
		for rows.Next() {
			r := records.ErasureRequest{ClientID: clientID}
			var at int64
			var dec nullInt
			var reason []byte
			if err := rows.Scan(&r.ID, &r.RequestedBy, &at, &r.Status, &r.DecidedBy, &dec, &reason); err != nil {
				rows.Close()
				return nil, internal("export: erasure requests", err)
			}
			r.RequestedAt, r.DecidedAt = fromMS(at), fromNullMS(dec)
			ex.ErasureRequests = append(ex.ErasureRequests, r)
			reqSealed = append(reqSealed, reason)
		}
		rows.Close()
		for i := range ex.ErasureRequests {
			r := &ex.ErasureRequests[i]
			fields = append(fields, sealedField{"erasure_requests", "decision_reason", r.ID, reqSealed[i], &r.Reason})
		}
		// The plan and network are read as every read of them is: each with
		// its own access record (the export's purpose and rule), before the
		// export's own record.
		ex.Plan = &records.Plan{ClientID: clientID}
		planIDs, err := w.readPlan(g, u, ex.Plan)
		if err != nil {
			return nil, err
		}
		if err := w.record(g.entry(records.KindPlan, planIDs, records.ActionRead)); err != nil {
			return nil, err
		}
		var memberIDs []string
		if ex.Network, memberIDs, err = w.readNetwork(g, u); err != nil {
			return nil, err
		}
		if err := w.record(g.entry(records.KindNetwork, memberIDs, records.ActionRead)); err != nil {
			return nil, err
		}
		if ex.Reads, err = w.readsByPerson(clientID, false); err != nil {
			return nil, err
		}
		if ex.Names, err = w.staffNames(ex); err != nil {
			return nil, err
		}
		ids := make([]string, 0, len(ex.File.Notes))
		for _, n := range ex.File.Notes {
			ids = append(ids, n.ID)
		}
		return ids, u.add(w, g, fields...)
	})
	if err != nil {
		return nil, err // fail closed
	}
	finishPlan(ex.Plan)
	return ex, nil
}

// staffNames are the names of the people the export names by id (leads,
// authors, who recorded a consent or shared, who read), so the readable
// export can show names. Staff names are not sealed; a client account is
// named only when it is the client's own.
func (w *wtx) staffNames(ex *records.Export) (map[string]string, error) {
	ids := map[string]bool{}
	for _, t := range ex.File.Trajectories {
		ids[t.LeadID] = true
	}
	for _, c := range ex.File.Contacts {
		ids[c.AuthorID] = true
	}
	for _, n := range ex.File.Notes {
		ids[n.AuthorID], ids[n.VersionAuthorID] = true, true
		for _, v := range n.History {
			ids[v.VersionAuthorID] = true
		}
	}
	for _, c := range ex.Consents {
		ids[c.RecordedBy] = true
	}
	for _, d := range ex.Disclosures {
		ids[d.DisclosedBy] = true
	}
	for _, v := range ex.AccessLog {
		ids[v.ActorID] = true
	}
	names := map[string]string{}
	for id := range ids {
		if id == "" {
			continue
		}
		var name string
		err := w.queryRow(`SELECT COALESCE(NULLIF(display_name, ''), username) FROM users WHERE id = ? AND (role <> 'client' OR client_id = ?)`,
			id, ex.File.Client.ID).Scan(&name)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return nil, internal("export: names", err)
		default:
			names[id] = name
		}
	}
	return names, nil
}
