package uitest_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"testing"

	"github.com/nabij/nabij/ui/uitest"
)

// TestAxeFindsViolations proves the harness is not vacuous: a page with
// known WCAG failures must come back with those rule ids.
func TestAxeFindsViolations(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test; skipped with -short")
	}
	b := uitest.NewBrowser(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		// No lang, no title, an unlabelled input, an image without alt,
		// grey-on-white text at 1.6:1.
		w.Write([]byte(`<!DOCTYPE html><html><body><main><h1>x</h1>
<input name="q"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#ccc">low contrast</p></main></body></html>`))
	}))
	t.Cleanup(srv.Close)

	vs := b.Axe(t, srv.URL)
	var ids []string
	for _, v := range vs {
		ids = append(ids, v.ID)
		if len(v.Nodes) == 0 || len(v.Nodes[0].Target) == 0 {
			t.Errorf("violation %s has no target", v.ID)
		}
	}
	for _, want := range []string{"html-has-lang", "document-title", "label", "image-alt", "color-contrast"} {
		if !slices.Contains(ids, want) {
			t.Errorf("axe did not report %s; got %v", want, ids)
		}
	}

	p := b.Screenshot(t, srv.URL, "uitest-selfcheck", 360)
	if b, err := os.ReadFile(p); err != nil || len(b) < 8 || string(b[1:4]) != "PNG" {
		t.Errorf("screenshot %s is not a PNG (err %v)", p, err)
	}
	os.Remove(p)
}
