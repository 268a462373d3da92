package web

import (
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/records"
)

// AccessRow is one access record as the pages show it.
type AccessRow struct {
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

// AccessRows turns access records into rows; you, when set, replaces the
// reader's own name (the client sees "you").
func AccessRows(list []records.AccessView, me records.Actor, you string) []AccessRow {
	rows := make([]AccessRow, 0, len(list))
	for _, r := range list {
		row := AccessRow{Seq: r.Seq, At: r.At, ActorName: r.ActorName, ActorUsername: r.ActorUsername,
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

// PageBefore reads ?before=N (a record number, for paging); 0 when absent.
func PageBefore(c *fiber.Ctx) (int64, error) {
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

// AccessPageSize is how many access records a page shows.
const AccessPageSize = 50

// OlderURL links to the next page when this one is full.
func OlderURL(path string, q url.Values, rows []AccessRow) string {
	if len(rows) < AccessPageSize {
		return ""
	}
	q.Set("before", strconv.FormatInt(rows[len(rows)-1].Seq, 10))
	return path + "?" + q.Encode()
}

// AccessView is an access-log page: its rows and the link to older ones.
type AccessView struct {
	Rows  []AccessRow
	Older string
}
