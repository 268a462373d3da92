package sqlite

import (
	"database/sql"
	"errors"

	"github.com/nabij/nabij/records"
)

// grant is what authorize found: the rule that lets the actor reach the client's
// data, and the entry every access record of this request starts from.
type grant struct {
	actor    records.Actor
	clientID string
	rule     records.Rule
	grantID  string
	purpose  records.Purpose
}

// entry makes the access record for one action under this grant.
func (g grant) entry(kind string, ids []string, action records.Action) entry {
	return entry{actor: g.actor, clientID: g.clientID, kind: kind, ids: ids, action: action,
		purpose: g.purpose, rule: g.rule, grantID: g.grantID, outcome: records.OutcomeOK}
}

// authorize decides, inside the job's transaction, which rule lets the actor reach
// the client's data for this purpose: professionals only clients on their
// caseload or under break the glass, clients only their own file. When no rule applies
// it writes a denied access record and returns EFORBIDDEN. A client that does not
// exist is refused the same way, so ids cannot be probed.
func (w *wtx) authorize(a records.Actor, clientID string, purpose records.Purpose, kind string, action records.Action) (grant, error) {
	g := grant{actor: a, clientID: clientID, purpose: purpose, rule: records.RuleNone}
	if !purpose.Valid() {
		return g, invalid("purpose", "unknown purpose %q", purpose)
	}
	rule, grantID, err := w.rule(a, clientID)
	if err != nil {
		return g, err
	}
	if rule == records.RuleNone {
		return g, w.deny(entry{actor: a, clientID: clientID, kind: kind, action: action, purpose: purpose},
			"you have no access to this client")
	}
	g.rule, g.grantID = rule, grantID
	if rule == records.RuleBreakGlass {
		g.purpose = records.PurposeBreakGlass
	}
	return g, nil
}

// rule finds the rule that lets the actor reach the client, RuleNone if none:
//   - a client reaches only their own file;
//   - a professional reaches clients on their caseload (directly or through a
//     team), or under an unexpired break-the-glass grant;
//   - data officers and admins never reach client data through this path.
func (w *wtx) rule(a records.Actor, clientID string) (records.Rule, string, error) {
	var exists bool
	if err := w.queryRow(`SELECT EXISTS(SELECT 1 FROM clients WHERE id = ?)`, clientID).Scan(&exists); err != nil {
		return records.RuleNone, "", internal("authorize", err)
	}
	if !exists {
		return records.RuleNone, "", nil
	}
	now := ms(w.now)
	switch {
	case a.IsSystem():
		return records.RuleSystem, "", nil
	case a.Role == records.RoleClient:
		if a.ClientID != "" && a.ClientID == clientID {
			return records.RuleOwnFile, "", nil
		}
	case a.Role == records.RoleProfessional:
		var direct, team bool
		err := w.queryRow(`SELECT
			EXISTS(SELECT 1 FROM caseload WHERE client_id = ?1 AND user_id = ?2 AND from_at <= ?3 AND (to_at IS NULL OR to_at > ?3)),
			EXISTS(SELECT 1 FROM caseload c JOIN team_members m ON m.team_id = c.team_id
			       WHERE c.client_id = ?1 AND m.user_id = ?2 AND c.from_at <= ?3 AND (c.to_at IS NULL OR c.to_at > ?3))`,
			clientID, a.UserID, now).Scan(&direct, &team)
		if err != nil {
			return records.RuleNone, "", internal("authorize", err)
		}
		if direct {
			return records.RuleCaseload, "", nil
		}
		if team {
			return records.RuleTeamCaseload, "", nil
		}
		var id string
		err = w.queryRow(`SELECT id FROM break_glass WHERE user_id = ? AND client_id = ? AND granted_at <= ? AND expires_at > ?
			ORDER BY expires_at DESC LIMIT 1`, a.UserID, clientID, now, now).Scan(&id)
		switch {
		case err == nil:
			return records.RuleBreakGlass, id, nil
		case !errors.Is(err, sql.ErrNoRows):
			return records.RuleNone, "", internal("authorize", err)
		}
	}
	return records.RuleNone, "", nil
}

// noBreakGlass refuses, with a denied record, an action that emergency access
// does not cover: break the glass is for reading and care in an emergency, not
// for changing consents, closing trajectories (which destroys personal working
// notes) or disclosing.
func (w *wtx) noBreakGlass(g grant, kind string, ids []string, action records.Action) error {
	if g.rule != records.RuleBreakGlass {
		return nil
	}
	return w.deny(entry{actor: g.actor, clientID: g.clientID, kind: kind, ids: ids, action: action, purpose: g.purpose},
		"emergency access does not allow this; ask a professional on the client's caseload")
}

// officer lets only the data officer (and nabij itself) through, writing a
// denied record otherwise, and checks that the client exists.
func (w *wtx) officer(a records.Actor, clientID, kind string, action records.Action, purpose records.Purpose) (grant, error) {
	if a.Role != records.RoleDataOfficer && !a.IsSystem() {
		return grant{}, w.deny(entry{actor: a, clientID: clientID, kind: kind, action: action, purpose: purposeFor(a)},
			"only the data officer does this")
	}
	if clientID != "" && !w.clientExists(clientID) {
		return grant{}, notFound("client")
	}
	rule := records.RuleAudit
	if a.IsSystem() {
		rule = records.RuleSystem
	}
	return grant{actor: a, clientID: clientID, rule: rule, purpose: purpose}, nil
}
