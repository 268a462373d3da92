// Package uitest drives a headless Chromium for nabij's end-to-end tests:
// navigate, fill and click like a person would, run axe-core accessibility
// checks, and take full-page screenshots at a given width.
//
// It is a test helper package: every function takes a testing.TB and fails
// the test on error, so tests read as a list of steps. Install the tools
// first with scripts/install-test-tools (Chromium from Debian, axe-core
// from npm into .tools/).
//
// When Chromium or axe-core is missing, the tests are skipped with a message,
// so `go test ./...` still works on a bare machine. Set NABIJ_REQUIRE_BROWSER=1
// (CI does) to make a missing tool a failure instead: a skipped browser test
// must never pass for a green accessibility check.
package uitest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is where Debian's chromium package puts the browser.
const ChromiumPath = "/usr/bin/chromium"

// ActionTimeout bounds each helper call, so a page that never loads fails the
// test with a clear message instead of hanging until go test's own timeout.
var ActionTimeout = 30 * time.Second

// Browser is one headless Chromium with one tab. Helpers on one Browser must
// not be called from parallel subtests: they share the tab.
type Browser struct {
	ctx context.Context // chromedp tab context; cancelled at test cleanup
}

// NewBrowser starts Chromium with a fresh profile in tb.TempDir() and stops it
// when the test ends. It skips the test if Chromium is not installed, unless
// NABIJ_REQUIRE_BROWSER=1, in which case it fails.
func NewBrowser(tb testing.TB) *Browser {
	tb.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		missing(tb, ChromiumPath+" not found")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(ChromiumPath),
		chromedp.Headless,
		// Tests often run as root in a container, where the sandbox cannot start.
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		// No traffic but to the test server: no QUIC probes, no component or
		// sync downloads. Only loopback is reachable here anyway; this keeps
		// the browser from waiting on the rest.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(tb.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	// Cleanups run last-in first-out: the browser stops before TempDir is
	// removed, so Chromium is not writing into a directory being deleted.
	tb.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	// The first Do starts the browser; it must get the long-lived context,
	// not one with a timeout (a timeout there would stop the whole browser).
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("uitest: start chromium: %v", err)
	}
	return &Browser{ctx: ctx}
}

// missing skips or fails for an absent tool, as NABIJ_REQUIRE_BROWSER says.
func missing(tb testing.TB, what string) {
	tb.Helper()
	msg := "uitest: " + what + "; run scripts/install-test-tools"
	if os.Getenv("NABIJ_REQUIRE_BROWSER") == "1" {
		tb.Fatal(msg + " (NABIJ_REQUIRE_BROWSER=1)")
	}
	tb.Skip(msg + " (set NABIJ_REQUIRE_BROWSER=1 to fail instead)")
}

// Context returns the tab's chromedp context, for anything the helpers do not
// cover. Derive a timeout from it with context.WithTimeout; do not cancel it.
func (b *Browser) Context() context.Context { return b.ctx }

// Do runs chromedp actions in the tab with ActionTimeout, failing tb on error.
func (b *Browser) Do(tb testing.TB, steps ...chromedp.Action[chromedp.Void]) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, ActionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.Fatalf("uitest: %v", err)
	}
}

// run is Do for one action that returns a value.
func run[T any](tb testing.TB, b *Browser, a chromedp.Action[T]) T {
	tb.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, ActionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		tb.Fatalf("uitest: %v", err)
	}
	return v
}

// Navigate opens url and waits for the page to load.
func (b *Browser) Navigate(tb testing.TB, url string) {
	tb.Helper()
	b.Do(tb, chromedp.Navigate(url))
}

// Fill replaces the value of the form field named name (input, textarea) by
// typing value into it, as a person would.
func (b *Browser) Fill(tb testing.TB, name, value string) {
	tb.Helper()
	sel := chromedp.CSS(fmt.Sprintf(`[name=%q]`, name))
	// Emptied by script, not by SetValue(sel, "") (chromedp drops an empty
	// string argument, so the field would read "undefined") nor by Clear
	// (which fails on an empty <textarea>: it has no text node to clear).
	clear := fmt.Sprintf(`document.querySelector(%q).value = ""`, fmt.Sprintf(`[name=%q]`, name))
	b.Do(tb, chromedp.WaitReady(sel), chromedp.Evaluate[chromedp.Void](clear), chromedp.SendKeys(sel, value))
}

// Click clicks the first element matching the CSS selector. It does not
// wait for a page load; use ClickNavigate for links and submit buttons.
func (b *Browser) Click(tb testing.TB, cssSelector string) {
	tb.Helper()
	b.Do(tb, chromedp.Click(chromedp.CSS(cssSelector)))
}

// ClickNavigate clicks an element that loads a new page (a link, a submit
// button), waits until that page has loaded, and returns its HTTP status.
// Waiting matters: the next Navigate would otherwise abort the pending one.
func (b *Browser) ClickNavigate(tb testing.TB, cssSelector string) int {
	tb.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, ActionTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(cssSelector)))
	if err != nil {
		tb.Fatalf("uitest: click %s: %v", cssSelector, err)
	}
	return int(resp.Status)
}

// Text returns the visible text of the first element matching the CSS selector.
func (b *Browser) Text(tb testing.TB, cssSelector string) string {
	tb.Helper()
	return run(tb, b, chromedp.Text(chromedp.CSS(cssSelector)))
}

// Value returns the current value of the form field named name.
func (b *Browser) Value(tb testing.TB, name string) string {
	tb.Helper()
	return run(tb, b, chromedp.Value(chromedp.CSS(fmt.Sprintf(`[name=%q]`, name))))
}

// Eval evaluates a JavaScript expression in the page and decodes its JSON
// result into T. Use it for checks the helpers do not cover.
func Eval[T any](tb testing.TB, b *Browser, expr string) T {
	tb.Helper()
	return run(tb, b, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// Overflows opens url at the given viewport width and reports whether the
// page scrolls sideways: WCAG 1.4.10 (reflow) asks for none at 320 px.
func (b *Browser) Overflows(tb testing.TB, url string, width int) bool {
	tb.Helper()
	b.Do(tb, chromedp.EmulateViewport(int64(width), 640), chromedp.Navigate(url))
	return Eval[bool](tb, b, `document.documentElement.scrollWidth > document.documentElement.clientWidth`)
}

// RepoRoot returns the directory holding go.mod, found by walking up from the
// working directory (go test runs in the package directory).
func RepoRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("uitest: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Screenshot opens url in a viewport width pixels wide and saves a full-page
// PNG to <repo>/artifacts/screenshots/<name>-<width>.png. It returns the path.
func (b *Browser) Screenshot(tb testing.TB, url, name string, width int) string {
	tb.Helper()
	if strings.ContainsAny(name, `/\`) {
		tb.Fatalf("uitest: screenshot name %q must not contain a path separator", name)
	}
	b.Do(tb, chromedp.EmulateViewport(int64(width), 800), chromedp.Navigate(url))
	return b.saveScreenshot(tb, name, width)
}

// ScreenshotHere saves the page the tab shows now, laid out width pixels
// wide, without loading it again (for the answer to a POST). The viewport
// keeps that width afterwards.
func (b *Browser) ScreenshotHere(tb testing.TB, name string, width int) string {
	tb.Helper()
	if strings.ContainsAny(name, `/\`) {
		tb.Fatalf("uitest: screenshot name %q must not contain a path separator", name)
	}
	b.Do(tb, chromedp.EmulateViewport(int64(width), 800))
	return b.saveScreenshot(tb, name, width)
}

// OverflowsHere reports whether the page the tab shows now scrolls sideways
// at the given viewport width.
func (b *Browser) OverflowsHere(tb testing.TB, width int) bool {
	tb.Helper()
	b.Do(tb, chromedp.EmulateViewport(int64(width), 640))
	return Eval[bool](tb, b, `document.documentElement.scrollWidth > document.documentElement.clientWidth`)
}

func (b *Browser) saveScreenshot(tb testing.TB, name string, width int) string {
	tb.Helper()
	png := run(tb, b, chromedp.FullScreenshot(100)) // quality 100 means PNG
	dir := filepath.Join(RepoRoot(tb), "artifacts", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	p := filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, width))
	if err := os.WriteFile(p, png, 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

// errNotFound marks a missing tool file.
var errNotFound = errors.New("not found")
