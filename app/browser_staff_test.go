package app_test

import (
	"net/http"
	"testing"

	"github.com/nabij/nabij/ui"
	"github.com/nabij/nabij/ui/uitest"
)

// TestBrowserStaffJourneys: in Dutch and English, the data officer places a
// legal hold and reviews an anomaly by picking, never typing an id; the
// admin hands sam's caseload to lena until a date, and noor sees it. Every
// page on the way is checked with axe and photographed.
func TestBrowserStaffJourneys(t *testing.T) {
	h := newPageHarness(t, true)
	p := newPageTab(t, h)
	code := h.caseCode(h.user("noor").ClientID)
	sam, lena := h.user("sam").ID, h.user("lena").ID
	text := map[string]map[string]string{
		"en": {"hold": "The legal hold was placed.", "reviewed": "The anomaly is marked reviewed.", "review_heading": "Reviewed (",
			"handover": "The caseload was handed over.", "noor": "Lena Claessens may read your file until "},
		"nl": {"hold": "De blokkering is geplaatst.", "reviewed": "De afwijking is gemarkeerd als bekeken.", "review_heading": "Bekeken (",
			"handover": "De caseload is overgedragen.", "noor": "Lena Claessens mag je dossier lezen tot "},
	}
	check := func(t *testing.T, lang, name string) {
		t.Helper()
		if vs := p.AxeHere(t); len(vs) > 0 {
			t.Errorf("%d axe violations on %s (%s):\n%s", len(vs), name, p.path(), uitest.FormatViolations(vs))
		}
		if p.OverflowsHere(t, 320) {
			t.Errorf("%s scrolls sideways at 320 px", name)
		}
		for _, w := range []int{1280, 360} {
			p.ScreenshotHere(t, "staff-"+lang+"-"+name, w)
		}
	}
	last := lastDayFromNow(12)
	for _, lang := range ui.Languages {
		tx := text[lang]
		if tx == nil {
			t.Fatalf("no texts for %s", lang)
		}
		t.Run(lang+"/dpo", func(t *testing.T) {
			p.t = t
			p.signIn(lang, "dpo")
			p.open("/dpo/legal-holds")
			check(t, lang, "legal-holds")
			p.selectValue("client", code)
			p.Fill(t, "reason", "Court case pending ("+lang+")")
			p.click(`form[action="/dpo/legal-holds"] button[type=submit]`, http.StatusOK)
			p.wantText(tx["hold"], code, "Court case pending ("+lang+")")
			check(t, lang, "legal-hold-placed")
			p.open("/dpo/anomalies")
			check(t, lang, "anomalies")
			p.Fill(t, "note", "Checked with the team lead ("+lang+")")
			p.click(`form[action="/dpo/anomalies/review"] button[type=submit]`, http.StatusOK)
			p.wantText(tx["reviewed"], tx["review_heading"], "Checked with the team lead ("+lang+")")
			check(t, lang, "anomaly-reviewed")
			p.signOut()
		})
		t.Run(lang+"/admin", func(t *testing.T) {
			p.t = t
			p.signIn(lang, "admin")
			p.open("/admin/handovers")
			check(t, lang, "handovers")
			p.selectValue("from", sam)
			p.selectValue("to", lena)
			p.setValue("until", last.Format("2006-01-02"))
			p.click(`form[action="/admin/handovers"] button[type=submit]`, http.StatusOK)
			p.wantText(tx["handover"])
			check(t, lang, "handover-done")
			p.open("/admin/caseloads")
			p.wantText(code)
			check(t, lang, "caseloads")
			p.signOut()
		})
		t.Run(lang+"/noor", func(t *testing.T) {
			p.t = t
			p.signIn(lang, "noor")
			p.open("/my/access")
			p.wantText(tx["noor"] + ui.FormatDate(lang, last))
			check(t, lang, "my-access-handover")
			p.signOut()
		})
	}
}
