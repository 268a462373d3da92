package uitest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// Violation is one axe-core rule that a page fails.
type Violation struct {
	ID      string `json:"id"`     // axe rule id, e.g. "color-contrast"
	Impact  string `json:"impact"` // minor, moderate, serious, critical
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []Node `json:"nodes"`
}

// Node is one element that fails a rule.
type Node struct {
	Target         []string `json:"target"` // CSS selectors to the element
	HTML           string   `json:"html"`
	FailureSummary string   `json:"failureSummary"`
}

func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s — %s", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n    %s %s\n      %s", strings.Join(n.Target, " "), n.HTML,
			strings.ReplaceAll(n.FailureSummary, "\n", "\n      "))
	}
	return b.String()
}

// FormatViolations renders violations for a test failure message.
func FormatViolations(vs []Violation) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = "  - " + v.String()
	}
	return strings.Join(s, "\n")
}

// AxeTags are the rule sets Axe runs: WCAG 2.0 and 2.1, levels A and AA —
// the level nabij promises.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

var (
	axeOnce   sync.Once
	axeSource string
	axeErr    error
)

// axeScript reads axe.min.js from <repo>/.tools once per test binary.
func axeScript(tb testing.TB) string {
	tb.Helper()
	axeOnce.Do(func() {
		p := filepath.Join(RepoRoot(tb), ".tools", "node_modules", "axe-core", "axe.min.js")
		b, err := os.ReadFile(p)
		if err != nil {
			axeErr = fmt.Errorf("%s %w", p, errNotFound)
			return
		}
		axeSource = string(b)
	})
	if axeErr != nil {
		missing(tb, axeErr.Error())
	}
	return axeSource
}

// Axe opens url, injects axe-core and runs the WCAG 2.1 A and AA rules on the
// whole document. It returns the violations (none is the goal); it fails tb
// only if the page or axe cannot run.
func (b *Browser) Axe(tb testing.TB, url string) []Violation {
	tb.Helper()
	b.Navigate(tb, url)
	return b.AxeHere(tb)
}

// AxeHere runs axe-core on the page the tab shows now, without loading it
// again: for a page that is the answer to a POST (a refused form).
func (b *Browser) AxeHere(tb testing.TB) []Violation {
	tb.Helper()
	src := axeScript(tb)
	b.Do(tb, chromedp.Evaluate[chromedp.Void](src))
	tags := `['` + strings.Join(AxeTags, `','`) + `']`
	// Map in the page so only plain JSON crosses the protocol; a target can
	// be nested (shadow DOM, iframes), so flatten it to strings.
	js := `axe.run(document, {runOnly: {type: 'tag', values: ` + tags + `}}).then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({target: n.target.map(String), html: n.html, failureSummary: n.failureSummary || ''}))
	})))`
	return Eval[[]Violation](tb, b, js)
}
