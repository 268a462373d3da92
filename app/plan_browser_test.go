package app_test

import (
	"bytes"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/nabij/nabij/app"
	"github.com/nabij/nabij/ui/uitest"
)

// fillSel types value into the (empty) field matching sel: for forms that
// repeat a field name, one per goal or person.
func (p *pageTab) fillSel(sel, value string) {
	p.t.Helper()
	p.Do(p.t, chromedp.WaitReady(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), value))
}

// checkPage runs axe on the page the tab shows, checks 320 px, and saves
// screenshots at 1280 and 360 px as page-<lang>-<name>-<width>.png.
func (p *pageTab) checkPage(lang, name string) {
	p.t.Helper()
	if vs := p.AxeHere(p.t); len(vs) > 0 {
		p.t.Errorf("%d axe violations on %s (%s):\n%s", len(vs), name, p.path(), uitest.FormatViolations(vs))
	}
	if p.OverflowsHere(p.t, 320) {
		p.t.Errorf("%s scrolls sideways at 320 px", name)
	}
	for _, w := range []int{1280, 360} {
		p.ScreenshotHere(p.t, "page-"+lang+"-"+name, w)
	}
}

// refused submits the (empty) form and checks the refusal's page: 422,
// an error summary, axe and screenshots.
func (p *pageTab) refused(lang, name, form string) {
	p.t.Helper()
	p.click(form+` button[type=submit]`, http.StatusUnprocessableEntity)
	if !p.has(".error-summary") {
		p.t.Errorf("%s: no error summary", name)
	}
	p.checkPage(lang, name)
}

// planText is what the plan journey types and looks for, per language.
var planText = map[string]map[string]string{
	"nl": {"client": "noor", "pro": "sam", "member": "jeroen",
		"question": "Ik wil mijn geldzaken zelf weer in handen hebben", "saved": "Je hulpvraag is bewaard.",
		"goal": "Elke week mijn post openen", "step1": "Een vaste dag kiezen", "step2": "Mijn zus vragen om te helpen",
		"done": "Goed gedaan! De stap staat op klaar.", "comment": "Fijn plan, zullen we donderdag samen beginnen?",
		"proposal": "Een budgetplan maken met de OCMW-budgetbegeleiding", "accepted": "Het doel staat nu in je plan.",
		"name": "Jeroen Maes", "relation": "buurman", "reach": "0470 98 76 54", "helps": "boodschappen als het even niet gaat",
		"added": "De persoon staat in je netwerk.", "invited": "De uitnodiging is klaar.", "network_intro": "Noor nodigde je uit", "whose": "Het plan van Noor",
		"pro_name": "Sam Verhoeven", "work_contact": "0470 11 22 33 (ma-do)", "work_saved": "Bewaard. Je cliënten zien dit nu.",
		"new_code": "Hier is de nieuwe code.", "kept_plan": "Je hulpvraag, je plan en je netwerk", "plan_reader": "Jeroen Maes (buurman) mag je plan lezen."},
	"en": {"client": "milan", "pro": "lena", "member": "ilias",
		"question": "I want to sleep well again and feel less tired", "saved": "Your question is saved.",
		"goal": "A calm evening routine", "step1": "Phone off at ten", "step2": "A short walk after dinner",
		"done": "Well done! The step is marked done.", "comment": "Good plan. Shall we look at the walk together on Thursday?",
		"proposal": "Talk to the GP about sleep", "accepted": "The goal is now in your plan.",
		"name": "Ilias", "relation": "brother", "reach": "0470 12 34 56", "helps": "sport",
		"added": "The person is in your network.", "invited": "The invitation is ready.", "network_intro": "Milan invited you", "whose": "Milan's plan",
		"pro_name": "Lena Claessens", "work_contact": "lena@work.example (Mon-Thu)", "work_saved": "Saved. Your clients see this now.",
		"new_code": "Here is the new code.", "kept_plan": "Your question, your plan and your network", "plan_reader": "Ilias (brother) may read your plan."},
}

// TestBrowserPlanJourney walks the plan in Chromium, in Dutch and in
// English, as the people would: the client writes a question, adds a goal
// with two steps and marks one done; the professional comments and
// proposes a goal; the client reads the comment, accepts the proposal and
// adds someone to their network and invites them; that person activates
// their account and reads the plan. axe runs on every page of the plan, with
// screenshots at 1280 and 360 px.
func TestBrowserPlanJourney(t *testing.T) {
	var dataDir string
	h := newPageHarness(t, true, func(c *app.Config) { dataDir = c.DataDir })
	p := newPageTab(t, h)
	// The texts of the plan are sealed: none is in the database (or its
	// write-ahead log) in plaintext.
	defer func() {
		for _, name := range []string{"nabij.db", "nabij.db-wal"} {
			b, err := os.ReadFile(filepath.Join(dataDir, name))
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				t.Fatal(err)
			}
			for _, w := range planText {
				for _, k := range []string{"question", "goal", "step1", "step2", "comment", "proposal", "name", "reach"} {
					if bytes.Contains(b, []byte(w[k])) {
						t.Errorf("%s holds the %s %q in plaintext", name, k, w[k])
					}
				}
			}
		}
	}()
	for _, lang := range []string{"nl", "en"} {
		w := planText[lang]
		t.Run(lang, func(t *testing.T) {
			p.t = t
			clientID := h.user(w["client"]).ClientID
			p.signIn(lang, w["client"])
			p.open("/my/plan")
			p.Fill(t, "question", w["question"])
			p.click(`form[action="/my/plan/question"] button[type=submit]`, http.StatusOK)
			p.wantText(w["saved"], w["question"])
			p.Fill(t, "goal", w["goal"])
			p.click(`form[action="/my/plan/goals"] button[type=submit]`, http.StatusOK)
			for _, s := range []string{w["step1"], w["step2"]} {
				p.fillSel(`#goals > li:last-child input[name="step"]`, s)
				p.click(`#goals > li:last-child form[action$="/steps"] button[type=submit]`, http.StatusOK)
			}
			p.click(`#goals > li:last-child form[action$="/done"] button[type=submit]`, http.StatusOK)
			p.wantText(w["done"], w["goal"], w["step1"], w["step2"])
			if n := uitest.Eval[int](t, p.Browser, `document.querySelectorAll("#goals > li:last-child .plan__step--done").length`); n != 1 {
				t.Errorf("%d steps done, want 1", n)
			}
			p.signOut()

			p.signIn(lang, w["pro"])
			p.open("/clients/" + clientID)
			p.click(`a[href="/clients/`+clientID+`/plan"]`, http.StatusOK)
			p.wantText(w["question"], w["goal"], w["step1"])
			p.fillSel(`#goals > li:last-child textarea[name="comment"]`, w["comment"])
			p.click(`#goals > li:last-child form button[type=submit]`, http.StatusOK)
			p.Fill(t, "proposal", w["proposal"])
			p.click(`form[action$="/plan/proposals"] button[type=submit]`, http.StatusOK)
			p.wantText(w["comment"], w["proposal"])
			p.checkPage(lang, "client-plan")
			p.refused(lang, "client-plan-refused", `form[action$="/plan/proposals"]`)

			// How clients reach the professional: a line too long is refused
			// on the page, then a good one is saved.
			p.open("/account/work-contact")
			p.setValue("work_contact", strings.Repeat("9", 201))
			p.click(`form[action="/account/work-contact"] button[type=submit]`, http.StatusUnprocessableEntity)
			if !p.has(".error-summary") || !p.has(`#f-work_contact[aria-invalid="true"]`) {
				t.Error("work contact: no error on the page")
			}
			p.checkPage(lang, "work-contact-refused")
			p.setValue("work_contact", w["work_contact"])
			p.click(`form[action="/account/work-contact"] button[type=submit]`, http.StatusOK)
			p.wantText(w["work_saved"])
			if v := p.Value(t, "work_contact"); v != w["work_contact"] {
				t.Errorf("work contact field %q after saving", v)
			}
			p.checkPage(lang, "work-contact")
			p.signOut()

			p.signIn(lang, w["client"])
			p.open("/my/plan")
			p.wantText(w["comment"], w["proposal"])
			p.click(`#proposals > li:last-child form[action$="/accept"] button[type=submit]`, http.StatusOK)
			p.wantText(w["accepted"])
			if got := p.textOf(`#goals > li:last-child h3`); got != w["proposal"] {
				t.Errorf("last goal %q, want the accepted proposal", got)
			}
			p.checkPage(lang, "my-plan")
			p.refused(lang, "my-plan-refused", `form[action="/my/plan/goals"]`)

			p.open("/my/network")
			p.Fill(t, "name", w["name"])
			p.Fill(t, "relation", w["relation"])
			p.Fill(t, "reach", w["reach"])
			p.Fill(t, "helps_with", w["helps"])
			p.click(`form[action="/my/network"] button[type=submit]`, http.StatusOK)
			p.wantText(w["added"], w["name"], w["reach"])
			p.fillSel(`#members > li:last-child input[name="username"]`, w["member"])
			p.click(`#members > li:last-child form[action$="/invite"] button[type=submit]`, http.StatusOK)
			p.wantText(w["invited"])
			codeRE := regexp.MustCompile(`[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}`)
			lost := codeRE.FindString(p.Text(t, ".activation__code"))
			if lost == "" {
				t.Fatal("no activation code")
			}
			// The code got lost: a new one, shown once; the old one ends.
			p.open("/my/network")
			p.checkPage(lang, "my-network")
			p.click(`#members > li:last-child form[action$="/code"] button[type=submit]`, http.StatusOK)
			p.wantText(w["new_code"])
			code := codeRE.FindString(p.Text(t, ".activation__code"))
			if code == "" || code == lost {
				t.Fatalf("new code %q (the lost one %q)", code, lost)
			}
			p.checkPage(lang, "my-network-new-code")
			p.open("/my/network")
			p.refused(lang, "my-network-refused", `form[action="/my/network"]`)

			// Who helps me, and my privacy at a glance: who has access (the
			// worker by name), the worker's reads summarised without her own,
			// until when the plan is kept, who may read the plan.
			p.open("/my/file")
			p.wantText(w["pro_name"], w["work_contact"])
			p.open("/my/privacy")
			if who := p.textOf("#who + p + ul"); !strings.Contains(who, w["pro_name"]) || !strings.Contains(who, w["work_contact"]) {
				t.Errorf("who has access: %q", who)
			}
			if reads := p.textOf(".reads"); !strings.Contains(reads, pageText[lang][w["pro"]+"_reads"]) {
				t.Errorf("the worker's reads are not summarised: %q", reads)
			}
			p.wantNoText(pageText[lang]["own_reads"])
			kept := uitest.Eval[string](t, p.Browser, `[...document.querySelectorAll("#kept ~ ul .card")].map(c => c.innerText).join("\n")`)
			if !strings.Contains(kept, w["kept_plan"]) {
				t.Errorf("keep-until has no line for the plan: %q", kept)
			}
			p.wantText(w["plan_reader"])
			p.checkPage(lang, "my-privacy-plan")

			// The readable export holds the plan and the network.
			p.open("/my/export/html")
			p.wantText(w["question"], w["goal"], w["step1"], w["comment"], w["proposal"], w["name"], w["reach"], w["helps"], w["kept_plan"], w["pro_name"])
			if id := uuidText.FindString(p.body()); id != "" {
				t.Errorf("the readable export shows an id: %s", id)
			}
			p.checkPage(lang, "my-export-plan")
			// and its download, a file that holds the plan too.
			got := uitest.Eval[string](t, p.Browser, `fetch("/my/export/html?download=1").then(async r =>
				r.status + "|" + r.headers.get("content-disposition") + "|" + (await r.text()).includes(`+strconv.Quote(w["question"])+`))`)
			if parts := strings.Split(got, "|"); len(parts) != 3 || parts[0] != "200" || !strings.HasPrefix(parts[1], "attachment;") || parts[2] != "true" {
				t.Errorf("readable export download: %s", got)
			}
			p.signOut()

			p.open("/activate")
			p.Fill(t, "username", w["member"])
			p.Fill(t, "code", code)
			p.Fill(t, "password", pagePassword)
			p.click(`main button[type=submit]`, http.StatusOK)
			p.signIn(lang, w["member"])
			if p.path() != "/network/plan" {
				t.Errorf("the network member lands on %s", p.path())
			}
			p.wantText(w["network_intro"], w["question"], w["goal"], w["comment"])
			// Whose plan it is, by first name only.
			if h1 := p.Text(t, "h1"); h1 != w["whose"] {
				t.Errorf("the member's page is titled %q, want %q", h1, w["whose"])
			}
			p.wantNoText("El Amrani", "Peeters")
			p.checkPage(lang, "network-plan")
			p.open("/my/file")
			p.wantNoText(w["question"])
			p.signOut()
		})
	}
}
