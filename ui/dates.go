package ui

import (
	"fmt"
	"time"
	_ "time/tzdata" // Europe/Brussels must resolve even on a server without /usr/share/zoneinfo.
)

// brussels is the one time zone nabij shows: its users work in Belgium and
// the Netherlands (both CET/CEST). Times are stored in UTC and converted only
// here, at the edge.
var brussels = mustLoadLocation("Europe/Brussels")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("ui: " + err.Error()) // cannot happen: time/tzdata is embedded
	}
	return loc
}

// Month names per language. A table rather than catalogue entries: they never
// change and a missing month must not be possible.
var monthNames = map[string][12]string{
	"nl": {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

// FormatDate formats t as a date in Brussels time: "25 november 2026" (nl)
// or "25 November 2026" (en). The zero time gives "".
func FormatDate(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	months, ok := monthNames[lang]
	if !ok {
		months = monthNames[DefaultLanguage]
	}
	t = t.In(brussels)
	return fmt.Sprintf("%d %s %d", t.Day(), months[t.Month()-1], t.Year())
}

// FormatDateTime formats t as date and 24-hour time in Brussels time:
// "25 november 2026, 14:05". The zero time gives "".
func FormatDateTime(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return FormatDate(lang, t) + ", " + t.In(brussels).Format("15:04")
}

// FormatISO gives the machine-readable value for <time datetime="...">.
func FormatISO(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(brussels).Format(time.RFC3339)
}

// localLayout is the value format of <input type="datetime-local">.
const localLayout = "2006-01-02T15:04"

// FormatLocalInput gives the value for an <input type="datetime-local">:
// t in Brussels time, to the minute. The zero time gives "".
func FormatLocalInput(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(brussels).Format(localLayout)
}

// ParseLocalInput reads the value of an <input type="datetime-local">
// ("2026-11-25T14:05", seconds allowed) as Brussels time.
func ParseLocalInput(s string) (time.Time, error) {
	for _, layout := range []string{localLayout, localLayout + ":05"} {
		if t, err := time.ParseInLocation(layout, s, brussels); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("ui: %q is not a date and time like 2026-11-25T14:05", s)
}

// ParseDateInput reads the value of an <input type="date"> ("2026-11-25") as
// the start of that day in Brussels time.
func ParseDateInput(s string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02", s, brussels)
	if err != nil {
		return time.Time{}, fmt.Errorf("ui: %q is not a date like 2026-11-25", s)
	}
	return t, nil
}

// Ordinal writes n as an ordinal number in the language: "35ste", "2de" (nl),
// "35th", "22nd" (en). Like the month names, grammar rather than catalogue
// entries. Dutch takes -ste after 1, 8 and from 20 on (eenentwintigste) and
// -de otherwise, counting the last two digits (honderdtweede: 102de).
func Ordinal(lang string, n int) string {
	r := n % 100
	if lang == "en" {
		switch {
		case r >= 11 && r <= 13:
			return fmt.Sprintf("%dth", n)
		case r%10 == 1:
			return fmt.Sprintf("%dst", n)
		case r%10 == 2:
			return fmt.Sprintf("%dnd", n)
		case r%10 == 3:
			return fmt.Sprintf("%drd", n)
		}
		return fmt.Sprintf("%dth", n)
	}
	if r == 0 || r == 1 || r == 8 || r >= 20 {
		return fmt.Sprintf("%dste", n)
	}
	return fmt.Sprintf("%dde", n)
}
