package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/nabij/nabij/consent"
	"github.com/nabij/nabij/records"
)

// seedPrivacy gives the demo what the client's privacy overview shows: the
// social workers' work contacts, an earlier trajectory of noor's that sam
// closed (so her overview has real keep-until dates beside the open one),
// and sam reading her file a few times this week.
func seedPrivacy(ctx context.Context, st records.Store, now time.Time) error {
	actor := func(username string) (records.Actor, error) {
		u, err := st.UserByUsername(ctx, username)
		if err != nil {
			return records.Actor{}, fmt.Errorf("demo privacy: %s: %w", username, err)
		}
		return records.Actor{UserID: u.ID, Role: u.Role, ClientID: u.ClientID, Remote: "demo"}, nil
	}
	sam, err := actor("sam")
	if err != nil {
		return err
	}
	lena, err := actor("lena")
	if err != nil {
		return err
	}
	noor, err := actor("noor")
	if err != nil {
		return err
	}
	for _, w := range []struct {
		a       records.Actor
		contact string
	}{
		{sam, "09 210 45 67 of sam.verhoeven@wijkteam-oost.example (werkdagen 9 tot 17 uur)"},
		{lena, "09 210 45 68 of lena.claessens@wijkteam-oost.example"},
	} {
		if err := st.SetWorkContact(ctx, records.System(), w.a.UserID, w.contact); err != nil {
			return fmt.Errorf("demo work contact: %w", err)
		}
	}
	// Opened after her first trajectory (which stays first in her file).
	opened := now.AddDate(0, -5, 0)
	tr, err := st.CreateTrajectory(ctx, sam, noor.ClientID, records.NewTrajectory{Goal: "Een vaste job vinden", OpenedAt: &opened})
	if err != nil {
		return fmt.Errorf("demo trajectory: %w", err)
	}
	c, err := st.CreateContact(ctx, sam, noor.ClientID, records.NewContact{TrajectoryID: tr.ID, Channel: records.ChannelOffice,
		Synchronous: true, OccurredAt: opened.Add(72 * time.Hour), DurationMinutes: 50})
	if err != nil {
		return fmt.Errorf("demo contact: %w", err)
	}
	if _, err := st.CreateNote(ctx, sam, noor.ClientID, records.NewNote{ContactID: c.ID, Visibility: records.VisibilityShared,
		Body: "We keken samen naar vacatures in de zorg. Noor solliciteert bij twee woonzorgcentra."}); err != nil {
		return fmt.Errorf("demo note: %w", err)
	}
	if _, err := st.CloseTrajectory(ctx, sam, tr.ID); err != nil {
		return fmt.Errorf("demo close: %w", err)
	}
	for range 2 {
		if _, err := st.ClientFile(ctx, sam, records.PurposeCare, noor.ClientID); err != nil {
			return err
		}
	}
	dpo, err := actor("dpo")
	if err != nil {
		return err
	}
	return seedYouthRetention(ctx, st, dpo)
}

// YouthSource is the reason the demo's data officer gave for the file rules:
// the team helps adults and young people who come from youth care (Milan,
// Elif, Youssef), so a file is kept 15 years after the help stops and at
// least until the client's 35th birthday.
const YouthSource = "Wijkteam Oost helps adults and young people from Flemish integrale jeugdhulp alike: " +
	"15 years after care ends (Wmo practice), and for everyone at least until their 35th birthday (Flemish youth care)."

// seedYouthRetention has the data officer set the file's rules to "15 years
// after the help stops, and at least until the 35th birthday".
func seedYouthRetention(ctx context.Context, st records.Store, dpo records.Actor) error {
	var rules []records.RetentionRule
	for _, k := range []string{records.KindNoteShared, records.KindNoteRestricted, records.KindContact, records.KindTrajectory,
		records.KindEntry, records.KindDisclosure} {
		r := records.RetentionRule{Kind: k, Basis: records.BasisUntilAge, Age: 35, Years: 15, Action: records.ActionDestroyRows, Source: YouthSource}
		if err := consent.ValidateRule(r); err != nil {
			return fmt.Errorf("demo retention rule: %w", err)
		}
		rules = append(rules, r)
	}
	if err := st.SetRetentionRules(ctx, dpo, rules); err != nil {
		return fmt.Errorf("demo retention rules: %w", err)
	}
	return nil
}
