package ui_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/nabij/nabij/ui"
)

func mustRenderer(tb testing.TB) *ui.Renderer {
	tb.Helper()
	r, err := ui.NewRenderer()
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func render(tb testing.TB, r *ui.Renderer, page string, v ui.ViewData) string {
	tb.Helper()
	var b bytes.Buffer
	if err := r.Render(&b, page, v); err != nil {
		tb.Fatal(err)
	}
	return b.String()
}

func mustContain(tb testing.TB, html string, subs ...string) {
	tb.Helper()
	for _, s := range subs {
		if !strings.Contains(html, s) {
			tb.Errorf("page lacks %q", s)
		}
	}
}

func TestRenderLogin(t *testing.T) {
	r := mustRenderer(t)
	t.Run("OK", func(t *testing.T) {
		html := render(t, r, "login", ui.ViewData{Lang: "nl", Title: "login.title", CSRF: "tok123", CurrentPath: "/login"})
		mustContain(t, html,
			`<html lang="nl">`,
			`<title>Aanmelden · nabij</title>`,
			`href="#main">Ga naar de inhoud</a>`,
			`<main id="main" tabindex="-1">`,
			`role="status"`,
			`name="_csrf" value="tok123"`,
			`<label class="field__label" for="f-username">Gebruikersnaam</label>`,
			`autocomplete="current-password"`,
			`aria-describedby="f-totp-hint"`,
			`(niet verplicht)`,
			`href="/lang/en?next=%2Flogin" hreflang="en" lang="en">English</a>`,
		)
		if strings.Contains(html, "aria-invalid") || strings.Contains(html, "error-summary") {
			t.Error("clean form shows errors")
		}
		if strings.Contains(html, `action="/logout"`) {
			t.Error("signed-out page shows sign-out button")
		}
	})
	t.Run("ErrRefusedKeepsValues", func(t *testing.T) {
		html := render(t, r, "login", ui.ViewData{
			Lang: "en", Title: "login.title", CSRF: "tok",
			Errors: map[string]string{"password": "error.password_required", ui.FormError: "error.login_failed"},
			Form:   map[string]string{"username": `an<script>"`, "password": "secret", "totp": "123456"},
		})
		mustContain(t, html,
			`<title>Error: Sign in · nabij</title>`,
			`There is a problem`,
			"<li>The username or password is not correct.</li>\n<li><a href=\"#f-password\">Enter your password.</a></li>", // form error first, then page order
			`value="an&lt;script&gt;&#34;"`, // kept, and escaped
			`aria-describedby="f-password-error" aria-invalid="true"`,
			`id="f-password-error"`,
		)
		order := render(t, r, "login", ui.ViewData{Lang: "en", Errors: map[string]string{"totp": "error.totp_invalid", "username": "error.username_required"}})
		if u, c := strings.Index(order, `href="#f-username"`), strings.Index(order, `href="#f-totp"`); u < 0 || c < u {
			t.Error("error summary is not in form order (username before totp)")
		}
		if strings.Contains(html, "secret") {
			t.Error("password was sent back to the browser")
		}
		if strings.Contains(html, "<script>") {
			t.Error("form value not escaped")
		}
	})
}

func TestRenderLayoutPerRole(t *testing.T) {
	r := mustRenderer(t)
	for _, tt := range []struct {
		role, path string
		want       []string
		notWant    string
	}{
		{ui.RoleProfessional, "/caseload/42", []string{`href="/caseload" aria-current="page">Caseload`, `href="/clients/new">Nieuwe cliënt<`}, "/my/file"},
		{ui.RoleClient, "/my/access", []string{`>Mijn dossier<`, `href="/my/access" aria-current="page">Wie las mijn dossier`, `>Schrijf in mijn dossier<`}, "/caseload"},
		{ui.RoleDataOfficer, "/", []string{`>Toegangslogboek<`, `>Controle logboek<`, `>Afwijkingen<`}, "/my/file"},
		{ui.RoleAdmin, "/", []string{`>Gebruikers<`, `>Teams<`, `>Caseloads<`}, "/dpo/"},
	} {
		t.Run(tt.role, func(t *testing.T) {
			html := render(t, r, "error", ui.ErrorView(ui.ViewData{
				Lang: "nl", CSRF: "tok", CurrentPath: tt.path,
				User: &ui.User{Username: "an", Role: tt.role},
			}, 404))
			mustContain(t, html, append(tt.want,
				`<nav class="site-nav" aria-label="Hoofdmenu">`,
				`<form class="site-header__signout" method="post" action="/logout">`,
				`name="_csrf" value="tok"`,
				`>Afmelden</button>`,
				`Pagina niet gevonden`,
				`Foutcode 404`,
				`<a href="/">Naar de startpagina</a>`,
			)...)
			if strings.Contains(html, tt.notWant) {
				t.Errorf("%s sees a link to %s", tt.role, tt.notWant)
			}
		})
	}
}

func TestRenderFlashAndStyleguide(t *testing.T) {
	r := mustRenderer(t)
	html := render(t, r, "styleguide", ui.ViewData{Lang: "en", Title: "styleguide.title", Flash: "flash.saved"})
	mustContain(t, html,
		`<div class="flash" role="status"><p class="flash__message">Your changes have been saved.</p></div>`,
		`<span class="badge badge--face_to_face"><svg class="icon" aria-hidden="true" focusable="false"><use href="/static/icons.svg?v=`,
		`<span>Home visit</span> <span class="badge__kind">· in person</span>`,
		`<span>Video call</span> <span class="badge__kind">· online</span>`,
		`1 contact · 3 contacts`,
		`Personal working note`,
		`<textarea class="input" id="f-note" name="note" rows="6" aria-describedby="f-note-hint"></textarea>`,
	)
}

func TestRenderErrors(t *testing.T) {
	r := mustRenderer(t)
	t.Run("ErrUnknownPage", func(t *testing.T) {
		var b bytes.Buffer
		if err := r.Render(&b, "nope", ui.ViewData{}); err == nil {
			t.Fatal("want error")
		}
		if b.Len() != 0 {
			t.Error("wrote output for a failed render")
		}
	})
	t.Run("UnknownLangIsDutch", func(t *testing.T) {
		html := render(t, r, "login", ui.ViewData{Lang: "de", Title: "login.title"})
		mustContain(t, html, `<html lang="nl">`)
	})
	t.Run("CSRFError", func(t *testing.T) {
		html := render(t, r, "error", ui.ErrorView(ui.ViewData{Lang: "en"}, 419))
		mustContain(t, html, "This form has expired", "Error code 403")
	})
	t.Run("Pages", func(t *testing.T) {
		want := "account_password,account_work_contact,activate,activation_code,admin_caseloads,admin_handovers,admin_teams,admin_users,break_glass,caseload,client_account,client_file,client_new,client_plan,consent_new,contact_new," +
			"disclosure_done,disclosure_new,dpo_access_log,dpo_anomalies,dpo_erasure_requests,dpo_holds,dpo_purge_report," +
			"dpo_purge_reports,dpo_retention,dpo_statistics,dpo_verify,error,login,my_access,my_consents,my_disclosures," +
			"my_entry,my_erasure,my_export,my_export_readable,my_file,my_network,my_plan,my_privacy,my_tools,network_plan,note_correct,note_new,quick_log,report,styleguide,tool_form,tools,totp,trajectory_close,trajectory_new"
		if got := strings.Join(r.Pages(), ","); got != want {
			t.Errorf("Pages() = %s", got)
		}
	})
}

func TestAssets(t *testing.T) {
	r := mustRenderer(t)
	u := r.AssetHandlerPath("nabij.css")
	if !regexp.MustCompile(`^/static/nabij\.css\?v=[0-9a-f]{16}$`).MatchString(u) {
		t.Errorf("AssetHandlerPath = %q", u)
	}
	css, ct, ok := ui.Asset("nabij.css")
	if !ok || ct != "text/css; charset=utf-8" {
		t.Fatalf("Asset(nabij.css) = ok %v, %q", ok, ct)
	}
	if len(css) > 10*1024 {
		t.Errorf("nabij.css is %d bytes; keep it under 10 KiB", len(css))
	}
	for _, want := range []string{":focus-visible", "@media (min-width"} {
		if !bytes.Contains(css, []byte(want)) {
			t.Errorf("nabij.css lacks %q", want)
		}
	}
	if _, ct, ok := ui.Asset("icons.svg"); !ok || ct != "image/svg+xml" {
		t.Errorf("Asset(icons.svg) = ok %v, %q", ok, ct)
	}
	if _, _, ok := ui.Asset("../go.mod"); ok {
		t.Error("Asset served a path outside static/")
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/my/file?x=1":       "/my/file?x=1",
		"":                   "/",
		"//evil.example":     "/",
		"/\\evil.example":    "/",
		"https://evil.test/": "/",
		"/a\r\nSet-Cookie:":  "/",
		"/\t/evil.example":   "/",
		"/\x7f/evil.example": "/",
		"/a\\b":              "/",
	} {
		if got := ui.SafeNext(in); got != want {
			t.Errorf("SafeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
