package sqlite

import (
	"context"
	"database/sql"

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
		if _, err := w.exec(`DELETE FROM temp.stat_clients`); err != nil {
			return internal("statistics", err)
		}
		if _, err := w.exec(`INSERT INTO temp.stat_clients SELECT DISTINCT c.client_id FROM consents c
			LEFT JOIN consent_withdrawals x ON x.consent_id = c.id
			JOIN client_keys k ON k.client_id = c.client_id
			WHERE c.purpose = 'statistics' AND `+validConsentAt("?1"), ms(w.now)); err != nil {
			return internal("statistics", err)
		}
		rows, err := w.query(`SELECT channel, strftime('%Y-%m', occurred_at / 1000, 'unixepoch'), COUNT(*), COUNT(DISTINCT client_id)
			FROM contacts WHERE client_id IN (SELECT id FROM temp.stat_clients) GROUP BY 1, 2 ORDER BY 2, 1`)
		if err != nil {
			return internal("statistics", err)
		}
		for rows.Next() {
			var c records.ChannelMonthCount
			var ch string
			if err := rows.Scan(&ch, &c.Month, &c.Contacts, &c.Clients); err != nil {
				rows.Close()
				return internal("statistics", err)
			}
			c.Channel = records.Channel(ch)
			out.ChannelMonths = append(out.ChannelMonths, c)
		}
		rows.Close()
		rows, err = w.query(`SELECT client_id, trajectory_id,
			SUM(CASE WHEN channel IN ('office','home_visit','outreach') THEN 0 ELSE 1 END),
			SUM(CASE WHEN channel IN ('office','home_visit','outreach') THEN 1 ELSE 0 END)
			FROM contacts WHERE client_id IN (SELECT id FROM temp.stat_clients) GROUP BY 1, 2`)
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
		ids, err := scanIDs(w.query(`SELECT id FROM temp.stat_clients ORDER BY id`))
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
