package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

// CaseCodes names clients to staff by case code (K-4821), never by id: the
// data officer and the admin read no client data, so a code is all they see.
type CaseCodes struct {
	byID map[string]string
	// List is every client's code, in code order: the options of a picker.
	List []records.ClientCode
}

// CaseCodes loads the case codes for a staff page.
func (h *Handler) CaseCodes(c *fiber.Ctx) (CaseCodes, error) {
	list, err := h.Store.ClientCodes(c.UserContext(), edge.Actor(c))
	if err != nil {
		return CaseCodes{}, err
	}
	cc := CaseCodes{byID: make(map[string]string, len(list)), List: list}
	for _, x := range list {
		cc.byID[x.ClientID] = x.CaseCode
	}
	return cc, nil
}

// Of is the case code of a client id, "" when there is none (no client, or a
// client that no longer exists).
func (cc CaseCodes) Of(clientID string) string { return cc.byID[clientID] }

// Fill sets each row's case code from its client id.
func (cc CaseCodes) Fill(rows []AccessRow) {
	for i := range rows {
		rows[i].CaseCode = cc.Of(rows[i].ClientID)
	}
}

// Resolve turns what a staff member picked or typed (a case code, in any
// spelling NormalizeCaseCode accepts) into a client id. ok is false when
// it names no client.
func (cc CaseCodes) Resolve(code string) (id string, ok bool) {
	c, valid := records.NormalizeCaseCode(code)
	if !valid {
		return "", false
	}
	for _, x := range cc.List {
		if x.CaseCode == c {
			return x.ClientID, true
		}
	}
	return "", false
}
