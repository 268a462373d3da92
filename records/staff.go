package records

import (
	"context"
)

// Staff is what staff who read no client data work with: case codes instead
// of ids.
type Staff interface {
	// ClientCodes lists every client's case code: what the data officer and the
	// admin pick clients by. It reads no client data and writes no record.
	// EFORBIDDEN for clients.
	ClientCodes(ctx context.Context, a Actor) ([]ClientCode, error)
	// ClientByCode finds the client a case code names (in any spelling
	// NormalizeCaseCode accepts). EINVALID when it is no case code, ENOTFOUND
	// when no client has it, EFORBIDDEN for clients.
	ClientByCode(ctx context.Context, a Actor, code string) (string, error)
	// ReviewAnomaly marks the anomaly with this key (from Anomalies) reviewed,
	// with a note, and records that in the access log (kind anomalies, action
	// change) in the same transaction. Only the data officer. EINVALID for a
	// bad key or note, ENOTFOUND when the key names nothing, ECONFLICT when
	// reviewed already, EFORBIDDEN (with a denied record) for other roles.
	ReviewAnomaly(ctx context.Context, a Actor, key, note string) error
	// HandOver moves or shares the caseload of one professional with another
	// until a date, in one transaction: every client on From's own caseload
	// (not through a team) gets an assignment to To until in.Until, recorded
	// as a caseload grant on that client; a move also ends From's assignments
	// now (recorded as revokes) and gives them back from in.Until. Only
	// admins. EINVALID for bad input (either account not an active
	// professional), ENOTFOUND when From has no clients, EFORBIDDEN otherwise.
	HandOver(ctx context.Context, a Actor, in NewHandover) (*Handover, error)
	// Handovers lists handovers, newest first. Only admins; EFORBIDDEN otherwise.
	Handovers(ctx context.Context, a Actor) ([]Handover, error)
	// FileAccess lists who may read the client's file now: professionals and
	// teams on the caseload, with the end of a stand-in's access and whom they
	// stand in for. A read of the client's file (kind caseload), recorded;
	// the client for their own file, or a professional who may reach it.
	// EFORBIDDEN (with a denied record) otherwise.
	FileAccess(ctx context.Context, a Actor, clientID string) ([]StandIn, error)
}
