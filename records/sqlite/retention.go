package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/nabij/nabij/records"
)

// RunRetention destroys what is due at the store's clock (Options.Now), one
// transaction per client, unless a legal hold applies; when a client has
// nothing left, their data key is destroyed (crypto-shredding). Every
// destruction writes a destroy access record and a purge report line in the
// same transaction. A dry run changes nothing (it records that it looked) and
// reports what would go. Afterwards the WAL is truncated.
// EINVALID when the run lacks the due-date rule or a rule for a kind; on
// another error the report holds what was done until then.
func (s *Store) RunRetention(ctx context.Context, run records.RetentionRun) (*records.PurgeReport, error) {
	if run.DueAt == nil {
		return nil, invalid("rules", "a retention run needs the due-date rule")
	}
	rules := map[string]records.RetentionRule{}
	for _, r := range run.Rules {
		rules[r.Kind] = r
	}
	for _, k := range records.RetentionKinds {
		if _, ok := rules[k]; !ok && k != records.KindAccessRecord {
			return nil, invalid("rules", "no retention rule for %s", k)
		}
	}
	rep := &records.PurgeReport{RunID: newID(), Trigger: "retention", At: fromMS(ms(s.now())), DryRun: run.DryRun, Items: []records.PurgeItem{}}
	ids := run.ClientIDs
	if len(ids) == 0 {
		var err error
		ids, err = scanIDs(s.r.QueryContext(ctx, `SELECT c.id FROM clients c JOIN client_keys k ON k.client_id = c.id ORDER BY c.created_at, c.id`))
		if err != nil {
			return nil, internal("retention: clients", err)
		}
	}
	destroyed := false
	for _, id := range ids {
		var items []records.PurgeItem
		var shredded bool
		var born *time.Time
		need, err := s.birthDateNeeded(ctx, id, rules)
		if err != nil {
			return rep, err
		}
		if need {
			if born, err = s.retentionBirthDate(ctx, id); err != nil {
				if records.ErrorCode(err) == records.EDESTROYED {
					continue
				}
				return rep, err
			}
		}
		err = s.write(ctx, func(w *wtx) error {
			var err error
			items, shredded, err = w.purgeClient(rep, id, rules, run.DueAt, born)
			return err
		})
		if err != nil {
			if records.ErrorCode(err) == records.EDESTROYED {
				continue
			}
			return rep, err
		}
		rep.ClientsChecked++
		rep.Items = append(rep.Items, items...)
		if shredded {
			rep.KeysDestroyed++
		}
		for _, it := range items {
			if it.Action != records.PurgeHeld && it.Action != records.PurgeNoBirthDate {
				destroyed = true
			}
		}
	}
	if destroyed && !run.DryRun {
		rep.WALTruncated = s.truncateWAL(ctx) == nil
	}
	return rep, nil
}

// birthDateNeeded tells whether an until_age rule could make any of the
// client's records due today: only after some help closed and the rule's
// period after that close has passed (before then nothing is due, whatever
// the birthday). So the run opens a birth date, and leaves an access record
// in the client's log, only when the date can decide something, not every
// day for every client. It reads ids and times only.
func (s *Store) birthDateNeeded(ctx context.Context, clientID string, rules map[string]records.RetentionRule) (bool, error) {
	byAge := false
	for _, r := range rules {
		byAge = byAge || r.Basis == records.BasisUntilAge
	}
	if !byAge {
		return false, nil
	}
	var first sql.NullInt64
	err := s.r.QueryRowContext(ctx, `SELECT MIN(closed_at) FROM trajectories WHERE client_id = ? AND closed_at IS NOT NULL`, clientID).Scan(&first)
	if err != nil {
		return false, internal("retention: first close", err)
	}
	if !first.Valid {
		return false, nil
	}
	now := s.now()
	for _, r := range rules {
		if r.Basis == records.BasisUntilAge && !fromMS(first.Int64).AddDate(r.Years, 0, r.Days).After(now) {
			return true, nil
		}
	}
	return false, nil
}

// retentionBirthDate reads the client's birth date for an until_age rule: a
// read of client data by nabij itself, so it passes the read gate (rule
// system, purpose retention) and leaves an access record of kind client
// before the date is opened. nil when the client has no birth date (the rule
// then keeps their records); EDESTROYED after crypto-shredding.
func (s *Store) retentionBirthDate(ctx context.Context, clientID string) (*time.Time, error) {
	var birthDate string
	spec := readSpec{actor: records.System(), clientID: clientID, purpose: records.PurposeRetention, kind: "client", action: records.ActionRead}
	err := s.readClient(ctx, spec, func(w *wtx, g grant, u *unsealing) ([]string, error) {
		var birth []byte
		if err := w.queryRow(`SELECT birth_date_sealed FROM clients WHERE id = ?`, clientID).Scan(&birth); err != nil {
			return nil, internal("retention: birth date", err)
		}
		if birth == nil {
			return []string{clientID}, u.add(w, g)
		}
		return []string{clientID}, u.add(w, g, sealedField{"clients", "birth_date", clientID, birth, &birthDate})
	})
	if err != nil || birthDate == "" {
		return nil, err
	}
	d, err := time.Parse("2006-01-02", birthDate)
	if err != nil {
		return nil, internal("retention: birth date", err)
	}
	return &d, nil
}

// retained is one row retention considers.
type retained struct {
	id, trajectoryID, contactID, kind string
	created                           time.Time
	// for contacts that are anonymised
	channel     string
	occurred    int64
	sync        bool
	durationMin int
}

// purgeClient applies the rules to one client inside one transaction.
func (w *wtx) purgeClient(rep *records.PurgeReport, clientID string, rules map[string]records.RetentionRule,
	dueAt func(records.RetentionRule, time.Time, *time.Time, *time.Time) *time.Time, born *time.Time) ([]records.PurgeItem, bool, error) {
	if _, err := w.dataKey(clientID); err != nil {
		return nil, false, err
	}
	now := ms(w.now)
	// Holds.
	clientHeld := false
	heldTraj := map[string]bool{}
	rows, err := w.query(`SELECT COALESCE(trajectory_id, '') FROM legal_holds WHERE client_id = ? AND released_at IS NULL`, clientID)
	if err != nil {
		return nil, false, internal("retention: holds", err)
	}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return nil, false, internal("retention: holds", err)
		}
		if t == "" {
			clientHeld = true
		} else {
			heldTraj[t] = true
		}
	}
	rows.Close()
	// Trajectories and the client's last close.
	closedAt := map[string]*time.Time{}
	var trajs []retained
	var lastClose *time.Time
	allClosed := true
	rows, err = w.query(`SELECT id, created_at, closed_at FROM trajectories WHERE client_id = ?`, clientID)
	if err != nil {
		return nil, false, internal("retention: trajectories", err)
	}
	for rows.Next() {
		var r retained
		var created int64
		var closed sql.NullInt64
		if err := rows.Scan(&r.id, &created, &closed); err != nil {
			rows.Close()
			return nil, false, internal("retention: trajectories", err)
		}
		r.kind, r.trajectoryID, r.created = records.KindTrajectory, r.id, fromMS(created)
		closedAt[r.id] = fromNullMS(closed)
		if closed.Valid {
			if lastClose == nil || fromMS(closed.Int64).After(*lastClose) {
				lastClose = fromNullMS(closed)
			}
		} else {
			allClosed = false
		}
		trajs = append(trajs, r)
	}
	rows.Close()
	if !allClosed || len(trajs) == 0 {
		lastClose = nil
	}
	scan := func(q, kind string) ([]retained, error) {
		rows, err := w.query(q, clientID)
		if err != nil {
			return nil, internal("retention: "+kind, err)
		}
		defer rows.Close()
		var out []retained
		for rows.Next() {
			var r retained
			var created int64
			var vis string
			if err := rows.Scan(&r.id, &r.trajectoryID, &r.contactID, &created, &vis, &r.channel, &r.occurred, &r.sync, &r.durationMin); err != nil {
				return nil, internal("retention: "+kind, err)
			}
			r.created, r.kind = fromMS(created), kind
			if kind == "note" {
				r.kind = "note_" + vis
			}
			out = append(out, r)
		}
		return out, rows.Err()
	}
	notes, err := scan(`SELECT n.id, n.trajectory_id, COALESCE(n.contact_id, ''), n.created_at,
		(SELECT v.visibility FROM note_versions v WHERE v.note_id = n.id ORDER BY v.version DESC LIMIT 1), '', 0, 0, 0
		FROM notes n WHERE n.client_id = ? ORDER BY n.created_at, n.id`, "note")
	if err != nil {
		return nil, false, err
	}
	contacts, err := scan(`SELECT id, trajectory_id, '', created_at, '', channel, occurred_at, synchronous, duration_minutes
		FROM contacts WHERE client_id = ? ORDER BY occurred_at, id`, records.KindContact)
	if err != nil {
		return nil, false, err
	}
	entries, err := scan(`SELECT id, '', '', created_at, '', '', 0, 0, 0 FROM entries WHERE client_id = ? ORDER BY created_at, id`, records.KindEntry)
	if err != nil {
		return nil, false, err
	}
	discl, err := scan(`SELECT id, '', '', disclosed_at, '', '', 0, 0, 0 FROM disclosures WHERE client_id = ? ORDER BY disclosed_at, id`, records.KindDisclosure)
	if err != nil {
		return nil, false, err
	}

	type bucket struct {
		ids []string
		rs  []retained
	}
	due := map[string]*bucket{}  // kind -> due and not held
	held := map[string]*bucket{} // kind -> due but held
	gone := map[string]bool{}    // ids that go
	kept := map[string]bool{}    // ids due but held
	// kind -> care ended, but an until_age rule has no birth date to count
	// from: kept (never destroyed early) and reported.
	noBirth := map[string]*bucket{}
	consider := func(r retained, closed *time.Time) {
		rule := rules[r.kind]
		d := dueAt(rule, r.created, closed, born)
		// Before the rule's period after the close has passed nothing is
		// due whatever the birthday, and the run did not open it.
		if d == nil && rule.Basis == records.BasisUntilAge && born == nil && closed != nil &&
			!closed.AddDate(rule.Years, 0, rule.Days).After(w.now) {
			b := noBirth[r.kind]
			if b == nil {
				b = &bucket{}
				noBirth[r.kind] = b
			}
			b.ids = append(b.ids, r.id)
			return
		}
		if d == nil || ms(*d) > now {
			return
		}
		isHeld := clientHeld || heldTraj[r.trajectoryID]
		target := due
		if isHeld {
			target = held
		}
		b := target[r.kind]
		if b == nil {
			b = &bucket{}
			target[r.kind] = b
		}
		b.ids = append(b.ids, r.id)
		b.rs = append(b.rs, r)
		if !isHeld {
			gone[r.id] = true
		} else {
			kept[r.id] = true
		}
	}
	for _, r := range notes {
		consider(r, closedAt[r.trajectoryID])
	}
	// A contact goes only when its notes go; a trajectory only when its contacts
	// and notes go. What a hold keeps is reported as held at each level.
	keepContact := map[string]bool{}
	keepTraj := map[string]bool{}
	for _, n := range notes {
		if !gone[n.id] && !kept[n.id] {
			if n.contactID != "" {
				keepContact[n.contactID] = true
			}
			keepTraj[n.trajectoryID] = true
		}
	}
	for _, c := range contacts {
		if !keepContact[c.id] {
			consider(c, closedAt[c.trajectoryID])
		}
		if !gone[c.id] && !kept[c.id] {
			keepTraj[c.trajectoryID] = true
		}
	}
	for _, t := range trajs {
		if !keepTraj[t.id] {
			consider(t, closedAt[t.id])
		}
	}
	for _, e := range entries {
		consider(e, lastClose)
	}
	for _, d := range discl {
		consider(d, lastClose)
	}

	var items []records.PurgeItem
	order := []string{records.KindNotePersonal, records.KindNoteShared, records.KindNoteRestricted, records.KindContact, records.KindTrajectory, records.KindEntry, records.KindDisclosure}
	for _, k := range order {
		if b := held[k]; b != nil {
			items = append(items, records.PurgeItem{ClientID: clientID, Kind: k, Action: records.PurgeHeld, Count: len(b.ids), RecordIDs: b.ids, Rule: rules[k].String()})
		}
		if b := noBirth[k]; b != nil {
			items = append(items, records.PurgeItem{ClientID: clientID, Kind: k, Action: records.PurgeNoBirthDate, Count: len(b.ids), RecordIDs: b.ids,
				Rule: rules[k].String() + "; the client has no birth date, so the records are kept"})
		}
	}
	destroyedAny := false
	for _, k := range order {
		b := due[k]
		if b == nil {
			continue
		}
		action := records.ActionDestroyRows
		if k == records.KindContact && rules[k].Action == records.ActionAnonymise {
			action = records.ActionAnonymise
		}
		items = append(items, records.PurgeItem{ClientID: clientID, Kind: k, Action: action, Count: len(b.ids), RecordIDs: b.ids, Rule: rules[k].String()})
		destroyedAny = true
		if rep.DryRun {
			continue
		}
		if action == records.ActionAnonymise {
			for _, r := range b.rs {
				if _, err := w.exec(`INSERT INTO anonymous_contacts (id, channel, month, synchronous, duration_minutes, anonymised_at)
					VALUES (?,?,?,?,?,?)`, newID(), r.channel, fromMS(r.occurred).Format("2006-01"), r.sync, r.durationMin, now); err != nil {
					return nil, false, internal("retention: anonymise", err)
				}
			}
		}
		if err := w.deleteRows(k, b.ids); err != nil {
			return nil, false, err
		}
	}
	remaining := len(notes) + len(contacts) + len(trajs) + len(entries) + len(discl) - len(gone)
	shred := destroyedAny && remaining == 0
	if shred {
		more, err := w.finalShredItems(clientID, rep.DryRun, false)
		if err != nil {
			return nil, false, err
		}
		items = append(items, more...)
	}
	if rep.DryRun {
		if len(items) == 0 {
			return nil, false, nil
		}
		return items, shred, w.record(asSystem(clientID, records.PurposeRetention).entry("retention", nil, records.ActionRead))
	}
	// A client whose due records are all held leaves no stored report line (the
	// run's own report and GET /legal-holds show the hold); daily runs would
	// otherwise repeat it every day.
	if destroyedAny {
		if err := w.report(rep, items, records.PurposeRetention); err != nil {
			return nil, false, err
		}
	}
	return items, shred, nil
}

// deleteRows deletes the rows of one retention kind. Note versions go with their
// notes; secure_delete overwrites the freed pages.
func (w *wtx) deleteRows(kind string, ids []string) error {
	table := map[string]string{records.KindNoteShared: "notes", records.KindNoteRestricted: "notes", records.KindNotePersonal: "notes",
		records.KindContact: "contacts", records.KindTrajectory: "trajectories", records.KindEntry: "entries", records.KindDisclosure: "disclosures"}[kind]
	if table == "" {
		return internal("retention", fmt.Errorf("unknown kind %q", kind))
	}
	for _, id := range ids {
		if _, err := w.exec(`DELETE FROM `+table+` WHERE id = ?`, id); err != nil {
			return internal("retention: delete "+kind, err)
		}
	}
	return nil
}

// finalShredItems destroys what is left of a client who has no file left:
// consents, emergency grants, released holds, tools recommended to them, the
// sealed identity, and the data key. In a dry run it only counts.
//
// The client's account goes too (disabled, unlinked, sessions revoked), except
// after an approved erasure request (keepAccount): then the client must still be
// able to sign in and see that outcome; it opens nothing else, as the key is gone.
// Caseload assignments end either way.
func (w *wtx) finalShredItems(clientID string, dry, keepAccount bool) ([]records.PurgeItem, error) {
	var items []records.PurgeItem
	for _, t := range []struct{ kind, table, col string }{
		{"consent", "consents", "id"}, {"break_glass", "break_glass", "id"}, {"legal_hold", "legal_holds", "id"},
		{"tool_recommendation", "tool_recommendations", "id"},
		// The client's plan and network go with the key; steps and comments
		// before their goals, texts after.
		{"plan_step", "plan_steps", "id"}, {"plan_comment", "plan_comments", "id"}, {"plan_goal", "plan_goals", "id"},
		{"plan_text", "plan_versions", "id"}, {"plan_proposal", "plan_proposals", "id"}, {records.KindNetwork, "network_members", "id"},
	} {
		if t.table == "network_members" && !dry {
			// A network member's account read only this plan: it ends.
			if _, err := w.exec(`UPDATE users SET disabled = 1 WHERE id IN (SELECT user_id FROM network_members WHERE client_id = ?)`, clientID); err != nil {
				return nil, internal("shred: network", err)
			}
		}
		ids, err := scanIDs(w.query(`SELECT `+t.col+` FROM `+t.table+` WHERE client_id = ?`, clientID))
		if err != nil {
			return nil, internal("shred: "+t.kind, err)
		}
		if len(ids) == 0 {
			continue
		}
		items = append(items, records.PurgeItem{ClientID: clientID, Kind: t.kind, Action: records.ActionDestroyRows, Count: len(ids), RecordIDs: ids,
			Rule: "nothing of the client is left: " + t.kind + " destroyed with the key"})
		if !dry {
			if _, err := w.exec(`DELETE FROM `+t.table+` WHERE client_id = ?`, clientID); err != nil {
				return nil, internal("shred: "+t.kind, err)
			}
		}
	}
	// The client's account opened only this file: it is disabled, its sessions
	// revoked and its link and username (which could name the client) dropped.
	var accounts []string
	if !keepAccount {
		var err error
		if accounts, err = scanIDs(w.query(`SELECT id FROM users WHERE client_id = ?`, clientID)); err != nil {
			return nil, internal("shred: account", err)
		}
	}
	if len(accounts) > 0 {
		items = append(items, records.PurgeItem{ClientID: clientID, Kind: "account", Action: records.ActionDestroyRows, Count: len(accounts), RecordIDs: accounts,
			Rule: "nothing of the client is left: the client's account is disabled and unlinked"})
	}
	items = append(items, records.PurgeItem{ClientID: clientID, Kind: "client_key", Action: records.ActionDestroyRows, Count: 1,
		RecordIDs: []string{clientID}, Rule: "nothing of the client is left: data key destroyed (crypto-shredding)"})
	if dry {
		return items, nil
	}
	type update struct {
		q    string
		args []any
	}
	now := ms(w.now)
	queries := []update{{`UPDATE caseload SET to_at = ? WHERE client_id = ? AND to_at IS NULL`, []any{now, clientID}}}
	if !keepAccount {
		queries = append(queries,
			update{`UPDATE refresh_tokens SET revoked_at = ? WHERE revoked_at IS NULL AND user_id IN (SELECT id FROM users WHERE client_id = ?)`, []any{now, clientID}},
			update{`UPDATE users SET disabled = 1, username = 'erased-' || id, client_id = NULL, totp_sealed = NULL, totp_enabled = 0 WHERE client_id = ?`, []any{clientID}})
	}
	for _, u := range queries {
		if _, err := w.exec(u.q, u.args...); err != nil {
			return nil, internal("shred: account", err)
		}
	}
	if _, err := w.exec(`UPDATE clients SET name_sealed = ?, birth_date_sealed = NULL, contact_sealed = NULL WHERE id = ?`, []byte{}, clientID); err != nil {
		return nil, internal("shred: identity", err)
	}
	if _, err := w.exec(`UPDATE erasure_requests SET decision_reason_sealed = NULL WHERE client_id = ?`, clientID); err != nil {
		return nil, internal("shred: requests", err)
	}
	if err := w.shredKey(clientID); err != nil {
		return nil, err
	}
	return items, nil
}

// report writes a destroy access record and a purge report line per item.
func (w *wtx) report(rep *records.PurgeReport, items []records.PurgeItem, purpose records.Purpose) error {
	for _, it := range items {
		if it.Action == records.PurgeNoBirthDate {
			continue // nothing happened to them: the run's own report says why
		}
		if it.Action != records.PurgeHeld {
			if err := w.record(asSystem(it.ClientID, purpose).entry(it.Kind, it.RecordIDs, records.ActionDestroy)); err != nil {
				return err
			}
		}
		if _, err := w.exec(`INSERT INTO purge_reports (id, run_id, trigger, client_id, kind, action, count, record_ids, rule, at)
			VALUES (?,?,?,?,?,?,?,?,?,?)`, newID(), rep.RunID, rep.Trigger, it.ClientID, it.Kind, it.Action, it.Count,
			strings.Join(it.RecordIDs, ","), it.Rule, ms(rep.At)); err != nil {
			return internal("purge report", err)
		}
	}
	return nil
}

// PurgeReports returns the stored purge reports (retention runs and erasures),
// newest first, since a time. They hold kinds, counts, ids, rules and times,
// never content. Only the data officer; the look is recorded.
// EFORBIDDEN (with a denied record) for anyone but the data officer.
func (s *Store) PurgeReports(ctx context.Context, a records.Actor, since time.Time) ([]records.PurgeReport, error) {
	var out []records.PurgeReport
	err := s.write(ctx, func(w *wtx) error {
		out = out[:0]
		g, err := w.officer(a, "", "purge_report", records.ActionRead, records.PurposeAudit)
		if err != nil {
			return err
		}
		rows, err := w.query(`SELECT run_id, trigger, client_id, kind, action, count, record_ids, rule, at FROM purge_reports
			WHERE at >= ? ORDER BY at DESC, run_id, client_id, id LIMIT 10000`, ms(since))
		if err != nil {
			return internal("purge reports", err)
		}
		idx := map[string]int{}
		for rows.Next() {
			var it records.PurgeItem
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
				out = append(out, records.PurgeReport{RunID: run, Trigger: trig, At: fromMS(at), Items: []records.PurgeItem{}})
			}
			out[i].Items = append(out[i].Items, it)
			if it.Kind == "client_key" {
				out[i].KeysDestroyed++
			}
		}
		rows.Close()
		return w.record(g.entry("purge_report", nil, records.ActionRead))
	})
	if out == nil {
		out = []records.PurgeReport{}
	}
	return out, err
}
