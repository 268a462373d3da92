package client

import (
	"encoding/base64"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// access shows the client who may read their file now, who read it,
// when and why, and whether emergency access was used (NEN 7513). Reading
// it is recorded too.
func (h *Handler) access(c *fiber.Ctx) error {
	a := edge.Actor(c)
	before, err := web.PageBefore(c)
	if err != nil {
		return err
	}
	list, err := h.Store.ClientAccessLog(c.UserContext(), a, a.ClientID, before, web.AccessPageSize)
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
	d := myAccessView{AccessView: web.AccessView{Rows: rows, Older: web.OlderURL("/my/access", url.Values{}, rows)}, Holders: holders}
	if ok {
		b64 := base64.StdEncoding.EncodeToString
		d.Receipt = &receipt{Size: cp.Seq, SignedAt: cp.At, Hash: b64(cp.Hash), Signature: b64(cp.Signature),
			PublicKey: b64(h.Store.PublicKey())}
	}
	v.Data = d
	return h.Render(c, fiber.StatusOK, "my_access", v)
}

// myAccessView is the client's access page: who may read the file now
// (a stand-in with the end date and whom they stand in for), the records,
// and the newest signed head of the whole log as a receipt the client can
// print or keep.
type myAccessView struct {
	web.AccessView
	Holders []records.AccessHolder
	Receipt *receipt
}

// receipt is a signed checkpoint in printable form; it names no person.
type receipt struct {
	Size      int64
	SignedAt  time.Time
	Hash      string
	Signature string
	PublicKey string
}
