package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/nabij/nabij/ui"
	"github.com/nabij/nabij/ui/uitest"
)

// TestBrowserTools walks the register of tools, the client's tools and the
// blended-work report in headless Chromium, in Dutch and English: axe at 0
// on every page (the SVG charts included), nothing sideways at 320 px,
// screenshots at 1280 and 360 px; a professional gets no form and a 403 on
// the register's forms; choosing a not-advised tool on a contact warns; a
// plain professional gets 403 on the report.
func TestBrowserTools(t *testing.T) {
	h := newPageHarness(t, true)
	p := newPageTab(t, h)
	noor := h.user("noor").ClientID

	check := func(t *testing.T, lang, name string) {
		t.Helper()
		if vs := p.AxeHere(t); len(vs) > 0 {
			t.Errorf("%d axe violations on %s (%s):\n%s", len(vs), name, p.path(), uitest.FormatViolations(vs))
		}
		if p.OverflowsHere(t, 320) {
			t.Errorf("%s scrolls sideways at 320 px", name)
		}
		for _, w := range []int{1280, 360} {
			p.ScreenshotHere(t, "page-"+lang+"-"+name, w)
		}
	}
	visit := func(lang, name, path string) {
		t.Run(lang+"/"+name, func(t *testing.T) {
			p.t = t
			p.open(path)
			check(t, lang, name)
		})
	}
	setLang := func(lang string) { p.open("/lang/" + lang + "?next=/") }
	warning := map[string]string{"nl": "afgeraden in het register", "en": "advises against the tool"}
	label := map[string]string{"nl": "Gegevens blijven op je eigen toestel", "en": "Data stays on your own device"}

	// sam: a professional and the demo's team lead.
	p.signIn("en", "sam")
	for _, lang := range ui.Languages {
		setLang(lang)
		visit(lang, "tools", "/tools")
		t.Run(lang+"/tools-no-form", func(t *testing.T) {
			p.t = t
			p.open("/tools")
			if p.has(`a[href="/tools/new"]`) || p.has(`a[href$="/edit"]`) || p.has(`main form`) {
				t.Error("a professional gets a form to change the register")
			}
			if !strings.Contains(p.body(), "WhatsApp") {
				t.Error("the register does not list the demo's tools")
			}
			p.open("/tools/new")
			if p.has(`main form[action="/tools/new"]`) {
				t.Error("a professional opens the form to add a tool")
			}
		})
		visit(lang, "report", "/reports/blended")
		visit(lang, "client-file-tools", "/clients/"+noor+"#tools")
		t.Run(lang+"/contact-not-advised", func(t *testing.T) {
			p.t = t
			p.open("/clients/" + noor + "/contacts/new")
			p.selectValue("channel", "messaging")
			whatsapp := uitest.Eval[string](t, p.Browser, `[...document.querySelectorAll('select[name=tool_id] option')].find(o => o.text.startsWith('WhatsApp')).value`)
			p.selectValue("tool_id", whatsapp)
			p.setValue("duration_minutes", "10")
			p.click(`main form button[type=submit]`, http.StatusOK)
			if !strings.Contains(p.textOf(".flash"), warning[lang]) {
				t.Errorf("no warning after choosing WhatsApp: flash %q", p.textOf(".flash"))
			}
			check(t, lang, "contact-not-advised")
		})
	}
	p.t = t
	p.signOut()

	// lena: a plain professional, no report.
	p.signIn("en", "lena")
	p.open("/reports/blended")
	if p.has(".chart") {
		t.Error("a professional who is no team lead sees the report")
	}
	p.signOut()

	// noor: the client's tools.
	p.signIn("en", "noor")
	for _, lang := range ui.Languages {
		setLang(lang)
		visit(lang, "my-tools", "/my/tools")
		t.Run(lang+"/my-tools-labels", func(t *testing.T) {
			p.t = t
			p.wantText("Budgetcoach", "Slaapwijzer", label[lang])
		})
	}
	p.t = t
	p.signOut()

	// the data officer keeps the register and sees the whole organisation.
	p.signIn("en", "dpo")
	for _, lang := range ui.Languages {
		setLang(lang)
		visit(lang, "tools-keeper", "/tools")
		visit(lang, "tool-new", "/tools/new")
		t.Run(lang+"/tool-new-refused", func(t *testing.T) {
			p.t = t
			p.click(`main form button[type=submit]`, http.StatusUnprocessableEntity)
			if !p.has(".error-summary") {
				t.Error("no error summary")
			}
			check(t, lang, "tool-new-refused")
		})
		t.Run(lang+"/tool-edit", func(t *testing.T) {
			p.t = t
			p.open("/tools")
			p.click(`main a[href$="/edit"]`, http.StatusOK)
			check(t, lang, "tool-edit")
		})
		visit(lang, "report-dpo", "/reports/blended")
		visit(lang, "report-refused", "/reports/blended?from=2020-01-01&to=2026-01-01")
	}
	p.t = t
	p.signOut()
}
