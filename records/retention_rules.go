package records

import (
	"fmt"
	"strings"
	"time"
)

// Retention kinds: what a retention rule applies to.
const (
	KindNoteShared     = "note_shared"
	KindNoteRestricted = "note_restricted"
	KindNotePersonal   = "note_personal"
	KindContact        = "contact"
	KindTrajectory     = "trajectory"
	KindEntry          = "entry"
	KindDisclosure     = "disclosure"
	// KindAccessRecord: access records are the append-only, hash-chained log
	// (tamper-evident, never edited). They hold ids and codes only; retention
	// never deletes them, and they become anonymous when the client's key is
	// destroyed.
	KindAccessRecord = "access_record"
)

// RetentionKinds lists every kind a rule can name, in display order.
var RetentionKinds = []string{KindNoteShared, KindNoteRestricted, KindNotePersonal, KindContact, KindTrajectory,
	KindEntry, KindDisclosure, KindAccessRecord}

// Retention bases and actions.
const (
	BasisAfterClose    = "after_close"    // the period runs from the trajectory's close (client-level kinds: the last close)
	BasisAfterCreation = "after_creation" // the period runs from the record's creation
	// BasisUntilAge keeps records until the client's Age-th birthday (Flemish
	// youth care: 35), never while their trajectory (for client-level kinds:
	// any trajectory) is open, and at least Years and Days after its close
	// (zero: no minimum). A client without a birth date keeps the records:
	// the rule cannot be applied, and the run reports it.
	BasisUntilAge     = "until_age"
	ActionDestroyRows = "destroy"
	ActionAnonymise   = "anonymise" // contacts only: kept as channel, month and duration without the client
)

// RetentionRule says how long records of a kind are kept and what happens then.
// MaxDays, when set, caps the time after creation whatever the basis (personal
// working notes: at the trajectory's close, or after at most MaxDays).
type RetentionRule struct {
	Kind      string     `json:"kind"`
	Basis     string     `json:"basis"`
	Years     int        `json:"years"`
	Days      int        `json:"days"`
	Age       int        `json:"age,omitempty"` // until_age only: the birthday (1–120)
	MaxDays   *int       `json:"max_days,omitempty"`
	Action    string     `json:"action"`
	Source    string     `json:"source,omitempty"`
	UpdatedBy string     `json:"updated_by,omitempty"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

// String describes the rule for a purge report (no content, only the rule).
func (r RetentionRule) String() string {
	s := fmt.Sprintf("%s: %dy%dd %s", r.Kind, r.Years, r.Days, strings.ReplaceAll(r.Basis, "_", " "))
	if r.Basis == BasisUntilAge {
		s = fmt.Sprintf("%s: until the client turns %d, at least %dy%dd after close", r.Kind, r.Age, r.Years, r.Days)
	}
	if r.MaxDays != nil {
		s += fmt.Sprintf(", at most %dd after creation", *r.MaxDays)
	}
	return s + ", " + r.Action
}
