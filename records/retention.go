package records

import "time"

// PurgeItem is one line of a purge report: what was destroyed (or found due but
// held) of one client — kind, count, ids, the rule — never content.
type PurgeItem struct {
	ClientID  string   `json:"client_id"`
	Kind      string   `json:"kind"`
	Action    string   `json:"action"` // destroy, anonymise, held
	Count     int      `json:"count"`
	RecordIDs []string `json:"record_ids"`
	Rule      string   `json:"rule"`
}

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
// and those a legal hold kept.
func (r *PurgeReport) Totals() (destroyed, held int) {
	for _, it := range r.Items {
		if it.Action == "held" {
			held += it.Count
		} else {
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
	// the close of its trajectory (nil while open). nil means never.
	DueAt  func(r RetentionRule, created time.Time, closed *time.Time) *time.Time
	DryRun bool
	// ClientIDs limits the run to these clients; empty means all.
	ClientIDs []string
}
