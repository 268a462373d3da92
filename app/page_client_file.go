package app

import (
	"net/url"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

// fileView is a client file as the timeline template shows it, for the
// professional (/clients/:id) and for the client (/my/file).
type fileView struct {
	ClientID, Name, BirthDate, Contact string
	BreakGlass                         bool
	Client                             bool // the client's own view: plain language, no write links
	Trajectories                       []trajectoryView
	Items                              []timelineItem
}

type trajectoryView struct {
	ID, Goal       string
	Opened, Closed time.Time
}

type timelineItem struct {
	At      time.Time
	Contact *contactView
	Note    *noteView
	Entry   *entryView
}

type contactRef struct {
	ID, Channel string
	At          time.Time
}

type contactView struct {
	ID, Channel, Goal                    string
	At                                   time.Time
	Minutes                              int
	Synchronous, Planned, ConsentMissing bool
	FollowsUp                            *contactRef
	FollowedUpBy                         []contactRef
	Notes                                []noteView
	NoteURL                              string
}

type noteView struct {
	ID, Visibility, Body, Reason, Goal, CorrectURL string
	Withheld                                       bool
	At                                             time.Time
	Version                                        int
	History                                        []noteVersionView
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

// buildFileView arranges a file into one timeline, newest first: contacts
// with their notes and follow-up links both ways, notes about a trajectory,
// and the client's own entries. me is the reader (for "correct this note").
func buildFileView(f *records.File, lang string, me records.Actor, now time.Time, clientView bool) fileView {
	v := fileView{ClientID: f.Client.ID, Name: f.Client.Name, Contact: f.Client.Contact, Client: clientView,
		BreakGlass: f.Rule == records.RuleBreakGlass}
	if bd, err := time.Parse("2006-01-02", f.Client.BirthDate); err == nil {
		v.BirthDate = ui.FormatDate(lang, bd)
	} else {
		v.BirthDate = f.Client.BirthDate
	}
	goals := map[string]string{}
	for _, t := range f.Trajectories {
		tv := trajectoryView{ID: t.ID, Goal: t.Goal, Opened: t.OpenedAt}
		if t.ClosedAt != nil {
			tv.Closed = *t.ClosedAt
		}
		v.Trajectories = append(v.Trajectories, tv)
		goals[t.ID] = t.Goal
	}
	refs := map[string]contactRef{}
	for _, k := range f.Contacts {
		refs[k.ID] = contactRef{ID: k.ID, Channel: string(k.Channel), At: k.OccurredAt}
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
		if !clientView {
			cv.NoteURL = "/clients/" + url.PathEscape(f.Client.ID) + "/notes/new?about=" + url.QueryEscape("contact:"+k.ID)
		}
		contacts[k.ID] = cv
		v.Items = append(v.Items, timelineItem{At: k.OccurredAt, Contact: cv})
	}
	for _, n := range f.Notes {
		nv := noteView{ID: n.ID, Visibility: string(n.Visibility), Body: n.Body, Reason: n.RestrictedReason,
			Withheld: n.Withheld, At: n.VersionAt, Version: n.Version}
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

// pageClientFile shows one client's file. Reading it is a read like the
// API's: records writes the access record (or the denied one) first.
func (s *Server) pageClientFile(c *fiber.Ctx) error {
	a := edge.Actor(c)
	f, err := s.Store.ClientFile(c.UserContext(), a, records.PurposeCare, edge.Param(c, "id"))
	if err != nil {
		return err
	}
	// The consents, as GET /clients/{id}/consents reads them (recorded too).
	list, err := s.consent().List(c.UserContext(), a, f.Client.ID)
	if err != nil {
		return err
	}
	v := s.view(c, "file.title")
	v.Data = clientFileView{fileView: buildFileView(f, v.Lang, a, s.cfg.Now(), false),
		Consents: consentRows(list, v.CSRF, func(id string) string {
			return clientPath(f.Client.ID) + "/consents/" + url.PathEscape(id) + "/withdraw"
		})}
	return s.render(c, fiber.StatusOK, "client_file", v)
}

// clientFileView is the professional's file page: the timeline and the consents.
type clientFileView struct {
	fileView
	Consents []consentRow
}
