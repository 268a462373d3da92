package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// caseloadCard is one client's card on the caseload page: its name and body.
var caseloadCard = regexp.MustCompile(`(?s)<li class="card">\s*<h2 class="card__title"><a href="/clients/[^"]+">([^<]*)</a></h2>(.*?)</li>`)

// TestPageCaseloadChanges: sam's caseload says what changed since he last
// opened each file, in words, changed first; opening the file clears it; the
// client withdrawing a consent shows again; a bad switch is refused.
func TestPageCaseloadChanges(t *testing.T) {
	h := newPageHarness(t, true)
	noorID := h.user("noor").ClientID
	for lang, words := range map[string][]string{
		"nl": {"Sinds je laatst keek", "1 nieuw bericht van de cliënt"},
		"en": {"Since you last looked", "1 new message from the client"},
	} {
		b := h.browser(lang)
		b.login("sam")
		b.get("/caseload").want(t, http.StatusOK, words...)
	}
	sam := h.browser("en")
	sam.login("sam")
	card := func(t *testing.T, r *pageResp, name string) string {
		t.Helper()
		for _, m := range caseloadCard.FindAllStringSubmatch(r.body, -1) {
			if m[1] == name {
				return m[2]
			}
		}
		t.Fatalf("no card for %s", name)
		return ""
	}
	// The demo: noor wrote after sam last read her file; "Jef" from the
	// street was never opened; the rest has nothing new.
	changed := sam.get("/caseload?sort=changed")
	changed.want(t, http.StatusOK, `value="changed" selected`)
	cards := caseloadCard.FindAllStringSubmatch(changed.body, -1)
	if len(cards) < 5 || cards[0][1] != "Noor El Amrani" || !strings.Contains(cards[1][2], "you have not opened this file yet") {
		t.Fatalf("changed first: want noor, then the unopened file; got %d cards, first %q", len(cards), cards[0][1])
	}
	if !strings.Contains(cards[2][2], "nothing new") {
		t.Errorf("third card: %s", cards[2][2])
	}
	only := sam.get("/caseload?changed=1")
	only.want(t, http.StatusOK, `id="f-changed" name="changed" value="1" checked`)
	if n := len(caseloadCard.FindAllStringSubmatch(only.body, -1)); n != 2 {
		t.Errorf("only changed: %d clients, want 2 (noor and the unopened file)", n)
	}
	// Opening the file clears it.
	sam.get("/clients/"+noorID).want(t, http.StatusOK)
	if c := card(t, sam.get("/caseload"), "Noor El Amrani"); !strings.Contains(c, "nothing new") || strings.Contains(c, "new message") {
		t.Errorf("after opening the file: %s", c)
	}
	// noor withdraws a consent: sam sees it, counts and kinds only.
	noor := h.browser("en")
	noor.login("noor")
	_, action := withdrawAction(t, noor.get("/my/consents").body, "OCMW Gent")
	noor.post("/my/consents", action, url.Values{}).want(t, http.StatusSeeOther)
	if c := card(t, sam.get("/caseload"), "Noor El Amrani"); !strings.Contains(c, "consent withdrawn") || strings.Contains(c, "OCMW") {
		t.Errorf("after the withdrawal: %s", c)
	}
	sam.get("/caseload?changed=yes").want(t, http.StatusUnprocessableEntity, "Choose whether to see only changed files.")

	// The API says the same, and refuses the same.
	tok := h.apiToken(t, "sam")
	st, raw, _ := h.apiCall(t, tok, http.MethodGet, "/api/v1/clients?sort=changed&changed=1", nil)
	if st != http.StatusOK || !strings.Contains(string(raw), `"consents_withdrawn":1`) {
		t.Errorf("API: %d %s", st, raw)
	}
	if st, raw, _ := h.apiCall(t, tok, http.MethodGet, "/api/v1/clients?changed=yes", nil); st != http.StatusUnprocessableEntity {
		t.Errorf("API changed=yes: %d %s", st, raw)
	}
}
