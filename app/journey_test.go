package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/nabij/nabij/records"
)

func TestJourneyProfessional(t *testing.T) {
	e := newEnv(t)
	st := e.token(t, sam)
	var c records.Client
	e.post(t, st, "/api/v1/clients", map[string]any{"name": "Journey Client", "birth_date": "1988-02-29", "contact": "+32 470 00 00 00"}).expect(t, 201).decode(t, &c)
	base := "/api/v1/clients/" + c.ID
	var caseload struct{ Clients []records.CaseloadEntry }
	e.get(t, st, "/api/v1/clients").expect(t, 200).decode(t, &caseload)
	onCaseload := false
	for _, ce := range caseload.Clients {
		if ce.ClientID == c.ID && ce.Name == "Journey Client" && ce.Rule == records.RuleCaseload {
			onCaseload = true
		}
	}
	if !onCaseload {
		t.Fatal("the new client is not on sam's caseload")
	}

	var tr records.Trajectory
	e.post(t, st, base+"/trajectories", map[string]any{"goal": "Find a home"}).expect(t, 201).decode(t, &tr)
	var visit, chat records.Contact
	at := time.Now().Add(-48 * time.Hour).UTC().Truncate(time.Second)
	e.post(t, st, base+"/contacts", map[string]any{"trajectory_id": tr.ID, "channel": "home_visit", "occurred_at": at, "duration_minutes": 60}).
		expect(t, 201).decode(t, &visit)
	if visit.Mode != records.ModeFaceToFace || !visit.Synchronous || visit.ConsentMissing {
		t.Errorf("home visit %+v", visit)
	}
	e.post(t, st, base+"/contacts", map[string]any{"trajectory_id": tr.ID, "channel": "video", "occurred_at": at.Add(24 * time.Hour),
		"duration_minutes": 20, "synchronous": true, "follow_up_of": visit.ID}).expect(t, 201).decode(t, &chat)
	if chat.Mode != records.ModeOnline || chat.FollowUpOf != visit.ID || !chat.ConsentMissing {
		t.Errorf("online follow-up %+v: want mode online, follow_up_of the visit, consent_missing", chat)
	}
	var shared, restricted, personal, corrected records.Note
	e.post(t, st, base+"/notes", map[string]any{"contact_id": visit.ID, "body": "We looked at the flat together.", "visibility": "shared"}).expect(t, 201).decode(t, &shared)
	e.post(t, st, base+"/notes", map[string]any{"contact_id": chat.ID, "body": "The landlord said something about the neighbour.",
		"visibility": "restricted", "restricted_reason": "About a third party"}).expect(t, 201).decode(t, &restricted)
	e.post(t, st, base+"/notes", map[string]any{"trajectory_id": tr.ID, "body": "Ask about the deposit next time.", "visibility": "personal"}).expect(t, 201).decode(t, &personal)
	e.post(t, st, "/api/v1/notes/"+shared.ID+"/corrections", map[string]any{"body": "We looked at the flat on the second floor together.", "visibility": "shared"}).
		expect(t, 201).decode(t, &corrected)
	// The answer is the new version; the history is read back from the file below.
	if corrected.ID != shared.ID || corrected.Version != 2 || corrected.Body != "We looked at the flat on the second floor together." {
		t.Errorf("correction %+v: want version 2 of the shared note", corrected)
	}

	var f records.File
	e.get(t, st, base+"/file").expect(t, 200).decode(t, &f)
	if f.Client.Name != "Journey Client" || f.Client.BirthDate != "1988-02-29" || f.Rule != records.RuleCaseload {
		t.Errorf("file client %+v rule %s", f.Client, f.Rule)
	}
	if len(f.Trajectories) != 1 || len(f.Contacts) != 2 || len(f.Notes) != 3 {
		t.Fatalf("file has %d trajectories, %d contacts, %d notes", len(f.Trajectories), len(f.Contacts), len(f.Notes))
	}
	for _, k := range f.Contacts {
		if k.ID == visit.ID && (len(k.FollowedUpBy) != 1 || k.FollowedUpBy[0] != chat.ID) {
			t.Errorf("visit followed_up_by %v, want [%s]", k.FollowedUpBy, chat.ID)
		}
	}
	for _, n := range f.Notes {
		if n.ID == shared.ID && (n.Version != 2 || len(n.History) != 1 || n.History[0].Body != "We looked at the flat together." || n.History[0].Version != 1) {
			t.Errorf("corrected note in the file: version %d, history %+v; want version 2 with version 1 kept", n.Version, n.History)
		}
		if n.ID == personal.ID && n.Body != "Ask about the deposit next time." {
			t.Errorf("the author does not read her personal note: %+v", n)
		}
		if n.ID == restricted.ID && n.RestrictedReason != "About a third party" {
			t.Errorf("restricted note %+v", n)
		}
		if n.Withheld {
			t.Errorf("note %s withheld from its author", n.ID)
		}
	}
	var cl struct{ Clients []records.CaseloadEntry }
	e.get(t, st, "/api/v1/clients").expect(t, 200).decode(t, &cl)
	for _, ce := range cl.Clients {
		if ce.ClientID == c.ID && ce.ConsentMissing != 1 {
			t.Errorf("caseload consent_missing %d, want 1", ce.ConsentMissing)
		}
	}
}

func TestJourneyClient(t *testing.T) {
	e := newEnv(t)
	// sam reads noor's file (as in the demo), then noor looks.
	e.get(t, e.token(t, sam), "/api/v1/clients/"+e.noorID+"/file").expect(t, 200)
	nt := e.token(t, noor)
	var f records.File
	e.get(t, nt, "/api/v1/me/file").expect(t, 200).decode(t, &f)
	if f.Client.Name != "Noor El Amrani" || len(f.Contacts) == 0 || len(f.Notes) == 0 {
		t.Fatalf("own file: %s, %d contacts, %d notes", f.Client.Name, len(f.Contacts), len(f.Notes))
	}
	var page struct {
		Records    []records.AccessView `json:"records"`
		NextBefore int64                `json:"next_before"`
	}
	e.get(t, nt, "/api/v1/me/access-log").expect(t, 200).decode(t, &page)
	found := false
	for _, r := range page.Records {
		if r.ClientID != e.noorID {
			t.Errorf("record about another client: %+v", r)
		}
		if r.ActorUsername == sam && r.ActorName == "Sam Verhoeven" && r.ActorRole == records.RoleProfessional &&
			r.Purpose == records.PurposeCare && r.Action == records.ActionRead && r.Rule == records.RuleCaseload {
			found = true
		}
	}
	if !found {
		t.Errorf("noor's access log does not name sam (username, name, role, purpose): %+v", page.Records)
	}
	// Paging.
	var p1 struct {
		Records    []records.AccessView `json:"records"`
		NextBefore int64                `json:"next_before"`
	}
	e.get(t, nt, "/api/v1/me/access-log?limit=2").expect(t, 200).decode(t, &p1)
	if len(p1.Records) != 2 || p1.NextBefore == 0 {
		t.Errorf("page of 2: %d records, next_before %d", len(p1.Records), p1.NextBefore)
	}

	var en records.Entry
	e.post(t, nt, "/api/v1/me/entries", map[string]string{"body": "I found a flat myself!"}).expect(t, 201).decode(t, &en)
	if en.ClientID != e.noorID || en.AuthorID != e.users[noor].ID {
		t.Errorf("entry %+v", en)
	}
	// The demo's noor wrote one message before (demo.NewMessage); hers comes after it.
	e.get(t, nt, "/api/v1/me/file").expect(t, 200).decode(t, &f)
	if len(f.Entries) != 2 || f.Entries[1].Body != "I found a flat myself!" {
		t.Errorf("entries %+v", f.Entries)
	}
	// sam sees the entry too.
	e.get(t, e.token(t, sam), "/api/v1/clients/"+e.noorID+"/file").expect(t, 200).decode(t, &f)
	if len(f.Entries) != 2 {
		t.Errorf("sam sees %d entries", len(f.Entries))
	}
}

func TestJourneyDataOfficer(t *testing.T) {
	e := newEnv(t)
	dt := e.token(t, dpo)
	type page struct {
		Records []records.AccessView `json:"records"`
	}
	var byClient, byActor, denied page
	e.get(t, dt, "/api/v1/access-log?client_id="+e.noorID).expect(t, 200).decode(t, &byClient)
	if len(byClient.Records) == 0 {
		t.Fatal("no records about noor")
	}
	for _, r := range byClient.Records {
		if r.ClientID != e.noorID {
			t.Errorf("client filter let through %+v", r)
		}
	}
	e.get(t, dt, "/api/v1/access-log?actor=lena").expect(t, 200).decode(t, &byActor)
	for _, r := range byActor.Records {
		if r.ActorUsername != lena || r.ActorRole != records.RoleProfessional {
			t.Errorf("actor filter let through %+v", r)
		}
	}
	e.get(t, dt, "/api/v1/access-log?action=denied&actor=lena").expect(t, 200).decode(t, &denied)
	sawNoor := false
	for _, r := range denied.Records {
		if r.Outcome != records.OutcomeDenied {
			t.Errorf("denied filter let through %+v", r)
		}
		if r.ClientID == e.noorID {
			sawNoor = true
		}
	}
	if !sawNoor {
		t.Error("lena's denied attempt on noor (from the demo) is not found")
	}
	// The data officer's view holds no note content.
	raw := e.get(t, dt, "/api/v1/access-log?limit=500").expect(t, 200).body
	if strings.Contains(string(raw), "van het plan") || strings.Contains(string(raw), "Noor El Amrani") {
		t.Error("the access log holds content or names of clients")
	}

	var rep records.VerifyReport
	e.get(t, dt, "/api/v1/access-log/verify").expect(t, 200).decode(t, &rep)
	if !rep.OK || rep.Records == 0 || rep.Checkpoints == 0 {
		t.Errorf("verify %+v", rep)
	}
	var an struct {
		Since     time.Time         `json:"since"`
		Anomalies []records.Anomaly `json:"anomalies"`
	}
	e.get(t, dt, "/api/v1/anomalies").expect(t, 200).decode(t, &an)
	kinds := map[string]int{}
	for _, a := range an.Anomalies {
		kinds[a.Kind]++
	}
	if kinds["break_glass"] == 0 || kinds["denied"] == 0 {
		t.Errorf("anomalies %v: want break_glass and denied", kinds)
	}
	if time.Since(an.Since) < 29*24*time.Hour {
		t.Errorf("since %v, want 30 days ago", an.Since)
	}
}

func TestJourneyAdmin(t *testing.T) {
	e := newEnv(t)
	at := e.token(t, admin)
	var created createdAccount
	e.post(t, at, "/api/v1/users", map[string]any{"username": "kim", "role": "professional", "display_name": "Kim Jansen"}).
		expect(t, 201).decode(t, &created)
	kim := created.User
	e.activate(t, "kim", created.Activation.Code, demoPassword)
	e.post(t, at, "/api/v1/users", map[string]any{"username": "kim", "role": "professional"}).expect(t, 409)
	e.do(t, req{method: "POST", path: "/api/v1/users", token: at, body: map[string]any{"username": "weird", "role": "superuser"}, badInput: true}).expect(t, 422)

	var team records.Team
	e.post(t, at, "/api/v1/teams", map[string]string{"name": "Team West"}).expect(t, 201).decode(t, &team)
	e.post(t, at, "/api/v1/teams/"+team.ID+"/members", map[string]string{"user_id": kim.ID}).expect(t, 204)
	e.post(t, at, "/api/v1/teams/"+team.ID+"/members", map[string]string{"user_id": e.users[noor].ID}).expect(t, 422)
	var teams struct{ Teams []records.Team }
	e.get(t, at, "/api/v1/teams").expect(t, 200).decode(t, &teams)
	member := false
	for _, tm := range teams.Teams {
		if tm.ID == team.ID && len(tm.MemberIDs) == 1 && tm.MemberIDs[0] == kim.ID {
			member = true
		}
	}
	if !member {
		t.Errorf("teams %+v", teams.Teams)
	}

	kt := e.login(t, "kim").AccessToken
	e.get(t, kt, "/api/v1/clients/"+e.noorID+"/file").expect(t, 403)
	var as records.Assignment
	e.post(t, at, "/api/v1/caseload-assignments", map[string]string{"client_id": e.noorID, "team_id": team.ID}).expect(t, 201).decode(t, &as)
	if as.TeamID != team.ID || as.To != nil {
		t.Errorf("assignment %+v", as)
	}
	before := e.headSeq(t)
	var f records.File
	e.get(t, kt, "/api/v1/clients/"+e.noorID+"/file").expect(t, 200).decode(t, &f)
	if f.Rule != records.RuleTeamCaseload {
		t.Errorf("rule %q, want team_caseload", f.Rule)
	}
	e.wantRecord(t, "kim", before, e.noorID, records.OutcomeOK, records.RuleTeamCaseload)

	var list struct{ Assignments []records.Assignment }
	e.get(t, at, "/api/v1/caseload-assignments").expect(t, 200).decode(t, &list)
	if len(list.Assignments) == 0 || list.Assignments[0].ID != as.ID {
		t.Errorf("assignments %+v", list.Assignments)
	}
	e.post(t, at, "/api/v1/caseload-assignments/"+as.ID+"/end", nil).expect(t, 204)
	e.post(t, at, "/api/v1/caseload-assignments/"+as.ID+"/end", nil).expect(t, 404)
	e.get(t, kt, "/api/v1/clients/"+e.noorID+"/file").expect(t, 403)

	// Admins read no client data: the admin's lists hold ids only.
	var users struct{ Users []records.User }
	r := e.get(t, at, "/api/v1/users").expect(t, 200)
	r.decode(t, &users)
	if strings.Contains(string(r.body), "Noor El Amrani") || strings.Contains(string(r.body), "password") {
		t.Error("the user list holds a client's name or a password field")
	}
	e.get(t, at, "/api/v1/clients/"+e.noorID).expect(t, 403)
}
