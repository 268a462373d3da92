package records

import (
	"context"
	"strings"
	"time"
)

// BreakGlassDuration is how long an emergency grant lasts.
const BreakGlassDuration = 4 * time.Hour

// Grant is a break-the-glass grant: time-limited access to a client outside the
// professional's caseload, with a reason. It is flagged to the data officer and
// shown to the client.
type Grant struct {
	ID        string    `json:"id"`
	UserID    string    `json:"user_id"`
	ClientID  string    `json:"client_id"`
	Reason    string    `json:"reason"`
	GrantedAt time.Time `json:"granted_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// BreakGlass gives a professional emergency access to a client who is not on
// their caseload, for BreakGlassDuration. The reason is sealed with the client's
// key. EINVALID without a reason; EFORBIDDEN (with a denied record) for other
// roles or an unknown client; ECONFLICT when the client is on the caseload already.
func (s *Store) BreakGlass(ctx context.Context, a Actor, clientID, reason string) (*Grant, error) {
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) < 10 {
		return nil, invalid("reason", "say in at least 10 characters why you need emergency access")
	}
	if err := checkText("reason", reason, 500); err != nil {
		return nil, err
	}
	g := &Grant{ID: newID(), UserID: a.UserID, ClientID: clientID, Reason: reason}
	err := s.write(ctx, func(w *wtx) error {
		rule, _, err := w.rule(a, clientID)
		if err != nil {
			return err
		}
		if a.Role != RoleProfessional || rule == RuleNone && !w.clientExists(clientID) {
			return w.deny(entry{actor: a, clientID: clientID, kind: "break_glass", action: ActionCreate, purpose: PurposeBreakGlass},
				"only professionals can use emergency access, to an existing client")
		}
		if rule == RuleCaseload || rule == RuleTeamCaseload {
			return conflict("this client is on your caseload already")
		}
		sl, err := w.sealerFor(clientID)
		if err != nil {
			return err
		}
		g.GrantedAt = fromMS(ms(w.now))
		g.ExpiresAt = g.GrantedAt.Add(BreakGlassDuration)
		if _, err := w.exec(`INSERT INTO break_glass (id, user_id, client_id, reason_sealed, granted_at, expires_at) VALUES (?,?,?,?,?,?)`,
			g.ID, a.UserID, clientID, sl.seal("break_glass", "reason", g.ID, reason), ms(g.GrantedAt), ms(g.ExpiresAt)); err != nil {
			return internal("break glass", err)
		}
		return w.record(entry{actor: a, clientID: clientID, kind: "break_glass", ids: []string{g.ID}, action: ActionCreate,
			purpose: PurposeBreakGlass, rule: RuleBreakGlass, grantID: g.ID, outcome: OutcomeOK})
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

func (w *wtx) clientExists(clientID string) bool {
	var ok bool
	_ = w.queryRow(`SELECT EXISTS(SELECT 1 FROM clients WHERE id = ?)`, clientID).Scan(&ok)
	return ok
}
