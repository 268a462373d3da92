package records

import (
	"time"
)

// Action is what was done with client data, or, for administrative and
// security events, with an account, a grant of access or a setting.
type Action string

const (
	ActionRead    Action = "read"
	ActionCreate  Action = "create"
	ActionCorrect Action = "correct"
	ActionExport  Action = "export"
	ActionDestroy Action = "destroy"

	// Administrative and security events are access records in the same hash
	// chain as reads, so that nobody gives themselves access, or signs in,
	// without a record that the data officer and the client concerned see.
	ActionChange  Action = "change"   // a setting or an account changed (role, disabled, retention rules)
	ActionGrant   Action = "grant"    // access given: a caseload assigned, a team membership added
	ActionRevoke  Action = "revoke"   // access ended: a caseload ended, an account disabled
	ActionSignIn  Action = "sign_in"  // outcome ok, or denied for a wrong password or code
	ActionSignOut Action = "sign_out" // a session ended by its user
)

// Record kinds of administrative and security events. Reads of client data use
// the kind of what was read ("file", "outline", "note" …).
const (
	KindAccount        = "account"         // a user account: created, activated, disabled, enabled, role
	KindPassword       = "password"        // a password set, changed or reset; an activation code issued
	KindTOTP           = "totp"            // a second factor enrolled
	KindSession        = "session"         // a sign-in or sign-out
	KindCaseload       = "caseload"        // a caseload assignment
	KindTeam           = "team"            // a team or its membership
	KindRetentionRules = "retention_rules" // the retention rules
	KindLegalHold      = "legal_hold"      // a legal hold placed or lifted
	KindMasterKey      = "master_key"      // a master key rotation or retirement
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
