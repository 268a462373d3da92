package records

import (
	"time"
)

// Action is what was done with client data.
type Action string

const (
	ActionRead    Action = "read"
	ActionCreate  Action = "create"
	ActionCorrect Action = "correct"
	ActionExport  Action = "export"
	ActionDestroy Action = "destroy"
)

// Outcome says whether the action was allowed.
type Outcome string

const (
	OutcomeOK     Outcome = "ok"
	OutcomeDenied Outcome = "denied"
)

// AccessRecord is one entry of the access log: who (user, role), what (client,
// record kind, record ids), the action, why (purpose), which rule allowed it, when,
// from where, and the outcome. It holds ids and codes only: never names or text.
type AccessRecord struct {
	Seq        int64     `json:"seq"`
	ID         string    `json:"id"`
	At         time.Time `json:"at"`
	ActorID    string    `json:"actor_id"`
	ActorRole  Role      `json:"actor_role"`
	ClientID   string    `json:"client_id"`
	RecordKind string    `json:"record_kind"`
	RecordIDs  []string  `json:"record_ids"`
	Action     Action    `json:"action"`
	Purpose    Purpose   `json:"purpose"`
	Rule       Rule      `json:"rule"`
	GrantID    string    `json:"grant_id,omitempty"` // the break-the-glass grant, when that rule applied
	Remote     string    `json:"remote,omitempty"`
	Outcome    Outcome   `json:"outcome"`
	PrevHash   []byte    `json:"-"`
	Hash       []byte    `json:"-"`
}

// BreakGlass reports whether emergency access was used.
func (r *AccessRecord) BreakGlass() bool { return r.Rule == RuleBreakGlass }
