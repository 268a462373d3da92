package consent

import (
	"context"
	"encoding/csv"
	"strconv"
	"strings"
	"time"

	"github.com/nabij/nabij/records"
)

// Table is one published table of the blended-work report: a count per row
// (month) and column, with totals. A nil entry is suppressed: it counts fewer
// than K clients, or it would give such an entry away through the totals.
type Table struct {
	Rows      []string `json:"rows"`
	Cols      []string `json:"columns"`
	Cells     [][]*int `json:"cells"`
	RowTotals []*int   `json:"row_totals"`
	ColTotals []*int   `json:"column_totals"`
	Total     *int     `json:"total"`
}

// Count is one published figure with what it counts; nil when suppressed.
type Count struct {
	Label string `json:"label"`
	Value *int   `json:"value"`
}

// Follow-up kinds: a contact and the one it follows up, by mode.
var FollowUps = []string{"online_after_face_to_face", "face_to_face_after_online", "online_after_online", "face_to_face_after_face_to_face"}

// BlendedReport is the blended-work report: per month, contacts by channel
// and by tool, the online share, time per channel, follow-up chains, clients
// reached through outreach, and tools by how many workers use them. Only
// aggregated figures, small cells suppressed with secondary suppression.
type BlendedReport struct {
	From        time.Time `json:"from"`
	To          time.Time `json:"to"`
	Scope       string    `json:"scope"`
	K           int       `json:"k"`
	ByChannel   Table     `json:"contacts_by_channel"`
	ByTool      Table     `json:"contacts_by_tool"`
	OnlineShare []Count   `json:"online_share_percent"`
	Minutes     Table     `json:"minutes_by_channel"`
	FollowUps   Table     `json:"follow_ups"`
	Outreach    []Count   `json:"clients_reached_by_outreach"`
	ToolWorkers []Count   `json:"workers_per_tool"`
}

// MaxReportMonths is the longest period one report covers.
const MaxReportMonths = 36

// item is one contact's contribution to a table: its row, column, value and
// the client behind it.
type item struct {
	row, col string
	value    int
	client   string
}

// table sums items into rows × cols, marks as small every entry with fewer
// than K distinct clients behind it, and suppresses with SuppressGrid.
func table(rows, cols []string, items []item) Table {
	ri, ci := index(rows), index(cols)
	R, C := len(rows), len(cols)
	cells := make([][]int, R)
	cellPeople := make([][]map[string]bool, R)
	rowPeople, colPeople, all := make([]map[string]bool, R), make([]map[string]bool, C), map[string]bool{}
	for r := range cells {
		cells[r] = make([]int, C)
		cellPeople[r] = make([]map[string]bool, C)
		rowPeople[r] = map[string]bool{}
		for c := range cellPeople[r] {
			cellPeople[r][c] = map[string]bool{}
		}
	}
	for c := range colPeople {
		colPeople[c] = map[string]bool{}
	}
	for _, it := range items {
		r, okR := ri[it.row]
		c, okC := ci[it.col]
		if !okR || !okC {
			continue
		}
		cells[r][c] += it.value
		cellPeople[r][c][it.client] = true
		rowPeople[r][it.client], colPeople[c][it.client], all[it.client] = true, true, true
	}
	g := Grid{Cells: cells, Small: make([][]bool, R), RowSmall: make([]bool, R), ColSmall: make([]bool, C), TotalSmall: len(all) < K}
	for r := range cells {
		g.Small[r] = make([]bool, C)
		for c := range cells[r] {
			g.Small[r][c] = len(cellPeople[r][c]) < K
		}
		g.RowSmall[r] = len(rowPeople[r]) < K
	}
	for c := range colPeople {
		g.ColSmall[c] = len(colPeople[c]) < K
	}
	h := SuppressGrid(g)
	t := Table{Rows: rows, Cols: cols, Cells: make([][]*int, R), RowTotals: make([]*int, R), ColTotals: make([]*int, C)}
	colSum, total := make([]int, C), 0
	for r := range cells {
		t.Cells[r] = make([]*int, C)
		sum := 0
		for c, v := range cells[r] {
			sum += v
			colSum[c] += v
			if !h.Cells[r][c] {
				t.Cells[r][c] = keep(v)
			}
		}
		total += sum
		if !h.Rows[r] {
			t.RowTotals[r] = keep(sum)
		}
	}
	for c := range colSum {
		if !h.Cols[c] {
			t.ColTotals[c] = keep(colSum[c])
		}
	}
	if !h.Total {
		t.Total = keep(total)
	}
	return t
}

func index(xs []string) map[string]int {
	m := make(map[string]int, len(xs))
	for i, x := range xs {
		m[x] = i
	}
	return m
}

// months lists the months from from to the month before to (exclusive end).
func months(from, to time.Time) []string {
	out := []string{}
	m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
	for m.Before(to) && len(out) < MaxReportMonths {
		out = append(out, m.Format("2006-01"))
		m = m.AddDate(0, 1, 0)
	}
	return out
}

func channelNames() []string {
	out := make([]string, len(records.Channels))
	for i, c := range records.Channels {
		out[i] = string(c)
	}
	return out
}

// OutreachReached counts, per month, the distinct clients met through an
// outreach contact. It is the one place the outreach figure is made: contacts
// with nobody identified (anonymous outreach) join here, each counted as one
// person reached, when they exist.
func OutreachReached(cs []records.ReportContact, rows []string) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, m := range rows {
		out[m] = map[string]bool{}
	}
	for _, c := range cs {
		if c.Channel == records.ChannelOutreach && out[c.Month] != nil {
			out[c.Month][c.ClientID] = true
		}
	}
	return out
}

// Report turns the raw contacts into the published report.
func Report(d *records.BlendedData) *BlendedReport {
	rows := months(d.From, d.To)
	rep := &BlendedReport{From: d.From, To: d.To, Scope: d.Scope, K: K, OnlineShare: []Count{}, Outreach: []Count{}, ToolWorkers: []Count{}}
	var byChannel, byTool, minutes, follow []item
	toolSet := map[string]bool{}
	toolClients, toolWorkers := map[string]map[string]bool{}, map[string]map[string]bool{}
	for _, c := range d.Contacts {
		ch := string(c.Channel)
		byChannel = append(byChannel, item{c.Month, ch, 1, c.ClientID})
		minutes = append(minutes, item{c.Month, ch, c.Minutes, c.ClientID})
		if c.Tool != "" {
			toolSet[c.Tool] = true
			byTool = append(byTool, item{c.Month, c.Tool, 1, c.ClientID})
			if toolClients[c.Tool] == nil {
				toolClients[c.Tool], toolWorkers[c.Tool] = map[string]bool{}, map[string]bool{}
			}
			toolClients[c.Tool][c.ClientID], toolWorkers[c.Tool][c.AuthorID] = true, true
		}
		if c.Follows != "" {
			kind := string(c.Channel.Mode()) + "_after_" + string(c.Follows)
			follow = append(follow, item{c.Month, kind, 1, c.ClientID})
		}
	}
	tools := sortedKeys(toolSet)
	rep.ByChannel = table(rows, channelNames(), byChannel)
	rep.ByTool = table(rows, tools, byTool)
	rep.Minutes = table(rows, channelNames(), minutes)
	rep.FollowUps = table(rows, FollowUps, follow)
	// The online share of a month is published only when it follows from
	// the published table already: the month's total is published and its
	// hidden cells are all of one mode (all online or all face-to-face), so
	// the other mode's sum is published and the share tells nothing new. A
	// month with no contacts has no share.
	for r, m := range rows {
		tot := rep.ByChannel.RowTotals[r]
		if tot == nil || *tot == 0 {
			continue
		}
		c := Count{Label: m}
		on, off, hiddenOn, hiddenOff := 0, 0, 0, 0
		for i, ch := range records.Channels {
			v := rep.ByChannel.Cells[r][i]
			switch {
			case v == nil && ch.Online():
				hiddenOn++
			case v == nil:
				hiddenOff++
			case ch.Online():
				on += *v
			default:
				off += *v
			}
		}
		switch {
		case hiddenOff == 0: // the face-to-face cells are all published
			c.Value = keep((*tot - off) * 100 / *tot)
		case hiddenOn == 0: // the online cells are all published
			c.Value = keep(on * 100 / *tot)
		}
		rep.OnlineShare = append(rep.OnlineShare, c)
	}
	// Outreach and workers per tool are published without totals, so primary
	// suppression is all they need.
	reached := OutreachReached(d.Contacts, rows)
	for _, m := range rows {
		c := Count{Label: m}
		if n := len(reached[m]); n >= K || n == 0 {
			c.Value = keep(n)
		}
		rep.Outreach = append(rep.Outreach, c)
	}
	for _, t := range tools {
		c := Count{Label: t}
		if len(toolClients[t]) >= K {
			c.Value = keep(len(toolWorkers[t]))
		}
		rep.ToolWorkers = append(rep.ToolWorkers, c)
	}
	return rep
}

// BlendedReport computes the blended-work report for the actor's scope.
func (s *Service) BlendedReport(ctx context.Context, a records.Actor, from, to time.Time) (*BlendedReport, error) {
	d, err := s.Store.BlendedData(ctx, a, from, to)
	if err != nil {
		return nil, err
	}
	return Report(d), nil
}

// CSV writes every figure of the report as one line: table, row,
// column, value ("suppressed" for a hidden one). Months, channels and tool
// names only: the report holds no person's name.
func (rep *BlendedReport) CSV() string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"table", "row", "column", "value"})
	val := func(v *int) string {
		if v == nil {
			return "suppressed"
		}
		return strconv.Itoa(*v)
	}
	tables := []struct {
		name string
		t    Table
	}{{"contacts_by_channel", rep.ByChannel}, {"contacts_by_tool", rep.ByTool}, {"minutes_by_channel", rep.Minutes}, {"follow_ups", rep.FollowUps}}
	for _, t := range tables {
		for r, row := range t.t.Rows {
			for c, col := range t.t.Cols {
				_ = w.Write([]string{t.name, row, col, val(t.t.Cells[r][c])})
			}
			_ = w.Write([]string{t.name, row, "total", val(t.t.RowTotals[r])})
		}
		for c, col := range t.t.Cols {
			_ = w.Write([]string{t.name, "total", col, val(t.t.ColTotals[c])})
		}
		_ = w.Write([]string{t.name, "total", "total", val(t.t.Total)})
	}
	for _, x := range rep.OnlineShare {
		_ = w.Write([]string{"online_share_percent", x.Label, "", val(x.Value)})
	}
	for _, x := range rep.Outreach {
		_ = w.Write([]string{"clients_reached_by_outreach", x.Label, "", val(x.Value)})
	}
	for _, x := range rep.ToolWorkers {
		_ = w.Write([]string{"workers_per_tool", x.Label, "", val(x.Value)})
	}
	w.Flush()
	return b.String()
}
