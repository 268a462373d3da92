package web

import (
	"bytes"
	"time"

	"github.com/nabij/nabij/consent"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

// ExportView is the readable export: everything kept about the client, each
// section titled in plain words, names instead of ids (people, channels,
// trajectories), the reads by other people per person and week, and how long
// each kind of record is kept. The JSON and FHIR formats stay as they are.
type ExportView struct {
	GeneratedAt  time.Time
	File         FileView
	Trajectories []ExportTrajectory
	Consents     []ConsentRow
	Shared       []SharedRow
	Weeks        []WeekReads
	Kept         []KeptRow
	Erasures     []ExportErasure
	// Plan and Network: the client's question and plan, and the people
	// around them (with who may read the plan).
	Plan    *records.Plan
	Network []records.NetworkMember
	// Download links the same page as a file (on the page, not in the file).
	Download string
}

// ExportTrajectory is a trajectory with its lead professional's name.
type ExportTrajectory struct {
	Goal, Lead     string
	Opened, Closed time.Time
}

// ExportErasure is an erasure request in plain words.
type ExportErasure struct {
	Status, Reason string
	Asked          time.Time
	Decided        *time.Time
}

// BuildExportView words an export for the client in lang.
func BuildExportView(ex *records.Export, lang string, now time.Time) ExportView {
	name := func(id string) string { return ex.Names[id] }
	v := ExportView{GeneratedAt: ex.GeneratedAt, Plan: ex.Plan, Network: ex.Network}
	me := records.Actor{Role: records.RoleClient, ClientID: ex.File.Client.ID}
	v.File = BuildFileView(ex.File, lang, me, now, true)
	v.File.nameAuthors(ex.File, ex.Names)
	for _, t := range ex.File.Trajectories {
		et := ExportTrajectory{Goal: t.Goal, Lead: name(t.LeadID), Opened: t.OpenedAt}
		if t.ClosedAt != nil {
			et.Closed = *t.ClosedAt
		}
		v.Trajectories = append(v.Trajectories, et)
	}
	for i := len(ex.Consents) - 1; i >= 0; i-- {
		v.Consents = append(v.Consents, ConsentRow{View: consent.ViewAt(ex.Consents[i], now)})
	}
	kinds := map[string]string{}
	for _, t := range ex.File.Trajectories {
		kinds[t.ID] = "trajectory"
	}
	for _, c := range ex.File.Contacts {
		kinds[c.ID] = "contact"
	}
	for _, n := range ex.File.Notes {
		kinds[n.ID] = "note"
	}
	for i := len(ex.Disclosures) - 1; i >= 0; i-- {
		d := ex.Disclosures[i]
		counts := map[string]int{}
		for _, id := range d.RecordIDs {
			if k, ok := kinds[id]; ok {
				counts[k]++
			}
		}
		v.Shared = append(v.Shared, SharedRow{Recipient: d.Recipient, Purpose: d.Purpose, By: name(d.DisclosedBy),
			At: d.DisclosedAt, What: SharedWhat(counts, lang)})
	}
	v.Weeks = ReadWeeks(ex.Reads, lang, now, false)
	v.Kept = KeptRows(ex.KeptUntil, lang)
	for _, r := range ex.ErasureRequests {
		v.Erasures = append(v.Erasures, ExportErasure{Status: r.Status, Reason: r.Reason, Asked: r.RequestedAt, Decided: r.DecidedAt})
	}
	return v
}

// nameAuthors puts the names of who logged each contact and wrote each note
// into the timeline.
func (v *FileView) nameAuthors(f *records.File, names map[string]string) {
	contacts, notes := map[string]string{}, map[string]string{}
	for _, c := range f.Contacts {
		contacts[c.ID] = names[c.AuthorID]
	}
	for _, n := range f.Notes {
		notes[n.ID] = names[n.VersionAuthorID]
	}
	for _, it := range v.Items {
		if it.Contact != nil {
			it.Contact.Author = contacts[it.Contact.ID]
			for i := range it.Contact.Notes {
				it.Contact.Notes[i].Author = notes[it.Contact.Notes[i].ID]
			}
		}
		if it.Note != nil {
			it.Note.Author = notes[it.Note.ID]
		}
	}
}

// ReadableExport renders the readable export as a whole HTML page in lang
// (for GET /api/v1/me/export?format=html), without the menu.
func ReadableExport(ex *records.Export, lang string, now time.Time) ([]byte, error) {
	if !ui.IsLanguage(lang) {
		lang = ui.DefaultLanguage
	}
	var buf bytes.Buffer
	v := ui.ViewData{Lang: lang, Title: "my_export.readable_title", Data: BuildExportView(ex, lang, now)}
	if err := renderer().Render(&buf, "my_export_readable", v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
