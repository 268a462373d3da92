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

// demoClients are fictional people. noor and milan first: they get accounts.
var demoClients = []struct{ name, birth, goal string }{
	{"Noor El Amrani", "1994-03-12", "Find stable housing and sort out debts"},
	{"Milan Peeters", "2006-09-30", "Finish school and find a first job"},
	{"Fatima Yilmaz", "1981-01-22", "Rebuild contact with her children"},
	{"Jonas De Smet", "1975-07-08", "Manage debts with a budget plan"},
	{"Ayoub Benali", "2003-11-15", "Find a training place"},
	{"Lotte Janssens", "1990-05-02", "Cope with stress after a divorce"},
	{"Dirk Vermeulen", "1962-12-19", "Live independently at home after surgery"},
	{"Sara Mertens", "1999-04-27", "Leave a violent relationship safely"},
	{"Kevin Claes", "1987-08-14", "Keep a job while in recovery"},
	{"Amina Diallo", "2001-02-03", "Get a residence permit sorted"},
	{"Tom Wouters", "1970-10-10", "Reduce loneliness, find a day centre"},
	{"Ilse Goossens", "1983-06-21", "Parenting support for a teenage son"},
	{"Youssef Haddad", "1996-09-09", "Find housing after leaving youth care"},
	{"Marie Dubois", "1958-03-30", "Arrange home care and benefits"},
	{"Pieter Maes", "1992-12-01", "Stop gambling and repay debts"},
	{"Elif Kaya", "2005-07-17", "Feel safe at school again"},
	{"Bart Willems", "1979-01-05", "Get back to work after burn-out"},
	{"Hanne Jacobs", "1998-11-28", "Learn to manage money on her own"},
	{"Rachid Ouali", "1985-04-04", "Find a stable home for his family"},
	{"Sofie Van Damme", "1973-08-23", "Care for her mother without burning out"},
	{"Mehmet Aydin", "1966-02-14", "Handle pension paperwork and debts"},
	{"Lisa Verstraete", "2002-05-19", "Build a social network in a new town"},
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
	if _, err := add("dpo", records.RoleDataOfficer, "Dani Peeters (DPO)", ""); err != nil {
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
	}
	if err := seedRecommendations(ctx, st, sam, noorID, thirdID, tools); err != nil {
		return err
	}
	if _, err := add("noor", records.RoleClient, "", noorID); err != nil {
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
		if _, err := st.BreakGlass(ctx, lena, other, "Client called the crisis line at night; sam is not on duty"); err != nil {
			return err
		}
		if _, err := st.ClientFile(ctx, lena, records.PurposeCare, other); err != nil {
			return err
		}
	}
	if _, err := st.ClientFile(ctx, sam, records.PurposeCare, noorID); err != nil {
		return err
	}
	if err := seedConsent(ctx, st, now); err != nil {
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
		Body:             "Information from the school counsellor about a family member; not to be shared.",
		RestrictedReason: "Contains information about a third party"}); err != nil {
		return fmt.Errorf("demo note: %w", err)
	}
	if _, err := st.CreateNote(ctx, pro, clientID, records.NewNote{TrajectoryID: tr.ID, Visibility: records.VisibilityPersonal,
		Body: "Working note: check next time whether the budget plan still feels feasible."}); err != nil {
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

func sharedNote(ch records.Channel, k int) string {
	switch ch.Mode() {
	case records.ModeOnline:
		return fmt.Sprintf("Short %s contact to follow up on what we agreed. Next step %d is clear.", ch, k+1)
	}
	return fmt.Sprintf("Talked through the situation during a %s. We agreed on step %d of the plan.", ch, k+1)
}

func jitter(n int64) int64 {
	v, err := rand.Int(rand.Reader, big.NewInt(n))
	if err != nil {
		return 0
	}
	return v.Int64()
}
