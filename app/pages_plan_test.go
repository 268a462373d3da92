package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var (
	goalIDRE  = regexp.MustCompile(`action="/my/plan/goals/([^/"]+)/steps"`)
	stepDone  = regexp.MustCompile(`action="(/my/plan/steps/[^/"]+/done)"`)
	acceptRE  = regexp.MustCompile(`action="(/my/plan/proposals/[^/"]+/accept)"`)
	inviteRE  = regexp.MustCompile(`action="(/my/network/[^/"]+/invite)"`)
	endRE     = regexp.MustCompile(`action="(/my/network/[^/"]+/end)"`)
	actCodeRE = regexp.MustCompile(`activation__code">([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})<`)
)

func must(t *testing.T, re *regexp.Regexp, body string) string {
	t.Helper()
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no match for %s in:\n%s", re, body)
	}
	return m[1]
}

// TestPagePlan walks the plan without JavaScript: milan writes a question, a
// goal with two steps and marks one done; lena comments and proposes; milan
// accepts; an empty question is refused with a message and changes nothing;
// milan names and invites his brother, who reads the plan and is refused
// every other page, until milan ends the access.
func TestPagePlan(t *testing.T) {
	h := newPageHarness(t, true)
	milan := h.browser("en")
	milan.login("milan")
	milan.get("/my/file").want(t, http.StatusOK, `href="/my/plan"`, `href="/my/network"`)
	milan.post("/my/plan", "/my/plan/question", url.Values{"question": {"I want to sleep well again"}}).want(t, http.StatusSeeOther)
	milan.post("/my/plan", "/my/plan/question", url.Values{"question": {"   "}}).want(t, http.StatusUnprocessableEntity, "Write something in the box.")
	milan.post("/my/plan", "/my/plan/goals", url.Values{"goal": {"A calm evening routine"}}).want(t, http.StatusSeeOther)
	r := milan.get("/my/plan")
	r.want(t, http.StatusOK, "I want to sleep well again", "A calm evening routine", "No steps yet.")
	gid := must(t, goalIDRE, r.body)
	milan.post("/my/plan", "/my/plan/goals/"+gid+"/steps", url.Values{"step": {"Phone off at ten"}}).want(t, http.StatusSeeOther)
	milan.post("/my/plan", "/my/plan/goals/"+gid+"/steps", url.Values{"step": {"Walk after dinner"}}).want(t, http.StatusSeeOther)
	milan.post("/my/plan", "/my/plan/goals/"+gid+"/steps", url.Values{"step": {""}}).want(t, http.StatusUnprocessableEntity, "Write something in the box.")
	milan.post("/my/plan", "/my/plan/items/"+gid, url.Values{"text": {"A calm evening, every evening"}}).want(t, http.StatusSeeOther)
	milan.post("/my/plan", "/my/plan/items/"+gid, url.Values{"text": {""}}).want(t, http.StatusUnprocessableEntity, "Write something in the box.")
	milan.get("/my/plan").want(t, http.StatusOK, "A calm evening, every evening", "Changed on", "Earlier versions", "A calm evening routine")
	done := must(t, stepDone, milan.get("/my/plan").body)
	milan.post("/my/plan", done, url.Values{}).want(t, http.StatusSeeOther)
	r = milan.get("/my/plan")
	r.want(t, http.StatusOK, "The step is marked done.", "Not done after all")
	if strings.Count(r.body, `class="plan__step plan__step--done"`) != 1 {
		t.Errorf("want one step done:\n%s", r.body)
	}

	lena := h.browser("nl")
	lena.login("lena")
	plan := "/clients/" + h.user("milan").ClientID + "/plan"
	lena.get("/clients/"+h.user("milan").ClientID).want(t, http.StatusOK, `href="`+plan+`"`)
	lena.get(plan).want(t, http.StatusOK, "I want to sleep well again", "Phone off at ten", "Klaar", "Nog niet")
	lena.post(plan, plan+"/comments", url.Values{"goal_id": {gid}, "comment": {"Goed idee, dat helpt echt"}}).want(t, http.StatusSeeOther)
	lena.post(plan, plan+"/comments", url.Values{"goal_id": {gid}, "comment": {""}}).want(t, http.StatusUnprocessableEntity, "Schrijf iets in het vak.")
	lena.post(plan, plan+"/proposals", url.Values{"proposal": {"Once a week to the sports club"}}).want(t, http.StatusSeeOther)
	sam := h.browser("nl")
	sam.login("sam")
	sam.get(plan).want(t, http.StatusForbidden)

	r = milan.get("/my/plan")
	r.want(t, http.StatusOK, "Goed idee, dat helpt echt", "suggests this goal", "Once a week to the sports club")
	milan.post("/my/plan", must(t, acceptRE, r.body), url.Values{}).want(t, http.StatusSeeOther)
	r = milan.get("/my/plan")
	r.want(t, http.StatusOK, "The goal is now in your plan.")
	if strings.Contains(r.body, "/accept\"") {
		t.Error("the accepted proposal is still offered")
	}

	milan.post("/my/network", "/my/network", url.Values{"name": {""}}).want(t, http.StatusUnprocessableEntity, "Write the person&#39;s name.")
	milan.post("/my/network", "/my/network", url.Values{"name": {"Ilias"}, "relation": {"brother"}, "reach": {"0470 12 34 56"}, "helps_with": {"sport"}}).
		want(t, http.StatusSeeOther)
	r = milan.get("/my/network")
	r.want(t, http.StatusOK, "Ilias", "brother", "0470 12 34 56", "This person cannot read your plan.")
	r = milan.post("/my/network", must(t, inviteRE, r.body), url.Values{"username": {"ilias"}})
	r.want(t, http.StatusOK, "Give this code to the person.")
	code := must(t, actCodeRE, r.body)

	ilias := h.browser("en")
	ilias.post("/activate", "/activate", url.Values{"username": {"ilias"}, "code": {code}, "password": {pagePassword}}).want(t, http.StatusSeeOther)
	lr := ilias.login("ilias")
	if loc := lr.Header.Get("Location"); loc != "/network/plan" {
		t.Errorf("a network member lands on %q", loc)
	}
	ilias.get("/network/plan").want(t, http.StatusOK, "I want to sleep well again", "Once a week to the sports club", "Goed idee, dat helpt echt")
	// Every other signed-in page refuses the network member.
	allowed := map[string]bool{"/network/plan": true, "/account/password": true, "/": true, "/login": true, "/activate": true,
		"/logout": true, "/totp": true, "/totp/enrol": true, "/healthz": true, "/readyz": true, "/metrics": true}
	walked := 0
	for _, rt := range h.srv.App.GetRoutes(true) {
		if rt.Method != http.MethodGet || strings.HasPrefix(rt.Path, "/api/") || strings.HasPrefix(rt.Path, "/static") ||
			strings.HasPrefix(rt.Path, "/lang") || strings.HasPrefix(rt.Path, "/assets") || allowed[rt.Path] {
			continue
		}
		path := strings.NewReplacer(":id", h.user("milan").ClientID, ":nid", "x", ":tid", "x", ":format", "json", ":rid", "x", ":hid", "x", ":uid", "x").Replace(rt.Path)
		if strings.Contains(path, ":") || strings.Contains(path, "*") {
			continue
		}
		walked++
		if res := ilias.get(path); res.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s as a network member: %d, want 403", path, res.StatusCode)
		}
	}
	if walked < 30 {
		t.Errorf("walked %d pages", walked)
	}
	ilias.get("/account/password").want(t, http.StatusOK)

	r = milan.get("/my/access")
	r.want(t, http.StatusOK, "someone from your network read your plan")
	milan.post("/my/network", must(t, endRE, milan.get("/my/network").body), url.Values{}).want(t, http.StatusSeeOther)
	milan.get("/my/network").want(t, http.StatusOK, "This person can no longer read your plan.", "You stopped them reading your plan on")
	if res := ilias.get("/network/plan"); res.StatusCode == http.StatusOK {
		t.Error("the network member still reads the plan after the end")
	}
}
