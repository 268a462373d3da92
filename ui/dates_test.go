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
