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
	// Changes is what happened in the file since this professional last
	// opened it: counts and kinds, never content.
	Changes Changes `json:"changes"`
}

// Changes counts what others did in a client's file since a professional
// last opened it (their own acts are not news to them). Another
// professional's ordinary reads are not changes; their emergency access is.
type Changes struct {
	// NeverOpened: this professional has not opened the file yet (then
	// nothing is counted: everything would be new).
	NeverOpened bool `json:"never_opened"`
	// LastLooked is when they last opened it.
	LastLooked        *time.Time `json:"last_looked,omitempty"`
	Entries           int        `json:"entries"`            // new entries by the client
	ConsentsGiven     int        `json:"consents_given"`     // consents recorded
	ConsentsWithdrawn int        `json:"consents_withdrawn"` // consents withdrawn
	Disclosures       int        `json:"disclosures"`        // records disclosed to a third party
	EmergencyAccess   int        `json:"emergency_access"`   // break the glass by someone else
	PlanChanges       int        `json:"plan_changes"`       // the client's plan written, changed or commented on
}

// Any reports whether something changed since the last look.
func (c Changes) Any() bool {
	return c.Entries+c.ConsentsGiven+c.ConsentsWithdrawn+c.Disclosures+c.EmergencyAccess+c.PlanChanges > 0
}

// Caseload orders.
const (
	SortNextContact = "next"    // the next planned contact soonest first; none last
	SortLastContact = "last"    // the most recent contact first; none last
	SortChanged     = "changed" // changed since the last look first, then files not opened yet
)

// CaseloadQuery narrows and orders the caseload overview. Names are sealed,
// so the store filters by name only after opening them, and only on the
// professional's own caseload.
type CaseloadQuery struct {
	Name string // part of the name, in any case; "" for everyone
	Sort string // "", SortNextContact, SortLastContact or SortChanged
	// Changed keeps only clients whose file changed since the last look or
	// was not opened yet.
	Changed bool
}

// Validate checks the query.
func (q *CaseloadQuery) Validate() error {
	q.Name = strings.TrimSpace(q.Name)
	if err := CheckText("q", q.Name, 100); err != nil {
		return err
	}
	switch q.Sort {
	case "", SortNextContact, SortLastContact, SortChanged:
		return nil
	}
	return invalid("sort", "sort must be next, last or changed")
}

// Apply filters and orders entries (their names opened) as q says.
func (q CaseloadQuery) Apply(entries []CaseloadEntry) []CaseloadEntry {
	out := entries
	if q.Name != "" || q.Changed {
		want := strings.ToLower(q.Name)
		out = make([]CaseloadEntry, 0, len(entries))
		for _, e := range entries {
			if strings.Contains(strings.ToLower(e.Name), want) && (!q.Changed || changeRank(e) < 2) {
				out = append(out, e)
			}
		}
	}
	var key func(e CaseloadEntry) *time.Time
	switch q.Sort {
	case SortChanged:
		sort.SliceStable(out, func(i, j int) bool { return changeRank(out[i]) < changeRank(out[j]) })
		return out
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

// changeRank orders "changed first": 0 changed since the last look, 1 not
// opened yet, 2 unchanged.
func changeRank(e CaseloadEntry) int {
	switch {
	case e.Changes.Any():
		return 0
	case e.Changes.NeverOpened:
		return 1
	}
	return 2
}

// ParseChangedOnly reads the "only changed" switch of a caseload query as
// pages and the API send it: "1" on, "" or "0" off; EINVALID otherwise.
func ParseChangedOnly(s string) (bool, error) {
	switch s {
	case "", "0":
		return false, nil
	case "1":
		return true, nil
	}
	return false, invalid("changed", "changed must be 1 or left out")
}
