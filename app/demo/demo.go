// Package demo fills an empty store with a fictional caseload for trying nabij
// out: the demo accounts (DemoLogins, one shared password), clients,
// trajectories, contacts, notes, consents and a little access history.
package demo

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"math/big"
	"time"

	"github.com/nabij/nabij/crypto"
	"github.com/nabij/nabij/records"
)

// DemoLogin is one account of the demo.
type DemoLogin struct {
	Username string
	Role     records.Role
	Note     string
}

// DemoLogins are the demo's accounts, in the order the demo prints them.
var DemoLogins = []DemoLogin{
	{"sam", records.RoleProfessional, "social worker; noor is on sam's caseload"},
	{"lena", records.RoleProfessional, "social worker; milan is on lena's caseload, noor is not"},
	{"noor", records.RoleClient, "client"},
	{"milan", records.RoleClient, "client"},
	{"sanne", records.RoleNetwork, "noor's sister; reads noor's plan only"},
	{"dpo", records.RoleDataOfficer, "data officer"},
	{"admin", records.RoleAdmin, "admin"},
}

// DemoPassword returns the password for every demo account: NABIJ_DEMO_PASSWORD
// when set, else a new random one.
func DemoPassword(fromEnv string) string {
	if fromEnv != "" {
		return fromEnv
	}
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// demoClients are fictional people, their stories in Dutch (the language of
// the organisation; the interface still switches). noor and milan first: they
// get accounts.
var demoClients = []struct{ name, birth, goal string }{
	{"Noor El Amrani", "1994-03-12", "Een vaste woning vinden en de schulden op een rij zetten"},
	{"Milan Peeters", "2006-09-30", "De school afmaken en een eerste job vinden"},
	{"Fatima Yilmaz", "1981-01-22", "Het contact met haar kinderen herstellen"},
	{"Jonas De Smet", "1975-07-08", "Schulden afbetalen met een budgetplan"},
	{"Ayoub Benali", "2003-11-15", "Een opleidingsplaats vinden"},
	{"Lotte Janssens", "1990-05-02", "Omgaan met stress na de scheiding"},
	{"Dirk Vermeulen", "1962-12-19", "Na de operatie zelfstandig thuis blijven wonen"},
	{"Sara Mertens", "1999-04-27", "Veilig weggaan uit een gewelddadige relatie"},
	{"Kevin Claes", "1987-08-14", "Werk houden tijdens het herstel"},
	{"Amina Diallo", "2001-02-03", "De verblijfsvergunning in orde brengen"},
	{"Tom Wouters", "1970-10-10", "Minder eenzaam zijn en een dagcentrum vinden"},
	{"Ilse Goossens", "1983-06-21", "Opvoedingsondersteuning bij een tienerzoon"},
	{"Youssef Haddad", "1996-09-09", "Een woning vinden na de jeugdhulp"},
	{"Marie Dubois", "1958-03-30", "Thuiszorg en uitkeringen regelen"},
	{"Pieter Maes", "1992-12-01", "Stoppen met gokken en schulden afbetalen"},
	{"Elif Kaya", "2005-07-17", "Zich weer veilig voelen op school"},
	{"Bart Willems", "1979-01-05", "Weer aan het werk na een burn-out"},
	{"Hanne Jacobs", "1998-11-28", "Zelf leren omgaan met geld"},
	{"Rachid Ouali", "1985-04-04", "Een stabiele woning vinden voor het gezin"},
	{"Sofie Van Damme", "1973-08-23", "Voor haar moeder zorgen zonder op te branden"},
	{"Mehmet Aydin", "1966-02-14", "Pensioenpapieren en schulden regelen"},
	{"Lisa Verstraete", "2002-05-19", "Een sociaal netwerk opbouwen in een nieuwe stad"},
}

// Seed fills an empty store with the demo: accounts, clients, trajectories,
// blended contacts over every channel with follow-up links, notes of all three
// visibilities, and a little access history (a denied attempt, a break-glass).
func Seed(ctx context.Context, st records.Store, password string, now time.Time) error {
	hash, err := crypto.HashPassword(password)
	if err != nil {
		return err
	}
	add := func(username string, role records.Role, name, clientID string) (records.Actor, error) {
		u, err := st.CreateUser(ctx, records.System(), records.NewUser{Username: username, Role: role, DisplayName: name,
			PasswordHash: hash, ClientID: clientID})
		if err != nil {
			return records.Actor{}, fmt.Errorf("demo user %s: %w", username, err)
		}
		return records.Actor{UserID: u.ID, Role: role, ClientID: clientID, Remote: "demo"}, nil
	}
	sam, err := add("sam", records.RoleProfessional, "Sam Verhoeven", "")
	if err != nil {
		return err
	}
	lena, err := add("lena", records.RoleProfessional, "Lena Claessens", "")
	if err != nil {
		return err
	}
	dpo, err := add("dpo", records.RoleDataOfficer, "Dani Peeters (DPO)", "")
	if err != nil {
		return err
	}
	if _, err := add("admin", records.RoleAdmin, "Ari Admin", ""); err != nil {
		return err
	}
	team, err := st.CreateTeam(ctx, records.System(), "Team Oost")
	if err != nil {
		return err
	}
	for _, p := range []records.Actor{sam, lena} {
		if err := st.AddTeamMember(ctx, records.System(), team.ID, p.UserID); err != nil {
			return err
		}
	}
	tools, err := seedTools(ctx, st, now)
	if err != nil {
		return err
	}
	var noorID, milanID, thirdID string
	for i, dc := range demoClients {
		// Even clients are sam's, odd ones lena's: noor (0) is sam's, milan (1) lena's.
		pro := sam
		if i%2 == 1 {
			pro = lena
		}
		c, err := st.CreateClient(ctx, pro, records.NewClient{Name: dc.name, BirthDate: dc.birth,
			Contact: fmt.Sprintf("+32 470 %02d %02d %02d", 10+i, 20+i, 30+i)})
		if err != nil {
			return fmt.Errorf("demo client: %w", err)
		}
		switch i {
		case 0:
			noorID = c.ID
		case 1:
			milanID = c.ID
		case 2:
			thirdID = c.ID
		}
		if err := seedFile(ctx, st, pro, c.ID, dc.goal, i, now, tools); err != nil {
			return err
		}
		if i == 3 {
			if err := seedCheckIns(ctx, st, pro, c.ID); err != nil {
				return err
			}
		}
	}
	if err := seedRecommendations(ctx, st, sam, noorID, thirdID, tools); err != nil {
		return err
	}
	noor, err := add("noor", records.RoleClient, "", noorID)
	if err != nil {
		return err
	}
	if _, err := add("milan", records.RoleClient, "", milanID); err != nil {
		return err
	}
	// A little history for the data officer: lena tries noor's file (denied),
	// then uses break the glass on another of sam's clients.
	_, _ = st.ClientFile(ctx, lena, records.PurposeCare, noorID)
	caseload, err := st.Caseload(ctx, sam)
	if err != nil {
		return err
	}
	if len(caseload) > 2 {
		other := caseload[2].ClientID
		if _, err := st.BreakGlass(ctx, lena, other, "Cliënt belde 's nachts de crisislijn; sam heeft geen dienst"); err != nil {
			return err
		}
		if _, err := st.ClientFile(ctx, lena, records.PurposeCare, other); err != nil {
			return err
		}
	}
	if _, err := st.ClientFile(ctx, sam, records.PurposeCare, noorID); err != nil {
		return err
	}
	// The data officer has looked into lena's refused attempt and marked it
	// reviewed; the emergency access stays open for review.
	anomalies, err := st.Anomalies(ctx, dpo, now.Add(-time.Hour))
	if err != nil {
		return err
	}
	for _, an := range anomalies {
		if an.Kind == "denied" && an.ClientID == noorID {
			if err := st.ReviewAnomaly(ctx, dpo, an.Key, "Besproken met Lena: ze koos de verkeerde cliënt in de lijst. Geen verdere actie."); err != nil {
				return err
			}
			break
		}
	}
	if err := seedConsent(ctx, st, now); err != nil {
		return err
	}
	if err := seedPlan(ctx, st, sam, noor, hash); err != nil {
		return err
	}
	if err := seedPrivacy(ctx, st, now); err != nil {
		return err
	}
	if err := seedStreet(ctx, st, now); err != nil {
		return err
	}
	// sam last read his clients' files when he recorded their consents
	// (seedStreet); noor wrote since.
	if err := seedNewMessage(ctx, st, noor); err != nil {
		return err
	}
	return st.Checkpoint(ctx)
}

// seedFile writes one client's trajectory, blended contacts and notes.
func seedFile(ctx context.Context, st records.Store, pro records.Actor, clientID, goal string, i int, now time.Time, tools map[string]string) error {
	opened := now.AddDate(0, -6, -i)
	tr, err := st.CreateTrajectory(ctx, pro, clientID, records.NewTrajectory{Goal: goal, OpenedAt: &opened})
	if err != nil {
		return fmt.Errorf("demo trajectory: %w", err)
	}
	// A blended sequence: each online contact follows up the face-to-face one before it.
	plan := []struct {
		ch      records.Channel
		sync    bool
		minutes int
		follow  bool
	}{
		{records.ChannelOffice, true, 60, false},
		{records.ChannelChat, false, 15, true},
		{records.ChannelHomeVisit, true, 75, false},
		{records.ChannelVideo, true, 40, true},
		{records.ChannelPhone, true, 20, false},
		{records.ChannelEmail, false, 10, true},
		{records.ChannelOutreach, true, 30, false},
		{records.ChannelMessaging, false, 5, true},
		{records.ChannelEHealthModule, false, 25, false},
	}
	start := (i * 2) % len(plan)
	n := 4 + i%4
	var prev *records.Contact
	at := opened.Add(72 * time.Hour)
	for k := 0; k < n; k++ {
		p := plan[(start+k)%len(plan)]
		in := records.NewContact{TrajectoryID: tr.ID, Channel: p.ch, Synchronous: p.sync, OccurredAt: at, DurationMinutes: p.minutes}
		if p.follow && prev != nil {
			in.FollowUpOf = prev.ID
		}
		c, err := st.CreateContact(ctx, pro, clientID, in)
		if err != nil {
			return fmt.Errorf("demo contact: %w", err)
		}
		note := records.NewNote{ContactID: c.ID, Visibility: records.VisibilityShared, Body: sharedNote(p.ch, k)}
		if _, err := st.CreateNote(ctx, pro, clientID, note); err != nil {
			return fmt.Errorf("demo note: %w", err)
		}
		prev = c
		at = at.Add(time.Duration(9+jitter(6)) * 24 * time.Hour)
	}
	if _, err := st.CreateNote(ctx, pro, clientID, records.NewNote{TrajectoryID: tr.ID, Visibility: records.VisibilityRestricted,
		Body:             "Informatie van de schoolbegeleider over een familielid; niet te delen.",
		RestrictedReason: "Bevat informatie over een derde"}); err != nil {
		return fmt.Errorf("demo note: %w", err)
	}
	if _, err := st.CreateNote(ctx, pro, clientID, records.NewNote{TrajectoryID: tr.ID, Visibility: records.VisibilityPersonal,
		Body: "Werkaantekening: volgende keer nagaan of het budgetplan nog haalbaar voelt."}); err != nil {
		return fmt.Errorf("demo note: %w", err)
	}
	if err := seedMonths(ctx, st, pro, clientID, tr.ID, i, now, tools); err != nil {
		return err
	}
	// A planned contact, so the caseload shows a next contact.
	if _, err := st.CreateContact(ctx, pro, clientID, records.NewContact{TrajectoryID: tr.ID, Channel: records.ChannelOffice,
		Synchronous: true, OccurredAt: now.Add(time.Duration(24+i*5) * time.Hour), DurationMinutes: 45}); err != nil {
		return fmt.Errorf("demo contact: %w", err)
	}
	return nil
}

// seedCheckIns gives Jonas, whose budget plan lena follows week by week, a
// long file: more notes than one page holds, so the file pages show
// "older notes".
func seedCheckIns(ctx context.Context, st records.Store, pro records.Actor, clientID string) error {
	f, err := st.ClientFile(ctx, pro, records.PurposeCare, clientID)
	if err != nil || len(f.Trajectories) == 0 {
		return fmt.Errorf("demo check-ins: %w", err)
	}
	for week := 1; week <= records.DefaultFilePage+6; week++ {
		body := fmt.Sprintf("Wekelijkse budgetopvolging %d via berichten: de betalingen van deze week verliepen zoals gepland.", week)
		if _, err := st.CreateNote(ctx, pro, clientID, records.NewNote{TrajectoryID: f.Trajectories[0].ID,
			Visibility: records.VisibilityShared, Body: body}); err != nil {
			return fmt.Errorf("demo note: %w", err)
		}
	}
	return nil
}

// sharedNote is the shared note about the k-th contact, in words a social
// worker would write: what the channel was is said in Dutch, never as a code.
func sharedNote(ch records.Channel, k int) string {
	what := map[records.Channel]string{
		records.ChannelOffice:        "Gesprek op kantoor: we overliepen de situatie en spraken stap %d van het plan af.",
		records.ChannelHomeVisit:     "Huisbezoek: samen de papieren bekeken; stap %d van het plan is afgesproken.",
		records.ChannelOutreach:      "Ontmoeting op straat bij het buurthuis: even bijgepraat, stap %d blijft het doel.",
		records.ChannelVideo:         "Videogesprek om op te volgen wat we afspraken; stap %d is duidelijk.",
		records.ChannelPhone:         "Telefonisch opgevolgd wat we afspraken; stap %d is duidelijk.",
		records.ChannelChat:          "Kort chatgesprek om op te volgen wat we afspraken; stap %d is duidelijk.",
		records.ChannelEmail:         "Per mail de afspraken van vorige keer doorgestuurd; stap %d staat erin.",
		records.ChannelMessaging:     "Berichtje gestuurd als herinnering aan de afspraak; stap %d is duidelijk.",
		records.ChannelEHealthModule: "Samen de online module over stress doorgenomen; stap %d is klaar.",
	}
	return fmt.Sprintf(what[ch], k+1)
}

func jitter(n int64) int64 {
	v, err := rand.Int(rand.Reader, big.NewInt(n))
	if err != nil {
		return 0
	}
	return v.Int64()
}
