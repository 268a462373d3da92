package records_test

import (
	"strings"
	"testing"
	"time"

	"github.com/nabij/nabij/records"
)

func TestCaseloadQuery(t *testing.T) {
	day := func(d int) *time.Time { t := time.Date(2026, 12, d, 10, 0, 0, 0, time.UTC); return &t }
	list := []records.CaseloadEntry{
		{CaseCode: "K-1", Name: "Noor El Amrani", LastContact: day(1), NextContact: day(20)},
		{CaseCode: "K-2", Name: "Milan Peeters", LastContact: day(3), Changes: records.Changes{NeverOpened: true}},
		{CaseCode: "K-3", Name: "Ayla Noorman", NextContact: day(10), Changes: records.Changes{ConsentsWithdrawn: 1}},
		{CaseCode: "K-4", Name: "Émile Dubois"},
	}
	codes := func(es []records.CaseloadEntry) string {
		var out []string
		for _, e := range es {
			out = append(out, e.CaseCode)
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		name string
		q    records.CaseloadQuery
		want string
	}{
		{"All", records.CaseloadQuery{}, "K-1,K-2,K-3,K-4"},
		{"NameAnyCase", records.CaseloadQuery{Name: "  noor "}, "K-1,K-3"},
		{"NameAccent", records.CaseloadQuery{Name: "émile"}, "K-4"},
		{"NoMatch", records.CaseloadQuery{Name: "zz"}, ""},
		{"NextSoonestNoneLast", records.CaseloadQuery{Sort: records.SortNextContact}, "K-3,K-1,K-2,K-4"},
		{"LastNewestNoneLast", records.CaseloadQuery{Sort: records.SortLastContact}, "K-2,K-1,K-3,K-4"},
		{"NameAndSort", records.CaseloadQuery{Name: "noor", Sort: records.SortNextContact}, "K-3,K-1"},
		{"ChangedFirstThenNotOpened", records.CaseloadQuery{Sort: records.SortChanged}, "K-3,K-2,K-1,K-4"},
		{"OnlyChanged", records.CaseloadQuery{Changed: true}, "K-2,K-3"},
		{"OnlyChangedByName", records.CaseloadQuery{Changed: true, Name: "noor"}, "K-3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := tc.q
			if err := q.Validate(); err != nil {
				t.Fatal(err)
			}
			in := append([]records.CaseloadEntry(nil), list...)
			if got := codes(q.Apply(in)); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
	bad := records.CaseloadQuery{Sort: "name"}
	if err := bad.Validate(); records.ErrorCode(err) != records.EINVALID {
		t.Fatalf("sort by name: %v", err)
	}
}
