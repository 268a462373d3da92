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
}
