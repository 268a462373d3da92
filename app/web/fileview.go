package web

import (
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

// FileView is a client file as the timeline template shows it, for the
// professional (/clients/:id) and for the client (/my/file).
type FileView struct {
	ClientID, Name, BirthDate, Contact string
	CaseCode                           string
	BreakGlass                         bool
	Client                             bool // the client's own view: plain language, no write links
	Trajectories                       []TrajectoryView
	Items                              []timelineItem
	// NewerURL and OlderURL link to the pages of notes around this one;
	// empty when there are none.
	NewerURL, OlderURL string
	// CSRF is the token for the forms in the timeline (resolving a consent
	// flag); FlagContact, FlagError and FlagReason bring a refused resolution
	// back at its contact.
	CSRF, FlagContact, FlagError, FlagReason string
}

// SetPager links the page at path to the pages of notes before and after
// f's, keeping the reader's page size when they chose one.
func (v *FileView) SetPager(path string, f *records.File, limit int) {
	link := func(key, cursor string) string {
		if cursor == "" {
			return ""
		}
		q := url.Values{key: {cursor}}
		if limit > 0 {
			q.Set("limit", strconv.Itoa(limit))
		}
		return path + "?" + q.Encode()
	}
	v.NewerURL, v.OlderURL = link("after", f.Newer), link("before", f.Older)
}

// TrajectoryView is a trajectory as the file and the forms about it show it.
type TrajectoryView struct {
	ID, Goal       string
	Opened, Closed time.Time
}

type timelineItem struct {
	At      time.Time
	Contact *contactView
	Note    *NoteView
	Entry   *entryView
}

type ContactRef struct {
	ID, Channel string
	At          time.Time
}

type contactView struct {
	ID, Channel, Goal                    string
	At                                   time.Time
	Minutes                              int
	Synchronous, Planned, ConsentMissing bool
	FollowsUp                            *ContactRef
	FollowedUpBy                         []ContactRef
	Notes                                []NoteView
	NoteURL                              string
	// Author is who logged the contact (the readable export names them).
	Author string
	// ResolveURL is where the professional resolves this contact's open
	// consent flag; Resolution is the flag's resolution, shown to both.
	ResolveURL string
	Resolution *resolutionView
}

type resolutionView struct {
	Reason string
	At     time.Time
}

type NoteView struct {
	ID, Visibility, Body, Reason, Goal, CorrectURL string
	// Author is who wrote this version (the readable export names them).
	Author string
	// ForClient words the note for the client it is about ("you can read this").
	ForClient bool
	Withheld  bool
	At        time.Time
	Version   int
	History   []noteVersionView
}

type noteVersionView struct {
	Version          int
	Visibility, Body string
	Withheld         bool
	At               time.Time
}

type entryView struct {
	Body string
	At   time.Time
}

// BuildFileView arranges a file into one timeline, newest first: contacts
// with their notes and follow-up links both ways, notes about a trajectory,
// and the client's own entries. me is the reader (for "correct this note").
func BuildFileView(f *records.File, lang string, me records.Actor, now time.Time, clientView bool) FileView {
	v := FileView{ClientID: f.Client.ID, CaseCode: f.Client.CaseCode, Name: f.Client.Name, Contact: f.Client.Contact, Client: clientView,
		BreakGlass: f.Rule == records.RuleBreakGlass}
	if bd, err := time.Parse("2006-01-02", f.Client.BirthDate); err == nil {
		v.BirthDate = ui.FormatDate(lang, bd)
	} else {
		v.BirthDate = f.Client.BirthDate
	}
	goals := map[string]string{}
	for _, t := range f.Trajectories {
		tv := TrajectoryView{ID: t.ID, Goal: t.Goal, Opened: t.OpenedAt}
		if t.ClosedAt != nil {
			tv.Closed = *t.ClosedAt
		}
		v.Trajectories = append(v.Trajectories, tv)
		goals[t.ID] = t.Goal
	}
	refs := map[string]ContactRef{}
	for _, k := range f.Contacts {
		refs[k.ID] = ContactRef{ID: k.ID, Channel: string(k.Channel), At: k.OccurredAt}
	}
	contacts := map[string]*contactView{}
	for _, k := range f.Contacts {
		cv := &contactView{ID: k.ID, Channel: string(k.Channel), At: k.OccurredAt, Minutes: k.DurationMinutes,
			Synchronous: k.Synchronous, Planned: k.OccurredAt.After(now), ConsentMissing: k.ConsentMissing && !clientView}
		if len(f.Trajectories) > 1 {
			cv.Goal = goals[k.TrajectoryID]
		}
		if r, ok := refs[k.FollowUpOf]; ok {
			cv.FollowsUp = &r
		}
		for _, id := range k.FollowedUpBy {
			if r, ok := refs[id]; ok {
				cv.FollowedUpBy = append(cv.FollowedUpBy, r)
			}
		}
		if r := k.FlagResolution; r != nil && k.ConsentMissing {
			cv.Resolution = &resolutionView{Reason: r.Reason, At: r.ResolvedAt}
		}
		if !clientView {
			cv.NoteURL = "/clients/" + url.PathEscape(f.Client.ID) + "/notes/new?about=" + url.QueryEscape("contact:"+k.ID)
			if cv.ConsentMissing && cv.Resolution == nil {
				cv.ResolveURL = "/clients/" + url.PathEscape(f.Client.ID) + "/contacts/" + url.PathEscape(k.ID) + "/consent-flag/resolve"
			}
		}
		contacts[k.ID] = cv
		v.Items = append(v.Items, timelineItem{At: k.OccurredAt, Contact: cv})
	}
	for _, n := range f.Notes {
		nv := NoteView{ID: n.ID, Visibility: string(n.Visibility), Body: n.Body, Reason: n.RestrictedReason,
			Withheld: n.Withheld, At: n.VersionAt, Version: n.Version, ForClient: clientView}
		for _, h := range n.History {
			nv.History = append(nv.History, noteVersionView{Version: h.Version, Visibility: string(h.Visibility),
				Body: h.Body, Withheld: h.Withheld, At: h.VersionAt})
		}
		if !clientView && n.AuthorID == me.UserID {
			nv.CorrectURL = "/clients/" + url.PathEscape(f.Client.ID) + "/notes/" + url.PathEscape(n.ID) + "/correct"
		}
		if cv, ok := contacts[n.ContactID]; ok {
			cv.Notes = append(cv.Notes, nv)
			continue
		}
		nv.Goal = goals[n.TrajectoryID]
		v.Items = append(v.Items, timelineItem{At: n.CreatedAt, Note: &nv})
	}
	for _, e := range f.Entries {
		v.Items = append(v.Items, timelineItem{At: e.CreatedAt, Entry: &entryView{Body: e.Body, At: e.CreatedAt}})
	}
	slices.SortStableFunc(v.Items, func(a, b timelineItem) int { return b.At.Compare(a.At) })
	return v
}
