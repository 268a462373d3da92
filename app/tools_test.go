package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nabij/nabij/consent"
	"github.com/nabij/nabij/records"
)

func toolBody(name, verdict string) map[string]any {
	return map[string]any{"name": name, "kind": "video", "vendor": "Test bv", "data_location": "eu",
		"end_to_end_encrypted": true, "accessibility_level": "AA", "languages": []string{"nl", "fr"},
		"checklist": map[string]bool{"data_protection": true}, "verdict": verdict, "reviewed_on": "2026-10-01"}
}

type toolList struct {
	Tools    []records.Tool         `json:"tools"`
	Unlisted []records.UnlistedTool `json:"unlisted"`
}

func (e *env) toolID(tb testing.TB, name string) string {
	tb.Helper()
	var l toolList
	e.get(tb, e.token(tb, sam), "/api/v1/tools").expect(tb, 200).decode(tb, &l)
	for _, t := range l.Tools {
		if t.Name == name {
			return t.ID
		}
	}
	tb.Fatalf("no tool %s in the register", name)
	return ""
}

// TestToolRegisterRights: everyone signed in reads the register; admins and
// the data officer add and change entries, recorded as kind tool; a
// professional or a client gets 403 with a denied record and changes nothing;
// bad input is a 422 that names the field.
func TestToolRegisterRights(t *testing.T) {
	e := newEnv(t)
	for _, u := range []string{sam, noor, dpo, admin} {
		var l toolList
		e.get(t, e.token(t, u), "/api/v1/tools").expect(t, 200).decode(t, &l)
		if len(l.Tools) < 8 {
			t.Fatalf("%s reads %d tools, want the demo's 8", u, len(l.Tools))
		}
		if (u == dpo || u == admin) != (len(l.Unlisted) > 0) {
			t.Errorf("%s: unlisted tools %v; only the register's keepers see them (the demo names Signal)", u, l.Unlisted)
		}
	}
	seq := e.headSeq(t)
	for _, u := range []string{sam, noor} {
		e.post(t, e.token(t, u), "/api/v1/tools", toolBody("Stiekem", "advised")).expect(t, 403)
		e.do(t, req{method: http.MethodPut, path: "/api/v1/tools/" + e.toolID(t, "WhatsApp"), token: e.token(t, u),
			body: toolBody("WhatsApp", "advised")}).expect(t, 403)
	}
	if len(e.recordsSince(t, sam, seq)) == 0 {
		t.Error("a refused change of the register wrote no denied record")
	}
	var l toolList
	e.get(t, e.token(t, sam), "/api/v1/tools").expect(t, 200).decode(t, &l)
	for _, tl := range l.Tools {
		if tl.Name == "Stiekem" || tl.Name == "WhatsApp" && tl.Verdict != records.VerdictNotAdvised {
			t.Fatalf("a professional changed the register: %+v", tl)
		}
	}

	var made records.Tool
	e.post(t, e.token(t, admin), "/api/v1/tools", toolBody("Beeldbel Test", "on_trial")).expect(t, 201).decode(t, &made)
	if made.Verdict != records.VerdictOnTrial || made.ReviewedOn == nil || len(made.Languages) != 2 {
		t.Fatalf("created %+v", made)
	}
	var changed records.Tool
	e.do(t, req{method: http.MethodPut, path: "/api/v1/tools/" + made.ID, token: e.token(t, dpo),
		body: toolBody("Beeldbel Test", "advised")}).expect(t, 200).decode(t, &changed)
	if changed.Verdict != records.VerdictAdvised {
		t.Fatalf("changed %+v", changed)
	}
	kinds := map[string]records.Action{}
	for _, r := range e.accessLog(t, records.AccessFilter{Kind: records.KindTool}) {
		if len(r.RecordIDs) > 0 && r.RecordIDs[0] == made.ID && r.Outcome == records.OutcomeOK {
			kinds[string(r.ActorRole)] = r.Action
		}
	}
	if kinds["admin"] != records.ActionCreate || kinds["data_officer"] != records.ActionChange {
		t.Errorf("register changes recorded as %v, want the admin's create and the data officer's change", kinds)
	}

	bad := []struct {
		name, field string
		body        map[string]any
	}{
		{"ErrNameMissing", "name", toolBody("", "advised")},
		{"ErrVerdict", "verdict", toolBody("X1", "great")},
		{"ErrReviewedInFuture", "reviewed_on", func() map[string]any {
			b := toolBody("X2", "advised")
			b["reviewed_on"] = time.Now().AddDate(1, 0, 0).Format("2006-01-02")
			return b
		}()},
		{"ErrLocation", "data_location", func() map[string]any { b := toolBody("X3", "advised"); b["data_location"] = "mars"; return b }()},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			p := e.do(t, req{method: http.MethodPost, path: "/api/v1/tools", token: e.token(t, admin), body: tc.body, badInput: true}).expect(t, 422).problem(t)
			named := p.Detail
			for _, f := range p.Errors {
				named += " " + f.Field
			}
			if !strings.Contains(named, tc.field) {
				t.Errorf("problem %+v does not name %s", p, tc.field)
			}
		})
	}
	e.post(t, e.token(t, admin), "/api/v1/tools", toolBody("whatsapp", "advised")).expect(t, 409)
}

// TestToolWarningOnContact: an online contact through a "not advised" tool is
// kept, and the answer warns; an advised tool gives no warning; a tool on a
// face-to-face contact and an unknown tool are refused.
func TestToolWarningOnContact(t *testing.T) {
	e := newEnv(t)
	tok := e.token(t, sam)
	var file records.File
	e.get(t, tok, "/api/v1/clients/"+e.noorID+"/file").expect(t, 200).decode(t, &file)
	tr := file.Trajectories[0].ID
	contact := func(ch, tool, other string) map[string]any {
		b := map[string]any{"trajectory_id": tr, "channel": ch, "occurred_at": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339), "duration_minutes": 10}
		if tool != "" {
			b["tool_id"] = tool
		}
		if other != "" {
			b["tool_name"] = other
		}
		return b
	}
	var k records.Contact
	e.post(t, tok, "/api/v1/clients/"+e.noorID+"/contacts", contact("messaging", e.toolID(t, "WhatsApp"), "")).expect(t, 201).decode(t, &k)
	if len(k.Warnings) != 1 || k.Warnings[0] != records.WarnToolNotAdvised || k.ToolID == "" {
		t.Fatalf("contact through WhatsApp: %+v, want the warning tool_not_advised", k)
	}
	k = records.Contact{}
	e.post(t, tok, "/api/v1/clients/"+e.noorID+"/contacts", contact("video", e.toolID(t, "Praatbox Video"), "")).expect(t, 201).decode(t, &k)
	if len(k.Warnings) != 0 {
		t.Fatalf("an advised tool warned: %+v", k)
	}
	e.post(t, tok, "/api/v1/clients/"+e.noorID+"/contacts", contact("chat", "", "Telegram")).expect(t, 201)
	var l toolList
	e.get(t, e.token(t, dpo), "/api/v1/tools").expect(t, 200).decode(t, &l)
	found := false
	for _, u := range l.Unlisted {
		found = found || u.Name == "Telegram"
	}
	if !found {
		t.Errorf("the tool named as other is not up for review: %v", l.Unlisted)
	}
	e.post(t, tok, "/api/v1/clients/"+e.noorID+"/contacts", contact("office", e.toolID(t, "Praatbox Video"), "")).expect(t, 422)
	e.post(t, tok, "/api/v1/clients/"+e.noorID+"/contacts", contact("video", "no-such-tool", "")).expect(t, 422)
	e.do(t, req{method: http.MethodPost, path: "/api/v1/clients/" + e.noorID + "/contacts", token: tok,
		body: contact("video", "", strings.Repeat("x", 41)), badInput: true}).expect(t, 422)
}

// TestClientTools: the client sees the tools of their care with privacy
// labels (their contacts, their consent, the recommendations), as a recorded
// read; a professional recommends only self-help tools, and one off the
// caseload is refused.
func TestClientTools(t *testing.T) {
	e := newEnv(t)
	seq := e.headSeq(t)
	var mine []records.ClientTool
	e.get(t, e.token(t, noor), "/api/v1/me/tools").expect(t, 200).decode(t, &mine)
	names := map[string]records.ClientTool{}
	for _, ct := range mine {
		names[ct.Tool.Name] = ct
	}
	if names["Budgetcoach"].RecommendedAt == nil || names["Slaapwijzer"].RecommendedAt == nil {
		t.Fatalf("noor's tools %+v: want the recommended Budgetcoach and Slaapwijzer", names)
	}
	if l := names["Budgetcoach"].Labels; len(l) != 2 || l[0] != "tools.label.location.on_device" || l[1] != "tools.label.not_e2e" {
		t.Errorf("labels %v", l)
	}
	if e.wantRecord(t, noor, seq, e.noorID, records.OutcomeOK, records.RuleOwnFile).RecordKind != "tools" {
		t.Error("reading the client's tools wrote no record of kind tools")
	}
	// A channel consent naming a tool puts the tool in the client's list.
	video := e.toolID(t, "Praatbox Video")
	e.post(t, e.token(t, sam), "/api/v1/clients/"+e.noorID+"/consents", map[string]string{"purpose": "contact_channel", "channel": "video",
		"evidence": "verbal", "tool_id": video}).expect(t, 201)
	e.post(t, e.token(t, sam), "/api/v1/clients/"+e.noorID+"/consents", map[string]string{"purpose": "statistics",
		"evidence": "verbal", "tool_id": video}).expect(t, 422)
	mine = nil
	e.get(t, e.token(t, noor), "/api/v1/me/tools").expect(t, 200).decode(t, &mine)
	inConsent := false
	for _, ct := range mine {
		if ct.Tool.ID == video {
			inConsent = ct.InConsent && len(ct.Labels) == 2 && ct.Labels[0] == "tools.label.location.eu" && ct.Labels[1] == "tools.label.e2e"
		}
	}
	if !inConsent {
		t.Errorf("the video tool of noor's consent is not in her tools with its labels: %+v", mine)
	}
	e.post(t, e.token(t, sam), "/api/v1/clients/"+e.noorID+"/tool-recommendations", map[string]string{"tool_id": video}).expect(t, 422)
	e.post(t, e.token(t, lena), "/api/v1/clients/"+e.noorID+"/tool-recommendations", map[string]string{"tool_id": e.toolID(t, "Budgetcoach")}).expect(t, 403)
	e.get(t, e.token(t, lena), "/api/v1/clients/"+e.noorID+"/tools").expect(t, 403)
}

// TestBlendedReportRights: the data officer sees the whole organisation; a
// team lead their own teams only; a plain professional, a client and an admin
// get 403. The CSV names no person.
func TestBlendedReportRights(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	// A second team whose lead has logged nothing: their report counts nothing.
	st := e.srv.Store
	u, err := st.CreateUser(ctx, records.System(), records.NewUser{Username: "tess", Role: records.RoleProfessional, DisplayName: "Tess West", PasswordHash: e.users[sam].PasswordHash})
	if err != nil {
		t.Fatal(err)
	}
	team, err := st.CreateTeam(ctx, records.System(), "Team West")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AddTeamMember(ctx, records.System(), team.ID, u.ID); err != nil {
		t.Fatal(err)
	}
	e.do(t, req{method: http.MethodPut, path: "/api/v1/users/" + u.ID + "/team-lead", token: e.token(t, admin), body: map[string]bool{"team_lead": true}}).expect(t, 200)
	e.do(t, req{method: http.MethodPut, path: "/api/v1/users/" + u.ID + "/team-lead", token: e.token(t, dpo), body: map[string]bool{"team_lead": true}}).expect(t, 403)

	var all, oost, west consent.BlendedReport
	e.get(t, e.token(t, dpo), "/api/v1/reports/blended").expect(t, 200).decode(t, &all)
	e.get(t, e.token(t, sam), "/api/v1/reports/blended").expect(t, 200).decode(t, &oost)
	e.get(t, e.token(t, "tess"), "/api/v1/reports/blended").expect(t, 200).decode(t, &west)
	if all.Scope != "organisation" || oost.Scope != "teams" || all.ByChannel.Total == nil || *all.ByChannel.Total < 200 {
		t.Fatalf("data officer's report: scope %s total %v", all.Scope, all.ByChannel.Total)
	}
	if west.ByChannel.Total == nil || *west.ByChannel.Total != 0 {
		t.Fatalf("Team West's lead sees %v contacts, want 0: only their team", west.ByChannel.Total)
	}
	published := 0
	for _, row := range all.ByChannel.Cells {
		for _, v := range row {
			if v != nil && *v > 0 {
				published++
			}
		}
	}
	if published < 10 {
		t.Errorf("only %d cells of the demo's report are published; the charts need more", published)
	}
	for _, u := range []string{lena, noor, admin} {
		e.get(t, e.token(t, u), "/api/v1/reports/blended").expect(t, 403)
	}
	e.do(t, req{method: http.MethodGet, path: "/api/v1/reports/blended?from=2026-13-01", token: e.token(t, dpo), badInput: true}).expect(t, 422)

	csv := e.get(t, e.token(t, dpo), "/api/v1/reports/blended?format=csv").expect(t, 200)
	if ct := csv.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("CSV content type %q", ct)
	}
	body := string(csv.body)
	if !strings.Contains(body, "contacts_by_channel") || !strings.Contains(body, "Praatbox Video") {
		t.Fatalf("CSV lacks figures: %.300s", body)
	}
	for _, name := range []string{"Noor", "El Amrani", "Milan", "Sam", "Verhoeven", "Lena", "Claessens", e.noorID, e.users[sam].ID} {
		if strings.Contains(body, name) {
			t.Errorf("the CSV names %q", name)
		}
	}
}
