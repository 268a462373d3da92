package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/nabij/nabij/consent"
	"github.com/nabij/nabij/records"
)

// seedConsent adds consents, a disclosure, closed trajectories with due data
// and a legal hold to the demo. It runs at the end of Seed.
func seedConsent(ctx context.Context, st records.Store, now time.Time) error {
	actorOf := func(username string) (records.Actor, error) {
		u, err := st.UserByUsername(ctx, username)
		if err != nil {
			return records.Actor{}, fmt.Errorf("demo consent: %s: %w", username, err)
		}
		return records.Actor{UserID: u.ID, Role: u.Role, ClientID: u.ClientID, Remote: "demo"}, nil
	}
	sam, err := actorOf("sam")
	if err != nil {
		return err
	}
	lena, err := actorOf("lena")
	if err != nil {
		return err
	}
	noor, err := actorOf("noor")
	if err != nil {
		return err
	}
	milan, err := actorOf("milan")
	if err != nil {
		return err
	}
	dpo, err := actorOf("dpo")
	if err != nil {
		return err
	}
	svc := consent.New(st, nil)
	yearOn := now.AddDate(1, 0, 0)
	rec := func(a records.Actor, clientID string, in consent.Input) (*consent.View, error) {
		v, err := svc.Record(ctx, a, clientID, in)
		if err != nil {
			return nil, fmt.Errorf("demo consent %s: %w", in.Purpose, err)
		}
		return v, nil
	}
	// noor: chat and video consented at the first meeting (so her chats and
	// video calls since have consent), e-mail consented and then withdrawn, a
	// disclosure consent for the OCMW, and statistics.
	firstMeeting := now.AddDate(0, -6, 0)
	for _, in := range []consent.Input{
		{Purpose: "contact_channel", Channel: "chat", Evidence: "verbal", GivenAt: &firstMeeting},
		{Purpose: "contact_channel", Channel: "video", Evidence: "written", GivenAt: &firstMeeting, ExpiresAt: &yearOn},
		{Purpose: "disclosure", Recipient: "OCMW Gent", Reason: "budgetbegeleiding", Evidence: "written", ExpiresAt: &yearOn},
		{Purpose: "statistics", Evidence: "verbal"},
	} {
		if _, err := rec(sam, noor.ClientID, in); err != nil {
			return err
		}
	}
	email, err := rec(sam, noor.ClientID, consent.Input{Purpose: "contact_channel", Channel: "email", Evidence: "written"})
	if err != nil {
		return err
	}
	if _, err := svc.Withdraw(ctx, noor, email.ID); err != nil {
		return err
	}
	// milan gives his own consent online.
	if _, err := rec(milan, milan.ClientID, consent.Input{Purpose: "contact_channel", Channel: "messaging"}); err != nil {
		return err
	}
	if _, err := rec(milan, milan.ClientID, consent.Input{Purpose: "statistics"}); err != nil {
		return err
	}
	// A disclosure to the OCMW under noor's consent: her trajectory and a shared note.
	f, err := st.ClientFile(ctx, sam, records.PurposeCare, noor.ClientID)
	if err != nil {
		return err
	}
	ids := []string{f.Trajectories[0].ID}
	for _, n := range f.Notes {
		if n.Visibility == records.VisibilityShared {
			ids = append(ids, n.ID)
			break
		}
	}
	if _, err := svc.Disclose(ctx, sam, noor.ClientID, records.NewDisclosure{Recipient: "OCMW Gent", Purpose: "budgetbegeleiding", RecordIDs: ids}); err != nil {
		return fmt.Errorf("demo disclosure: %w", err)
	}
	// Statistics consent for most clients of both caseloads, so the statistics
	// have cells above the suppression threshold.
	var closeIDs []string
	for _, pro := range []records.Actor{sam, lena} {
		list, err := st.Caseload(ctx, pro)
		if err != nil {
			return err
		}
		for i, e := range list {
			if e.ClientID == noor.ClientID || e.ClientID == milan.ClientID {
				continue
			}
			if i%4 != 3 {
				if _, err := rec(pro, e.ClientID, consent.Input{Purpose: "statistics", Evidence: "written"}); err != nil {
					return err
				}
			}
			if pro == sam && (i == 3 || i == 4) {
				closeIDs = append(closeIDs, e.ClientID)
			}
		}
	}
	// Two of sam's clients finished their trajectory: their personal working
	// notes go at once; the rest is due after the retention period. One of them
	// is under a legal hold.
	for k, clientID := range closeIDs {
		cf, err := st.ClientFile(ctx, sam, records.PurposeCare, clientID)
		if err != nil {
			return err
		}
		for _, t := range cf.Trajectories {
			if _, err := st.CloseTrajectory(ctx, sam, t.ID); err != nil {
				return fmt.Errorf("demo close: %w", err)
			}
		}
		if _, err := svc.Run(ctx, false, clientID); err != nil {
			return fmt.Errorf("demo retention: %w", err)
		}
		if k == 1 {
			if _, err := st.PlaceLegalHold(ctx, dpo, clientID, "", "De familierechtbank vroeg het dossier te bewaren tijdens de lopende procedure"); err != nil {
				return fmt.Errorf("demo hold: %w", err)
			}
		}
	}
	return nil
}
