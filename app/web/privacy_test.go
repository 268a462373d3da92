package web

import (
	"testing"
	"time"
)

func TestParseISOWeek(t *testing.T) {
	cases := []struct {
		in   string
		want string // the Monday, "" when refused
	}{
		{"2026-W49", "2026-11-30"},
		{"2026-W01", "2025-12-29"},
		{"2020-W53", "2020-12-28"},
		{"2021-W53", ""}, // 2021 has 52 weeks
		{"2026-W00", ""},
		{"2026-W5", ""},
		{"2026-49", ""},
		{"x", ""},
	}
	for _, tc := range cases {
		got, ok := ParseISOWeek(tc.in)
		switch {
		case tc.want == "" && ok:
			t.Errorf("%s: accepted as %s", tc.in, got.Format(time.DateOnly))
		case tc.want != "" && (!ok || got.Format(time.DateOnly) != tc.want):
			t.Errorf("%s: got %s %v, want %s", tc.in, got.Format(time.DateOnly), ok, tc.want)
		}
	}
}

func TestGroupReads(t *testing.T) {
	at := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	read := func(user, kind string, minutes int) AccessRow {
		return AccessRow{ActorUsername: user, ActorName: user, Kind: kind, Action: "read", Purpose: "care", Rule: "caseload",
			At: at.Add(-time.Duration(minutes) * time.Minute)}
	}
	event := AccessRow{ActorUsername: "admin", Kind: "caseload", Action: "grant", Event: "event.caseload_grant", At: at}
	cases := []struct {
		name  string
		rows  []AccessRow
		times []int
	}{
		{"SamePersonSameThing", []AccessRow{read("sam", "file", 1), read("sam", "file", 2), read("sam", "file", 3)}, []int{3}},
		{"AnotherPersonBetween", []AccessRow{read("sam", "file", 1), read("lena", "file", 2), read("sam", "file", 3)}, []int{1, 1, 1}},
		{"AnotherKind", []AccessRow{read("sam", "file", 1), read("sam", "outline", 2), read("sam", "outline", 3)}, []int{1, 2}},
		{"EventsStandAlone", []AccessRow{event, event, read("sam", "file", 1)}, []int{1, 1, 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := GroupReads(tc.rows, "en")
			if len(got) != len(tc.times) {
				t.Fatalf("got %d rows, want %d: %+v", len(got), len(tc.times), got)
			}
			for i, n := range tc.times {
				if got[i].Times != n {
					t.Errorf("row %d stands for %d records, want %d", i, got[i].Times, n)
				}
				if n > 1 && !got[i].First.Before(got[i].At) {
					t.Errorf("row %d: first %s not before last %s", i, got[i].First, got[i].At)
				}
			}
		})
	}
	if s := GroupReads([]AccessRow{read("Sam Verhoeven", "outline", 1)}, "en")[0].ClientSentence; s != "Sam Verhoeven opened the form to write a note" {
		t.Errorf("the outline read is told as %q", s)
	}
	if s := GroupReads([]AccessRow{read("Sam Verhoeven", "outline", 1)}, "nl")[0].ClientSentence; s != "Sam Verhoeven opende het formulier om een notitie te schrijven" {
		t.Errorf("the outline read is told as %q", s)
	}
}
