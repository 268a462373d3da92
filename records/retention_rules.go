package records

import (
	"context"
	"database/sql"
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
	// (rule 7). They hold ids and codes only; retention never deletes them, and
	// they become anonymous when the client's key is destroyed.
	KindAccessRecord = "access_record"
)

// RetentionKinds lists every kind a rule can name, in display order.
var RetentionKinds = []string{KindNoteShared, KindNoteRestricted, KindNotePersonal, KindContact, KindTrajectory,
	KindEntry, KindDisclosure, KindAccessRecord}

// Retention bases and actions.
const (
	BasisAfterClose    = "after_close"    // the period runs from the trajectory's close (client-level kinds: the last close)
	BasisAfterCreation = "after_creation" // the period runs from the record's creation
	ActionDestroyRows  = "destroy"
	ActionAnonymise    = "anonymise" // contacts only: kept as channel, month and duration without the client
)

// RetentionRule says how long records of a kind are kept and what happens then.
// MaxDays, when set, caps the time after creation whatever the basis (personal
// working notes: at the trajectory's close, or after at most MaxDays).
type RetentionRule struct {
	Kind      string     `json:"kind"`
	Basis     string     `json:"basis"`
	Years     int        `json:"years"`
	Days      int        `json:"days"`
	MaxDays   *int       `json:"max_days,omitempty"`
	Action    string     `json:"action"`
	Source    string     `json:"source,omitempty"`
	UpdatedBy string     `json:"updated_by,omitempty"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

// String describes the rule for a purge report (no content, only the rule).
func (r RetentionRule) String() string {
	s := fmt.Sprintf("%s: %dy%dd %s", r.Kind, r.Years, r.Days, strings.ReplaceAll(r.Basis, "_", " "))
	if r.MaxDays != nil {
		s += fmt.Sprintf(", at most %dd after creation", *r.MaxDays)
	}
	return s + ", " + r.Action
}

// StoredRetentionRules returns the rules the data officer set (kinds without a
// stored rule are absent: package consent fills in its defaults). Not client data.
func (s *Store) StoredRetentionRules(ctx context.Context) (map[string]RetentionRule, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT kind, basis, years, days, max_days, action, source, updated_by, updated_at FROM retention_rules`)
	if err != nil {
		return nil, internal("retention rules", err)
	}
	defer rows.Close()
	out := map[string]RetentionRule{}
	for rows.Next() {
		var r RetentionRule
		var maxDays sql.NullInt64
		var at int64
		if err := rows.Scan(&r.Kind, &r.Basis, &r.Years, &r.Days, &maxDays, &r.Action, &r.Source, &r.UpdatedBy, &at); err != nil {
			return nil, internal("retention rules", err)
		}
		if maxDays.Valid {
			v := int(maxDays.Int64)
			r.MaxDays = &v
		}
		t := fromMS(at)
		r.UpdatedAt = &t
		out[r.Kind] = r
	}
	return out, rows.Err()
}

// SetRetentionRules stores rules (validated by package consent), replacing the
// stored rule of each kind given. Only the data officer. The change is recorded.
func (s *Store) SetRetentionRules(ctx context.Context, a Actor, rules []RetentionRule) error {
	return s.write(ctx, func(w *wtx) error {
		if a.Role != RoleDataOfficer && a != System {
			return w.deny(entry{actor: a, kind: "retention_rule", action: ActionCorrect, purpose: PurposeAudit},
				"only the data officer sets retention rules")
		}
		kinds := make([]string, 0, len(rules))
		for _, r := range rules {
			if _, err := w.exec(`INSERT INTO retention_rules (kind, basis, years, days, max_days, action, source, updated_by, updated_at)
				VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(kind) DO UPDATE SET basis = excluded.basis, years = excluded.years,
				days = excluded.days, max_days = excluded.max_days, action = excluded.action, source = excluded.source,
				updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
				r.Kind, r.Basis, r.Years, r.Days, r.MaxDays, r.Action, r.Source, a.UserID, ms(w.now)); err != nil {
				return internal("set retention rule", err)
			}
			kinds = append(kinds, r.Kind)
		}
		rule := RuleAudit
		if a == System {
			rule = RuleSystem
		}
		return w.record(entry{actor: a, kind: "retention_rule", ids: kinds, action: ActionCorrect, purpose: PurposeRetention,
			rule: rule, outcome: OutcomeOK})
	})
}
