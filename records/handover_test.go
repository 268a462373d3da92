package records_test

import (
	"testing"
	"time"

	"github.com/nabij/nabij/records"
)

func TestHandoverDays(t *testing.T) {
	brussels, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		day       time.Time
		wantUntil time.Time
	}{
		{"UTC", time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 21, 0, 0, 0, 0, time.UTC)},
		{"Brussels", time.Date(2026, 12, 20, 0, 0, 0, 0, brussels), time.Date(2026, 12, 20, 23, 0, 0, 0, time.UTC)},
		{"SummerTime", time.Date(2026, 7, 1, 0, 0, 0, 0, brussels), time.Date(2026, 7, 1, 22, 0, 0, 0, time.UTC)},
		{"EndOfYear", time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"LeapDay", time.Date(2028, 2, 28, 0, 0, 0, 0, time.UTC), time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			until := records.HandoverUntil(tc.day)
			if !until.Equal(tc.wantUntil) {
				t.Fatalf("HandoverUntil = %s, want %s", until.UTC(), tc.wantUntil)
			}
			// The last day shows as the day given, in UTC and in Brussels.
			h := records.Handover{Until: until.UTC()}
			for _, loc := range []*time.Location{time.UTC, brussels} {
				if got, want := h.LastDay().In(loc).Format("2006-01-02"), tc.day.Format("2006-01-02"); got != want {
					t.Errorf("LastDay in %s = %s, want %s", loc, got, want)
				}
			}
			u := until.UTC()
			if got := (records.StandIn{Until: &u}).LastDay().Format("2006-01-02"); got != tc.day.Format("2006-01-02") {
				t.Errorf("StandIn.LastDay = %s", got)
			}
		})
	}
}
