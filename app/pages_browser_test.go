package app_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"github.com/nabij/nabij/app"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
	"github.com/nabij/nabij/ui/uitest"
)

// The browser tests drive the real server in headless Chromium (see
// ui/uitest): each role's main journey in Dutch and English, and axe-core
// on every page with screenshots at 1280 and 360 px. They skip when
// Chromium is missing, unless NABIJ_REQUIRE_BROWSER=1.

// pageTab is one Chromium tab on a pageHarness.
type pageTab struct {
	*uitest.Browser
	h *pageHarness
	t *testing.T
}

func newPageTab(t *testing.T, h *pageHarness) *pageTab {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test; skipped with -short")
	}
	return &pageTab{Browser: uitest.NewBrowser(t), h: h, t: t}
}

func (p *pageTab) open(path string) { p.t.Helper(); p.Navigate(p.t, p.h.URL+path) }

// click follows a link or submits a form and wants a page with status want.
func (p *pageTab) click(sel string, want int) {
	p.t.Helper()
	if got := p.ClickNavigate(p.t, sel); got != want {
		p.t.Fatalf("click %s: status %d, want %d (at %s)", sel, got, want, p.path())
	}
}

// menu follows a link of the main menu, opening the menu's "more" fold first
// when the link is in it and the fold is closed, as a person would.
func (p *pageTab) menu(path string, want int) {
	p.t.Helper()
	folded := fmt.Sprintf(`.site-nav__more details:not([open]) a[href=%q]`, path)
	if p.has(folded) {
		p.Click(p.t, `.site-nav__more summary`)
	}
	p.click(fmt.Sprintf(`nav a[href=%q]`, path), want)
}

func (p *pageTab) selectValue(name, value string) {
	p.t.Helper()
	p.Do(p.t, chromedp.SetValue(chromedp.CSS(fmt.Sprintf(`select[name=%q]`, name)), value))
}

func (p *pageTab) setValue(name, value string) {
	p.t.Helper()
	p.Do(p.t, chromedp.SetValue(chromedp.CSS(fmt.Sprintf(`[name=%q]`, name)), value))
}

func (p *pageTab) path() string {
	return uitest.Eval[string](p.t, p.Browser, `location.pathname + location.search + location.hash`)
}

func (p *pageTab) body() string {
	return uitest.Eval[string](p.t, p.Browser, `document.body.innerText`)
}

// text of the first element matching sel ("" when there is none).
func (p *pageTab) textOf(sel string) string {
	return uitest.Eval[string](p.t, p.Browser, fmt.Sprintf(`(document.querySelector(%q) || {innerText: ""}).innerText`, sel))
}

func (p *pageTab) has(sel string) bool {
	return uitest.Eval[bool](p.t, p.Browser, fmt.Sprintf(`document.querySelector(%q) !== null`, sel))
}

func (p *pageTab) wantText(subs ...string) {
	p.t.Helper()
	body := p.body()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			p.t.Errorf("%s: page lacks %q", p.path(), s)
		}
	}
}

func (p *pageTab) wantNoText(subs ...string) {
	p.t.Helper()
	body := p.body()
	for _, s := range subs {
		if strings.Contains(body, s) {
			p.t.Errorf("%s: page shows %q", p.path(), s)
		}
	}
}

// signIn opens the sign-in page in lang (switching with the page's own
// language link when needed) and signs in.
func (p *pageTab) signIn(lang, username string) {
	p.t.Helper()
	p.open("/login")
	if p.has(".site-header__signout") { // still signed in (a failed step before)
		p.signOut()
	}
	if got := uitest.Eval[string](p.t, p.Browser, `document.documentElement.lang`); got != lang {
		p.click(`a[hreflang="`+lang+`"]`, http.StatusOK)
	}
	if got := uitest.Eval[string](p.t, p.Browser, `document.documentElement.lang`); got != lang {
		p.t.Fatalf("language switch: page is %q, want %q", got, lang)
	}
	p.Fill(p.t, "username", username)
	p.Fill(p.t, "password", pagePassword)
	p.click(`main button[type=submit]`, http.StatusOK)
}

func (p *pageTab) signOut() {
	p.t.Helper()
	p.click(`.site-header__signout button`, http.StatusOK)
	if !strings.HasPrefix(p.path(), "/login") {
		p.t.Errorf("after sign-out at %s", p.path())
	}
}

// pageText is what the journeys look for, per language.
var pageText = map[string]map[string]string{
	"en": {
		"caseload": "My caseload", "contact_logged": "The contact was logged.", "note_saved": "The note was saved.",
		"follows_up": "Follows up", "followed_up_by": "Followed up by", "shared": "Shared with the client",
		"home_visit": "Home visit", "chat": "Chat", "in_person": "in person", "online": "online",
		"my_file": "My file", "withheld": "There is a note here that you cannot read.", "who_read": "Who read my file",
		"entry_saved": "Thank you. What you wrote is now in your file.",
		"access_log":  "Access log", "denied": "denied", "verify_ok": "OK: the access log is intact.",
		"anomaly_bg": "Emergency access used", "anomaly_denied": "Access refused",
		"user_added": "The account was added.", "team_added": "The team was added.", "users": "Users",
		"my_consents": "My consents", "consent_withdrawn": "Your consent is withdrawn. From now on it no longer counts.",
		"withdrawn": "Withdrawn", "export": "Download my data",
		"shared_client": "You can read this", "helpers": "Who helps you", "privacy": "My privacy",
		"sam_reads": "Sam Verhoeven read your file", "lena_reads": "Lena Claessens read your file", "own_reads": "You read your file yourself",
		"kept_title": "How long we keep everything", "kept_until": "Kept until", "kept_after": "after this help stops",
		"readable": "Everything we keep about you", "emergency_lena": "Uses emergency access",
		"purge_reports": "Purge reports", "purge_report": "Purge report", "erasure_requests": "Erasure requests",
		"refused": "refused", "erasure_refused": "The request was refused. The client sees your reason.",
	},
	"nl": {
		"caseload": "Mijn caseload", "contact_logged": "Het contact is geregistreerd.", "note_saved": "De notitie is opgeslagen.",
		"follows_up": "Vervolg op", "followed_up_by": "Opgevolgd door", "shared": "Gedeeld met de cliënt",
		"home_visit": "Huisbezoek", "chat": "Chat", "in_person": "in persoon", "online": "online",
		"my_file": "Mijn dossier", "withheld": "Hier staat een notitie die je niet kunt lezen.", "who_read": "Wie las mijn dossier",
		"entry_saved": "Bedankt. Wat je schreef staat nu in je dossier.",
		"access_log":  "Toegangslogboek", "denied": "geweigerd", "verify_ok": "OK: het toegangslogboek is intact.",
		"anomaly_bg": "Noodtoegang gebruikt", "anomaly_denied": "Toegang geweigerd",
		"user_added": "Het account is toegevoegd.", "team_added": "Het team is toegevoegd.", "users": "Gebruikers",
		"my_consents": "Mijn toestemmingen", "consent_withdrawn": "Je toestemming is ingetrokken. Vanaf nu telt ze niet meer.",
		"withdrawn": "Ingetrokken", "export": "Mijn gegevens downloaden",
		"shared_client": "Dit kun je lezen", "helpers": "Wie helpt je", "privacy": "Mijn privacy",
		"sam_reads": "Sam Verhoeven las je dossier", "lena_reads": "Lena Claessens las je dossier", "own_reads": "Je las je dossier zelf",
		"kept_title": "Hoe lang we alles bewaren", "kept_until": "Bewaard tot", "kept_after": "nadat deze hulp stopt",
		"readable": "Alles wat we over jou bewaren", "emergency_lena": "Gebruikt noodtoegang",
		"purge_reports": "Vernietigingsrapporten", "purge_report": "Vernietigingsrapport", "erasure_requests": "Verzoeken tot wissen",
		"refused": "geweigerd", "erasure_refused": "Het verzoek is geweigerd. De cliënt ziet je reden.",
	},
}

// TestBrowserJourneys walks each role's main job end to end, in Dutch and in
// English, clicking and typing as a person would, without any script of ours.
func TestBrowserJourneys(t *testing.T) {
	h := newPageHarness(t, true)
	p := newPageTab(t, h)
	noor := h.user("noor").ClientID
	h.requestErasure(t, "milan")
	for _, lang := range ui.Languages {
		tx := pageText[lang]
		t.Run(lang+"/professional", func(t *testing.T) {
			p.t = t
			p.signIn(lang, "sam")
			if h1 := p.Text(t, "h1"); h1 != tx["caseload"] {
				t.Fatalf("after sign-in h1 = %q", h1)
			}
			p.click(`a[href="/clients/`+noor+`"]`, http.StatusOK)
			p.wantText("Noor El Amrani")

			// A home visit two hours ago.
			p.click(`a[href$="/contacts/new"]`, http.StatusOK)
			p.selectValue("channel", "home_visit")
			p.setValue("occurred_at", ui.FormatLocalInput(time.Now().Add(-2*time.Hour)))
			p.Fill(t, "duration_minutes", "60")
			p.click(`main button[type=submit]`, http.StatusOK)
			p.wantText(tx["contact_logged"])
			home := strings.TrimPrefix(uitest.Eval[string](t, p.Browser, `location.hash`), "#contact-")
			if home == "" {
				t.Fatalf("no contact anchor after logging: %s", p.path())
			}

			// A chat an hour ago, following the home visit up.
			p.click(`a[href$="/contacts/new"]`, http.StatusOK)
			p.selectValue("channel", "chat")
			p.setValue("occurred_at", ui.FormatLocalInput(time.Now().Add(-time.Hour)))
			p.Fill(t, "duration_minutes", "15")
			p.Click(t, `#f-synchronous-no`)
			p.selectValue("follow_up_of", home)
			p.click(`main button[type=submit]`, http.StatusOK)
			chat := strings.TrimPrefix(uitest.Eval[string](t, p.Browser, `location.hash`), "#contact-")

			// A shared note about the chat, from the link on the chat itself.
			p.click(`#contact-`+chat+` a[href*="/notes/new"]`, http.StatusOK)
			if v := p.Value(t, "about"); v != "contact:"+chat {
				t.Errorf("note form is about %q, want the chat", v)
			}
			body := fmt.Sprintf("Chat after the home visit (%s): the rent is paid.", lang)
			p.Fill(t, "body", body)
			p.Click(t, `#f-visibility`) // shared
			p.click(`main button[type=submit]`, http.StatusOK)
			p.wantText(tx["note_saved"])

			// Both contacts in the timeline, told apart by icon and text, linked both ways.
			homeText, chatText := p.textOf("#contact-"+home), p.textOf("#contact-"+chat)
			for _, want := range []string{tx["home_visit"], tx["in_person"], tx["followed_up_by"]} {
				if !strings.Contains(homeText, want) {
					t.Errorf("home visit lacks %q: %q", want, homeText)
				}
			}
			for _, want := range []string{tx["chat"], tx["online"], tx["follows_up"], body, tx["shared"]} {
				if !strings.Contains(chatText, want) {
					t.Errorf("chat lacks %q: %q", want, chatText)
				}
			}
			if !p.has(`#contact-`+home+` a[href="#contact-`+chat+`"]`) || !p.has(`#contact-`+chat+` a[href="#contact-`+home+`"]`) {
				t.Error("the follow-up is not linked both ways")
			}
			if !p.has(`#contact-`+home+` svg.icon use[href$="#i-home_visit"]`) || !p.has(`#contact-`+chat+` svg.icon use[href$="#i-chat"]`) {
				t.Error("the contacts have no channel icons")
			}
			// The in-page link moves focus to the contact it names.
			p.Click(t, `#contact-`+chat+` a[href="#contact-`+home+`"]`)
			if hash := uitest.Eval[string](t, p.Browser, `location.hash`); hash != "#contact-"+home {
				t.Errorf("the follow-up link goes to %q", hash)
			}
			p.signOut()
		})
		t.Run(lang+"/client", func(t *testing.T) {
			p.t = t
			p.signIn(lang, "noor")
			if h1 := p.Text(t, "h1"); h1 != tx["my_file"] {
				t.Fatalf("after sign-in h1 = %q", h1)
			}
			p.wantText(tx["withheld"], "Bevat informatie over een derde", "Noor El Amrani", tx["shared_client"])
			p.wantNoText("Werkaantekening: volgende keer", "schoolbegeleider", tx["shared"])
			// Who helps me: the social worker by name, and how to reach him.
			p.wantText(tx["helpers"], "Sam Verhoeven", "09 210 45 67")

			// My privacy at a glance: who has access (the worker's name), the
			// reads per person and week without her own, and keep-until dates.
			p.click(`nav a[href="/my/privacy"]`, http.StatusOK)
			if h1 := p.Text(t, "h1"); h1 != tx["privacy"] {
				t.Errorf("h1 = %q", h1)
			}
			if who := p.textOf("#who + p + ul"); !strings.Contains(who, "Sam Verhoeven") {
				t.Errorf("who has access does not name sam: %q", who)
			}
			reads := p.textOf(".reads")
			if !strings.Contains(reads, tx["sam_reads"]) || strings.Contains(p.textOf("#reads ~ ul"), tx["own_reads"]) {
				t.Errorf("reads: %q", reads)
			}
			p.wantNoText(tx["own_reads"])
			kept := uitest.Eval[string](t, p.Browser, `[...document.querySelectorAll("#kept ~ ul .card")].map(c => c.innerText).join("\n")`)
			if !strings.Contains(kept, tx["kept_until"]) || !strings.Contains(kept, tx["kept_after"]) {
				t.Errorf("keep-until: no date for the closed trajectory, or no line for the open one: %q", kept)
			}
			if !regexp.MustCompile(`20[4-9][0-9]`).MatchString(kept) {
				t.Errorf("keep-until shows no year: %q", kept)
			}
			// Own reads on request, then the detail of one week one click away.
			p.click(`a[href="/my/privacy?own=1#reads"]`, http.StatusOK)
			p.wantText(tx["own_reads"])
			p.click(`.reads a[href*="person=sam"]`, http.StatusOK)
			if !strings.Contains(p.path(), "person=sam") || !strings.Contains(p.body(), "Sam Verhoeven") {
				t.Errorf("the week's detail: %s", p.path())
			}
			p.click(`a[href="/my/access"][aria-current], nav a[href="/my/access"]`, http.StatusOK)
			if h1 := p.Text(t, "h1"); h1 != tx["who_read"] {
				t.Errorf("h1 = %q", h1)
			}
			p.wantText("Sam Verhoeven")
			p.menu("/my/entries/new", http.StatusOK)
			p.Fill(t, "body", "I moved to a new address last week.")
			p.click(`main button[type=submit]`, http.StatusOK)
			p.wantText(tx["entry_saved"], "I moved to a new address last week.")

			// Withdraw a consent in one step, then see it withdrawn.
			p.menu("/my/consents", http.StatusOK)
			if h1 := p.Text(t, "h1"); h1 != tx["my_consents"] {
				t.Errorf("h1 = %q", h1)
			}
			withdrawn := `document.querySelectorAll(".consent-status--withdrawn").length`
			before := uitest.Eval[int](t, p.Browser, withdrawn)
			card := uitest.Eval[string](t, p.Browser, `document.querySelector(".card form[action$='/withdraw']").closest(".card").id`)
			p.click(`#`+card+` form button[type=submit]`, http.StatusOK)
			p.wantText(tx["consent_withdrawn"])
			if after := uitest.Eval[int](t, p.Browser, withdrawn); after != before+1 {
				t.Errorf("withdrawn consents %d → %d", before, after)
			}
			if p.has(`#`+card+` form`) || !strings.Contains(p.textOf("#"+card), tx["withdrawn"]) {
				t.Errorf("the consent is not shown withdrawn: %q", p.textOf("#"+card))
			}

			// Download everything: both links give an attachment, not stored.
			p.menu("/my/export", http.StatusOK)
			if h1 := p.Text(t, "h1"); h1 != tx["export"] {
				t.Errorf("h1 = %q", h1)
			}
			// The readable export: a page with names, no ids, and its download.
			p.click(`a[href="/my/export/html"]`, http.StatusOK)
			if h1 := p.Text(t, "h1"); h1 != tx["readable"] {
				t.Errorf("h1 = %q", h1)
			}
			if id := uuidText.FindString(p.body()); id != "" {
				t.Errorf("the readable export shows an id: %s", id)
			}
			p.wantText("Sam Verhoeven", tx["kept_title"], tx["home_visit"])
			got := uitest.Eval[string](t, p.Browser, `fetch(document.querySelector('a[href="/my/export/html?download=1"]').href).then(async r =>
				r.status + "|" + r.headers.get("content-disposition") + "|" + r.headers.get("content-type") + "|" + (await r.text()).includes("Sam Verhoeven"))`)
			if parts := strings.Split(got, "|"); len(parts) != 4 || parts[0] != "200" || !strings.HasPrefix(parts[1], "attachment;") ||
				!strings.HasPrefix(parts[2], "text/html") || parts[3] != "true" {
				t.Errorf("readable export download: %s", got)
			}
			p.menu("/my/export", http.StatusOK)
			for _, sel := range []string{`a[href="/my/export/json"]`, `a[href="/my/export/fhir"]`} {
				got := uitest.Eval[string](t, p.Browser, fmt.Sprintf(`fetch(document.querySelector(%q).href).then(async r =>
					r.status + "|" + r.headers.get("content-disposition") + "|" + r.headers.get("cache-control") + "|" + (await r.text()).length)`, sel))
				parts := strings.Split(got, "|")
				if len(parts) != 4 || parts[0] != "200" || !strings.HasPrefix(parts[1], "attachment;") || parts[2] != "no-store" || parts[3] == "0" {
					t.Errorf("download %s: %s", sel, got)
				}
			}
			p.signOut()
		})
		t.Run(lang+"/data_officer", func(t *testing.T) {
			p.t = t
			p.signIn(lang, "dpo")
			if h1 := p.Text(t, "h1"); h1 != tx["access_log"] {
				t.Fatalf("after sign-in h1 = %q", h1)
			}
			p.Fill(t, "actor", "lena")
			p.selectValue("action", "denied")
			p.click(`main form button[type=submit]`, http.StatusOK)
			if got := uitest.Eval[int](t, p.Browser, `document.querySelectorAll("table.stack tbody tr").length`); got == 0 {
				t.Fatal("no denied records for lena")
			}
			p.wantText("lena", tx["denied"], h.caseCode(noor))
			p.wantNoText(noor)
			p.click(`nav a[href="/dpo/verify"]`, http.StatusOK)
			p.wantText(tx["verify_ok"])
			p.click(`nav a[href="/dpo/anomalies"]`, http.StatusOK)
			p.wantText(tx["anomaly_bg"], tx["anomaly_denied"])

			// Purge reports: the list, then one report line by line (no content).
			p.click(`nav a[href="/dpo/purge-reports"]`, http.StatusOK)
			if h1 := p.Text(t, "h1"); h1 != tx["purge_reports"] {
				t.Errorf("h1 = %q", h1)
			}
			p.click(`main table a[href^="/dpo/purge-reports/"]`, http.StatusOK)
			if h1 := p.Text(t, "h1"); h1 != tx["purge_report"] {
				t.Errorf("h1 = %q", h1)
			}
			if n := uitest.Eval[int](t, p.Browser, `document.querySelectorAll("main table tbody tr").length`); n == 0 {
				t.Error("the purge report has no lines")
			}
			p.wantNoText("Werkaantekening: volgende keer")

			// Erasure requests: milan's; refuse it with a reason (once), then see it refused.
			p.click(`nav a[href="/dpo/erasure-requests"]`, http.StatusOK)
			if h1 := p.Text(t, "h1"); h1 != tx["erasure_requests"] {
				t.Errorf("h1 = %q", h1)
			}
			milan := h.user("milan").ClientID
			p.wantText(h.caseCode(milan))
			p.wantNoText(milan)
			if p.has(`form[action$="/refuse"]`) {
				p.Fill(t, "reason", "Youth care files are kept for 20 years by law")
				p.click(`form[action$="/refuse"] button[type=submit]`, http.StatusOK)
				p.wantText(tx["erasure_refused"])
			}
			p.wantText(tx["refused"], "Youth care files are kept for 20 years by law")
			p.signOut()
		})
		t.Run(lang+"/admin", func(t *testing.T) {
			p.t = t
			p.signIn(lang, "admin")
			if h1 := p.Text(t, "h1"); h1 != tx["users"] {
				t.Fatalf("after sign-in h1 = %q", h1)
			}
			p.Fill(t, "username", "kim."+lang)
			p.Fill(t, "display_name", "Kim Jansen")
			p.selectValue("role", "professional")
			p.click(`form[action="/admin/users"] button[type=submit]`, http.StatusOK)
			p.wantText(tx["user_added"], "kim."+lang)
			p.click(`nav a[href="/admin/teams"]`, http.StatusOK)
			p.Fill(t, "name", "Team West "+lang)
			p.click(`form[action="/admin/teams"] button[type=submit]`, http.StatusOK)
			p.wantText(tx["team_added"], "Team West "+lang)
			p.signOut()
		})
	}
	if u := h.user("kim.nl"); u.Role != records.RoleProfessional {
		t.Errorf("kim.nl has role %s", u.Role)
	}
}

// pageSizes records each page's HTML size, for the note on the largest page.
var pageSizes = map[string]int{}

// TestBrowserPagesAccessible runs axe-core (WCAG 2.1 A and AA) on every page
// in both languages and fails on any violation; checks that nothing scrolls
// sideways at 320 px; and saves screenshots at 1280 and 360 px under
// artifacts/screenshots/page-<lang>-<page>-<width>.png.
func TestBrowserPagesAccessible(t *testing.T) {
	h := newPageHarness(t, true, func(c *app.Config) {
		c.RequireTOTP = map[records.Role]bool{records.RoleDataOfficer: true} // so the enrolment page is checked too
	})
	p := newPageTab(t, h)
	noor, milan := h.user("noor").ClientID, h.user("milan").ClientID
	h.requestErasure(t, "milan") // so the data officer's page shows a pending request with its forms

	// check runs the checks on the page the tab shows now.
	check := func(t *testing.T, lang, name string) {
		t.Helper()
		if vs := p.AxeHere(t); len(vs) > 0 {
			t.Errorf("%d axe violations on %s (%s):\n%s", len(vs), name, p.path(), uitest.FormatViolations(vs))
		}
		size := uitest.Eval[int](t, p.Browser, `(performance.getEntriesByType("navigation")[0] || {}).decodedBodySize || document.documentElement.outerHTML.length`)
		pageSizes[lang+" "+name+" "+p.path()] = size
		if p.OverflowsHere(t, 320) {
			t.Errorf("%s scrolls sideways at 320 px", name)
		}
		for _, w := range []int{1280, 360} {
			p.ScreenshotHere(t, "page-"+lang+"-"+name, w)
		}
	}
	visit := func(lang, name, path string, status int) {
		t.Run(lang+"/"+name, func(t *testing.T) {
			p.t = t
			p.open(path)
			if got := uitest.Eval[string](t, p.Browser, `document.documentElement.lang`); got != lang {
				t.Errorf("page language %q, want %q", got, lang)
			}
			_ = status
			check(t, lang, name)
		})
	}
	submit := func(lang, name, form string) {
		t.Run(lang+"/"+name, func(t *testing.T) {
			p.t = t
			p.click(form+` button[type=submit]`, http.StatusUnprocessableEntity)
			if !p.has(".error-summary") {
				t.Errorf("%s: no error summary", name)
			}
			check(t, lang, name)
		})
	}
	setLang := func(lang string) { p.open("/lang/" + lang + "?next=/") }

	for _, lang := range ui.Languages {
		setLang(lang)
		visit(lang, "login", "/login", 200)
		submit(lang, "login-refused", `form[action="/login"]`)
		visit(lang, "activate", "/activate", 200)
		submit(lang, "activate-refused", `form[action="/activate"]`)
		visit(lang, "not-found", "/no-such-page", 404)
	}

	p.t = t
	p.signIn("en", "sam")
	var correct string
	for _, lang := range ui.Languages {
		setLang(lang)
		visit(lang, "caseload", "/caseload", 200)
		visit(lang, "caseload-changed", "/caseload?sort=changed&changed=1", 200)
		visit(lang, "client-file", "/clients/"+noor, 200)
		visit(lang, "client-file-paged", "/clients/"+noor+"?limit=1", 200)
		if correct == "" {
			correct = uitest.Eval[string](t, p.Browser, `(document.querySelector('a[href$="/correct"]') || {}).pathname || ""`)
		}
		visit(lang, "quick-log", "/log", 200)
		submit(lang, "quick-log-refused", `main form`)
		visit(lang, "client-new", "/clients/new", 200)
		submit(lang, "client-new-refused", `form[action="/clients/new"]`)
		visit(lang, "trajectory-new", "/clients/"+noor+"/trajectories/new", 200)
		visit(lang, "contact-new", "/clients/"+noor+"/contacts/new", 200)
		submit(lang, "contact-new-refused", `main form`)
		visit(lang, "note-new", "/clients/"+noor+"/notes/new", 200)
		submit(lang, "note-new-refused", `main form`)
		if correct != "" {
			visit(lang, "note-correct", correct, 200)
		} else {
			t.Error("no note to correct on noor's file")
		}
		visit(lang, "break-glass", "/clients/"+milan+"/break-glass", 200)
		submit(lang, "break-glass-refused", `main form`)
		visit(lang, "client-account", "/clients/"+noor+"/account", 200)
		submit(lang, "client-account-refused", `main form`)
		visit(lang, "consent-new", "/clients/"+noor+"/consents/new", 200)
		submit(lang, "consent-new-refused", `main form`)
		visit(lang, "disclosure-new", "/clients/"+noor+"/disclosures/new", 200)
		submit(lang, "disclosure-new-refused", `main form`)
		t.Run(lang+"/disclosure-no-consent", func(t *testing.T) {
			p.t = t
			p.Fill(t, "recipient", "Huisarts Peeters")
			p.Fill(t, "purpose", "medical follow-up")
			p.Click(t, `#f-record_ids`)
			p.click(`main form button[type=submit]`, http.StatusForbidden)
			if !p.has(`#f-recipient-missing a[href*="/consents/new?"]`) {
				t.Error("the refusal does not name the missing consent next to the field")
			}
			check(t, lang, "disclosure-no-consent")
		})
		p.t = t
		p.open("/clients/" + noor)
		if close := uitest.Eval[string](t, p.Browser, `(document.querySelector('a[href$="/close"]') || {}).pathname || ""`); close != "" {
			visit(lang, "trajectory-close", close, 200)
		} else {
			t.Error("no open trajectory to close on noor's file")
		}
	}
	p.t = t
	p.signOut()
	p.signIn("en", "lena")
	for _, lang := range ui.Languages {
		setLang(lang)
		visit(lang, "forbidden", "/clients/"+noor, 403)
	}
	p.t = t
	p.signOut()
	p.signIn("en", "noor")
	for _, lang := range ui.Languages {
		setLang(lang)
		visit(lang, "my-file", "/my/file", 200)
		visit(lang, "my-file-paged", "/my/file?limit=1", 200)
		visit(lang, "my-privacy", "/my/privacy", 200)
		visit(lang, "my-privacy-own", "/my/privacy?own=1", 200)
		visit(lang, "my-access", "/my/access", 200)
		visit(lang, "my-access-own", "/my/access?own=1", 200)
		visit(lang, "my-export-readable", "/my/export/html", 200)
		visit(lang, "my-entry", "/my/entries/new", 200)
		submit(lang, "my-entry-refused", `main form`)
		visit(lang, "my-consents", "/my/consents", 200)
		submit(lang, "my-consents-refused", `form[action="/my/consents"]`)
		visit(lang, "my-disclosures", "/my/disclosures", 200)
		visit(lang, "my-export", "/my/export", 200)
		visit(lang, "my-erasure", "/my/erasure", 200)
	}
	p.t = t
	p.signOut()
	p.signIn("en", "dpo") // must enrol a second factor first
	for _, lang := range ui.Languages {
		setLang(lang)
		visit(lang, "totp", "/totp", 200)
	}
	p.t = t
	code, err := totp.GenerateCode(p.Text(t, ".secret"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	p.Fill(t, "code", code)
	p.click(`main button[type=submit]`, http.StatusOK)
	if !strings.HasPrefix(p.path(), "/dpo/access-log") {
		t.Fatalf("after enrolment at %s", p.path())
	}
	for _, lang := range ui.Languages {
		setLang(lang)
		visit(lang, "access-log", "/dpo/access-log", 200)
		visit(lang, "access-log-denied", "/dpo/access-log?action=denied&actor=lena", 200)
		visit(lang, "access-log-refused", "/dpo/access-log?from=yesterday", 422)
		visit(lang, "verify", "/dpo/verify", 200)
		visit(lang, "anomalies", "/dpo/anomalies", 200)
		visit(lang, "retention", "/dpo/retention", 200)
		t.Run(lang+"/retention-refused", func(t *testing.T) {
			p.t = t
			p.setValue("note_shared.years", "-1")
			p.click(`main form button[type=submit]`, http.StatusUnprocessableEntity)
			check(t, lang, "retention-refused")
		})
		visit(lang, "legal-holds", "/dpo/legal-holds", 200)
		submit(lang, "legal-holds-refused", `form[action="/dpo/legal-holds"]`)
		visit(lang, "purge-reports", "/dpo/purge-reports", 200)
		p.t = t
		if rep := uitest.Eval[string](t, p.Browser, `(document.querySelector('main table a[href^="/dpo/purge-reports/"]') || {}).pathname || ""`); rep != "" {
			visit(lang, "purge-report", rep, 200)
		} else {
			t.Error("no purge report in the demo")
		}
		visit(lang, "erasure-requests", "/dpo/erasure-requests", 200)
		t.Run(lang+"/erasure-requests-refused", func(t *testing.T) {
			p.t = t
			p.click(`form[action$="/approve"] button[type=submit]`, http.StatusUnprocessableEntity)
			check(t, lang, "erasure-requests-refused")
		})
		visit(lang, "statistics", "/dpo/statistics", 200)
	}
	p.t = t
	p.signOut()
	p.signIn("en", "admin")
	for _, lang := range ui.Languages {
		setLang(lang)
		visit(lang, "users", "/admin/users", 200)
		submit(lang, "users-refused", `form[action="/admin/users"]`)
		visit(lang, "teams", "/admin/teams", 200)
		visit(lang, "caseloads", "/admin/caseloads", 200)
		submit(lang, "caseloads-refused", `form[action="/admin/caseloads"]`)
		visit(lang, "account-password", "/account/password", 200)
		submit(lang, "account-password-refused", `form[action="/account/password"]`)
		t.Run(lang+"/activation-code", func(t *testing.T) {
			p.t = t
			p.open("/admin/users")
			p.Fill(t, "username", "axe."+lang)
			p.selectValue("role", "data_officer")
			p.click(`form[action="/admin/users"] button[type=submit]`, http.StatusOK)
			if !p.has(".activation__code") {
				t.Fatal("no activation code shown")
			}
			check(t, lang, "activation-code")
		})
	}
	largest, size := "", 0
	for k, v := range pageSizes {
		if v > size {
			largest, size = k, v
		}
	}
	for _, k := range slices.Sorted(maps.Keys(pageSizes)) {
		t.Logf("page size: %s %d bytes", k, pageSizes[k])
	}
	t.Logf("%d page views checked; largest page: %s, %d bytes", len(pageSizes), largest, size)
}

// requestErasure files an erasure request as the client would.
func (h *pageHarness) requestErasure(tb testing.TB, username string) {
	tb.Helper()
	u := h.user(username)
	if _, err := h.srv.Store.RequestErasure(context.Background(), records.Actor{UserID: u.ID, Role: u.Role, ClientID: u.ClientID}, u.ClientID); err != nil {
		tb.Fatalf("erasure request by %s: %v", username, err)
	}
}
