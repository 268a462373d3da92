package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nabij/nabij/ui"
)

// visibleText is the page without its tags, attributes, hidden inputs and
// the values of options: what a person reads.

func TestPageAnomalyReview(t *testing.T) {
	h := newPageHarness(t, true)
	d := h.browser("en")
	d.login("dpo")
	page := d.get("/dpo/anomalies")
	// The demo's data officer reviewed lena's refused attempt already.
	page.want(t, http.StatusOK, "Reviewed (1)", "Reviewed by dpo", "Mark reviewed", `href="#kind-break_glass"`)
	keys := regexp.MustCompile(`name="key" value="([a-z_]+:[^"]+)"`).FindStringSubmatch(page.body)
	if keys == nil {
		t.Fatal("no anomaly to review in the demo")
	}
	key := keys[1]
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		subs   []string
	}{
		{"ErrNoNote", url.Values{"key": {key}, "note": {"x"}}, http.StatusUnprocessableEntity,
			[]string{"Say in a few words what you found", `aria-invalid="true"`, ">x</textarea>"}},
		{"ErrUnknownKey", url.Values{"key": {"denied:99999999"}, "note": {"Checked with lena"}}, http.StatusUnprocessableEntity, nil},
		{"OK", url.Values{"key": {key}, "note": {"Checked with lena: she mistyped an address"}}, http.StatusSeeOther, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d.post("/dpo/anomalies", "/dpo/anomalies/review", tc.form).want(t, tc.status, tc.subs...)
		})
	}
	after := d.get("/dpo/anomalies")
	after.want(t, http.StatusOK, "The anomaly is marked reviewed.", "Reviewed (2)", "Reviewed by dpo", "Checked with lena: she mistyped an address")
	if strings.Contains(after.body, `value="`+key+`"`) {
		t.Error("a reviewed anomaly still has a review form")
	}
	d.post("/dpo/anomalies", "/dpo/anomalies/review", url.Values{"key": {key}, "note": {"Again"}}).
		want(t, http.StatusConflict, "This anomaly was reviewed already")
	// The review is in the access log, as a change of kind anomalies.
	d.get("/dpo/access-log?kind=anomalies&action=change").want(t, http.StatusOK, "changed")
	// Other roles cannot review.
	s := h.browser("en")
	s.login("sam")
	s.post("/caseload", "/dpo/anomalies/review", url.Values{"key": {key}, "note": {"sam was here"}}).want(t, http.StatusForbidden)
}

// TestPageStaffPagesShowNoIDs walks the staff pages of the demo and fails on
// an id in the text a person reads (ids in links and form values are fine).
func TestPageStaffPagesShowNoIDs(t *testing.T) {
	h := newPageHarness(t, true)
	link := regexp.MustCompile(`href="(/(?:caseload|clients|dpo|admin)[^"#]*)"`)
	for _, user := range []string{"sam", "dpo", "admin"} {
		for _, lang := range []string{"nl", "en"} {
			b := h.browser(lang)
			b.login(user)
			start := map[string]string{"sam": "/caseload", "dpo": "/dpo/access-log", "admin": "/admin/users"}[user]
			seen := map[string]bool{}
			queue := []string{start}
			for len(queue) > 0 && len(seen) < 60 {
				p := queue[0]
				queue = queue[1:]
				if seen[p] || strings.Contains(p, "/break-glass") {
					continue
				}
				seen[p] = true
				r := b.get(p)
				if r.StatusCode != http.StatusOK {
					continue
				}
				if id := uuidText.FindString(visibleText(r.body)); id != "" {
					t.Errorf("%s (%s) %s shows an id: %s", user, lang, p, id)
				}
				for _, m := range link.FindAllStringSubmatch(r.body, -1) {
					u := strings.ReplaceAll(m[1], "&amp;", "&")
					if !seen[u] {
						queue = append(queue, u)
					}
				}
			}
			if len(seen) < 3 {
				t.Errorf("%s (%s): walked only %d pages", user, lang, len(seen))
			}
		}
	}
}

func TestPageAccessLogCSVAndPurposes(t *testing.T) {
	h := newPageHarness(t, true)
	n := h.browser("en")
	n.login("noor")
	n.post("/my/entries/new", "/my/entries/new", url.Values{"body": {"I moved house"}}).want(t, http.StatusSeeOther)
	n.get("/my/access").want(t, http.StatusOK, "you, in your own file")
	d := h.browser("en")
	d.login("dpo")
	code := h.caseCode(h.user("noor").ClientID)
	page := d.get("/dpo/access-log?client=" + strings.ToLower(code))
	page.want(t, http.StatusOK, "the client, in their own file", `href="/dpo/access-log.csv?client=`)
	if strings.Contains(page.body, ">you read your own file<") {
		t.Error("the data officer's log says “you read your own file”")
	}
	d.get("/dpo/access-log?client=K-0000").want(t, http.StatusUnprocessableEntity, "There is no client with this case code")
	r := d.get("/dpo/access-log.csv?client=" + code)
	r.want(t, http.StatusOK, "seq,at,actor,role,case_code,kind,action,count,purpose,rule,outcome\n", ",noor,client,"+code+",entry,create,1,own_file,own_file,ok")
	if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if strings.Contains(r.body, "I moved house") || uuidText.MatchString(strings.ReplaceAll(r.body, "\n", " ")) {
		t.Errorf("the CSV holds note text or ids:\n%s", r.body)
	}
	for _, line := range strings.Split(strings.TrimSpace(r.body), "\n")[1:] {
		if !strings.Contains(line, ","+code+",") {
			t.Fatalf("the CSV's filter let through: %s", line)
		}
	}
}

func TestPageHandover(t *testing.T) {
	h := newPageHarness(t, true)
	a := h.browser("nl")
	a.login("admin")
	page := a.get("/admin/handovers")
	page.want(t, http.StatusOK, "Caseload overdragen", `name="mode" value="share" checked`)
	sam, lena := h.user("sam").ID, h.user("lena").ID
	last := lastDayFromNow(10)
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		subs   []string
	}{
		{"ErrNoDate", url.Values{"from": {sam}, "to": {lena}, "mode": {"share"}}, http.StatusUnprocessableEntity, []string{`id="f-until-error"`}},
		{"ErrSame", url.Values{"from": {sam}, "to": {sam}, "until": {last.Format("2006-01-02")}, "mode": {"share"}}, http.StatusUnprocessableEntity,
			[]string{`id="f-to-error"`, "Kies een andere actieve hulpverlener."}},
		{"ErrPast", url.Values{"from": {sam}, "to": {lena}, "until": {"2020-01-01"}, "mode": {"move"}}, http.StatusUnprocessableEntity,
			[]string{`id="f-until-error"`, `value="move" checked`}},
		{"OK", url.Values{"from": {sam}, "to": {lena}, "until": {last.Format("2006-01-02")}, "mode": {"share"}}, http.StatusSeeOther, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a.post("/admin/handovers", "/admin/handovers", tc.form).want(t, tc.status, tc.subs...)
		})
	}
	a.get("/admin/handovers").want(t, http.StatusOK, "De caseload is overgedragen.", "Delen: allebei")
	n := h.browser("nl")
	n.login("noor")
	n.get("/my/access").want(t, http.StatusOK, "Wie mag je dossier nu lezen",
		"Lena Claessens mag je dossier lezen tot "+ui.FormatDate("nl", last)+", omdat Sam")
	l := h.browser("nl")
	l.login("lena")
	l.get("/clients/"+h.user("noor").ClientID).want(t, http.StatusOK, "Noor")
}

// lastDayFromNow is the day n days from now in the organisation's time zone,
// as noon UTC of that date: what a date field sends and a page shows.
func lastDayFromNow(n int) time.Time {
	brussels, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		panic(err)
	}
	y, m, d := time.Now().In(brussels).AddDate(0, 0, n).Date()
	return time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
}

func TestPageCaseloadSearch(t *testing.T) {
	h := newPageHarness(t, true)
	b := h.browser("en")
	b.login("sam")
	all := b.get("/caseload")
	all.want(t, http.StatusOK, "Search by name", "Noor El Amrani")
	cards := func(r *pageResp) int { return strings.Count(r.body, `<li class="card">`) }
	if cards(all) < 5 {
		t.Fatalf("sam's caseload has %d clients", cards(all))
	}
	one := b.get("/caseload?q=NOOR+el")
	one.want(t, http.StatusOK, "Noor El Amrani", `value="NOOR el"`)
	if cards(one) != 1 {
		t.Errorf("searching for noor lists %d clients", cards(one))
	}
	b.get("/caseload?q=zzzz").want(t, http.StatusOK, "No client on your caseload has that in their name.")
	b.get("/caseload?sort=next").want(t, http.StatusOK, `value="next" selected`, "Noor El Amrani")
	b.get("/caseload?sort=name").want(t, http.StatusUnprocessableEntity, "Choose an order from the list.")
}
