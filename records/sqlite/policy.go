package sqlite

import (
	"database/sql"
	"errors"
	"strings"

	"github.com/nabij/nabij/records"
)

// This file is the store's access policy: who may do what, as named checks,
// and the only code that makes a grant. A grant is what sealing and opening a
// client's fields need (sealerFor), so no code can reach a client's data
// without passing one of the rules below first. The gate test checks that
// grant values are made nowhere else.

// grant is what a rule found: the rule that lets the actor reach the client's
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

// valid reports whether g was made by a rule that allows access (the zero
// grant, or one refused, opens nothing).
func (g grant) valid() bool {
	return g.clientID != "" && g.rule != "" && g.rule != records.RuleNone
}

// Who does what. Each named check is one sentence of the policy; the store's
// methods ask these instead of comparing roles themselves.

// isProfessional: a professional (hulpverlener), who keeps a caseload.
func isProfessional(a records.Actor) bool { return a.Role == records.RoleProfessional }

// isClient: a client account, which reaches only its own file.
func isClient(a records.Actor) bool { return a.Role == records.RoleClient }

// isDataOfficer: the data officer, who audits and reads no note content.
func isDataOfficer(a records.Actor) bool { return a.Role == records.RoleDataOfficer }

// doesCare: professionals, and nabij itself, do the work of care: create
// clients, open and close trajectories, log contacts, write and correct notes.
func doesCare(a records.Actor) bool { return isProfessional(a) || a.IsSystem() }

// audits: the data officer, and nabij itself, run the audit and retention
// work: retention rules, legal holds, erasure decisions, statistics.
func audits(a records.Actor) bool { return isDataOfficer(a) || a.IsSystem() }

// administers: admins, and nabij itself, manage accounts, teams and caseloads;
// they read no client data.
func administers(a records.Actor) bool { return a.Role == records.RoleAdmin || a.IsSystem() }

// isStaff: professionals, data officers and admins, who name clients by case
// code; everyone but clients.
func isStaff(a records.Actor) bool {
	return isProfessional(a) || isDataOfficer(a) || administers(a)
}

// readsFileAccess: who may read a client's file now is shown to the client and
// to the professionals who work with them.
func readsFileAccess(a records.Actor) bool { return isClient(a) || isProfessional(a) }

// listsAccounts: admins manage the accounts, and the data officer audits them.
func listsAccounts(a records.Actor) bool { return administers(a) || isDataOfficer(a) }

// keepsToolRegister: admins and the data officer (and nabij itself) keep the
// register of digital tools; everyone signed in reads it.
func keepsToolRegister(a records.Actor) bool { return administers(a) || isDataOfficer(a) }

// recommendsTools: a professional recommends a self-help tool to a client
// they may reach.
func recommendsTools(a records.Actor) bool { return isProfessional(a) }

// recordsConsent: a professional records consent the client gave them; the
// client gives or withdraws consent in their own file.
func recordsConsent(a records.Actor) bool { return isProfessional(a) || isClient(a) }

// exportsOwnData: only the client downloads everything kept about them. Not
// nabij itself either: the export follows what the client may see, so no
// other actor builds it on their behalf.
func exportsOwnData(a records.Actor) bool { return isClient(a) }

// destroysData: only nabij itself destroys a client's key, for retention or an
// approved erasure request.
func destroysData(a records.Actor) bool { return a.IsSystem() }

// careOrOwnFile is the purpose a professional or the client reads or changes
// the file under: care, or the client's own file.
func careOrOwnFile(a records.Actor) records.Purpose {
	if isClient(a) {
		return records.PurposeOwnFile
	}
	return records.PurposeCare
}

// purposeFor is the purpose a refused request is recorded under: the one its
// role would have had.
func purposeFor(a records.Actor) records.Purpose {
	switch a.Role {
	case records.RoleClient:
		return records.PurposeOwnFile
	case records.RoleDataOfficer, records.RoleAdmin:
		return records.PurposeAudit
	case records.RoleNetwork:
		return records.PurposeNetwork
	}
	return records.PurposeCare
}

// auditRule is the rule the audit and retention work runs under: the data
// officer's audit role, or nabij itself.
func auditRule(a records.Actor) records.Rule {
	if a.IsSystem() {
		return records.RuleSystem
	}
	return records.RuleAudit
}

// currentAssignmentSQL is the caseload rule's time condition: caseload row l
// holds at the time bound to ?T. Both the access rule and the caseload
// overview use it, so they cannot drift apart.
const currentAssignmentSQL = `l.from_at <= ?T AND (l.to_at IS NULL OR l.to_at > ?T)`

func currentAssignmentAt(param string) string {
	return strings.ReplaceAll(currentAssignmentSQL, "?T", param)
}

// caseloadRuleSQL is the caseload rule itself: for client ?1, user ?2 at time
// ?3, whether the client is on the user's own caseload, and whether on the
// caseload of a team the user is in.
var caseloadRuleSQL = `SELECT
	EXISTS(SELECT 1 FROM caseload l WHERE l.client_id = ?1 AND l.user_id = ?2 AND ` + currentAssignmentAt("?3") + `),
	EXISTS(SELECT 1 FROM caseload l JOIN team_members m ON m.team_id = l.team_id
	       WHERE l.client_id = ?1 AND m.user_id = ?2 AND ` + currentAssignmentAt("?3") + `)`

// authorize decides, inside the job's transaction, which rule lets the actor
// reach the client's data for this purpose: professionals only clients on
// their caseload or under break the glass, clients only their own file. When
// no rule applies it writes a denied access record and returns EFORBIDDEN. A
// client that does not exist is refused the same way, so ids cannot be probed.
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
	if w.snap != nil {
		// Decided in a snapshot: the writer decides it again (snapshot.go).
		w.snap.grants = append(w.snap.grants, snapGrant{g: g, kind: kind, action: action, purpose: purpose})
	}
	return g, nil
}

// rule finds the rule that lets the actor reach the client, RuleNone if none:
//   - a client reaches only their own file;
//   - a professional reaches clients on their caseload (directly or through a
//     team), or under an unexpired break-the-glass grant;
//   - data officers and admins never reach client data through this path;
//   - nor do network members: they read the plan only, through networkMember.
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
	case isClient(a):
		if a.ClientID != "" && a.ClientID == clientID {
			return records.RuleOwnFile, "", nil
		}
	case isProfessional(a):
		var direct, team bool
		if err := w.queryRow(caseloadRuleSQL, clientID, a.UserID, now).Scan(&direct, &team); err != nil {
			return records.RuleNone, "", internal("authorize", err)
		}
		if direct {
			return records.RuleCaseload, "", nil
		}
		if team {
			return records.RuleTeamCaseload, "", nil
		}
		var id string
		err := w.queryRow(`SELECT id FROM break_glass WHERE user_id = ? AND client_id = ? AND granted_at <= ? AND expires_at > ?
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
// denied record otherwise, and checks that the client exists. With clientID ""
// the grant covers the officer's look over all clients; forClient narrows it.
func (w *wtx) officer(a records.Actor, clientID, kind string, action records.Action, purpose records.Purpose) (grant, error) {
	if !audits(a) {
		return grant{}, w.deny(entry{actor: a, clientID: clientID, kind: kind, action: action, purpose: purposeFor(a)},
			"only the data officer does this")
	}
	if clientID != "" && !w.clientExists(clientID) {
		return grant{}, notFound("client")
	}
	return grant{actor: a, clientID: clientID, rule: auditRule(a), purpose: purpose}, nil
}

// forClient narrows an officer's grant to one client of a listing, recorded
// under the data officer's audit rule.
func (g grant) forClient(clientID string) grant {
	if g.rule != records.RuleAudit && g.rule != records.RuleSystem {
		return grant{}
	}
	return grant{actor: g.actor, clientID: clientID, rule: records.RuleAudit, purpose: g.purpose}
}

// creator is the grant of whoever creates a client: a professional, who takes
// the new client on their caseload, or nabij itself. Others get a denied record.
func (w *wtx) creator(a records.Actor, clientID string) (grant, error) {
	if !doesCare(a) {
		return grant{}, w.deny(entry{actor: a, kind: "client", action: records.ActionCreate, purpose: records.PurposeCare},
			"only professionals create clients")
	}
	rule := records.RuleSystem
	if isProfessional(a) {
		rule = records.RuleCaseload
	}
	return grant{actor: a, clientID: clientID, rule: rule, purpose: records.PurposeCare}, nil
}

// breakGlass is the emergency-access rule: a professional reaches an existing
// client who is not on their caseload, for a stated reason, for a limited
// time. Others (and unknown clients) get a denied record; ECONFLICT when the
// client is on the caseload already.
func (w *wtx) breakGlass(a records.Actor, clientID, grantID string) (grant, error) {
	rule, _, err := w.rule(a, clientID)
	if err != nil {
		return grant{}, err
	}
	if !isProfessional(a) || rule == records.RuleNone && !w.clientExists(clientID) {
		return grant{}, w.deny(entry{actor: a, clientID: clientID, kind: "break_glass", action: records.ActionCreate, purpose: records.PurposeBreakGlass},
			"only professionals can use emergency access, to an existing client")
	}
	if rule == records.RuleCaseload || rule == records.RuleTeamCaseload {
		return grant{}, conflict("this client is on your caseload already")
	}
	return grant{actor: a, clientID: clientID, rule: records.RuleBreakGlass, grantID: grantID, purpose: records.PurposeBreakGlass}, nil
}

// onCaseload is the grant of a client listed on the professional's caseload
// overview, under the rule (caseload or team caseload) the listing found with
// currentAssignmentSQL.
func onCaseload(a records.Actor, clientID string, rule records.Rule) grant {
	if !isProfessional(a) || (rule != records.RuleCaseload && rule != records.RuleTeamCaseload) {
		return grant{}
	}
	return grant{actor: a, clientID: clientID, rule: rule, purpose: records.PurposeCaseload}
}

// byConsent is the grant of a client counted in the anonymised statistics under
// their statistics consent.
func (g grant) byConsent(clientID string) grant {
	if g.rule != records.RuleAudit && g.rule != records.RuleSystem {
		return grant{}
	}
	return grant{actor: g.actor, clientID: clientID, rule: records.RuleConsent, purpose: records.PurposeStatistics}
}

// asSystem is nabij's own grant for its retention and erasure work on a
// client: destroying what is due, never returning content.
func asSystem(clientID string, purpose records.Purpose) grant {
	return grant{actor: records.System(), clientID: clientID, rule: records.RuleSystem, purpose: purpose}
}

// isNetwork: a person from a client's network whom the client invited; they
// read that client's plan and nothing else.
func isNetwork(a records.Actor) bool { return a.Role == records.RoleNetwork }

// ownsPlan: only the client writes their question, goals and steps, decides
// on proposals and keeps their network.
func ownsPlan(a records.Actor) bool { return isClient(a) }

// joinsPlan: a professional comments on goals and proposes goals (on a
// client they may reach, which authorize checks).
func joinsPlan(a records.Actor) bool { return isProfessional(a) }

// readsPlan: the client, and professionals who may reach the client, read
// the plan through authorize; network members through networkMember.
func readsPlan(a records.Actor) bool { return isClient(a) || isProfessional(a) }

// networkMember is the network rule: a network member reaches the plan of
// the client who invited them, while the client has not ended that access.
// It names the client itself, so a member cannot ask for anyone else's. A
// member whose access ended gets a denied record on the client they were
// with, so that client sees the attempt; anyone else a denied record.
func (w *wtx) networkMember(a records.Actor) (grant, error) {
	var clientID string
	var ended sql.NullInt64
	err := w.queryRow(`SELECT client_id, ended_at FROM network_members WHERE user_id = ?`, a.UserID).Scan(&clientID, &ended)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return grant{}, internal("network rule", err)
	}
	if !isNetwork(a) || err != nil || ended.Valid {
		return grant{}, w.deny(entry{actor: a, clientID: clientID, kind: records.KindPlan, action: records.ActionRead, purpose: records.PurposeNetwork},
			"only a network member the client invited reads the plan, until the client ends it")
	}
	return grant{actor: a, clientID: clientID, rule: records.RuleNetwork, purpose: records.PurposeNetwork}, nil
}
