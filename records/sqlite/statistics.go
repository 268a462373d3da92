package sqlite

import (
	"context"
	"database/sql"
	"sort"

	"github.com/nabij/nabij/records"
)

type nullInt = sql.NullInt64

// StatisticsData counts contacts per channel and month, and each trajectory's
// online/face-to-face mix, over the clients whose statistics consent is valid
// now. Each counted client gets an access record (rule consent, purpose
// statistics) in the same transaction. Only the data officer.
// EFORBIDDEN (with a denied record) for anyone but the data officer; EINTERNAL
// when a record cannot be written (no data then).
func (s *Store) StatisticsData(ctx context.Context, a records.Actor) (*records.StatisticsData, error) {
	var out *records.StatisticsData
	err := s.write(ctx, func(w *wtx) error {
		officer, err := w.officer(a, "", "statistics", records.ActionRead, records.PurposeStatistics)
		if err != nil {
			return err
		}
		out = &records.StatisticsData{At: fromMS(ms(w.now)), ChannelMonths: []records.ChannelMonthCount{}, Trajectories: []records.TrajectoryMix{}}
		if _, err := w.exec(`CREATE TEMP TABLE IF NOT EXISTS stat_clients (id TEXT PRIMARY KEY)`); err != nil {
			return internal("statistics", err)
		}
		if _, err := w.exec(`DELETE FROM stat_clients`); err != nil {
			return internal("statistics", err)
		}
		if _, err := w.exec(`INSERT INTO stat_clients SELECT DISTINCT c.client_id FROM consents c
			LEFT JOIN consent_withdrawals x ON x.consent_id = c.id
			JOIN client_keys k ON k.client_id = c.client_id
			WHERE c.purpose = 'statistics' AND `+validConsentAt("?1"), ms(w.now)); err != nil {
			return internal("statistics", err)
		}
		// Months are counted here, not in SQL: the engines name months
		// differently, and the query stays one text for both.
		rows, err := w.query(`SELECT channel, occurred_at, client_id
			FROM contacts WHERE client_id IN (SELECT id FROM stat_clients)`)
		if err != nil {
			return internal("statistics", err)
		}
		type bucket struct {
			ch    string
			month string
		}
		counts := map[bucket]*records.ChannelMonthCount{}
		clients := map[bucket]map[string]bool{}
		for rows.Next() {
			var ch, clientID string
			var at int64
			if err := rows.Scan(&ch, &at, &clientID); err != nil {
				rows.Close()
				return internal("statistics", err)
			}
			b := bucket{ch, monthOf(at)}
			c := counts[b]
			if c == nil {
				c = &records.ChannelMonthCount{Channel: records.Channel(ch), Month: b.month}
				counts[b], clients[b] = c, map[string]bool{}
			}
			c.Contacts++
			if !clients[b][clientID] {
				clients[b][clientID] = true
				c.Clients++
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return internal("statistics", err)
		}
		for _, c := range counts {
			out.ChannelMonths = append(out.ChannelMonths, *c)
		}
		sort.Slice(out.ChannelMonths, func(i, j int) bool {
			a, b := out.ChannelMonths[i], out.ChannelMonths[j]
			if a.Month != b.Month {
				return a.Month < b.Month
			}
			return a.Channel < b.Channel
		})
		rows, err = w.query(`SELECT client_id, trajectory_id,
			CAST(SUM(CASE WHEN channel IN ('office','home_visit','outreach') THEN 0 ELSE 1 END) AS BIGINT),
			CAST(SUM(CASE WHEN channel IN ('office','home_visit','outreach') THEN 1 ELSE 0 END) AS BIGINT)
			FROM contacts WHERE client_id IN (SELECT id FROM stat_clients) GROUP BY 1, 2`)
		if err != nil {
			return internal("statistics", err)
		}
		for rows.Next() {
			var m records.TrajectoryMix
			if err := rows.Scan(&m.ClientID, &m.TrajectoryID, &m.Online, &m.FaceToFace); err != nil {
				rows.Close()
				return internal("statistics", err)
			}
			out.Trajectories = append(out.Trajectories, m)
		}
		rows.Close()
		if out.Anonymous, err = w.anonymousCounts(); err != nil {
			return err
		}
		ids, err := scanIDs(w.query(`SELECT id FROM stat_clients ORDER BY id`))
		if err != nil {
			return internal("statistics", err)
		}
		out.ConsentingClients = len(ids)
		for _, id := range ids {
			if err := w.record(officer.byConsent(id).entry("statistics", nil, records.ActionRead)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
