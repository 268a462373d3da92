package records

import "context"

// RecordDenied writes a denied access record for a request refused at the edge
// (a role that never does this), so that every refusal is in the log. clientID
// may be "" when the request names no client.
func (s *Store) RecordDenied(ctx context.Context, a Actor, clientID, kind string, action Action) error {
	if !validAction(action) {
		action = ActionRead
	}
	return s.write(ctx, func(w *wtx) error {
		return w.record(entry{actor: a, clientID: clientID, kind: kind, action: action,
			purpose: purposeFor(a), rule: RuleNone, outcome: OutcomeDenied})
	})
}

// purposeFor is the purpose a refused request is recorded under: the one its
// role would have had.
func purposeFor(a Actor) Purpose {
	switch a.Role {
	case RoleClient:
		return PurposeOwnFile
	case RoleDataOfficer, RoleAdmin:
		return PurposeAudit
	}
	return PurposeCare
}
