package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nabij/nabij/records"
)

// Anomalies lists, since a time and newest first: uses of break the glass, denied
// attempts, bulk reads (one actor opening more than BulkReadThreshold files in
// an hour), online contacts logged without consent, and caseloads given to an
// account younger than NewAccountAge that then read the file. The look is recorded
// (purpose audit). EFORBIDDEN for anyone but the data officer.
func (s *Store) Anomalies(ctx context.Context, a records.Actor, since time.Time) ([]records.Anomaly, error) {
	if !isDataOfficer(a) {
		return nil, forbidden("only the data officer reads anomalies")
	}
	out := []records.Anomaly{}
	var grants map[string]breakGlassReasons
	var flagReasons map[string]*string // resolved consent flags' reasons, by contact
	err := s.gate(ctx, func(w *wtx, u *unsealing) error {
		out = out[:0]
		grants = map[string]breakGlassReasons{}
		flagReasons = map[string]*string{}
		flagSealed := map[string]map[string][]byte{} // client → contact → sealed reason
		t := ms(since)
		rows, err := w.query(`SELECT CASE WHEN l.outcome = 'denied' THEN 'denied' ELSE 'break_glass' END,
			l.at, l.actor_id, COALESCE(u.username, ''), l.actor_role, l.client_id, l.record_ids, l.seq, l.action || ' ' || l.record_kind
			FROM access_log l LEFT JOIN users u ON u.id = l.actor_id
			WHERE l.at >= ? AND (l.outcome = 'denied' OR (l.record_kind = 'break_glass' AND l.action = 'create'))
			ORDER BY l.seq DESC LIMIT 1000`, t)
		if err != nil {
			return internal("anomalies", err)
		}
		for rows.Next() {
			var an records.Anomaly
			var at int64
			var role, ids string
			if err := rows.Scan(&an.Kind, &at, &an.ActorID, &an.ActorUsername, &role, &an.ClientID, &ids, &an.Seq, &an.Detail); err != nil {
				rows.Close()
				return internal("anomalies", err)
			}
			an.At, an.ActorRole = fromMS(at), records.Role(role)
			if ids != "" {
				an.RecordIDs = splitIDs(ids)
			}
			an.Key = an.Kind + ":" + strconv.FormatInt(an.Seq, 10)
			out = append(out, an)
		}
		rows.Close()
		rows, err = w.query(`SELECT l.actor_id, COALESCE(u.username, ''), l.actor_role, MIN(l.at), COUNT(DISTINCT l.client_id)
			FROM access_log l LEFT JOIN users u ON u.id = l.actor_id
			WHERE l.at >= ? AND l.record_kind = 'file' AND l.action = 'read' AND l.outcome = 'ok'
			GROUP BY l.actor_id, u.username, l.actor_role, l.at / 3600000 HAVING COUNT(DISTINCT l.client_id) > ?
			ORDER BY MIN(l.at) DESC LIMIT 1000`, t, records.BulkReadThreshold)
		if err != nil {
			return internal("anomalies", err)
		}
		for rows.Next() {
			an := records.Anomaly{Kind: "bulk_read", Detail: "many files read within one hour"}
			var at int64
			var role string
			if err := rows.Scan(&an.ActorID, &an.ActorUsername, &role, &at, &an.Count); err != nil {
				rows.Close()
				return internal("anomalies", err)
			}
			an.At, an.ActorRole = fromMS(at), records.Role(role)
			an.Key = "bulk_read:" + an.ActorID + ":" + strconv.FormatInt(at/3600000, 10)
			out = append(out, an)
		}
		rows.Close()
		rows, err = w.query(`SELECT k.id, k.client_id, k.channel, k.occurred_at, k.author_id, COALESCE(u.username, '')
			FROM contacts k LEFT JOIN users u ON u.id = k.author_id
			WHERE k.consent_missing = 1 AND k.created_at >= ?
			  AND NOT EXISTS(SELECT 1 FROM consent_flag_resolutions r WHERE r.contact_id = k.id)
			ORDER BY k.occurred_at DESC LIMIT 1000`, t)
		if err != nil {
			return internal("anomalies", err)
		}
		for rows.Next() {
			an := records.Anomaly{Kind: "consent_missing", ActorRole: records.RoleProfessional}
			var id, ch string
			var at int64
			if err := rows.Scan(&id, &an.ClientID, &ch, &at, &an.ActorID, &an.ActorUsername); err != nil {
				rows.Close()
				return internal("anomalies", err)
			}
			an.At, an.RecordIDs, an.Detail = fromMS(at), []string{id}, "online contact by "+ch+" without consent for that channel"
			an.Key = "consent_missing:" + id
			out = append(out, an)
		}
		rows.Close()
		// Resolved consent flags: not open any more, but the data officer sees who
		// resolved which contact's flag, when and why (opening the reason is
		// recorded on the client, below).
		rows, err = w.query(`SELECT r.contact_id, r.client_id, r.resolved_at, r.resolved_by, COALESCE(u.username, ''), r.reason_sealed
			FROM consent_flag_resolutions r LEFT JOIN users u ON u.id = r.resolved_by
			WHERE r.resolved_at >= ? ORDER BY r.resolved_at DESC LIMIT 1000`, t)
		if err != nil {
			return internal("anomalies", err)
		}
		for rows.Next() {
			an := records.Anomaly{Kind: "consent_flag_resolved", ActorRole: records.RoleProfessional}
			var id string
			var at int64
			var reason []byte
			if err := rows.Scan(&id, &an.ClientID, &at, &an.ActorID, &an.ActorUsername, &reason); err != nil {
				rows.Close()
				return internal("anomalies", err)
			}
			an.At, an.RecordIDs, an.Detail = fromMS(at), []string{id}, "consent flag resolved with a reason"
			an.Key = "consent_flag_resolved:" + id
			if flagSealed[an.ClientID] == nil {
				flagSealed[an.ClientID] = map[string][]byte{}
			}
			flagSealed[an.ClientID][id] = reason
			out = append(out, an)
		}
		rows.Close()
		// A caseload given to an account younger than NewAccountAge that then
		// read the file: the way an admin would use a stand-in account. One
		// anomaly per assignment, at the first read, naming the new account.
		rows, err = w.query(`SELECT u.id, u.username, u.role, l.client_id, substr(l.record_ids, 1, instr(l.record_ids, ',') - 1),
			l.seq, MIN(r.at), l.at - u.created_at
			FROM access_log l
			JOIN users u ON u.id = substr(l.record_ids, instr(l.record_ids, ',') + 1)
			JOIN access_log r ON r.actor_id = u.id AND r.client_id = l.client_id AND r.seq > l.seq
			     AND r.record_kind = 'file' AND r.action = 'read' AND r.outcome = 'ok'
			WHERE l.record_kind = 'caseload' AND l.action = 'grant' AND l.outcome = 'ok' AND l.at >= ?
			  AND instr(l.record_ids, ',') > 0 AND l.at - u.created_at < ?
			GROUP BY l.seq, u.id, u.username, u.role, u.created_at ORDER BY l.seq DESC LIMIT 1000`, t, records.NewAccountAge.Milliseconds())
		if err != nil {
			return internal("anomalies", err)
		}
		for rows.Next() {
			an := records.Anomaly{Kind: "new_account_access"}
			var role, assignment string
			var at, age int64
			if err := rows.Scan(&an.ActorID, &an.ActorUsername, &role, &an.ClientID, &assignment, &an.Seq, &at, &age); err != nil {
				rows.Close()
				return internal("anomalies", err)
			}
			an.At, an.ActorRole, an.RecordIDs = fromMS(at), records.Role(role), []string{assignment}
			an.Key = "new_account_access:" + strconv.FormatInt(an.Seq, 10)
			an.Detail = "caseload given to an account " + itoa(int(age/86400000)) + " days old, which then read the file"
			out = append(out, an)
		}
		rows.Close()
		// The reasons of break-the-glass grants, per client: the data officer reads
		// them to judge the emergency, and that read is recorded on the client.
		byClient := map[string][]records.AccessView{}
		for _, an := range out {
			if an.Kind == "break_glass" && len(an.RecordIDs) == 1 {
				byClient[an.ClientID] = append(byClient[an.ClientID], records.AccessView{AccessRecord: records.AccessRecord{GrantID: an.RecordIDs[0]}})
			}
		}
		officer, err := w.officer(a, "", "anomalies", records.ActionRead, records.PurposeAudit)
		if err != nil {
			return err
		}
		for clientID, views := range byClient {
			g := officer.forClient(clientID)
			r, err := w.grantReasons(g, u, views)
			if err != nil {
				return err
			}
			if !r.keyed {
				continue
			}
			grants[clientID] = r
			ids := make([]string, 0, len(views))
			for _, v := range views {
				ids = append(ids, v.GrantID)
			}
			if err := w.record(g.entry("break_glass", ids, records.ActionRead)); err != nil {
				return err
			}
		}
		clients := make([]string, 0, len(flagSealed))
		for clientID := range flagSealed {
			clients = append(clients, clientID)
		}
		slices.Sort(clients)
		for _, clientID := range clients {
			g := officer.forClient(clientID)
			if err := u.add(w, g); err != nil {
				if records.ErrorCode(err) == records.EDESTROYED {
					continue // the reasons went with the client's key
				}
				return err
			}
			var fields []sealedField
			var ids []string
			for id, sealed := range flagSealed[clientID] {
				dst := new(string)
				flagReasons[id] = dst
				fields = append(fields, sealedField{"consent_flag_resolutions", "reason", id, sealed, dst})
				ids = append(ids, id)
			}
			slices.Sort(ids)
			if err := u.add(w, g, fields...); err != nil {
				return err
			}
			if err := w.record(g.entry("consent_flag", ids, records.ActionRead)); err != nil {
				return err
			}
		}
		if err := w.reviews(officer, u, out); err != nil {
			return err
		}
		return w.record(officer.entry("anomalies", nil, records.ActionRead))
	})
	if err != nil {
		return nil, err
	}
	for i, an := range out {
		if r := flagReasons[firstID(an.RecordIDs)]; an.Kind == "consent_flag_resolved" && r != nil {
			out[i].Reason = *r
			continue
		}
		r, ok := grants[an.ClientID]
		if an.Kind != "break_glass" || !ok || len(an.RecordIDs) != 1 {
			continue
		}
		v := []records.AccessView{{AccessRecord: records.AccessRecord{GrantID: an.RecordIDs[0]}}}
		r.fill(v)
		out[i].Reason, out[i].ExpiresAt = v[0].BreakGlassReason, v[0].BreakGlassExpires
	}
	return out, nil
}

// firstID is ids[0], or "" for none.
func firstID(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

func splitIDs(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	return out
}

// reviews attaches the data officer's reviews to the anomalies listed. Notes
// sealed with a client's key are opened under the officer's audit grant for
// that client, and that read is recorded on the client.
func (w *wtx) reviews(officer grant, u *unsealing, list []records.Anomaly) error {
	if len(list) == 0 {
		return nil
	}
	byKey := make(map[string]int, len(list))
	for i := range list {
		byKey[list[i].Key] = i
	}
	rows, err := w.query(`SELECT r.anomaly_key, COALESCE(r.client_id, ''), r.note_sealed, COALESCE(r.note_plain, ''),
		COALESCE(u.username, ''), r.reviewed_at FROM anomaly_reviews r LEFT JOIN users u ON u.id = r.reviewed_by`)
	if err != nil {
		return internal("anomaly reviews", err)
	}
	type sealedNote struct {
		key  string
		data []byte
	}
	sealed := map[string][]sealedNote{}
	for rows.Next() {
		var key, clientID, plain, by string
		var note []byte
		var at int64
		if err := rows.Scan(&key, &clientID, &note, &plain, &by, &at); err != nil {
			rows.Close()
			return internal("anomaly reviews", err)
		}
		i, ok := byKey[key]
		if !ok {
			continue
		}
		list[i].Review = &records.AnomalyReview{Note: plain, ReviewedBy: by, ReviewedAt: fromMS(at)}
		if note != nil {
			sealed[clientID] = append(sealed[clientID], sealedNote{key, note})
		}
	}
	rows.Close()
	for clientID, notes := range sealed {
		g := officer.forClient(clientID)
		fields := make([]sealedField, 0, len(notes))
		keys := make([]string, 0, len(notes))
		for _, n := range notes {
			fields = append(fields, sealedField{"anomaly_reviews", "note", n.key, n.data, &list[byKey[n.key]].Review.Note})
			keys = append(keys, n.key)
		}
		// shredded: listed as reviewed, without the note
		if err := skipDestroyed(u.add(w, g, fields...)); err != nil {
			return err
		}
		if err := w.record(g.entry("anomalies", keys, records.ActionRead)); err != nil {
			return err
		}
	}
	return nil
}

// ReviewAnomaly marks the anomaly with this key (from Anomalies) reviewed,
// with a note, and records that in the access log (kind anomalies, action
// change) in the same transaction. Only the data officer. EINVALID for a bad
// key or note, ENOTFOUND when the key names nothing, ECONFLICT when reviewed
// already, EFORBIDDEN (with a denied record) for other roles.
func (s *Store) ReviewAnomaly(ctx context.Context, a records.Actor, key, note string) error {
	note, err := records.CheckReviewNote(note)
	if err != nil && isDataOfficer(a) {
		return err
	}
	kind, ref, _ := strings.Cut(key, ":")
	return s.write(ctx, func(w *wtx) error {
		if !isDataOfficer(a) {
			_, err := w.officer(a, "", "anomalies", records.ActionChange, records.PurposeAudit)
			return err
		}
		clientID, err := w.anomalyClient(kind, ref)
		if err != nil {
			return err
		}
		var done bool
		if err := w.queryRow(`SELECT EXISTS(SELECT 1 FROM anomaly_reviews WHERE anomaly_key = ?)`, key).Scan(&done); err != nil {
			return internal("review anomaly", err)
		}
		if done {
			return conflict("this anomaly was reviewed already")
		}
		officer, err := w.officer(a, clientID, "anomalies", records.ActionChange, records.PurposeAudit)
		if err != nil {
			return err
		}
		var sealed []byte
		var plain any
		if clientID != "" {
			sl, err := w.sealerFor(officer)
			if err != nil {
				return err
			}
			sealed = sl.seal("anomaly_reviews", "note", key, note)
		} else {
			plain = note
		}
		if _, err := w.exec(`INSERT INTO anomaly_reviews (anomaly_key, kind, client_id, note_sealed, note_plain, reviewed_by, reviewed_at)
			VALUES (?,?,?,?,?,?,?)`, key, kind, nullString(clientID), sealed, plain, a.UserID, ms(w.now)); err != nil {
			return internal("review anomaly", err)
		}
		return w.record(officer.entry("anomalies", []string{key}, records.ActionChange))
	})
}

// anomalyClient checks that an anomaly's key names something of its kind and
// returns the client it concerns ("" for a bulk read, which concerns a staff
// account). EINVALID for a malformed key, ENOTFOUND when nothing matches.
func (w *wtx) anomalyClient(kind, ref string) (string, error) {
	var clientID string
	var err error
	switch kind {
	case "break_glass", "denied", "new_account_access":
		seq, perr := strconv.ParseInt(ref, 10, 64)
		if perr != nil || seq < 1 {
			return "", invalid("key", "not an anomaly key")
		}
		err = w.queryRow(`SELECT client_id FROM access_log WHERE seq = ?`, seq).Scan(&clientID)
	case "consent_missing":
		err = w.queryRow(`SELECT client_id FROM contacts WHERE id = ? AND consent_missing = 1`, ref).Scan(&clientID)
	case "consent_flag_resolved":
		err = w.queryRow(`SELECT client_id FROM consent_flag_resolutions WHERE contact_id = ?`, ref).Scan(&clientID)
	case "bulk_read":
		actor, hour, ok := strings.Cut(ref, ":")
		if _, perr := strconv.ParseInt(hour, 10, 64); !ok || perr != nil {
			return "", invalid("key", "not an anomaly key")
		}
		err = w.queryRow(`SELECT '' FROM users WHERE id = ?`, actor).Scan(&clientID)
	default:
		return "", invalid("key", "not an anomaly key")
	}
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("anomaly")
	} else if err != nil {
		return "", internal("review anomaly", err)
	}
	if clientID != "" && !w.clientExists(clientID) {
		clientID = ""
	}
	return clientID, nil
}
