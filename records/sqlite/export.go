package sqlite

import (
	"context"

	"github.com/nabij/nabij/records"
)

// ClientExport returns the client's export and writes an export access record
// (with the ids of the notes whose content it returns) in the same transaction
// that reads the rows. Only the client, for their own file (and nabij itself).
// EFORBIDDEN (with a denied record) otherwise; EDESTROYED after crypto-shredding.
func (s *Store) ClientExport(ctx context.Context, a records.Actor, clientID string) (*records.Export, error) {
	var ex *records.Export
	var sl sealer
	var fields []sealedField
	var consSealed, discSealed [][2][]byte
	var reqSealed [][]byte
	err := s.write(ctx, func(w *wtx) error {
		if a.Role != records.RoleClient && !a.IsSystem() {
			return w.deny(entry{actor: a, clientID: clientID, kind: "export", action: records.ActionExport, purpose: records.PurposeExport},
				"only the client downloads their own data")
		}
		g, err := w.authorize(a, clientID, records.PurposeExport, "export", records.ActionExport)
		if err != nil {
			return err
		}
		ex = &records.Export{GeneratedAt: fromMS(ms(w.now)), Jurisdiction: w.s.opts.Jurisdiction,
			File: &records.File{Client: records.Client{ID: clientID}, Trajectories: []records.Trajectory{}, Contacts: []records.Contact{}, Notes: []records.Note{}, Entries: []records.Entry{}, Rule: g.rule}}
		if sl, err = w.sealerFor(clientID); err != nil {
			return err
		}
		if fields, err = w.readFile(ex.File, a, clientID, nil); err != nil {
			return err
		}
		if ex.Consents, consSealed, err = w.consents(clientID, ""); err != nil {
			return err
		}
		ex.Disclosures, discSealed = []records.Disclosure{}, nil
		rows, err := w.query(`SELECT id, consent_id, recipient_sealed, purpose_sealed, record_ids, disclosed_by, disclosed_at
			FROM disclosures WHERE client_id = ? ORDER BY disclosed_at, id`, clientID)
		if err != nil {
			return internal("export: disclosures", err)
		}
		for rows.Next() {
			d := records.Disclosure{ClientID: clientID}
			var ids string
			var at int64
			var rec, pur []byte
			if err := rows.Scan(&d.ID, &d.ConsentID, &rec, &pur, &ids, &d.DisclosedBy, &at); err != nil {
				rows.Close()
				return internal("export: disclosures", err)
			}
			d.RecordIDs, d.DisclosedAt = splitIDs(ids), fromMS(at)
			ex.Disclosures = append(ex.Disclosures, d)
			discSealed = append(discSealed, [2][]byte{rec, pur})
		}
		rows.Close()
		if ex.AccessLog, err = w.searchAccessLog(records.AccessFilter{ClientID: clientID, Limit: 1 << 30}); err != nil {
			return err
		}
		ex.ErasureRequests, reqSealed = []records.ErasureRequest{}, nil
		rows, err = w.query(`SELECT id, requested_by, requested_at, status, COALESCE(decided_by, ''), decided_at, decision_reason_sealed
			FROM erasure_requests WHERE client_id = ? ORDER BY requested_at, id`, clientID)
		if err != nil {
			return internal("export: erasure requests", err)
		}
		for rows.Next() {
			r := records.ErasureRequest{ClientID: clientID}
			var at int64
			var dec nullInt
			var reason []byte
			if err := rows.Scan(&r.ID, &r.RequestedBy, &at, &r.Status, &r.DecidedBy, &dec, &reason); err != nil {
				rows.Close()
				return internal("export: erasure requests", err)
			}
			r.RequestedAt, r.DecidedAt = fromMS(at), fromNullMS(dec)
			ex.ErasureRequests = append(ex.ErasureRequests, r)
			reqSealed = append(reqSealed, reason)
		}
		rows.Close()
		ids := make([]string, 0, len(ex.File.Notes))
		for _, n := range ex.File.Notes {
			ids = append(ids, n.ID)
		}
		return w.record(g.entry("export", ids, records.ActionExport))
	})
	if err != nil {
		return nil, err
	}
	for _, sf := range fields {
		v, err := sl.open(sf.table, sf.column, sf.recordID, sf.data)
		if err != nil {
			return nil, err // fail closed
		}
		*sf.dst = v
	}
	if err := openConsents(sl, ex.Consents, consSealed); err != nil {
		return nil, err
	}
	for i := range ex.Disclosures {
		if ex.Disclosures[i].Recipient, err = sl.open("disclosures", "recipient", ex.Disclosures[i].ID, discSealed[i][0]); err != nil {
			return nil, err
		}
		if ex.Disclosures[i].Purpose, err = sl.open("disclosures", "purpose", ex.Disclosures[i].ID, discSealed[i][1]); err != nil {
			return nil, err
		}
	}
	for i := range ex.ErasureRequests {
		if reqSealed[i] != nil {
			if ex.ErasureRequests[i].Reason, err = sl.open("erasure_requests", "decision_reason", ex.ErasureRequests[i].ID, reqSealed[i]); err != nil {
				return nil, err
			}
		}
	}
	return ex, nil
}
