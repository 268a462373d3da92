package api

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

type meResponse struct {
	ID          string `json:"id"`
	Username    string `json:"username"`
	Role        string `json:"role"`
	DisplayName string `json:"display_name,omitempty"`
	ClientID    string `json:"client_id,omitempty"`
	TOTPEnabled bool   `json:"totp_enabled"`
}

// me tells the signed-in user who they are; it holds no client data.
func (h *Handler) me(c *fiber.Ctx) error {
	u := edge.CurrentUser(c)
	return edge.Send(c, fiber.StatusOK, meResponse{ID: u.ID, Username: u.Username, Role: string(u.Role),
		DisplayName: u.DisplayName, ClientID: u.ClientID, TOTPEnabled: u.TOTPEnabled})
}

func (h *Handler) myFile(c *fiber.Ctx) error {
	a := edge.Actor(c)
	p, err := edge.FilePage(c)
	if err != nil {
		return err
	}
	f, err := h.Store.ClientFilePage(c.UserContext(), a, records.PurposeOwnFile, a.ClientID, p)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, f)
}

func (h *Handler) myAccessLog(c *fiber.Ctx) error {
	a := edge.Actor(c)
	before, limit, err := paging(c)
	if err != nil {
		return err
	}
	list, err := h.Store.ClientAccessLog(c.UserContext(), a, a.ClientID, before, limit)
	if err != nil {
		return err
	}
	page := myAccessLogPage{accessLogPage: accessPage(list, limit)}
	cp, ok, err := h.Store.LatestCheckpoint(c.UserContext())
	if err != nil {
		return err
	}
	if ok {
		page.SignedHead = &signedHead{Size: cp.Seq, Hash: cp.Hash, SignedAt: cp.At, Signature: cp.Signature,
			PublicKey: h.Store.PublicKey()}
	}
	return edge.Send(c, fiber.StatusOK, page)
}

// myAccessLogPage is the client's page of the access log with the newest
// signed head of the whole log: a receipt the client can keep, so that a log
// later cut back or rewritten behind it can be shown to be.
type myAccessLogPage struct {
	accessLogPage
	SignedHead *signedHead `json:"signed_head,omitempty"`
}

// signedHead is a signed checkpoint as a receipt: the log had Size records and
// its newest had Hash, signed at SignedAt with the key PublicKey. It names no
// person.
type signedHead struct {
	Size      int64     `json:"size"`
	Hash      []byte    `json:"hash"`
	SignedAt  time.Time `json:"signed_at"`
	Signature []byte    `json:"signature"`
	PublicKey []byte    `json:"public_key"`
}

type entryRequest struct {
	Body string `json:"body"`
}

func (h *Handler) createEntry(c *fiber.Ctx) error {
	var in entryRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	a := edge.Actor(c)
	e, err := h.Store.CreateEntry(c.UserContext(), a, a.ClientID, in.Body)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, e)
}

// paging reads ?before=SEQ&limit=N.
func paging(c *fiber.Ctx) (int64, int, error) {
	var before int64
	limit := 50
	if v := c.Query("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return 0, 0, edge.InvalidField("before", "before must be a positive record number")
		}
		before = n
	}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			return 0, 0, edge.InvalidField("limit", "limit must be between 1 and 500")
		}
		limit = n
	}
	return before, limit, nil
}

type accessLogPage struct {
	Records    []records.AccessView `json:"records"`
	NextBefore int64                `json:"next_before,omitempty"`
}

func accessPage(list []records.AccessView, limit int) accessLogPage {
	p := accessLogPage{Records: list}
	if len(list) == limit && limit > 0 {
		p.NextBefore = list[len(list)-1].Seq
	}
	return p
}
