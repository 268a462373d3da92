package web

import (
	"strings"

	"github.com/nabij/nabij/records"
)

// ChangeWords says in a few words what changed in a client's file since the
// professional last opened it: "2 nieuwe berichten van de cliënt,
// toestemming ingetrokken". Counts and kinds only; "" when nothing changed.
func ChangeWords(c records.Changes, lang string) string {
	tr := renderer().Translator()
	var parts []string
	for _, k := range []struct {
		key string
		n   int
	}{
		{"caseload.changed_entries", c.Entries},
		{"caseload.changed_consents_withdrawn", c.ConsentsWithdrawn},
		{"caseload.changed_consents_given", c.ConsentsGiven},
		{"caseload.changed_emergency_access", c.EmergencyAccess},
		{"caseload.changed_disclosures", c.Disclosures},
		{"caseload.changed_plan", c.PlanChanges},
	} {
		if k.n > 0 {
			parts = append(parts, tr.N(lang, k.key, k.n, map[string]any{"Count": k.n}))
		}
	}
	return strings.Join(parts, ", ")
}
