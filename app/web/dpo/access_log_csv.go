package dpo

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// csvMaxRows bounds one download; a larger log is downloaded period by period.
const csvMaxRows = 20000

// accessLogCSV downloads the access-log search as CSV (GET
// /dpo/access-log.csv with the page's filters): one line per record, with
// ids, codes and case codes, never note text. Every page of the search is
// recorded like the page's.
func (h *Handler) accessLogCSV(c *fiber.Ctx) error {
	_, _, filter, codes, errs, err := h.accessFilter(c)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return h.accessLog(c) // the page, with the refused fields
	}
	var buf bytes.Buffer
	wr := csv.NewWriter(&buf)
	_ = wr.Write([]string{"seq", "at", "actor", "role", "case_code", "kind", "action", "count", "purpose", "rule", "outcome"})
	const page = 500
	n := 0
	for n < csvMaxRows {
		filter.Limit = page
		list, err := h.Store.AccessLog(c.UserContext(), edge.Actor(c), filter)
		if err != nil {
			return err
		}
		for _, r := range list {
			_ = wr.Write(csvRow(r, codes))
		}
		n += len(list)
		if len(list) < page {
			break
		}
		filter.BeforeSeq = list[len(list)-1].Seq
	}
	wr.Flush()
	if err := wr.Error(); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="access-log-`+h.Now().UTC().Format("2006-01-02")+`.csv"`)
	return c.Status(fiber.StatusOK).Send(buf.Bytes())
}

// csvRow is one record as CSV cells.
func csvRow(r records.AccessView, codes web.CaseCodes) []string {
	cells := []string{strconv.FormatInt(r.Seq, 10), r.At.UTC().Format(time.RFC3339), r.ActorUsername, string(r.ActorRole),
		codes.Of(r.ClientID), r.RecordKind, string(r.Action), strconv.Itoa(len(r.RecordIDs)), string(r.Purpose),
		string(r.Rule), string(r.Outcome)}
	for i, v := range cells {
		cells[i] = web.CSVCell(v)
	}
	return cells
}
