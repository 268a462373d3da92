package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/nabij/nabij/records"
)

// TestPlanAPI walks the plan over the API: noor writes her question, a goal
// with two steps and marks one done; sam comments and proposes; noor accepts;
// lena (not on the caseload) is refused; noor names her sister, invites her,
// the sister reads the plan (recorded under the network rule, in noor's own
// access log), and once noor ends the access the sister is refused.
func TestPlanAPI(t *testing.T) {
	e := newEnv(t)
	nt, st := e.token(t, noor), e.token(t, sam)
	var p records.Plan
	e.do(t, req{method: "PUT", path: "/api/v1/me/plan", token: nt, body: map[string]string{"text": "Ik wil rust in mijn geldzaken"}}).expect(t, 200).decode(t, &p)
	if p.Question != "Ik wil rust in mijn geldzaken" {
		t.Fatalf("question %q", p.Question)
	}
	e.do(t, req{method: "PUT", path: "/api/v1/me/plan", token: nt, body: map[string]string{"text": "  "}, badInput: true}).expect(t, 422).problem(t)
	var g records.PlanGoal
	e.post(t, nt, "/api/v1/me/plan/goals", map[string]string{"text": "Overzicht van mijn schulden"}).expect(t, 201).decode(t, &g)
	var s1, s2 records.PlanStep
	e.post(t, nt, "/api/v1/me/plan/goals/"+g.ID+"/steps", map[string]string{"text": "Alle brieven in een map"}).expect(t, 201).decode(t, &s1)
	e.post(t, nt, "/api/v1/me/plan/goals/"+g.ID+"/steps", map[string]string{"text": "Afspraak bij de schuldhulp"}).expect(t, 201).decode(t, &s2)
	e.post(t, nt, "/api/v1/me/plan/steps/"+s1.ID+"/done", nil).expect(t, 200)
	e.post(t, nt, "/api/v1/me/plan/steps/nope/done", nil).expect(t, 404).problem(t)

	e.post(t, st, "/api/v1/clients/"+e.noorID+"/plan/comments", map[string]string{"goal_id": g.ID, "text": "Goed dat je dit opschrijft"}).expect(t, 201)
	var pr records.PlanProposal
	e.post(t, st, "/api/v1/clients/"+e.noorID+"/plan/proposals", map[string]string{"text": "Een budgetcursus volgen"}).expect(t, 201).decode(t, &pr)
	e.post(t, e.token(t, lena), "/api/v1/clients/"+e.noorID+"/plan/proposals", map[string]string{"text": "x"}).expect(t, 403).problem(t)
	e.get(t, e.token(t, lena), "/api/v1/clients/"+e.noorID+"/plan").expect(t, 403)
	e.post(t, st, "/api/v1/clients/"+e.noorID+"/plan/comments", map[string]string{"goal_id": "nope", "text": "x"}).expect(t, 404)
	e.post(t, nt, "/api/v1/me/plan/proposals/"+pr.ID+"/accept", nil).expect(t, 200)
	e.post(t, nt, "/api/v1/me/plan/proposals/"+pr.ID+"/decline", nil).expect(t, 409).problem(t)

	// The demo gave noor a plan already: her goals come after its two.
	e.get(t, st, "/api/v1/clients/"+e.noorID+"/plan").expect(t, 200).decode(t, &p)
	n := len(p.Goals)
	if n < 2 {
		t.Fatalf("plan as sam: %+v", p)
	}
	mine, accepted := p.Goals[n-2], p.Goals[n-1]
	if mine.ID != g.ID || len(mine.Steps) != 2 || !mine.Steps[0].Done || mine.Steps[1].Done || len(mine.Comments) != 1 ||
		accepted.Text != "Een budgetcursus volgen" || accepted.FromProposal != pr.ID {
		t.Fatalf("plan as sam: %+v", p)
	}

	var m records.NetworkMember
	e.post(t, nt, "/api/v1/me/network", map[string]string{"name": "Sanne", "relation": "zus", "reach": "06 12345678", "helps_with": "post openen"}).
		expect(t, 201).decode(t, &m)
	var acc createdAccount
	e.post(t, nt, "/api/v1/me/network/"+m.ID+"/invite", map[string]string{"username": "sanne.j"}).expect(t, 201).decode(t, &acc)
	if acc.Role != records.RoleNetwork || acc.Activation.Code == "" {
		t.Fatalf("invitation %+v", acc)
	}
	// The code was lost: a new one from the client (not from sam); the old
	// one no longer activates.
	e.post(t, st, "/api/v1/me/network/"+m.ID+"/code", nil).expect(t, 403)
	var renewed createdAccount
	e.post(t, nt, "/api/v1/me/network/"+m.ID+"/code", nil).expect(t, 201).decode(t, &renewed)
	if renewed.Activation.Code == "" || renewed.Activation.Code == acc.Activation.Code || renewed.Username != "sanne.j" {
		t.Fatalf("new code %+v", renewed)
	}
	e.post(t, "", "/api/v1/auth/activate", map[string]string{"username": "sanne.j", "code": acc.Activation.Code, "password": "a long enough password"}).expect(t, 400)
	e.activate(t, "sanne.j", renewed.Activation.Code, "a long enough password")
	e.post(t, nt, "/api/v1/me/network/"+m.ID+"/code", nil).expect(t, 409)
	tok := e.post(t, "", "/api/v1/auth/login", map[string]string{"username": "sanne.j", "password": "a long enough password"}).expect(t, 200)
	var tk tokens
	tok.decode(t, &tk)
	before := e.headSeq(t)
	e.get(t, tk.AccessToken, "/api/v1/me/plan").expect(t, 200).decode(t, &p)
	if p.Question != "Ik wil rust in mijn geldzaken" || len(p.Goals) != n {
		t.Fatalf("plan as the sister: %+v", p)
	}
	e.wantRecord(t, "sanne.j", before, e.noorID, records.OutcomeOK, records.RuleNetwork)
	if p.OwnerName != "Noor" {
		t.Errorf("the sister reads the plan of %q, want Noor", p.OwnerName)
	}
	// Noor's privacy overview names who reads the plan and how long it is
	// kept; her export holds the plan and the network.
	var pv records.Privacy
	e.get(t, nt, "/api/v1/me/privacy").expect(t, 200).decode(t, &pv)
	readers := map[string]bool{}
	for _, r := range pv.PlanReaders {
		readers[r.Name] = true
	}
	kept := false
	for _, k := range pv.KeptUntil {
		kept = kept || k.Kind == records.KindPlan
	}
	if !readers["Sanne"] || !kept {
		t.Errorf("privacy: plan readers %+v, a plan line in kept_until %v", pv.PlanReaders, kept)
	}
	var ex records.Export
	e.get(t, nt, "/api/v1/me/export").expect(t, 200).decode(t, &ex)
	inNetwork := false
	for _, m := range ex.Network {
		inNetwork = inNetwork || m.Name == "Sanne" && m.Active && !m.ActivationPending
	}
	if ex.Plan == nil || ex.Plan.Question != "Ik wil rust in mijn geldzaken" || len(ex.Plan.Goals) != n || !inNetwork {
		t.Errorf("export: plan %+v, network %+v", ex.Plan, ex.Network)
	}
	var log struct {
		Records []records.AccessView `json:"records"`
	}
	e.get(t, nt, "/api/v1/me/access-log").expect(t, 200).decode(t, &log)
	found := false
	for _, r := range log.Records {
		found = found || r.Rule == records.RuleNetwork && r.RecordKind == records.KindPlan
	}
	if !found {
		t.Error("noor's access log does not show her sister's read")
	}

	e.post(t, nt, "/api/v1/me/network/"+m.ID+"/end", nil).expect(t, 204)
	e.get(t, tk.AccessToken, "/api/v1/me/plan").expect(t, 401)
}

// TestNetworkRoleRefusedEverywhere walks every API route with a network
// member's token: only the plan read and the member's own account (who am
// I, password, second factor, sign-in and sign-out) answer; every other route
// refuses the role.
func TestNetworkRoleRefusedEverywhere(t *testing.T) {
	e := newEnv(t)
	nt := e.token(t, noor)
	var m records.NetworkMember
	e.post(t, nt, "/api/v1/me/network", map[string]string{"name": "Sanne"}).expect(t, 201).decode(t, &m)
	var acc createdAccount
	e.post(t, nt, "/api/v1/me/network/"+m.ID+"/invite", map[string]string{"username": "sanne.j"}).expect(t, 201).decode(t, &acc)
	e.activate(t, "sanne.j", acc.Activation.Code, demoPassword)
	tok := e.login(t, "sanne.j").AccessToken

	open := map[string]bool{
		"GET /api/v1/me/plan": true, "GET /api/v1/me": true, "POST /api/v1/me/password": true,
		"POST /api/v1/auth/totp/enrol": true, "POST /api/v1/auth/totp/confirm": true,
		"POST /api/v1/auth/login": true, "POST /api/v1/auth/refresh": true, "POST /api/v1/auth/logout": true, "POST /api/v1/auth/activate": true,
	}
	walked := 0
	for _, r := range e.srv.App.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/v1/") || r.Method == "HEAD" || r.Path == "/api/v1/" {
			continue
		}
		key := r.Method + " " + r.Path
		path := r.Path
		for _, p := range []string{":id", ":gid", ":sid", ":pid", ":mid", ":iid", ":nid", ":cid", ":tid", ":uid", ":aid", ":hid", ":rid"} {
			id := "x"
			if p == ":id" {
				id = e.noorID
			}
			path = strings.ReplaceAll(path, p, id)
		}
		res := e.do(t, req{method: r.Method, path: path, token: tok, body: map[string]string{}, undocumented: true})
		walked++
		if open[key] {
			if res.status == http.StatusForbidden {
				t.Errorf("%s: refused to a network member: %s", key, clip(res.body))
			}
			continue
		}
		if res.status != http.StatusForbidden {
			t.Errorf("%s: status %d for a network member, want 403: %s", key, res.status, clip(res.body))
		}
	}
	if walked < 60 {
		t.Errorf("walked only %d routes", walked)
	}
}
