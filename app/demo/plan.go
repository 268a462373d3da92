package demo

import (
	"context"
	"crypto/rand"
	"fmt"

	"github.com/nabij/nabij/records"
)

// seedPlan gives noor her own plan: her question, two goals with steps (one
// done), a comment from sam, a goal sam proposed that waits for her answer,
// and her sister Sanne in her network, invited to read the plan (login
// sanne, role network).
func seedPlan(ctx context.Context, st records.Store, sam, noor records.Actor, passwordHash string) error {
	id := noor.ClientID
	if err := st.SetPlanQuestion(ctx, noor, id, "Ik wil weer rust in mijn hoofd. Mijn rekeningen stapelen zich op en ik durf de post niet meer open te doen."); err != nil {
		return fmt.Errorf("demo plan: %w", err)
	}
	money, err := st.AddPlanGoal(ctx, noor, id, "Overzicht krijgen over mijn schulden")
	if err != nil {
		return fmt.Errorf("demo plan: %w", err)
	}
	letters, err := st.AddPlanStep(ctx, noor, id, money.ID, "Alle brieven in één map doen")
	if err != nil {
		return fmt.Errorf("demo plan: %w", err)
	}
	if _, err := st.AddPlanStep(ctx, noor, id, money.ID, "Met Sam de lijst van schuldeisers maken"); err != nil {
		return fmt.Errorf("demo plan: %w", err)
	}
	if err := st.SetPlanStepDone(ctx, noor, id, letters.ID, true); err != nil {
		return fmt.Errorf("demo plan: %w", err)
	}
	home, err := st.AddPlanGoal(ctx, noor, id, "Een vaste plek om te wonen")
	if err != nil {
		return fmt.Errorf("demo plan: %w", err)
	}
	if _, err := st.AddPlanStep(ctx, noor, id, home.ID, "Inschrijven bij de sociale huisvesting"); err != nil {
		return fmt.Errorf("demo plan: %w", err)
	}
	if _, err := st.CommentPlanGoal(ctx, sam, id, money.ID, "Goed dat je de brieven al bij elkaar hebt. Neem de map mee naar onze afspraak, dan kijken we er samen naar."); err != nil {
		return fmt.Errorf("demo plan: %w", err)
	}
	if _, err := st.ProposePlanGoal(ctx, sam, id, "Eén keer per week iets doen waar je energie van krijgt"); err != nil {
		return fmt.Errorf("demo plan: %w", err)
	}
	sister, err := st.AddNetworkMember(ctx, noor, id, records.NewNetworkMember{Name: "Sanne Jansen", Relation: "zus",
		Reach: "+32 470 55 66 77, liefst na 18 uur", HelpsWith: "samen de post openen"})
	if err != nil {
		return fmt.Errorf("demo network: %w", err)
	}
	// The demo activates Sanne's account itself, with the demo password,
	// so that her view can be tried; a real member uses the code.
	code := make([]byte, 32)
	if _, err := rand.Read(code); err != nil {
		return err
	}
	if _, err := st.InviteNetworkMember(ctx, noor, id, sister.ID, "sanne", code); err != nil {
		return fmt.Errorf("demo network: %w", err)
	}
	if _, err := st.ActivateAccount(ctx, "demo", "sanne", code, passwordHash); err != nil {
		return fmt.Errorf("demo network: %w", err)
	}
	// Her neighbour Els was invited too, but lost the note with her code:
	// Noor gave her a new one, which Els has not used yet (so /my/network
	// shows the "new code" button).
	neighbour, err := st.AddNetworkMember(ctx, noor, id, records.NewNetworkMember{Name: "Els Wouters", Relation: "buurvrouw",
		Reach: "woont op nummer 14", HelpsWith: "mee naar afspraken als ik het spannend vind"})
	if err != nil {
		return fmt.Errorf("demo network: %w", err)
	}
	for i, step := range []func(code []byte) error{
		func(code []byte) error {
			_, err := st.InviteNetworkMember(ctx, noor, id, neighbour.ID, "els", code)
			return err
		},
		func(code []byte) error { _, err := st.NewNetworkCode(ctx, noor, id, neighbour.ID, code); return err },
	} {
		code := make([]byte, 32)
		if _, err := rand.Read(code); err != nil {
			return err
		}
		if err := step(code); err != nil {
			return fmt.Errorf("demo network (%d): %w", i, err)
		}
	}
	return nil
}
