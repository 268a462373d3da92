package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/nabij/nabij/records"
)

// The register of digital tools, the tools of a client's care, and the
// team-lead flag. The register is organisation data (plaintext); what links
// a tool to a client (contacts, consents, recommendations) is client data and
// is read through the gate.

const toolColumns = `id, name, kind, vendor, data_location, end_to_end, accessibility_statement, accessibility_level,
	languages, cost, check_data_protection, check_accessibility, check_evidence, check_usability, check_support,
	verdict, reviewed_on, dpia_on, created_at, updated_at`

func scanTool(sc interface{ Scan(...any) error }) (records.Tool, error) {
	var t records.Tool
	var kind, loc, langs, verdict string
	var reviewed, dpia sql.NullInt64
	var created, updated int64
	err := sc.Scan(&t.ID, &t.Name, &kind, &t.Vendor, &loc, &t.EndToEnd, &t.AccessibilityStatement, &t.AccessibilityLevel,
		&langs, &t.Cost, &t.Checklist.DataProtection, &t.Checklist.Accessibility, &t.Checklist.Evidence,
		&t.Checklist.Usability, &t.Checklist.Support, &verdict, &reviewed, &dpia, &created, &updated)
	if err != nil {
		return t, err
	}
	t.Kind, t.DataLocation, t.Verdict = records.ToolKind(kind), records.DataLocation(loc), records.Verdict(verdict)
	t.Languages = []string{}
	if langs != "" {
		t.Languages = strings.Split(langs, ",")
	}
	t.ReviewedOn, t.DPIAOn, t.CreatedAt, t.UpdatedAt = fromNullMS(reviewed), fromNullMS(dpia), fromMS(created), fromMS(updated)
	return t, nil
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ms(*t)
}

// toolEvent is the record of a change to the register: an admin's change
// under the admin rule, the data officer's under the audit rule.
func toolEvent(a records.Actor, id string, action records.Action) entry {
	e := adminEvent(a, "", records.KindTool, []string{id}, action)
	if isDataOfficer(a) {
		e.rule = records.RuleAudit
	}
	return e
}

// Tools lists the register by name. Anyone signed in reads it.
func (s *Store) Tools(ctx context.Context, a records.Actor) ([]records.Tool, error) {
	if a.UserID == "" && !a.IsSystem() {
		return nil, forbidden("sign in to read the register of tools")
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+toolColumns+` FROM tools ORDER BY lower(name), name`)
	if err != nil {
		return nil, internal("tools", err)
	}
	defer rows.Close()
	out := []records.Tool{}
	for rows.Next() {
		t, err := scanTool(rows)
		if err != nil {
			return nil, internal("tools", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Tool returns one entry of the register. ENOTFOUND when there is none.
func (s *Store) Tool(ctx context.Context, a records.Actor, id string) (*records.Tool, error) {
	if a.UserID == "" && !a.IsSystem() {
		return nil, forbidden("sign in to read the register of tools")
	}
	t, err := scanTool(s.r.QueryRowContext(ctx, `SELECT `+toolColumns+` FROM tools WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("tool")
	}
	if err != nil {
		return nil, internal("tool", err)
	}
	return &t, nil
}

// CreateTool adds a tool to the register, recorded as kind tool, action
// create. EFORBIDDEN (with a denied record) for anyone but admins and the data
// officer; EINVALID for bad input; ECONFLICT when the name is taken.
func (s *Store) CreateTool(ctx context.Context, a records.Actor, in records.ToolInput) (*records.Tool, error) {
	return s.putTool(ctx, a, "", in)
}

// UpdateTool replaces an entry of the register, recorded as kind tool, action
// change. As CreateTool, and ENOTFOUND when there is no such tool.
func (s *Store) UpdateTool(ctx context.Context, a records.Actor, id string, in records.ToolInput) (*records.Tool, error) {
	if id == "" {
		return nil, notFound("tool")
	}
	return s.putTool(ctx, a, id, in)
}

func (s *Store) putTool(ctx context.Context, a records.Actor, id string, in records.ToolInput) (*records.Tool, error) {
	action := records.ActionChange
	if id == "" {
		action = records.ActionCreate
	}
	if keepsToolRegister(a) {
		if err := in.Validate(s.now()); err != nil {
			return nil, err
		}
	}
	var out records.Tool
	err := s.write(ctx, func(w *wtx) error {
		if !keepsToolRegister(a) {
			return w.deny(entry{actor: a, kind: records.KindTool, ids: nonEmpty(id), action: action, purpose: records.PurposeAdministration},
				"only admins and the data officer keep the register of tools")
		}
		var taken bool
		if err := w.queryRow(`SELECT EXISTS(SELECT 1 FROM tools WHERE lower(name) = lower(?) AND id <> ?)`, in.Name, id).Scan(&taken); err != nil {
			return internal("tool", err)
		}
		if taken {
			return conflict("a tool named %s is in the register", in.Name)
		}
		args := []any{in.Name, string(in.Kind), in.Vendor, string(in.DataLocation), in.EndToEnd, in.AccessibilityStatement,
			in.AccessibilityLevel, strings.Join(in.Languages, ","), in.Cost, in.Checklist.DataProtection,
			in.Checklist.Accessibility, in.Checklist.Evidence, in.Checklist.Usability, in.Checklist.Support,
			string(in.Verdict), nullTime(in.ReviewedOn), nullTime(in.DPIAOn), ms(w.now)}
		if id == "" {
			id = newID()
			if _, err := w.exec(`INSERT INTO tools (name, kind, vendor, data_location, end_to_end, accessibility_statement,
				accessibility_level, languages, cost, check_data_protection, check_accessibility, check_evidence,
				check_usability, check_support, verdict, reviewed_on, dpia_on, updated_at, id, created_at)
				VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, append(args, id, ms(w.now))...); err != nil {
				return internal("create tool", err)
			}
		} else {
			res, err := w.exec(`UPDATE tools SET name = ?, kind = ?, vendor = ?, data_location = ?, end_to_end = ?,
				accessibility_statement = ?, accessibility_level = ?, languages = ?, cost = ?, check_data_protection = ?,
				check_accessibility = ?, check_evidence = ?, check_usability = ?, check_support = ?, verdict = ?,
				reviewed_on = ?, dpia_on = ?, updated_at = ? WHERE id = ?`, append(args, id)...)
			if err != nil {
				return internal("update tool", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return notFound("tool")
			}
		}
		t, err := scanTool(w.queryRow(`SELECT `+toolColumns+` FROM tools WHERE id = ?`, id))
		if err != nil {
			return internal("tool", err)
		}
		out = t
		return w.record(toolEvent(a, id, action))
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func nonEmpty(id string) []string {
	if id == "" {
		return nil
	}
	return []string{id}
}

// UnlistedTools lists the names contacts gave for tools not in the register,
// with how many contacts named each, for the register's keepers to review.
// Names only: no client, no contact. EFORBIDDEN for anyone else.
func (s *Store) UnlistedTools(ctx context.Context, a records.Actor) ([]records.UnlistedTool, error) {
	if !keepsToolRegister(a) {
		return nil, forbidden("only admins and the data officer keep the register of tools")
	}
	rows, err := s.r.QueryContext(ctx, `SELECT MIN(tool_name), COUNT(*) FROM contacts WHERE tool_name <> ''
		AND lower(tool_name) NOT IN (SELECT lower(name) FROM tools) GROUP BY lower(tool_name) ORDER BY 2 DESC, 1`)
	if err != nil {
		return nil, internal("unlisted tools", err)
	}
	defer rows.Close()
	out := []records.UnlistedTool{}
	for rows.Next() {
		var u records.UnlistedTool
		if err := rows.Scan(&u.Name, &u.Contacts); err != nil {
			return nil, internal("unlisted tools", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// toolVerdict checks that a tool named on a contact, consent or
// recommendation is in the register, and returns its kind and verdict.
// EINVALID (on field) when it is not.
func (w *wtx) toolVerdict(field, id string) (records.ToolKind, records.Verdict, error) {
	var kind, verdict string
	err := w.queryRow(`SELECT kind, verdict FROM tools WHERE id = ?`, id).Scan(&kind, &verdict)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", invalid(field, "%s must be a tool in the register", field)
	}
	if err != nil {
		return "", "", internal("tool", err)
	}
	return records.ToolKind(kind), records.Verdict(verdict), nil
}

func toolWarnings(v records.Verdict) []string {
	if v == records.VerdictNotAdvised {
		return []string{records.WarnToolNotAdvised}
	}
	return nil
}

// RecommendTool recommends a self-help app or website of the register to a
// client, recorded as kind tool_recommendation, action create. A "not
// advised" tool is recommended all the same, with WarnToolNotAdvised.
// EINVALID when the tool is not a self-help tool of the register; EFORBIDDEN
// (with a denied record) for anyone but a professional who may reach the
// client (not under emergency access).
func (s *Store) RecommendTool(ctx context.Context, a records.Actor, clientID, toolID string) (*records.Recommendation, error) {
	r := &records.Recommendation{ID: newID(), ClientID: clientID, ToolID: toolID, RecommendedBy: a.UserID}
	err := s.write(ctx, func(w *wtx) error {
		if !recommendsTools(a) {
			return w.deny(entry{actor: a, clientID: clientID, kind: records.KindToolRecommendation, action: records.ActionCreate, purpose: purposeFor(a)},
				"only professionals recommend tools")
		}
		g, err := w.authorize(a, clientID, records.PurposeCare, records.KindToolRecommendation, records.ActionCreate)
		if err != nil {
			return err
		}
		if err := w.noBreakGlass(g, records.KindToolRecommendation, nil, records.ActionCreate); err != nil {
			return err
		}
		kind, verdict, err := w.toolVerdict("tool_id", toolID)
		if err != nil {
			return err
		}
		if !kind.SelfHelp() {
			return invalid("tool_id", "only a self-help app or website is recommended to a client")
		}
		r.Warnings = toolWarnings(verdict)
		r.CreatedAt = fromMS(ms(w.now))
		if _, err := w.exec(`INSERT INTO tool_recommendations (id, client_id, tool_id, recommended_by, created_at) VALUES (?,?,?,?,?)`,
			r.ID, clientID, toolID, a.UserID, ms(w.now)); err != nil {
			return internal("recommend tool", err)
		}
		return w.record(g.entry(records.KindToolRecommendation, []string{r.ID}, records.ActionCreate))
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// ClientTools lists the tools used in a client's care: named on their
// contacts or channel consents, or recommended to them, by name. A read of
// the client's data through the gate (kind tools, with the ids of the tools).
// EFORBIDDEN (with a denied record) when no rule allows it.
func (s *Store) ClientTools(ctx context.Context, a records.Actor, clientID string) ([]records.ClientTool, error) {
	var out []records.ClientTool
	err := s.readClient(ctx, readSpec{actor: a, clientID: clientID, purpose: careOrOwnFile(a), kind: "tools", action: records.ActionRead},
		func(w *wtx, _ grant, _ *unsealing) ([]string, error) {
			out = []records.ClientTool{}
			rows, err := w.query(`WITH used AS (
					SELECT tool_id, 1 AS contacts, 0 AS consent, CAST(NULL AS BIGINT) AS rec FROM contacts WHERE client_id = ?1 AND tool_id IS NOT NULL
					UNION ALL SELECT tool_id, 0, 1, NULL FROM consents WHERE client_id = ?1 AND tool_id IS NOT NULL
					UNION ALL SELECT tool_id, 0, 0, created_at FROM tool_recommendations WHERE client_id = ?1)
				SELECT `+prefixed("t.", toolColumns)+`, CAST(SUM(u.contacts) AS BIGINT), MAX(u.consent), MAX(u.rec)
				FROM used u JOIN tools t ON t.id = u.tool_id GROUP BY t.id ORDER BY lower(t.name), t.name`, clientID)
			if err != nil {
				return nil, internal("client tools", err)
			}
			defer rows.Close()
			ids := []string{}
			for rows.Next() {
				var ct records.ClientTool
				var rec sql.NullInt64
				t, err := scanTool(scanPlus{rows, []any{&ct.Contacts, &ct.InConsent, &rec}})
				if err != nil {
					return nil, internal("client tools", err)
				}
				ct.Tool, ct.RecommendedAt, ct.Labels = t, fromNullMS(rec), t.PrivacyLabels()
				out = append(out, ct)
				ids = append(ids, t.ID)
			}
			return ids, rows.Err()
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// scanPlus scans a tool row followed by more columns.
type scanPlus struct {
	rows interface{ Scan(...any) error }
	more []any
}

func (s scanPlus) Scan(dst ...any) error { return s.rows.Scan(append(dst, s.more...)...) }

func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// SetTeamLead gives or takes a professional's team-lead flag, recorded as
// kind team_lead (grant or revoke, record id the user). EFORBIDDEN for anyone
// but admins; ENOTFOUND when there is no such user; EINVALID when the user is
// not a professional.
func (s *Store) SetTeamLead(ctx context.Context, a records.Actor, userID string, lead bool) error {
	return s.write(ctx, func(w *wtx) error {
		action := records.ActionRevoke
		if lead {
			action = records.ActionGrant
		}
		if !administers(a) {
			return w.deny(entry{actor: a, kind: records.KindTeamLead, ids: []string{userID}, action: action, purpose: records.PurposeAdministration},
				"only admins set the team-lead flag")
		}
		var role string
		err := w.queryRow(`SELECT role FROM users WHERE id = ?`, userID).Scan(&role)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("user")
		}
		if err != nil {
			return internal("team lead", err)
		}
		if records.Role(role) != records.RoleProfessional {
			return invalid("user_id", "only a professional can be a team lead")
		}
		if _, err := w.exec(`UPDATE users SET team_lead = ? WHERE id = ?`, lead, userID); err != nil {
			return internal("team lead", err)
		}
		return w.record(adminEvent(a, "", records.KindTeamLead, []string{userID}, action))
	})
}
