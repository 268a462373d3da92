package records

import "time"

// PurgeItem is one line of a purge report: what was destroyed (or found due but
// held) of one client — kind, count, ids, the rule — never content.
type PurgeItem struct {
	ClientID  string   `json:"client_id"`
	Kind      string   `json:"kind"`
	Action    string   `json:"action"` // destroy, anonymise, held, no_birth_date
	Count     int      `json:"count"`
	RecordIDs []string `json:"record_ids"`
	Rule      string   `json:"rule"`
}

// Purge item actions that keep the records: a legal hold, or an until_age
// rule for a client whose birth date is not known (never destroyed early).
// Held lines are stored with a run that destroyed something of the client;
// no_birth_date lines only in the run's own report (the data officer runs a
// dry run to see them).
const (
	PurgeHeld        = "held"
	PurgeNoBirthDate = "no_birth_date"
)

// PurgeReport is the outcome of one retention run or one approved erasure.
type PurgeReport struct {
	RunID          string      `json:"run_id"`
	Trigger        string      `json:"trigger"` // retention or erasure
	At             time.Time   `json:"at"`
	DryRun         bool        `json:"dry_run"`
	ClientsChecked int         `json:"clients_checked"`
	KeysDestroyed  int         `json:"keys_destroyed"`
	WALTruncated   bool        `json:"wal_truncated"`
	Items          []PurgeItem `json:"items"`
}

// Totals counts the records the report destroyed (or, in a dry run, found due)
// and those a legal hold kept (not those kept for want of a birth date: see
// NoBirthDate).
func (r *PurgeReport) Totals() (destroyed, held int) {
	for _, it := range r.Items {
		switch it.Action {
		case PurgeHeld:
			held += it.Count
		case PurgeNoBirthDate:
		default:
			destroyed += it.Count
		}
	}
	return destroyed, held
}

// RetentionRun is the input to RunRetention. Rules and DueAt come from package
// consent (the policy); records applies them.
type RetentionRun struct {
	Rules []RetentionRule
	// DueAt is when a record is due: from its creation and, for after_close,
	// the close of its trajectory (nil while open), and for until_age the
	// client's birth date (nil when unknown). nil means never.
	DueAt  func(r RetentionRule, created time.Time, closed, born *time.Time) *time.Time
	DryRun bool
	// ClientIDs limits the run to these clients; empty means all.
	ClientIDs []string
}

// NoBirthDate counts the records an until_age rule kept because their client
// has no birth date.
func (r *PurgeReport) NoBirthDate() (n int) {
	for _, it := range r.Items {
		if it.Action == PurgeNoBirthDate {
			n += it.Count
		}
	}
	return n
}
