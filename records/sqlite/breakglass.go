package sqlite

import (
	"context"
	"strings"

	"github.com/nabij/nabij/records"
)

// BreakGlass gives a professional emergency access to a client who is not on
// their caseload, for BreakGlassDuration. The reason is sealed with the client's
// key. EINVALID without a reason; EFORBIDDEN (with a denied record) for other
// roles or an unknown client; ECONFLICT when the client is on the caseload already.
func (s *Store) BreakGlass(ctx context.Context, a records.Actor, clientID, reason string) (*records.Grant, error) {
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) < 10 {
		return nil, invalid("reason", "say in at least 10 characters why you need emergency access")
	}
	if err := records.CheckText("reason", reason, 500); err != nil {
		return nil, err
	}
	g := &records.Grant{ID: newID(), UserID: a.UserID, ClientID: clientID, Reason: reason}
	err := s.write(ctx, func(w *wtx) error {
		bg, err := w.breakGlass(a, clientID, g.ID)
		if err != nil {
			return err
		}
		sl, err := w.sealerFor(bg)
		if err != nil {
			return err
		}
		g.GrantedAt = fromMS(ms(w.now))
		g.ExpiresAt = g.GrantedAt.Add(records.BreakGlassDuration)
		if _, err := w.exec(`INSERT INTO break_glass (id, user_id, client_id, reason_sealed, granted_at, expires_at) VALUES (?,?,?,?,?,?)`,
			g.ID, a.UserID, clientID, sl.seal("break_glass", "reason", g.ID, reason), ms(g.GrantedAt), ms(g.ExpiresAt)); err != nil {
			return internal("break glass", err)
		}
		return w.record(bg.entry("break_glass", []string{g.ID}, records.ActionCreate))
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
