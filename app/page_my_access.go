package app

import (
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

// accessRow is one access record as the pages show it.
type accessRow struct {
	Seq                      int64
	At                       time.Time
	ActorName, ActorUsername string
	ActorRole                string
	ClientID, Kind, Action   string
	Purpose, Rule            string
	BreakGlass, Denied       bool
	Count                    int
	// For emergency access: the reason given and when the access ends.
	Reason  string
	Expires *time.Time
}

func accessRows(list []records.AccessView, me records.Actor, you string) []accessRow {
	rows := make([]accessRow, 0, len(list))
	for _, r := range list {
		row := accessRow{Seq: r.Seq, At: r.At, ActorName: r.ActorName, ActorUsername: r.ActorUsername,
			ActorRole: string(r.ActorRole), ClientID: r.ClientID, Kind: r.RecordKind, Action: string(r.Action),
			Purpose: string(r.Purpose), Rule: string(r.Rule), BreakGlass: r.BreakGlass(),
			Denied: r.Outcome == records.OutcomeDenied, Count: len(r.RecordIDs),
			Reason: r.BreakGlassReason, Expires: r.BreakGlassExpires}
		if you != "" && r.ActorID == me.UserID {
			row.ActorName, row.ActorRole = you, ""
		}
		rows = append(rows, row)
	}
	return rows
}

// pageBefore reads ?before=N (a record number, for paging); 0 when absent.
func pageBefore(c *fiber.Ctx) (int64, error) {
	v := c.Query("before")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, fiber.ErrBadRequest
	}
	return n, nil
}

const accessPageSize = 50

// olderURL links to the next page when this one is full.
func olderURL(path string, q url.Values, rows []accessRow) string {
	if len(rows) < accessPageSize {
		return ""
	}
	q.Set("before", strconv.FormatInt(rows[len(rows)-1].Seq, 10))
	return path + "?" + q.Encode()
}

type accessView struct {
	Rows  []accessRow
	Older string
}

// pageMyAccess shows the client who read their file, when and why, and
// whether emergency access was used (NEN 7513). Reading it is recorded too.
func (s *Server) pageMyAccess(c *fiber.Ctx) error {
	a := edge.Actor(c)
	before, err := pageBefore(c)
	if err != nil {
		return err
	}
	list, err := s.Store.ClientAccessLog(c.UserContext(), a, a.ClientID, before, accessPageSize)
	if err != nil {
		return err
	}
	v := s.view(c, "my_access.title")
	rows := accessRows(list, a, renderer().Translator().T(v.Lang, "access.you", nil))
	v.Data = accessView{Rows: rows, Older: olderURL("/my/access", url.Values{}, rows)}
	return s.render(c, fiber.StatusOK, "my_access", v)
}
