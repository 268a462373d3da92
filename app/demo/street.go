package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/nabij/nabij/consent"
	"github.com/nabij/nabij/records"
)

// The demo's consent flags, each with its story told in a note: Fatima asked
// for a video call before anyone asked her consent for video (open: the
// professional resolves it or records the consent), and noor phoned sam, who
// asked her consent at the start of the call (resolved with that reason).
const (
	FlaggedClient      = "Fatima Yilmaz"
	flaggedNote        = "Fatima vroeg zelf om een videogesprek omdat ze niet naar kantoor kon. Toestemming voor videogesprekken is nog niet gevraagd: volgende keer bespreken en vastleggen."
	resolvedNote       = "Noor belde zelf op over een brief van de huisbaas. We spraken af om samen naar het OCMW te gaan."
	ResolvedFlagReason = "Noor gaf bij het begin van het gesprek mondeling toestemming om te bellen; het formulier volgt bij het volgende gesprek."
	// StreetNickname is the client sam met on the street and logged with the
	// quick log, by nickname only.
	StreetNickname = "Jef"
	streetNote     = "Jef aangesproken aan het station; slaapt sinds een week buiten. Uitgelegd waar de nachtopvang is; hij komt morgen misschien langs."
)

// seedStreet makes the demo's consents match its contacts and adds the street
// work: for every online channel a client was contacted through, the consent
// the professional asked at the first meeting (given then, recorded now);
// the two flags above; a new client met on the street, logged with the quick
// log; and anonymous outreach contacts for the statistics. It runs last in Seed.
func seedStreet(ctx context.Context, st records.Store, now time.Time) error {
	svc := consent.New(st, nil)
	var sam records.Actor
	var fatimaID, noorID string
	for _, username := range []string{"sam", "lena"} {
		u, err := st.UserByUsername(ctx, username)
		if err != nil {
			return fmt.Errorf("demo street: %w", err)
		}
		pro := records.Actor{UserID: u.ID, Role: u.Role, Remote: "demo"}
		if username == "sam" {
			sam = pro
		}
		list, err := st.Caseload(ctx, pro)
		if err != nil {
			return err
		}
		for i, e := range list {
			switch e.Name {
			case FlaggedClient:
				fatimaID = e.ClientID
			case demoClients[0].name:
				noorID = e.ClientID
			}
			if err := consentAsGiven(ctx, st, svc, pro, e.ClientID, i); err != nil {
				return err
			}
		}
	}
	if fatimaID == "" || noorID == "" {
		return fmt.Errorf("demo street: %s or %s is not on sam's caseload", FlaggedClient, demoClients[0].name)
	}
	log := func(in records.QuickLog) (*records.QuickLogResult, error) {
		res, err := st.QuickLog(ctx, sam, in)
		if err != nil {
			return nil, fmt.Errorf("demo quick log: %w", err)
		}
		return res, nil
	}
	if _, err := log(records.QuickLog{ClientID: fatimaID, Channel: records.ChannelVideo, OccurredAt: now.Add(-50 * time.Hour),
		DurationMinutes: 30, Body: flaggedNote, Visibility: records.VisibilityShared}); err != nil {
		return err
	}
	called, err := log(records.QuickLog{ClientID: noorID, Channel: records.ChannelPhone, OccurredAt: now.Add(-7 * 24 * time.Hour),
		DurationMinutes: 15, Body: resolvedNote, Visibility: records.VisibilityShared})
	if err != nil {
		return err
	}
	if _, err := st.ResolveConsentFlag(ctx, sam, called.Contact.ID, ResolvedFlagReason); err != nil {
		return fmt.Errorf("demo resolve: %w", err)
	}
	if _, err := log(records.QuickLog{NewClientName: StreetNickname, Channel: records.ChannelOutreach, OccurredAt: now.Add(-3 * time.Hour),
		DurationMinutes: 10, Body: streetNote, Visibility: records.VisibilityShared}); err != nil {
		return err
	}
	for k, a := range []records.NewAnonymousContact{
		{Channel: records.ChannelOutreach, Place: "Station Gent-Sint-Pieters", DurationMinutes: 10, Topics: []records.Topic{"housing", "health"}},
		{Channel: records.ChannelOutreach, Place: "Vrijdagmarkt", DurationMinutes: 5, Topics: []records.Topic{"loneliness"}},
		{Channel: records.ChannelOutreach, Place: "Zuidpark, bij de vijver", DurationMinutes: 20, Topics: []records.Topic{"addiction", "income"}},
	} {
		a.OccurredAt = now.Add(-time.Duration(k+1) * 26 * time.Hour)
		if _, err := st.LogAnonymousContact(ctx, sam, a); err != nil {
			return fmt.Errorf("demo anonymous contact: %w", err)
		}
	}
	return nil
}

// consentAsGiven records, for each online channel through which the client was
// contacted without consent, the consent the professional asked for at the
// first meeting: given when the client's first trajectory opened.
func consentAsGiven(ctx context.Context, st records.Store, svc *consent.Service, pro records.Actor, clientID string, i int) error {
	f, err := st.ClientFile(ctx, pro, records.PurposeCare, clientID)
	if err != nil {
		return err
	}
	if len(f.Trajectories) == 0 {
		return nil
	}
	given := f.Trajectories[0].OpenedAt
	done := map[records.Channel]bool{}
	for _, k := range f.Contacts {
		if !k.ConsentMissing || done[k.Channel] {
			continue
		}
		done[k.Channel] = true
		evidence := "verbal"
		if i%2 == 1 {
			evidence = "written"
		}
		if _, err := svc.Record(ctx, pro, clientID, consent.Input{Purpose: "contact_channel", Channel: string(k.Channel),
			Evidence: evidence, GivenAt: &given}); err != nil {
			return fmt.Errorf("demo consent %s: %w", k.Channel, err)
		}
	}
	return nil
}

// NewMessage is what noor wrote in her file after sam last read it: his
// caseload shows "1 nieuw bericht van de cliënt" at her name.
const NewMessage = "Ik heb volgende week een gesprek bij het OCMW over mijn huur. Kan je mee?"

func seedNewMessage(ctx context.Context, st records.Store, noor records.Actor) error {
	if _, err := st.CreateEntry(ctx, noor, noor.ClientID, NewMessage); err != nil {
		return fmt.Errorf("demo entry: %w", err)
	}
	return nil
}
