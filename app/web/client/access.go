package client

import (
	"encoding/base64"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

// access shows the client who read their file, when and why, and
// whether emergency access was used (NEN 7513). Reading it is recorded too.
// The client's own reads are left out unless ?own=1; ?person=<username> and
// ?week=<ISO week> narrow it to one person's reads in one week (the links of
// /my/privacy). Consecutive records of the same person doing the same thing
// show as one card with a count.
func (h *Handler) access(c *fiber.Ctx) error {
	a := edge.Actor(c)
	before, err := web.PageBefore(c)
	if err != nil {
		return err
	}
	own := c.Query("own") == "1"
	f := records.AccessFilter{BeforeSeq: before, Limit: web.AccessPageSize, Actor: utils.CopyString(c.Query("person"))}
	if !own {
		f.ExceptReadsBy = a.UserID
	}
	if w := c.Query("week"); w != "" {
		monday, ok := web.ParseISOWeek(w)
		if !ok {
			return fiber.ErrBadRequest
		}
		f.From, f.To = monday, monday.AddDate(0, 0, 7)
	}
	list, err := h.Store.ClientAccessLogFilter(c.UserContext(), a, a.ClientID, f)
	if err != nil {
		return err
	}
	holders, err := h.Store.FileAccess(c.UserContext(), a, a.ClientID)
	if err != nil {
		return err
	}
	cp, ok, err := h.Store.LatestCheckpoint(c.UserContext())
	if err != nil {
		return err
	}
	v := h.View(c, "my_access.title")
	rows := web.AccessRows(list, a, web.T(v.Lang, "access.you"))
	web.EventSentences(rows, v.Lang)
	q := url.Values{}
	for _, k := range []string{"own", "person", "week"} {
		if val := c.Query(k); val != "" {
			q.Set(k, utils.CopyString(val))
		}
	}
	older := web.OlderURL("/my/access", q, rows)
	d := myAccessView{AccessView: web.AccessView{Rows: web.GroupReads(rows, v.Lang), Older: older}, Own: own, Holders: holders,
		Person: f.Actor, Filtered: f.Actor != "" || !f.From.IsZero()}
	if len(rows) > 0 && rows[0].ActorName != "" && f.Actor != "" {
		d.Person = rows[0].ActorName
	}
	if !f.From.IsZero() {
		d.Week = ui.FormatDate(v.Lang, f.From) + " – " + ui.FormatDate(v.Lang, f.To.AddDate(0, 0, -1))
	}
	if own {
		d.ToggleOwn = "/my/access"
	} else {
		d.ToggleOwn = "/my/access?own=1"
	}
	if ok {
		b64 := base64.StdEncoding.EncodeToString
		d.Receipt = &receipt{Size: cp.Seq, SignedAt: cp.At, Hash: b64(cp.Hash), Signature: b64(cp.Signature),
			PublicKey: b64(h.Store.PublicKey())}
	}
	v.Data = d
	return h.Render(c, fiber.StatusOK, "my_access", v)
}

// myAccessView is the client's access page: the records, the filters in
// force, and the newest signed head of the whole log as a receipt the
// client can print or keep.
type myAccessView struct {
	web.AccessView
	Own          bool
	Filtered     bool
	Person, Week string
	ToggleOwn    string
	Holders      []records.StandIn
	Receipt      *receipt
}

// receipt is a signed checkpoint in printable form; it names no person.
type receipt struct {
	Size      int64
	SignedAt  time.Time
	Hash      string
	Signature string
	PublicKey string
}
