package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
	"github.com/nabij/nabij/ui/uitest"
)

var streetText = map[string]map[string]string{
	"en": {"log": "Quick log", "saved": "The contact was saved.", "resolved": "Consent flag resolved on",
		"flash_resolved": "The flag is resolved."},
	"nl": {"log": "Snel loggen", "saved": "Het contact is bewaard.", "resolved": "Melding over toestemming opgelost op",
		"flash_resolved": "De melding is opgelost."},
}

// TestBrowserStreet: in both languages, a street worker on a 360 px phone
// opens /log, signs in and saves an outreach contact with a new client known
// by nickname and a note: three screens (sign-in, /log, saved); then a
// professional resolves a consent flag from the file page. axe runs on each
// page; screenshots of /log and the file page at 360 and 1280 px.
func TestBrowserStreet(t *testing.T) {
	h := newPageHarness(t, true)
	p := newPageTab(t, h)
	ctx := context.Background()
	samUser := h.user("sam")
	samActor := records.Actor{UserID: samUser.ID, Role: samUser.Role}
	fatima, _ := flaggedContact(t, h.srv.Store, samUser)
	axe := func(t *testing.T, name string) {
		t.Helper()
		if vs := p.AxeHere(t); len(vs) > 0 {
			t.Errorf("%d axe violations on %s (%s):\n%s", len(vs), name, p.path(), uitest.FormatViolations(vs))
		}
		if p.OverflowsHere(t, 320) {
			t.Errorf("%s scrolls sideways at 320 px", name)
		}
	}
	for _, lang := range ui.Languages {
		tx := streetText[lang]
		t.Run(lang+"/street", func(t *testing.T) {
			p.t = t
			p.Do(t, chromedp.EmulateViewport(360, 740))
			// The phone's bookmark of /log, in the worker's language: the sign-in page.
			p.open("/lang/" + lang + "?next=/log")
			screens := 1
			if !strings.HasPrefix(p.path(), "/login") {
				t.Fatalf("not signed in, /log goes to %s", p.path())
			}
			p.Fill(t, "username", "sam")
			p.Fill(t, "password", pagePassword)
			p.click(`main button[type=submit]`, http.StatusOK)
			screens++
			if p.path() != "/log" || p.Text(t, "h1") != tx["log"] {
				t.Fatalf("after sign-in at %s (%q)", p.path(), p.Text(t, "h1"))
			}
			if v := p.Value(t, "channel"); v != "outreach" {
				t.Errorf("channel %q preselected, want outreach", v)
			}
			axe(t, "log")
			for _, w := range []int{360, 1280} {
				p.ScreenshotHere(t, "street-"+lang+"-log", w)
			}
			p.Do(t, chromedp.EmulateViewport(360, 740))
			nick := "Rooie-" + lang
			note := "Ontmoet aan het station (" + lang + "); zoekt een slaapplek."
			p.Fill(t, "new_client_name", nick)
			p.Fill(t, "body", note)
			p.click(`main button[type=submit]`, http.StatusOK)
			screens++
			if !strings.HasPrefix(p.path(), "/clients/") {
				t.Fatalf("after saving at %s", p.path())
			}
			p.wantText(tx["saved"], nick, note)
			if screens > 3 {
				t.Errorf("%d screens from sign-in to saved", screens)
			}
			axe(t, "log-saved")
			p.ScreenshotHere(t, "street-"+lang+"-saved", 360)
			p.signOut()
		})
		t.Run(lang+"/resolve-flag", func(t *testing.T) {
			p.t = t
			// An online contact through a channel Fatima gave no consent for.
			f, err := h.srv.Store.ClientFile(ctx, samActor, records.PurposeCare, fatima)
			if err != nil {
				t.Fatal(err)
			}
			k, err := h.srv.Store.CreateContact(ctx, samActor, fatima, records.NewContact{TrajectoryID: f.Trajectories[0].ID,
				Channel: records.ChannelVideo, OccurredAt: time.Now().Add(-time.Hour), DurationMinutes: 20, Synchronous: true})
			if err != nil || !k.ConsentMissing {
				t.Fatalf("%v %+v", err, k)
			}
			p.signIn(lang, "sam")
			p.open("/clients/" + fatima + "#contact-" + k.ID)
			form := `#contact-` + k.ID + ` details`
			p.Click(t, form+` summary`)
			axe(t, "file-flag")
			for _, w := range []int{360, 1280} {
				p.ScreenshotHere(t, "street-"+lang+"-file", w)
			}
			p.Fill(t, "reason", "Toestemming gevraagd bij het begin van het gesprek ("+lang+").")
			p.click(form+` button[type=submit]`, http.StatusOK)
			p.wantText(tx["flash_resolved"])
			if got := p.textOf("#contact-" + k.ID); !strings.Contains(got, tx["resolved"]) || !strings.Contains(got, "("+lang+")") {
				t.Errorf("the contact shows %q", got)
			}
			if p.has(form) {
				t.Error("the resolved flag still offers the form")
			}
			p.signOut()
		})
	}
}
