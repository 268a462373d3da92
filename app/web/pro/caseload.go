package pro

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

type caseloadRow struct {
	ID, Name, Code   string
	ConsentMissing   int
	Last, Next       time.Time
	OpenTrajectories int
	Team             bool
	// What changed since the professional last opened the file, in words.
	Changed     string
	NeverOpened bool
	LastLooked  time.Time
}

// caseload lists the professional's clients, narrowed by name (?q=) and to
// what changed (?changed=1), ordered by next or last contact or changed
// first (?sort=). Showing a name is a read: records writes one access record
// per client listed.
func (h *Handler) caseload(c *fiber.Ctx) error {
	changedOnly := web.FormQuery(c, "changed")
	q := records.CaseloadQuery{Name: web.FormQuery(c, "q"), Sort: web.FormQuery(c, "sort")}
	v := h.View(c, "caseload.title")
	v.Form = map[string]string{"q": q.Name, "sort": q.Sort, "changed": changedOnly}
	changed, err := records.ParseChangedOnly(changedOnly)
	q.Changed = changed
	var list []records.CaseloadEntry
	if err == nil {
		list, err = h.Store.SearchCaseload(c.UserContext(), edge.Actor(c), q)
	}
	if err != nil {
		errs, ok := web.FormErrors(err, []string{"q", "sort", "changed"}, nil, nil)
		if !ok {
			return err
		}
		v.Errors = errs
		v.Data = struct {
			Clients []caseloadRow
			Search  bool
		}{}
		return h.Render(c, fiber.StatusUnprocessableEntity, "caseload", v)
	}
	rows := make([]caseloadRow, 0, len(list))
	for _, e := range list {
		r := caseloadRow{ID: e.ClientID, Name: e.Name, Code: e.CaseCode, ConsentMissing: e.ConsentMissing,
			OpenTrajectories: e.OpenTrajectories, Team: e.Rule == records.RuleTeamCaseload}
		if e.LastContact != nil {
			r.Last = *e.LastContact
		}
		if e.NextContact != nil {
			r.Next = *e.NextContact
		}
		r.Changed, r.NeverOpened = web.ChangeWords(e.Changes, v.Lang), e.Changes.NeverOpened
		if e.Changes.LastLooked != nil {
			r.LastLooked = *e.Changes.LastLooked
		}
		rows = append(rows, r)
	}
	v.Data = struct {
		Clients []caseloadRow
		Search  bool
	}{rows, q.Name != "" || q.Changed}
	return h.Render(c, fiber.StatusOK, "caseload", v)
}
