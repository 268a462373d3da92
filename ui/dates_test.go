package ui_test

import (
	"testing"
	"time"

	"github.com/nabij/nabij/ui"
)

func TestFormatDate(t *testing.T) {
	winter := time.Date(2026, 11, 25, 13, 5, 0, 0, time.UTC) // CET, UTC+1
	summer := time.Date(2026, 7, 1, 22, 30, 0, 0, time.UTC)  // CEST, UTC+2: next day in Brussels
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"DateNL", ui.FormatDate("nl", winter), "25 november 2026"},
		{"DateEN", ui.FormatDate("en", winter), "25 November 2026"},
		{"DateTimeNL", ui.FormatDateTime("nl", winter), "25 november 2026, 14:05"},
		{"DateTimeEN", ui.FormatDateTime("en", winter), "25 November 2026, 14:05"},
		{"SummerTimeCrossesMidnight", ui.FormatDateTime("nl", summer), "2 juli 2026, 00:30"},
		{"UnknownLangIsDutch", ui.FormatDate("de", winter), "25 november 2026"},
		{"Zero", ui.FormatDateTime("nl", time.Time{}), ""},
		{"ISO", ui.FormatISO(winter), "2026-11-25T14:05:00+01:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestOrdinal(t *testing.T) {
	cases := []struct {
		lang string
		n    int
		want string
	}{
		{"nl", 1, "1ste"}, {"nl", 2, "2de"}, {"nl", 7, "7de"}, {"nl", 8, "8ste"}, {"nl", 9, "9de"}, {"nl", 19, "19de"},
		{"nl", 20, "20ste"}, {"nl", 35, "35ste"}, {"nl", 100, "100ste"}, {"nl", 102, "102de"}, {"nl", 120, "120ste"},
		{"en", 1, "1st"}, {"en", 2, "2nd"}, {"en", 3, "3rd"}, {"en", 11, "11th"}, {"en", 12, "12th"}, {"en", 13, "13th"},
		{"en", 21, "21st"}, {"en", 35, "35th"}, {"en", 112, "112th"}, {"en", 101, "101st"},
	}
	for _, tc := range cases {
		if got := ui.Ordinal(tc.lang, tc.n); got != tc.want {
			t.Errorf("Ordinal(%s, %d) = %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
}
