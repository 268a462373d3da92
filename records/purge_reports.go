package records

import (
	"context"
	"time"
)

// PurgeReports returns the stored purge reports (retention runs and erasures),
// newest first, since a time. They hold kinds, counts, ids, rules and times,
// never content. Only the data officer; the look is recorded.
func (s *Store) PurgeReports(ctx context.Context, a Actor, since time.Time) ([]PurgeReport, error) {
	var out []PurgeReport
	err := s.write(ctx, func(w *wtx) error {
		out = out[:0]
		g, err := w.officer(a, "", "purge_report", ActionRead, PurposeAudit)
		if err != nil {
			return err
		}
		rows, err := w.query(`SELECT run_id, trigger, client_id, kind, action, count, record_ids, rule, at FROM purge_reports
			WHERE at >= ? ORDER BY at DESC, run_id, client_id, rowid LIMIT 10000`, ms(since))
		if err != nil {
			return internal("purge reports", err)
		}
		idx := map[string]int{}
		for rows.Next() {
			var it PurgeItem
			var run, trig, ids string
			var at int64
			if err := rows.Scan(&run, &trig, &it.ClientID, &it.Kind, &it.Action, &it.Count, &ids, &it.Rule, &at); err != nil {
				rows.Close()
				return internal("purge reports", err)
			}
			it.RecordIDs = splitIDs(ids)
			if it.RecordIDs == nil {
				it.RecordIDs = []string{}
			}
			i, ok := idx[run]
			if !ok {
				i = len(out)
				idx[run] = i
				out = append(out, PurgeReport{RunID: run, Trigger: trig, At: fromMS(at), Items: []PurgeItem{}})
			}
			out[i].Items = append(out[i].Items, it)
			if it.Kind == "client_key" {
				out[i].KeysDestroyed++
			}
		}
		rows.Close()
		return w.record(g.entry("purge_report", nil, ActionRead))
	})
	if out == nil {
		out = []PurgeReport{}
	}
	return out, err
}
