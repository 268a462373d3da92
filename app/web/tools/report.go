package tools

import (
	"html/template"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/consent"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

// tableView is a report table as the page shows it: translated headings,
// and each figure as text ("" for a suppressed one).
type tableView struct {
	Caption string
	Cols    []string
	Rows    []rowView
}

type rowView struct {
	Label string
	Cells []string
}

// section is one chart with its data table beside it.
type section struct {
	ID, Title, Intro string
	Chart            template.HTML
	Table            tableView
}

type reportView struct {
	From, To string // the period as dates, for the form and the CSV link
	Scope    string
	K        int
	Sections []section
}

func figure(v *int) string {
	if v == nil {
		return ""
	}
	return strconv.Itoa(*v)
}

// report shows the blended-work report (GET /reports/blended?from=&to=):
// every figure as an SVG chart with its table beside it, and a CSV link.
func (h *Handler) report(c *fiber.Ctx) error {
	fromS, toS := web.FormQuery(c, "from"), web.FormQuery(c, "to")
	from, to, err := edge.ReportPeriod(h.Now(), fromS, toS)
	errs := map[string]string{}
	if err != nil {
		errs[records.ErrorField(err)] = "invalid.report_period"
		from, to, _ = edge.ReportPeriod(h.Now(), "", "")
	}
	rep, err := h.Consent().BlendedReport(c.UserContext(), edge.Actor(c), from, to)
	if err != nil {
		return err
	}
	v := h.View(c, "report.title")
	v.Errors = errs
	v.Form = map[string]string{"from": fromS, "to": toS}
	if v.Form["from"] == "" || len(errs) > 0 {
		v.Form["from"] = from.Format("2006-01-02")
	}
	if v.Form["to"] == "" || len(errs) > 0 {
		v.Form["to"] = to.AddDate(0, 0, -1).Format("2006-01-02")
	}
	v.Data = buildReport(v.Lang, rep, v.Form["from"], v.Form["to"])
	status := fiber.StatusOK
	if len(errs) > 0 {
		status = fiber.StatusUnprocessableEntity
	}
	return h.Render(c, status, "report", v)
}

// reportCSV downloads the same figures as CSV (GET /reports/blended.csv).
func (h *Handler) reportCSV(c *fiber.Ctx) error {
	from, to, err := edge.ReportPeriod(h.Now(), c.Query("from"), c.Query("to"))
	if err != nil {
		return err
	}
	rep, err := h.Consent().BlendedReport(c.UserContext(), edge.Actor(c), from, to)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="nabij-blended-report.csv"`)
	return c.SendString(rep.CSV())
}

// buildReport turns the report into charts and tables in lang.
func buildReport(lang string, rep *consent.BlendedReport, from, to string) reportView {
	t := func(key string) string { return web.T(lang, key) }
	suppressed := t("report.suppressed_short")
	text := func(v *int, unit string) string {
		if v == nil {
			return suppressed
		}
		return strconv.Itoa(*v) + unit
	}
	rv := reportView{From: from, To: to, Scope: rep.Scope, K: rep.K}
	channelLabel := func(ch string) string { return t("channel." + ch) }

	// Contacts per channel over the period, face-to-face solid, online hatched.
	var bars []ui.Bar
	for i, ch := range rep.ByChannel.Cols {
		v := rep.ByChannel.ColTotals[i]
		bars = append(bars, ui.Bar{Label: channelLabel(ch), Value: v, Text: text(v, ""), Hatched: records.Channel(ch).Online()})
	}
	legend := []ui.LegendItem{{Label: t("channel_group.face_to_face")}, {Label: t("channel_group.online"), Hatched: true}}
	rv.Sections = append(rv.Sections, section{ID: "by-channel", Title: t("report.by_channel"), Intro: t("report.by_channel_intro"),
		Chart: ui.BarChart(ui.Chart{ID: "chart-by-channel", Title: t("report.by_channel"), Desc: t("report.by_channel_desc"), Bars: bars, Legend: legend}),
		Table: monthTable(t("report.by_channel"), t, rep.ByChannel, channelLabel)})

	// The online share per month.
	bars = nil
	share := tableView{Caption: t("report.online_share"), Cols: []string{t("report.online_share_col")}}
	for _, x := range rep.OnlineShare {
		bars = append(bars, ui.Bar{Label: x.Label, Value: x.Value, Text: text(x.Value, " %"), Hatched: true})
		share.Rows = append(share.Rows, rowView{Label: x.Label, Cells: []string{figure(x.Value)}})
	}
	rv.Sections = append(rv.Sections, section{ID: "online-share", Title: t("report.online_share"), Intro: t("report.online_share_intro"),
		Chart: ui.BarChart(ui.Chart{ID: "chart-online-share", Title: t("report.online_share"), Desc: t("report.online_share_desc"), Bars: bars}),
		Table: share})

	// Contacts per tool.
	bars = nil
	for i, name := range rep.ByTool.Cols {
		v := rep.ByTool.ColTotals[i]
		bars = append(bars, ui.Bar{Label: name, Value: v, Text: text(v, "")})
	}
	same := func(s string) string { return s }
	rv.Sections = append(rv.Sections, section{ID: "by-tool", Title: t("report.by_tool"), Intro: t("report.by_tool_intro"),
		Chart: ui.BarChart(ui.Chart{ID: "chart-by-tool", Title: t("report.by_tool"), Desc: t("report.by_tool_desc"), Bars: bars}),
		Table: monthTable(t("report.by_tool"), t, rep.ByTool, same)})

	// Time per channel, in minutes.
	bars = nil
	for i, ch := range rep.Minutes.Cols {
		v := rep.Minutes.ColTotals[i]
		bars = append(bars, ui.Bar{Label: channelLabel(ch), Value: v, Text: text(v, " min"), Hatched: records.Channel(ch).Online()})
	}
	rv.Sections = append(rv.Sections, section{ID: "minutes", Title: t("report.minutes"), Intro: t("report.minutes_intro"),
		Chart: ui.BarChart(ui.Chart{ID: "chart-minutes", Title: t("report.minutes"), Desc: t("report.minutes_desc"), Bars: bars, Legend: legend}),
		Table: monthTable(t("report.minutes"), t, rep.Minutes, channelLabel)})

	// Follow-up chains.
	bars = nil
	followLabel := func(k string) string { return t("report.follow." + k) }
	for i, k := range rep.FollowUps.Cols {
		v := rep.FollowUps.ColTotals[i]
		bars = append(bars, ui.Bar{Label: followLabel(k), Value: v, Text: text(v, ""), Hatched: i%2 == 0})
	}
	rv.Sections = append(rv.Sections, section{ID: "follow-ups", Title: t("report.follow_ups"), Intro: t("report.follow_ups_intro"),
		Chart: ui.BarChart(ui.Chart{ID: "chart-follow-ups", Title: t("report.follow_ups"), Desc: t("report.follow_ups_desc"), Bars: bars}),
		Table: monthTable(t("report.follow_ups"), t, rep.FollowUps, followLabel)})

	// Clients reached through outreach, and workers per tool.
	for _, list := range []struct {
		id, key string
		counts  []consent.Count
	}{{"outreach", "report.outreach", rep.Outreach}, {"tool-workers", "report.tool_workers", rep.ToolWorkers}} {
		bars = nil
		tv := tableView{Caption: t(list.key), Cols: []string{t(list.key + "_col")}}
		for _, x := range list.counts {
			bars = append(bars, ui.Bar{Label: x.Label, Value: x.Value, Text: text(x.Value, "")})
			tv.Rows = append(tv.Rows, rowView{Label: x.Label, Cells: []string{figure(x.Value)}})
		}
		rv.Sections = append(rv.Sections, section{ID: list.id, Title: t(list.key), Intro: t(list.key + "_intro"),
			Chart: ui.BarChart(ui.Chart{ID: "chart-" + list.id, Title: t(list.key), Desc: t(list.key + "_desc"), Bars: bars}),
			Table: tv})
	}
	return rv
}

// monthTable is a report table with months as rows, its columns named by
// label, and the totals as the last column and row.
func monthTable(caption string, t func(string) string, tb consent.Table, label func(string) string) tableView {
	tv := tableView{Caption: caption}
	for _, c := range tb.Cols {
		tv.Cols = append(tv.Cols, label(c))
	}
	tv.Cols = append(tv.Cols, t("report.total"))
	for r, m := range tb.Rows {
		row := rowView{Label: m}
		for c := range tb.Cols {
			row.Cells = append(row.Cells, figure(tb.Cells[r][c]))
		}
		row.Cells = append(row.Cells, figure(tb.RowTotals[r]))
		tv.Rows = append(tv.Rows, row)
	}
	total := rowView{Label: t("report.total")}
	for c := range tb.Cols {
		total.Cells = append(total.Cells, figure(tb.ColTotals[c]))
	}
	total.Cells = append(total.Cells, figure(tb.Total))
	tv.Rows = append(tv.Rows, total)
	return tv
}
