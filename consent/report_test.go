package consent_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nabij/nabij/consent"
	"github.com/nabij/nabij/records"
)

// reportData makes n clients with one office contact each in November and,
// for the first online of them, a video follow-up; and one client with a
// phone contact (a small cell).
func reportData(n, online int) *records.BlendedData {
	d := &records.BlendedData{From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Scope: "organisation"}
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("client-%02d", i)
		d.Contacts = append(d.Contacts, records.ReportContact{Month: "2026-11", Channel: records.ChannelOffice, Minutes: 60, ClientID: id, AuthorID: "sam"})
		if i < online {
			d.Contacts = append(d.Contacts, records.ReportContact{Month: "2026-11", Channel: records.ChannelVideo, Tool: "Praatbox Video",
				Minutes: 30, ClientID: id, AuthorID: "sam", Follows: records.ModeFaceToFace})
		}
	}
	return d
}

func TestReport(t *testing.T) {
	cases := []struct {
		name      string
		d         *records.BlendedData
		wantShare *int // nil: not published
		wantVideo *int
		wantCSV   string
	}{
		{"OK/AllPublished", reportData(10, 6), ptr(37), ptr(6), "contacts_by_channel,2026-11,office,10"}, // 6 of 16
		// Three video clients are too few; the office cell hides with them,
		// or the month's total would give the video count away.
		{"SmallOnlineHidden", reportData(10, 3), nil, nil, "contacts_by_channel,2026-11,office,suppressed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep := consent.Report(tc.d)
			if got := rep.ByChannel.Cells[0][3]; !same(got, tc.wantVideo) {
				t.Errorf("video cell %v, want %v", show(got), show(tc.wantVideo))
			}
			if len(rep.OnlineShare) != 1 || !same(rep.OnlineShare[0].Value, tc.wantShare) {
				t.Errorf("online share %+v, want %v", rep.OnlineShare, show(tc.wantShare))
			}
			b, _ := json.Marshal(rep)
			if strings.Contains(string(b), "client-") || strings.Contains(string(b), "sam") {
				t.Errorf("the report names people: %s", b)
			}
			if !strings.Contains(rep.CSV(), tc.wantCSV) {
				t.Errorf("CSV lacks the office cell:\n%s", rep.CSV())
			}
		})
	}
	// Follow-ups: six video contacts after an office one.
	rep := consent.Report(reportData(10, 6))
	if v := rep.FollowUps.ColTotals[0]; v == nil || *v != 6 {
		t.Errorf("online after face-to-face %v, want 6", show(v))
	}
	if w := rep.ToolWorkers; len(w) != 1 || w[0].Label != "Praatbox Video" || w[0].Value == nil || *w[0].Value != 1 {
		t.Errorf("workers per tool %+v", w)
	}
}

func ptr(v int) *int { return &v }

func same(a, b *int) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func show(v *int) string {
	if v == nil {
		return "hidden"
	}
	return fmt.Sprint(*v)
}
