package ui

import (
	"fmt"
	"html/template"
	"strings"
)

// Bar is one bar of a chart: its label, its value (nil when the figure is
// suppressed: no bar is drawn) and the text written at its end.
type Bar struct {
	Label   string
	Value   *int
	Text    string
	Hatched bool // drawn with diagonal lines: the second series of a legend
}

// LegendItem explains one fill of a chart.
type LegendItem struct {
	Label   string
	Hatched bool
}

// Chart is a horizontal bar chart drawn on the server. Title and Desc are the
// chart's accessible name and description (already translated); every bar
// also carries its value as text, so neither colour nor length is the only
// cue, and the page shows the same figures in a table beside it.
type Chart struct {
	ID     string
	Title  string
	Desc   string
	Bars   []Bar
	Legend []LegendItem
}

// Dimensions of the drawing, in SVG units; the SVG scales to its box.
const (
	chartWidth  = 640
	chartLabelW = 200
	chartBarMax = 330
	chartRowH   = 30
	chartBarH   = 18
	chartColour = "#1f4e79" // 8.6:1 on white: bars and their outlines
	chartText   = "#1a1a1a"
)

// BarChart draws c as an accessible SVG: role="img" named by its <title> and
// described by its <desc>, bars in one dark colour (solid or hatched, with a
// legend in words), each value written beside its bar. No script.
func BarChart(c Chart) template.HTML {
	max := 0
	for _, b := range c.Bars {
		if b.Value != nil && *b.Value > max {
			max = *b.Value
		}
	}
	legendH := 0
	if len(c.Legend) > 0 {
		legendH = chartRowH
	}
	h := len(c.Bars)*chartRowH + legendH + 10
	id := template.HTMLEscapeString(c.ID)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" id="%s" role="img" aria-labelledby="%s-title %s-desc" viewBox="0 0 %d %d" width="100%%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">`,
		id, id, id, chartWidth, h)
	fmt.Fprintf(&b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, id, template.HTMLEscapeString(c.Title), id, template.HTMLEscapeString(c.Desc))
	fmt.Fprintf(&b, `<defs><pattern id="%s-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/><rect width="3" height="8" fill="%s"/></pattern></defs>`, id, chartColour)
	fill := func(hatched bool) string {
		if hatched {
			return "url(#" + id + "-hatch)"
		}
		return chartColour
	}
	for i, bar := range c.Bars {
		y := i*chartRowH + 5
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" font-size="14" fill="%s">%s</text>`,
			chartLabelW-8, y+chartBarH-4, chartText, template.HTMLEscapeString(shorten(bar.Label, 26)))
		w := 0
		if bar.Value != nil && max > 0 {
			w = *bar.Value * chartBarMax / max
			if w == 0 && *bar.Value > 0 {
				w = 2
			}
		}
		if w > 0 {
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s" stroke="%s" stroke-width="1.5"/>`,
				chartLabelW, y, w, chartBarH, fill(bar.Hatched), chartColour)
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="14" fill="%s">%s</text>`,
			chartLabelW+w+6, y+chartBarH-4, chartText, template.HTMLEscapeString(bar.Text))
	}
	x := chartLabelW
	y := len(c.Bars)*chartRowH + 8
	for _, l := range c.Legend {
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="18" height="14" fill="%s" stroke="%s" stroke-width="1.5"/>`, x, y, fill(l.Hatched), chartColour)
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="14" fill="%s">%s</text>`, x+24, y+12, chartText, template.HTMLEscapeString(l.Label))
		x += 24 + 9*len([]rune(l.Label)) + 20
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every text above is escaped
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
