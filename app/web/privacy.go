package web

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

// PrivacyView is the client's privacy at a glance in plain words, shared by
// the /my/privacy page and the readable export: every line a sentence in the
// reader's language, names instead of ids.
type PrivacyView struct {
	Holders []HolderRow
	Weeks   []WeekReads
	// Own is whether the client's own reads are counted.
	Own    bool
	Shared []SharedRow
	Kept   []KeptRow
	// PlanReaders are the people of the network who may read the plan now.
	PlanReaders []records.NetworkMember
	// Links: link each week's reads to the access page (not in the export).
	Links bool
}

// HolderRow is one person who can open the file now.
type HolderRow struct {
	Name, Via, GivenBy, Reason, WorkContact string
	Since                                   time.Time
	Until                                   *time.Time
	BreakGlass                              bool
}

// WeekReads is one week of the read summary.
type WeekReads struct {
	Label string
	Rows  []ReadRow
}

// ReadRow is one person's reads in one week, as a sentence, with the link to
// those reads on the access page.
type ReadRow struct {
	Sentence, Denied, Link string
	Own                    bool
}

// SharedRow is one disclosure in plain words.
type SharedRow struct {
	Recipient, Purpose, By, What string
	At                           time.Time
}

// KeptRow is how long one kind of record is kept.
type KeptRow struct {
	What, Trajectory, Until, Reason, Source string
}

// ClientWeekURL links to one person's reads in one ISO week on the client's
// access page.
func ClientWeekURL(username string, weekStart time.Time, own bool) string {
	q := url.Values{}
	q.Set("person", username)
	y, w := weekStart.ISOWeek()
	q.Set("week", fmt.Sprintf("%04d-W%02d", y, w))
	if own {
		q.Set("own", "1")
	}
	return "/my/access?" + q.Encode()
}

// ParseISOWeek turns "2026-W49" into the Monday (UTC) that week starts on.
func ParseISOWeek(s string) (time.Time, bool) {
	var y, w int
	if n, err := fmt.Sscanf(s, "%4d-W%2d", &y, &w); err != nil || n != 2 || w < 1 || w > 53 || len(s) != 8 {
		return time.Time{}, false
	}
	// 4 January is always in week 1.
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+7*(w-1))
	if yy, ww := monday.ISOWeek(); yy != y || ww != w {
		return time.Time{}, false
	}
	return monday, true
}

// BuildPrivacyView words p for the client in lang; now tells "this week".
func BuildPrivacyView(p *records.Privacy, lang string, now time.Time) PrivacyView {
	tr := renderer().Translator()
	t := func(id string, data map[string]any) string { return tr.T(lang, id, data) }
	v := PrivacyView{Own: p.OwnReads}
	for _, h := range p.HasAccess {
		row := HolderRow{Name: nameOr(h.Name, h.Username), Since: h.Since, Until: h.Until, Reason: h.Reason,
			WorkContact: h.WorkContact, BreakGlass: h.Via == records.ViaBreakGlass}
		row.Via = t("privacy.via."+h.Via, map[string]any{"Team": h.Team})
		switch {
		case h.Via == records.ViaBreakGlass:
			row.GivenBy = t("privacy.given_self", nil)
		case h.Via == records.ViaCaseload && h.GivenBy == row.Name && h.GivenByRole == records.RoleProfessional:
			row.GivenBy = t("privacy.given_self_created", nil)
		case h.GivenBy != "":
			row.GivenBy = t("privacy.given_by", map[string]any{"Name": h.GivenBy, "Role": tr.T(lang, "role."+string(h.GivenByRole), nil)})
		}
		v.Holders = append(v.Holders, row)
	}
	v.Weeks = ReadWeeks(p.ReadsByPerson, lang, now, p.OwnReads)
	for _, s := range p.Shared {
		v.Shared = append(v.Shared, SharedRow{Recipient: s.Recipient, Purpose: s.Purpose, By: s.SharedBy, At: s.SharedAt,
			What: SharedWhat(s.Counts, lang)})
	}
	v.Kept = KeptRows(p.KeptUntil, lang)
	v.PlanReaders = p.PlanReaders
	return v
}

// ReadWeeks groups the per-person counts by week, newest first, as sentences
// ("Sam Verhoeven las je dossier 4 keer").
func ReadWeeks(list []records.PersonReads, lang string, now time.Time, own bool) []WeekReads {
	tr := renderer().Translator()
	thisWeek := weekMonday(now)
	var out []WeekReads
	for _, r := range list {
		label := tr.T(lang, "privacy.week", map[string]any{"From": ui.FormatDate(lang, r.WeekStart),
			"To": ui.FormatDate(lang, r.WeekStart.AddDate(0, 0, 6))})
		switch {
		case r.WeekStart.Equal(thisWeek):
			label = tr.T(lang, "privacy.this_week", nil)
		case r.WeekStart.Equal(thisWeek.AddDate(0, 0, -7)):
			label = tr.T(lang, "privacy.last_week", nil)
		}
		if len(out) == 0 || out[len(out)-1].Label != label {
			out = append(out, WeekReads{Label: label})
		}
		name := nameOr(r.Name, r.Username)
		row := ReadRow{Own: r.Own, Link: ClientWeekURL(r.Username, r.WeekStart, own || r.Own)}
		if r.Own {
			name = tr.T(lang, "access.you", nil)
		}
		if r.Reads > 0 {
			key := "privacy.reads"
			if r.Own {
				key = "privacy.reads_own"
			}
			row.Sentence = tr.N(lang, key, r.Reads, map[string]any{"Name": name, "Count": r.Reads})
		}
		if r.Denied > 0 {
			row.Denied = tr.N(lang, "privacy.denied", r.Denied, map[string]any{"Name": name, "Count": r.Denied})
		}
		out[len(out)-1].Rows = append(out[len(out)-1].Rows, row)
	}
	return out
}

// SharedWhat words the counts of a disclosure: "2 contacten, 1 notitie".
func SharedWhat(counts map[string]int, lang string) string {
	tr := renderer().Translator()
	var parts []string
	for _, k := range []string{"trajectory", "contact", "note"} {
		if n := counts[k]; n > 0 {
			parts = append(parts, tr.N(lang, "privacy.count."+k, n, map[string]any{"Count": n}))
		}
	}
	return strings.Join(parts, ", ")
}

// KeptRows words the retention dates: a date when the trajectory is closed,
// "until N years after … closes" while it is open, with the reason of the
// rule in plain words.
func KeptRows(list []records.KeptUntil, lang string) []KeptRow {
	tr := renderer().Translator()
	var out []KeptRow
	for _, k := range list {
		row := KeptRow{What: tr.T(lang, "privacy.kept_kind."+k.Kind, nil), Trajectory: k.Trajectory,
			Reason: tr.T(lang, "privacy.kept_reason."+k.Kind, nil), Source: k.Source}
		period := periodWords(tr, lang, k.Years, k.Days)
		data := map[string]any{"Period": period, "Date": "", "Trajectory": k.Trajectory}
		if k.Until != nil {
			data["Date"] = ui.FormatDate(lang, *k.Until)
		}
		key := "privacy.kept."
		if k.Basis == records.BasisUntilAge {
			row.Until, row.Reason = keptUntilAge(tr, lang, k)
			out = append(out, row)
			continue
		}
		switch {
		case k.Basis == records.BasisAfterCreation:
			key += "after_creation"
		case k.Until != nil && k.Years == 0 && k.Days == 0:
			key += "at_close_date"
		case k.Until != nil:
			key += "until"
		case k.Years == 0 && k.Days == 0:
			key += "at_close"
		case k.Trajectory == "":
			key += "after_all_close"
		default:
			key += "after_close"
		}
		if k.Action == records.ActionAnonymise {
			key += "_anon"
		}
		row.Until = tr.T(lang, key, data)
		if k.MaxDays != nil {
			row.Until += " " + tr.N(lang, "privacy.kept.max_days", *k.MaxDays, map[string]any{"Count": *k.MaxDays})
		}
		out = append(out, row)
	}
	return out
}

// keptUntilAge words an until_age rule: "until your 35th birthday" (with the
// minimum period after the help stops, when the rule has one), with its date
// once care has stopped, and what happens without a birth date; and its reason.
func keptUntilAge(tr *ui.Translator, lang string, k records.KeptUntil) (until, reason string) {
	period := periodWords(tr, lang, k.Years, k.Days)
	data := map[string]any{"Birthday": ui.Ordinal(lang, k.Age), "Date": "", "Period": period}
	key := "privacy.kept.until_age"
	switch {
	case k.Birthday == nil:
		key += "_no_birth_date"
	case k.Until != nil:
		key += "_date"
		data["Date"] = ui.FormatDate(lang, *k.Until)
	case k.Trajectory == "":
		key += "_all_open"
		data["Date"] = ui.FormatDate(lang, *k.Birthday)
	default:
		key += "_open"
		data["Date"] = ui.FormatDate(lang, *k.Birthday)
	}
	if period != "" {
		key += "_period"
	}
	return tr.T(lang, key, data), tr.T(lang, "privacy.kept_reason.until_age", data)
}

func periodWords(tr *ui.Translator, lang string, years, days int) string {
	var parts []string
	if years > 0 {
		parts = append(parts, tr.N(lang, "privacy.years", years, map[string]any{"Count": years}))
	}
	if days > 0 {
		parts = append(parts, tr.N(lang, "privacy.days", days, map[string]any{"Count": days}))
	}
	return strings.Join(parts, " "+tr.T(lang, "privacy.and", nil)+" ")
}

// weekMonday is the Monday (UTC midnight) of t's ISO week, as the store counts.
func weekMonday(t time.Time) time.Time {
	t = t.UTC()
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

func nameOr(name, username string) string {
	if name != "" {
		return name
	}
	return username
}
