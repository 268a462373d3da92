package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/nabij/nabij/records"
)

// demoTools is the demo's register of digital tools: mixed verdicts, data in
// and outside the EU, with Dutch descriptions. Vendors are fictional except
// WhatsApp, which many teams used during COVID and the register advises
// against.
var demoTools = []records.ToolInput{
	{Name: "Praatbox Video", Kind: "video", Vendor: "Praatbox bv (Gent)", DataLocation: "eu", EndToEnd: true,
		AccessibilityStatement: "https://praatbox.example/toegankelijkheid", AccessibilityLevel: "AA", Languages: []string{"nl", "fr", "en"},
		Cost: "inbegrepen in de licentie van de organisatie", Verdict: "advised",
		Checklist: records.Checklist{DataProtection: true, Accessibility: true, Evidence: true, Usability: true, Support: true}},
	{Name: "Veilig Chatten", Kind: "chat", Vendor: "Chatwerk vzw", DataLocation: "eu",
		AccessibilityStatement: "toegankelijkheidsverklaring op de website", AccessibilityLevel: "AA", Languages: []string{"nl", "en"},
		Cost: "€ 40 per maand", Verdict: "advised",
		Checklist: records.Checklist{DataProtection: true, Accessibility: true, Usability: true, Support: true}},
	{Name: "Beveiligde Mail", Kind: "email", Vendor: "Mailkluis bv", DataLocation: "eu", EndToEnd: true,
		AccessibilityLevel: "A", Languages: []string{"nl", "fr"}, Cost: "€ 3 per medewerker per maand", Verdict: "advised",
		Checklist: records.Checklist{DataProtection: true, Usability: true, Support: true}},
	{Name: "Mijn Stappenplan", Kind: "ehealth_module", Vendor: "Zorgmodule nv", DataLocation: "eu",
		AccessibilityStatement: "verklaring gevraagd, nog niet ontvangen", AccessibilityLevel: "none", Languages: []string{"nl"},
		Cost: "proefperiode gratis tot juni", Verdict: "on_trial",
		Checklist: records.Checklist{DataProtection: true, Evidence: true}},
	{Name: "Budgetcoach", Kind: "self_help_app", Vendor: "Geldwijs vzw", DataLocation: "on_device",
		AccessibilityLevel: "AA", Languages: []string{"nl", "fr", "en", "ar"}, Cost: "gratis", Verdict: "advised",
		Checklist: records.Checklist{DataProtection: true, Accessibility: true, Evidence: true, Usability: true}},
	{Name: "Slaapwijzer", Kind: "website", Vendor: "Slaapwijzer vzw", DataLocation: "eu",
		AccessibilityLevel: "A", Languages: []string{"nl"}, Cost: "gratis", Verdict: "on_trial",
		Checklist: records.Checklist{Accessibility: true, Usability: true}},
	{Name: "WhatsApp", Kind: "messaging", Vendor: "Meta Platforms", DataLocation: "outside_eu", EndToEnd: true,
		AccessibilityLevel: "none", Languages: []string{"nl", "fr", "en", "ar", "tr"}, Cost: "gratis",
		Verdict: "not_advised", Checklist: records.Checklist{Usability: true}},
	{Name: "VideoVlot", Kind: "video", Vendor: "VideoVlot Inc.", DataLocation: "outside_eu",
		AccessibilityLevel: "none", Languages: []string{"en"}, Cost: "gratis versie met reclame", Verdict: "not_advised",
		Checklist: records.Checklist{Usability: true}},
}

// seedTools fills the register (as the data officer keeps it) and flags sam
// as team lead of Team Oost. It returns the tools' ids by name.
func seedTools(ctx context.Context, st records.Store, now time.Time) (map[string]string, error) {
	dpo, err := st.UserByUsername(ctx, "dpo")
	if err != nil {
		return nil, err
	}
	keeper := records.Actor{UserID: dpo.ID, Role: dpo.Role, Remote: "demo"}
	ids := map[string]string{}
	for i, in := range demoTools {
		reviewed := now.AddDate(0, -2-i, -3*i)
		in.ReviewedOn = &reviewed
		if in.Checklist.DataProtection {
			dpia := reviewed.AddDate(0, -1, 0)
			in.DPIAOn = &dpia
		}
		t, err := st.CreateTool(ctx, keeper, in)
		if err != nil {
			return nil, fmt.Errorf("demo tool %s: %w", in.Name, err)
		}
		ids[t.Name] = t.ID
	}
	sam, err := st.UserByUsername(ctx, "sam")
	if err != nil {
		return nil, err
	}
	if err := st.SetTeamLead(ctx, records.System(), sam.ID, true); err != nil {
		return nil, err
	}
	return ids, nil
}

// toolFor is the tool the demo names on an online contact: mostly the advised
// ones, WhatsApp and VideoVlot now and then, and once in a while a tool not in
// the register ("other") for the register's keepers to review.
func toolFor(ch records.Channel, n int, tools map[string]string) (id, other string) {
	switch ch {
	case records.ChannelVideo:
		if n%5 == 0 {
			return tools["VideoVlot"], ""
		}
		return tools["Praatbox Video"], ""
	case records.ChannelChat:
		return tools["Veilig Chatten"], ""
	case records.ChannelEmail:
		return tools["Beveiligde Mail"], ""
	case records.ChannelEHealthModule:
		return tools["Mijn Stappenplan"], ""
	case records.ChannelMessaging:
		if n%7 == 0 {
			return "", "Signal"
		}
		return tools["WhatsApp"], ""
	}
	return "", ""
}

// seedMonths gives client i contacts in each of the last six months: a
// face-to-face one, then a follow-up — face-to-face at first, online in the
// last two months (the team went blended), and every third month a home
// visit after it. Channels rotate over the clients so that each month has
// enough clients per channel for the blended-work report to show its figures
// (cells under five clients are suppressed). The online contacts are few on
// purpose: made now without a consent given back then, each is flagged.
func seedMonths(ctx context.Context, st records.Store, pro records.Actor, clientID, trajectoryID string, i int, now time.Time, tools map[string]string) error {
	f2f := []records.Channel{records.ChannelOffice, records.ChannelHomeVisit, records.ChannelOutreach, records.ChannelOffice}
	online := []records.Channel{records.ChannelVideo, records.ChannelChat, records.ChannelMessaging, records.ChannelEHealthModule}
	for m := 6; m >= 1; m-- {
		at := time.Date(now.Year(), now.Month(), 1, 9, 0, 0, 0, time.UTC).AddDate(0, -m, 2+i%20)
		first, err := st.CreateContact(ctx, pro, clientID, records.NewContact{TrajectoryID: trajectoryID,
			Channel: f2f[(i+m)%len(f2f)], Synchronous: true, OccurredAt: at, DurationMinutes: 45 + 5*(i%4)})
		if err != nil {
			return fmt.Errorf("demo contact: %w", err)
		}
		ch := f2f[(i+m+1)%len(f2f)]
		if m <= 2 {
			ch = online[(i+2*m)%len(online)]
			if ch == records.ChannelVideo && demoClients[i].name == FlaggedClient {
				// Fatima's story: her first video call is the one she asks
				// for herself, before anyone asked her consent for video.
				ch = records.ChannelChat
			}
		}
		tool, other := toolFor(ch, i+m, tools)
		next, err := st.CreateContact(ctx, pro, clientID, records.NewContact{TrajectoryID: trajectoryID,
			Channel: ch, Synchronous: ch.Mode() == records.ModeFaceToFace || ch == records.ChannelVideo, OccurredAt: at.Add(3 * 24 * time.Hour),
			DurationMinutes: 10 + 5*(i%5), FollowUpOf: first.ID, ToolID: tool, ToolName: other})
		if err != nil {
			return fmt.Errorf("demo contact: %w", err)
		}
		if m%3 == 0 {
			if _, err := st.CreateContact(ctx, pro, clientID, records.NewContact{TrajectoryID: trajectoryID,
				Channel: records.ChannelHomeVisit, Synchronous: true, OccurredAt: at.Add(8 * 24 * time.Hour),
				DurationMinutes: 60, FollowUpOf: next.ID}); err != nil {
				return fmt.Errorf("demo contact: %w", err)
			}
		}
	}
	return nil
}

// seedRecommendations: sam recommends two self-help tools to noor, and
// records a video consent naming its tool for another of his clients.
func seedRecommendations(ctx context.Context, st records.Store, sam records.Actor, noorID, otherID string, tools map[string]string) error {
	for _, name := range []string{"Budgetcoach", "Slaapwijzer"} {
		if _, err := st.RecommendTool(ctx, sam, noorID, tools[name]); err != nil {
			return fmt.Errorf("demo recommendation: %w", err)
		}
	}
	_, err := st.RecordConsent(ctx, sam, otherID, records.NewConsent{Purpose: records.ConsentContactChannel,
		Channel: records.ChannelVideo, Evidence: records.EvidenceWritten, ToolID: tools["Praatbox Video"]})
	return err
}
