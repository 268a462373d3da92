package ui_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/nabij/nabij/ui"
	"github.com/nabij/nabij/ui/uitest"
)

// newTestServer serves the generic pages through the Renderer on a real
// net/http server on 127.0.0.1:0, the way package app will: /static/ from
// ui.Asset, pages with the language taken from the first path segment.
func newTestServer(tb testing.TB) *httptest.Server {
	tb.Helper()
	r := mustRenderer(tb)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /static/{name}", func(w http.ResponseWriter, req *http.Request) {
		b, ct, ok := ui.Asset(req.PathValue("name"))
		if !ok {
			http.NotFound(w, req)
			return
		}
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Write(b)
	})
	pages := map[string]func(ui.ViewData) (string, int, ui.ViewData){
		"login": func(v ui.ViewData) (string, int, ui.ViewData) {
			v.Title = "login.title"
			return "login", 200, v
		},
		"login-refused": func(v ui.ViewData) (string, int, ui.ViewData) {
			v.Title = "login.title"
			v.Errors = map[string]string{"username": "error.username_required", "totp": "error.totp_invalid", ui.FormError: "error.login_failed"}
			v.Form = map[string]string{"totp": "12345"}
			return "login", 422, v
		},
		"error": func(v ui.ViewData) (string, int, ui.ViewData) {
			v.User = &ui.User{Username: "fg.janssens", Role: ui.RoleDataOfficer}
			v.CurrentPath = "/dpo/retention"
			return "error", 404, ui.ErrorView(v, 404)
		},
		"styleguide": func(v ui.ViewData) (string, int, ui.ViewData) {
			v.Title = "styleguide.title"
			v.User = &ui.User{Username: "an.peeters", Role: ui.RoleProfessional}
			v.Flash = "flash.saved"
			v.Errors = map[string]string{"note": "error.bad_request.message"}
			v.Form = map[string]string{"note": "Huisbezoek: gesprek over de huur."}
			return "styleguide", 200, v
		},
	}
	mux.HandleFunc("GET /{lang}/{page}", func(w http.ResponseWriter, req *http.Request) {
		lang, page := req.PathValue("lang"), pages[req.PathValue("page")]
		if !ui.IsLanguage(lang) || page == nil {
			http.NotFound(w, req)
			return
		}
		name, status, v := page(ui.ViewData{Lang: lang, CSRF: "test-csrf-token", CurrentPath: req.URL.Path})
		v.AltLangURL = "/" + ui.OtherLanguage(lang) + "/" + req.PathValue("page")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		if err := r.Render(w, name, v); err != nil {
			tb.Errorf("render %s: %v", name, err)
		}
	})
	srv := httptest.NewServer(mux) // listens on 127.0.0.1:0
	tb.Cleanup(srv.Close)
	return srv
}

// TestPagesAccessible runs axe-core (WCAG 2.1 A+AA) on every generic page in
// both languages, checks that nothing scrolls sideways at 320 px, and saves
// screenshots at 1280 and 360 px under artifacts/screenshots/.
func TestPagesAccessible(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test; skipped with -short")
	}
	b := uitest.NewBrowser(t)
	srv := newTestServer(t)
	for _, lang := range ui.Languages {
		for _, page := range []string{"login", "login-refused", "error", "styleguide"} {
			t.Run(lang+"/"+page, func(t *testing.T) {
				u := srv.URL + "/" + lang + "/" + page
				if vs := b.Axe(t, u); len(vs) > 0 {
					t.Errorf("%d axe violations on %s:\n%s", len(vs), u, uitest.FormatViolations(vs))
				}
				if b.Overflows(t, u, 320) {
					t.Errorf("%s scrolls sideways at 320 px", u)
				}
				for _, w := range []int{1280, 360} {
					b.Screenshot(t, u, lang+"-"+page, w)
				}
			})
		}
	}
}

// TestLoginFormWithoutJavaScript fills and submits the login form in the
// browser: the browser must post it as a plain form with the CSRF token.
func TestLoginFormWithoutJavaScript(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test; skipped with -short")
	}
	b := uitest.NewBrowser(t)
	srv := newTestServer(t)
	got := make(chan url.Values, 1)
	mux := srv.Config.Handler.(*http.ServeMux)
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, req *http.Request) {
		if err := req.ParseForm(); err != nil {
			t.Error(err)
		}
		got <- req.PostForm
		http.Redirect(w, req, "/en/error", http.StatusSeeOther)
	})
	b.Navigate(t, srv.URL+"/en/login")
	b.Fill(t, "username", "an.peeters")
	b.Fill(t, "password", "correct horse")
	if status := b.ClickNavigate(t, "button[type=submit]"); status != http.StatusNotFound {
		t.Errorf("after sign-in redirect, status = %d, want the 404 test page", status)
	}
	form := <-got
	if form.Get("username") != "an.peeters" || form.Get("password") != "correct horse" || form.Get("_csrf") != "test-csrf-token" {
		t.Errorf("posted form = %v", form)
	}
	b.Navigate(t, srv.URL+"/en/login")
	// The first Tab lands on the skip link, and it is visible when focused.
	b.Do(t, chromedp.KeyEvent("\t"))
	if got := uitest.Eval[string](t, b, `document.activeElement.className + ":" + (document.activeElement.getBoundingClientRect().top >= 0)`); got != "skip-link:true" {
		t.Errorf("first Tab focuses %q, want the visible skip link", got)
	}
	if h1 := b.Text(t, "h1"); h1 != "Sign in" {
		t.Errorf("h1 = %q", h1)
	}
	b.ClickNavigate(t, "a[hreflang=nl]") // the language switch is a plain link
	if h1 := b.Text(t, "h1"); !strings.Contains(h1, "Aanmelden") {
		t.Errorf("after switching language, h1 = %q", h1)
	}
}
