package records

import (
	"sort"
	"strings"
	"time"
)

// CaseloadEntry is one client on a professional's caseload, with the flags the
// overview shows.
type CaseloadEntry struct {
	ClientID string `json:"client_id"`
	CaseCode string `json:"case_code"`
	Name     string `json:"name"`
	Rule     Rule   `json:"rule"` // caseload or team_caseload
	// ConsentMissing counts online contacts logged without consent for their channel.
	ConsentMissing   int        `json:"consent_missing"`
	LastContact      *time.Time `json:"last_contact,omitempty"`
	NextContact      *time.Time `json:"next_contact,omitempty"`
	OpenTrajectories int        `json:"open_trajectories"`
}

// Caseload orders.
const (
	SortNextContact = "next" // the next planned contact soonest first; none last
	SortLastContact = "last" // the most recent contact first; none last
)

// CaseloadQuery narrows and orders the caseload overview. Names are sealed,
// so the store filters by name only after opening them, and only on the
// professional's own caseload.
type CaseloadQuery struct {
	Name string // part of the name, in any case; "" for everyone
	Sort string // "", SortNextContact or SortLastContact
}

// Validate checks the query.
func (q *CaseloadQuery) Validate() error {
	q.Name = strings.TrimSpace(q.Name)
	if err := CheckText("q", q.Name, 100); err != nil {
		return err
	}
	switch q.Sort {
	case "", SortNextContact, SortLastContact:
		return nil
	}
	return invalid("sort", "sort must be next or last")
}

// Apply filters and orders entries (their names opened) as q says.
func (q CaseloadQuery) Apply(entries []CaseloadEntry) []CaseloadEntry {
	out := entries
	if q.Name != "" {
		want := strings.ToLower(q.Name)
		out = make([]CaseloadEntry, 0, len(entries))
		for _, e := range entries {
			if strings.Contains(strings.ToLower(e.Name), want) {
				out = append(out, e)
			}
		}
	}
	var key func(e CaseloadEntry) *time.Time
	switch q.Sort {
	case SortNextContact:
		key = func(e CaseloadEntry) *time.Time { return e.NextContact }
	case SortLastContact:
		key = func(e CaseloadEntry) *time.Time { return e.LastContact }
	default:
		return out
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := key(out[i]), key(out[j])
		switch {
		case a == nil || b == nil:
			return a != nil && b == nil
		case q.Sort == SortNextContact:
			return a.Before(*b)
		}
		return a.After(*b)
	})
	return out
}
