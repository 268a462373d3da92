package sqlite

import (
	"database/sql"
	"errors"

	"github.com/nabij/nabij/records"
)

// Administrative and security events are access records in the same chain as
// reads, written in the same transaction as the change they describe: when the
// record cannot be written the change does not happen. They hold ids only:
// never names, passwords, secrets or codes.

// adminEvent is the record of a change an admin (or nabij itself) made to
// accounts, teams or caseloads. clientID is the client concerned, "" when
// there is none.
func adminEvent(a records.Actor, clientID, kind string, ids []string, action records.Action) entry {
	rule := records.RuleAdmin
	if a.IsSystem() {
		rule = records.RuleSystem
	}
	return entry{actor: a, clientID: clientID, kind: kind, ids: ids, action: action,
		purpose: records.PurposeAdministration, rule: rule, outcome: records.OutcomeOK}
}

// accountOwner is the account as the actor of its own security events
// (signing in, setting its password or second factor), with the client it is
// when it is a client account. ENOTFOUND when there is no such account.
func (w *wtx) accountOwner(userID string) (records.Actor, error) {
	var role, clientID string
	err := w.queryRow(`SELECT role, COALESCE(client_id, '') FROM users WHERE id = ?`, userID).Scan(&role, &clientID)
	if errors.Is(err, sql.ErrNoRows) {
		return records.Actor{}, notFound("user")
	}
	if err != nil {
		return records.Actor{}, internal("account", err)
	}
	return records.Actor{UserID: userID, Role: records.Role(role), ClientID: clientID}, nil
}

// ownAccountEvent is the record of a security event on one's own account. The
// client concerned is the account's client, so a client sees sign-ins to and
// changes of their own account.
func ownAccountEvent(owner records.Actor, kind string, action records.Action, outcome records.Outcome) entry {
	rule := records.RuleOwnAccount
	if outcome != records.OutcomeOK {
		rule = records.RuleNone
	}
	return entry{actor: owner, clientID: owner.ClientID, kind: kind, ids: []string{owner.UserID}, action: action,
		purpose: records.PurposeSecurity, rule: rule, outcome: outcome}
}
