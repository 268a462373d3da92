package edge

import (
	"strings"
	"time"

	"github.com/nabij/nabij/consent"
)

// Day reads an optional YYYY-MM-DD date for field.
func Day(field, v string) (*time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return nil, InvalidField(field, field+" must be a date such as 2026-11-25")
	}
	return &t, nil
}

// ReportPeriod reads from and to (dates; to inclusive) with the last twelve
// months as the default, and checks the length.
func ReportPeriod(now time.Time, fromS, toS string) (time.Time, time.Time, error) {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	to := today.AddDate(0, 0, 1)
	from := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -11, 0)
	if t, err := Day("to", toS); err != nil {
		return from, to, err
	} else if t != nil {
		to = t.AddDate(0, 0, 1)
	}
	if t, err := Day("from", fromS); err != nil {
		return from, to, err
	} else if t != nil {
		from = *t
	}
	if !to.After(from) {
		return from, to, InvalidField("to", "to must not lie before from")
	}
	if to.After(from.AddDate(0, consent.MaxReportMonths, 0)) {
		return from, to, InvalidField("from", "a report covers at most 36 months")
	}
	return from, to, nil
}
