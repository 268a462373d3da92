package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/nabij/nabij/records"
)

const onlyClientNetwork = "only the client keeps their own network"

// AddNetworkMember names a person of the client's network, every field
// sealed with the client's key.
func (s *Store) AddNetworkMember(ctx context.Context, a records.Actor, clientID string, in records.NewNetworkMember) (*records.NetworkMember, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	m := &records.NetworkMember{ID: newID(), ClientID: clientID, Name: in.Name, Relation: in.Relation, Reach: in.Reach, HelpsWith: in.HelpsWith}
	err := s.planWrite(ctx, a, clientID, records.KindNetwork, records.ActionCreate, ownsPlan, onlyClientNetwork, func(w *wtx, sl sealer) ([]string, error) {
		m.CreatedAt = fromMS(ms(w.now))
		_, err := w.exec(`INSERT INTO network_members (id, client_id, name_sealed, relation_sealed, reach_sealed, helps_sealed, created_at)
			VALUES (?,?,?,?,?,?,?)`, m.ID, clientID,
			sl.seal("network_members", "name", m.ID, m.Name), sl.seal("network_members", "relation", m.ID, m.Relation),
			sl.seal("network_members", "reach", m.ID, m.Reach), sl.seal("network_members", "helps", m.ID, m.HelpsWith), ms(w.now))
		if err != nil {
			return nil, internal("network: add", err)
		}
		return []string{m.ID}, nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// NetworkMembers lists the client's network, oldest first, for the client.
func (s *Store) NetworkMembers(ctx context.Context, a records.Actor, clientID string) ([]records.NetworkMember, error) {
	var out []records.NetworkMember
	spec := readSpec{actor: a, clientID: clientID, purpose: records.PurposeOwnFile, kind: records.KindNetwork, action: records.ActionRead,
		may: ownsPlan, refusal: onlyClientNetwork}
	err := s.readClient(ctx, spec, func(w *wtx, g grant, u *unsealing) (ids []string, err error) {
		out, ids, err = w.readNetwork(g, u)
		return ids, err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// readNetwork reads the people of g's client's network inside the gate and
// queues their texts; it returns the member ids, for the access record.
func (w *wtx) readNetwork(g grant, u *unsealing) ([]records.NetworkMember, []string, error) {
	if err := u.add(w, g); err != nil {
		return nil, nil, err
	}
	clientID := g.clientID
	rows, err := w.query(`SELECT m.id, m.name_sealed, m.relation_sealed, m.reach_sealed, m.helps_sealed, m.created_at,
		COALESCE(m.user_id, ''), COALESCE(u.username, ''), m.ended_at, COALESCE(u.password_hash, '')
		FROM network_members m LEFT JOIN users u ON u.id = m.user_id WHERE m.client_id = ? ORDER BY m.created_at, m.id`, clientID)
	if err != nil {
		return nil, nil, internal("network: list", err)
	}
	out := []records.NetworkMember{}
	var sealed [][4][]byte
	for rows.Next() {
		m := records.NetworkMember{ClientID: clientID}
		var f [4][]byte
		var at int64
		var ended sql.NullInt64
		var hash string
		if err := rows.Scan(&m.ID, &f[0], &f[1], &f[2], &f[3], &at, &m.UserID, &m.Username, &ended, &hash); err != nil {
			rows.Close()
			return nil, nil, internal("network: list", err)
		}
		m.CreatedAt, m.EndedAt = fromMS(at), fromNullMS(ended)
		m.Active = m.UserID != "" && !ended.Valid
		m.ActivationPending = m.Active && hash == ""
		out = append(out, m)
		sealed = append(sealed, f)
	}
	rows.Close()
	var fields []sealedField
	ids := make([]string, 0, len(out))
	for i := range out {
		m := &out[i]
		fields = append(fields,
			sealedField{"network_members", "name", m.ID, sealed[i][0], &m.Name},
			sealedField{"network_members", "relation", m.ID, sealed[i][1], &m.Relation},
			sealedField{"network_members", "reach", m.ID, sealed[i][2], &m.Reach},
			sealedField{"network_members", "helps", m.ID, sealed[i][3], &m.HelpsWith})
		ids = append(ids, m.ID)
	}
	return out, ids, u.add(w, g, fields...)
}

// networkMemberOf returns a member's account id and end time; ENOTFOUND when
// the member is not of clientID.
func (w *wtx) networkMemberOf(clientID, memberID string) (string, sql.NullInt64, error) {
	var owner, userID string
	var ended sql.NullInt64
	err := w.queryRow(`SELECT client_id, COALESCE(user_id, ''), ended_at FROM network_members WHERE id = ?`, memberID).Scan(&owner, &userID, &ended)
	if errors.Is(err, sql.ErrNoRows) || err == nil && owner != clientID {
		return "", ended, notFound("network member")
	}
	if err != nil {
		return "", ended, internal("network: member", err)
	}
	return userID, ended, nil
}

// InviteNetworkMember makes the member's account of role network, which its
// holder activates with the code. The account holds no name (the member's
// name is sealed in the client's network) and is linked to the client only
// through network_members, so it is no client account and no rule but the
// network rule lets it in.
func (s *Store) InviteNetworkMember(ctx context.Context, a records.Actor, clientID, memberID, username string, codeHash []byte) (*records.User, error) {
	nu := records.NewUser{Username: username, Role: records.RoleProfessional, ActivationCodeHash: codeHash}
	if err := nu.Validate(); err != nil { // the username's and code's checks; the role is set below
		return nil, err
	}
	u := &records.User{ID: newID(), Username: nu.Username, Role: records.RoleNetwork, ActivationPending: true}
	err := s.planWrite(ctx, a, clientID, records.KindNetwork, records.ActionGrant, ownsPlan, onlyClientNetwork, func(w *wtx, _ sealer) ([]string, error) {
		userID, ended, err := w.networkMemberOf(clientID, memberID)
		if err != nil {
			return nil, err
		}
		if userID != "" || ended.Valid {
			return nil, conflict("this person was invited already")
		}
		var taken bool
		if err := w.queryRow(`SELECT EXISTS(SELECT 1 FROM users WHERE username = ?)`, u.Username).Scan(&taken); err != nil {
			return nil, internal("network: invite", err)
		}
		if taken {
			return nil, conflict("username %s is taken", u.Username)
		}
		u.CreatedAt = fromMS(ms(w.now))
		if _, err := w.exec(`INSERT INTO users (id, username, role, display_name, password_hash, created_at) VALUES (?,?,?,?,?,?)`,
			u.ID, u.Username, string(u.Role), "", "", ms(w.now)); err != nil {
			return nil, internal("network: invite", err)
		}
		if err := w.putActivationCode(a, u.ID, codeHash); err != nil {
			return nil, err
		}
		if _, err := w.exec(`UPDATE network_members SET user_id = ? WHERE id = ?`, u.ID, memberID); err != nil {
			return nil, internal("network: invite", err)
		}
		return []string{memberID, u.ID}, nil
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// NewNetworkCode replaces the activation code of an invited member who has
// not activated their account (the code was lost or has expired): the old
// code stops working, as the row holding its hash is overwritten, in one
// transaction with the access record, which is the invitation's (network,
// grant): a new code is a new key to the plan.
func (s *Store) NewNetworkCode(ctx context.Context, a records.Actor, clientID, memberID string, codeHash []byte) (*records.User, error) {
	if len(codeHash) == 0 {
		return nil, invalid("code", "no activation code")
	}
	var u *records.User
	err := s.planWrite(ctx, a, clientID, records.KindNetwork, records.ActionGrant, ownsPlan, onlyClientNetwork, func(w *wtx, _ sealer) ([]string, error) {
		userID, ended, err := w.networkMemberOf(clientID, memberID)
		if err != nil {
			return nil, err
		}
		if userID == "" || ended.Valid {
			return nil, conflict("this person has no invitation to renew")
		}
		var username, hash string
		var created int64
		if err := w.queryRow(`SELECT username, password_hash, created_at FROM users WHERE id = ?`, userID).Scan(&username, &hash, &created); err != nil {
			return nil, internal("network: new code", err)
		}
		if hash != "" {
			return nil, conflict("this person has activated their account already; they change their own password")
		}
		if err := w.putActivationCode(a, userID, codeHash); err != nil {
			return nil, err
		}
		u = &records.User{ID: userID, Username: username, Role: records.RoleNetwork, ActivationPending: true, CreatedAt: fromMS(created)}
		return []string{memberID, userID}, nil
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// EndNetworkAccess ends a member's access at once: the account is disabled,
// its refresh tokens revoked and its sessions ended, in one transaction with
// the access record (action revoke).
func (s *Store) EndNetworkAccess(ctx context.Context, a records.Actor, clientID, memberID string) error {
	return s.planWrite(ctx, a, clientID, records.KindNetwork, records.ActionRevoke, ownsPlan, onlyClientNetwork, func(w *wtx, _ sealer) ([]string, error) {
		userID, ended, err := w.networkMemberOf(clientID, memberID)
		if err != nil {
			return nil, err
		}
		if userID == "" || ended.Valid {
			return nil, conflict("this person has no access to end")
		}
		now := ms(w.now)
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`UPDATE network_members SET ended_at = ? WHERE id = ?`, []any{now, memberID}},
			{`UPDATE users SET disabled = 1 WHERE id = ?`, []any{userID}},
			{`UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, []any{now, userID}},
			{`UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL`, []any{now, userID}},
		} {
			if _, err := w.exec(q.sql, q.args...); err != nil {
				return nil, internal("network: end access", err)
			}
		}
		return []string{memberID, userID}, nil
	})
}
