package sqlite

import (
	"context"
	"database/sql"

	"github.com/nabij/nabij/records"
)

// StoredRetentionRules returns the rules the data officer set (kinds without a
// stored rule are absent: package consent fills in its defaults). Not client data.
// Returns EINTERNAL when the rules cannot be read.
func (s *Store) StoredRetentionRules(ctx context.Context) (map[string]records.RetentionRule, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT kind, basis, years, days, max_days, COALESCE(age, 0), action, source, updated_by, updated_at FROM retention_rules`)
	if err != nil {
		return nil, internal("retention rules", err)
	}
	defer rows.Close()
	out := map[string]records.RetentionRule{}
	for rows.Next() {
		var r records.RetentionRule
		var maxDays sql.NullInt64
		var at int64
		if err := rows.Scan(&r.Kind, &r.Basis, &r.Years, &r.Days, &maxDays, &r.Age, &r.Action, &r.Source, &r.UpdatedBy, &at); err != nil {
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
// EFORBIDDEN (with a denied record) for anyone but the data officer.
func (s *Store) SetRetentionRules(ctx context.Context, a records.Actor, rules []records.RetentionRule) error {
	return s.write(ctx, func(w *wtx) error {
		if !audits(a) {
			return w.deny(entry{actor: a, kind: records.KindRetentionRules, action: records.ActionChange, purpose: records.PurposeAudit},
				"only the data officer sets retention rules")
		}
		kinds := make([]string, 0, len(rules))
		for _, r := range rules {
			if _, err := w.exec(`INSERT INTO retention_rules (kind, basis, years, days, max_days, age, action, source, updated_by, updated_at)
				VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(kind) DO UPDATE SET basis = excluded.basis, years = excluded.years,
				days = excluded.days, max_days = excluded.max_days, age = excluded.age, action = excluded.action, source = excluded.source,
				updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
				r.Kind, r.Basis, r.Years, r.Days, r.MaxDays, ageOrNull(r), r.Action, r.Source, a.UserID, ms(w.now)); err != nil {
				return internal("set retention rule", err)
			}
			kinds = append(kinds, r.Kind)
		}
		rule := auditRule(a)
		return w.record(entry{actor: a, kind: records.KindRetentionRules, ids: kinds, action: records.ActionChange, purpose: records.PurposeRetention,
			rule: rule, outcome: records.OutcomeOK})
	})
}

// ageOrNull is the stored age of a rule: only until_age rules have one.
func ageOrNull(r records.RetentionRule) any {
	if r.Basis != records.BasisUntilAge {
		return nil
	}
	return r.Age
}
