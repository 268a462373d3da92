package demo_test

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nabij/nabij/app/demo"
	"github.com/nabij/nabij/consent"
	"github.com/nabij/nabij/crypto"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/sqlite"
)

// leaks are channel codes and the English templates the demo once used: none
// may show in a text the demo seeds.
var leaks = regexp.MustCompile(`\b(office|home_visit|outreach|phone|email|messaging|ehealth_module|video|chat)\b|(?i)\b(during a|talked through|follow up|working note|information from|next step|the plan)\b`)

// TestDemoStory seeds the demo and reads every file as its professional:
// the only open consent flag is the one the demo's story tells (in a note on
// that contact), one flag is resolved with its reason, and no seeded text
// (notes, goals, reasons, consents) carries a channel code or English.
func TestDemoStory(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	kr, err := crypto.OpenKeyring(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	signer, err := kr.SigningKey("checkpoints")
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(filepath.Join(dir, "nabij.db"), sqlite.Options{Keyring: kr, Signer: signer})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := demo.Seed(ctx, st, "demo-story-password", time.Now()); err != nil {
		t.Fatal(err)
	}
	// (before this test reads every file itself)
	// Since sam last looked: noor wrote him a message; only "Jef" from the
	// street, whose file sam has not opened yet, is new to him.
	su, err := st.UserByUsername(ctx, "sam")
	if err != nil {
		t.Fatal(err)
	}
	caseload, err := st.Caseload(ctx, records.Actor{UserID: su.ID, Role: su.Role})
	if err != nil {
		t.Fatal(err)
	}
	var noorNews, others int
	for _, e := range caseload {
		switch {
		case e.Changes.NeverOpened && e.Name != demo.StreetNickname:
			t.Errorf("sam never opened %s's file", e.Name)
		case e.Name == "Noor El Amrani":
			noorNews = e.Changes.Entries
		}
		if e.Name != "Noor El Amrani" && e.Changes.Any() {
			others++
		}
	}
	if noorNews != 1 || others != 0 {
		t.Errorf("sam's caseload: %d new messages from noor (want 1), %d other clients changed (want 0)", noorNews, others)
	}
	var open, resolved, texts int
	var street bool
	for _, username := range []string{"sam", "lena"} {
		u, err := st.UserByUsername(ctx, username)
		if err != nil {
			t.Fatal(err)
		}
		pro := records.Actor{UserID: u.ID, Role: u.Role}
		list, err := st.Caseload(ctx, pro)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range list {
			f, err := st.ClientFile(ctx, pro, records.PurposeCare, e.ClientID)
			if err != nil {
				t.Fatal(err)
			}
			check := func(what, s string) {
				t.Helper()
				texts++
				if m := leaks.FindString(s); m != "" {
					t.Errorf("%s of %s: %q leaks %q", what, e.Name, s, m)
				}
			}
			notes := map[string][]string{}
			for _, n := range f.Notes {
				check("note", n.Body)
				check("restricted reason", n.RestrictedReason)
				notes[n.ContactID] = append(notes[n.ContactID], n.Body)
			}
			for _, tr := range f.Trajectories {
				check("goal", tr.Goal)
			}
			for _, k := range f.Contacts {
				switch {
				case !k.ConsentMissing:
				case k.FlagResolution != nil:
					resolved++
					check("flag reason", k.FlagResolution.Reason)
					if k.FlagResolution.Reason != demo.ResolvedFlagReason {
						t.Errorf("resolved flag of %s: %q", e.Name, k.FlagResolution.Reason)
					}
				default:
					open++
					if e.Name != demo.FlaggedClient || len(notes[k.ID]) == 0 || !strings.Contains(notes[k.ID][0], "Toestemming") {
						t.Errorf("%s has a consent flag on a %s contact that no note explains", e.Name, k.Channel)
					}
				}
			}
			if f.Client.Name == demo.StreetNickname {
				street = len(f.Trajectories) == 1 && f.Trajectories[0].Goal == records.FirstContactGoal
			}
			cs, err := st.Consents(ctx, pro, e.ClientID)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cs {
				check("consent recipient", c.Recipient)
				check("consent reason", c.Reason)
			}
		}
	}
	if open != 1 || resolved != 1 {
		t.Errorf("%d open and %d resolved consent flags, want 1 and 1", open, resolved)
	}
	if !street {
		t.Errorf("no client %q with a first-contact trajectory from the quick log", demo.StreetNickname)
	}
	if texts < 100 {
		t.Errorf("only %d texts checked", texts)
	}
	// The file rules keep a file 15 years after the help stops and at least
	// until the 35th birthday: milan (born 30 September 2006) reads that date.
	mu, err := st.UserByUsername(ctx, "milan")
	if err != nil {
		t.Fatal(err)
	}
	p, err := consent.New(st, time.Now).Privacy(ctx, records.Actor{UserID: mu.ID, Role: mu.Role, ClientID: mu.ClientID}, mu.ClientID, false)
	if err != nil {
		t.Fatal(err)
	}
	youth := 0
	for _, k := range p.KeptUntil {
		if k.Kind == records.KindNoteShared && k.Basis == records.BasisUntilAge && k.Age == 35 && k.Years == 15 &&
			k.Birthday != nil && k.Birthday.Format("2006-01-02") == "2041-09-30" && k.Source == demo.YouthSource {
			youth++
		}
	}
	if youth == 0 {
		t.Errorf("milan's shared notes are not kept until his 35th birthday: %+v", p.KeptUntil)
	}

	// Noor's network: her sister reads the plan; her neighbour waits with a
	// new code (the first was lost). Her export holds the plan and both.
	u, err := st.UserByUsername(ctx, "noor")
	if err != nil {
		t.Fatal(err)
	}
	noor := records.Actor{UserID: u.ID, Role: u.Role, ClientID: u.ClientID}
	ex, err := st.ClientExport(ctx, noor, u.ClientID)
	if err != nil {
		t.Fatal(err)
	}
	if ex.Plan == nil || ex.Plan.Question == "" || len(ex.Plan.Goals) < 2 || len(ex.Network) != 2 ||
		ex.Network[0].Name != "Sanne Jansen" || !ex.Network[0].Active || ex.Network[0].ActivationPending ||
		ex.Network[1].Name != "Els Wouters" || !ex.Network[1].ActivationPending {
		t.Errorf("noor's plan and network in her export: %+v %+v", ex.Plan, ex.Network)
	}
	for _, m := range ex.Network {
		for _, s := range []string{m.Relation, m.HelpsWith} {
			if l := leaks.FindString(s); l != "" {
				t.Errorf("network %q leaks %q", s, l)
			}
		}
	}
}
