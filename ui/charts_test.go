package ui_test

import (
	"strings"
	"testing"

	"github.com/nabij/nabij/ui"
)

func TestBarChart(t *testing.T) {
	n := func(v int) *int { return &v }
	svg := string(ui.BarChart(ui.Chart{ID: "c1", Title: "Contacten <per> kanaal", Desc: "Staven & getallen",
		Bars: []ui.Bar{{Label: "kantoor", Value: n(40), Text: "40"}, {Label: "video", Value: n(10), Text: "10", Hatched: true},
			{Label: "chat", Value: nil, Text: "verborgen"}},
		Legend: []ui.LegendItem{{Label: "aangezicht"}, {Label: "online", Hatched: true}}}))
	for _, want := range []string{`role="img"`, `aria-labelledby="c1-title c1-desc"`, `<title id="c1-title">Contacten &lt;per&gt; kanaal</title>`,
		`<desc id="c1-desc">Staven &amp; getallen</desc>`, `url(#c1-hatch)`, `>40</text>`, `>verborgen</text>`, `>online</text>`} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %s:\n%s", want, svg)
		}
	}
	if strings.Contains(svg, "<script") {
		t.Error("a chart has script")
	}
	// Two bars and two legend swatches: the hidden figure draws no bar.
	if got := strings.Count(svg, "<rect x="); got != 4 {
		t.Errorf("%d rects, want 4 (two bars, two legend swatches)", got)
	}
}
