package client

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// file is the client's own file in plain language: who helps them and how
// to reach them, the next planned contact, shared notes in full, restricted
// notes as "there is a note here" with the reason, and no professionals'
// personal notes (unless the jurisdiction opens them).
func (h *Handler) file(c *fiber.Ctx) error {
	a := edge.Actor(c)
	p, err := edge.FilePage(c)
	if err != nil {
		return err
	}
	f, err := h.Store.ClientFilePage(c.UserContext(), a, records.PurposeOwnFile, a.ClientID, p)
	if err != nil {
		return err
	}
	v := h.View(c, "my_file.title")
	now := h.Now()
	d := myFileView{FileView: web.BuildFileView(f, v.Lang, a, now, true)}
	names := map[string]string{}
	for _, hl := range f.Helpers {
		names[hl.UserID] = hl.Name
		if hl.Via == records.ViaBreakGlass {
			continue // not someone who helps: shown on /my/privacy and /my/access
		}
		d.Helpers = append(d.Helpers, helper{Name: hl.Name, Team: hl.Team, WorkContact: hl.WorkContact})
	}
	for _, k := range f.Contacts {
		if k.OccurredAt.After(now) && (d.Next == nil || k.OccurredAt.Before(d.Next.At)) {
			d.Next = &nextContact{At: k.OccurredAt, Channel: string(k.Channel), With: names[k.AuthorID]}
		}
	}
	d.SetPager("/my/file", f, p.Limit)
	v.Data = d
	return h.Render(c, fiber.StatusOK, "my_file", v)
}

// myFileView is the client's file: the timeline, who helps, what is next.
type myFileView struct {
	web.FileView
	Helpers []helper
	Next    *nextContact
}

// helper is a social worker on the client's file.
type helper struct {
	Name, Team, WorkContact string
}

// nextContact is the next planned contact.
type nextContact struct {
	At            time.Time
	Channel, With string
}
