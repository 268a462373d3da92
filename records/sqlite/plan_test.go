package sqlite_test

import (
	"testing"

	"github.com/nabij/nabij/records"
)

// planWorld is newWorld with a plan for noor: a question, a goal with a step.
type planWorld struct {
	*world
	goal *records.PlanGoal
	step *records.PlanStep
}

func newPlanWorld(t *testing.T) *planWorld {
	t.Helper()
	w := &planWorld{world: newWorld(t)}
	if err := w.s.SetPlanQuestion(w.ctx, w.self, w.c.ID, "Ik wil een eigen huis"); err != nil {
		t.Fatal(err)
	}
	var err error
	if w.goal, err = w.s.AddPlanGoal(w.ctx, w.self, w.c.ID, "Schulden op een rij"); err != nil {
		t.Fatal(err)
	}
	if w.step, err = w.s.AddPlanStep(w.ctx, w.self, w.c.ID, w.goal.ID, "Brieven sorteren"); err != nil {
		t.Fatal(err)
	}
	return w
}

// network invites a member of noor's network and activates the account.
func (w *planWorld) network(t *testing.T, username string) (records.Actor, *records.NetworkMember) {
	t.Helper()
	m, err := w.s.AddNetworkMember(w.ctx, w.self, w.c.ID, records.NewNetworkMember{Name: "Sara", Relation: "zus", Reach: "06 1234", HelpsWith: "post"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.InviteNetworkMember(w.ctx, w.self, w.c.ID, m.ID, username, []byte("code-"+username)); err != nil {
		t.Fatal(err)
	}
	u, err := w.s.ActivateAccount(w.ctx, "test", username, []byte("code-"+username), "$argon2id$x")
	if err != nil {
		t.Fatal(err)
	}
	return records.Actor{UserID: u.ID, Role: u.Role, Remote: "127.0.0.1"}, m
}

// TestPlanRules: only the client writes their question, goals and steps and
// decides proposals; only a professional who may reach the client comments
// and proposes; nobody else reads the plan; each refusal writes a denied
// record and changes nothing.
func TestPlanRules(t *testing.T) {
	w := newPlanWorld(t)
	db := w.raw(t)
	pr, err := w.s.ProposePlanGoal(w.ctx, w.sam, w.c.ID, "Werk zoeken")
	if err != nil {
		t.Fatal(err)
	}
	member, _ := w.network(t, "sara")
	ops := map[string]func(a records.Actor) error{
		"read": func(a records.Actor) error { _, err := w.s.Plan(w.ctx, a, w.c.ID); return err },
		"question": func(a records.Actor) error {
			return w.s.SetPlanQuestion(w.ctx, a, w.c.ID, "anders")
		},
		"goal": func(a records.Actor) error { _, err := w.s.AddPlanGoal(w.ctx, a, w.c.ID, "doel"); return err },
		"step": func(a records.Actor) error {
			_, err := w.s.AddPlanStep(w.ctx, a, w.c.ID, w.goal.ID, "stap")
			return err
		},
		"edit": func(a records.Actor) error { return w.s.EditPlanItem(w.ctx, a, w.c.ID, w.step.ID, "stap 2") },
		"done": func(a records.Actor) error { return w.s.SetPlanStepDone(w.ctx, a, w.c.ID, w.step.ID, true) },
		"comment": func(a records.Actor) error {
			_, err := w.s.CommentPlanGoal(w.ctx, a, w.c.ID, w.goal.ID, "goed plan")
			return err
		},
		"propose": func(a records.Actor) error { _, err := w.s.ProposePlanGoal(w.ctx, a, w.c.ID, "voorstel"); return err },
		"decide": func(a records.Actor) error {
			_, err := w.s.DecidePlanProposal(w.ctx, a, w.c.ID, pr.ID, false)
			return err
		},
		"network": func(a records.Actor) error { _, err := w.s.NetworkMembers(w.ctx, a, w.c.ID); return err },
	}
	tests := []struct {
		name  string
		actor records.Actor
		op    string
		want  string
	}{
		{"ClientReads", w.self, "read", ""},
		{"CaseloadProReads", w.sam, "read", ""},
		{"TeamProReads", w.tess, "read", ""},
		{"BreakGlassProReads", w.bram, "read", ""},
		{"OtherProRefused", w.olga, "read", records.EFORBIDDEN},
		{"OtherClientRefused", w.other, "read", records.EFORBIDDEN},
		{"DataOfficerRefused", w.dpo, "read", records.EFORBIDDEN},
		{"AdminRefused", w.adm, "read", records.EFORBIDDEN},
		{"NetworkMemberNotThroughPlan", member, "read", records.EFORBIDDEN},
		{"ProWritesNoQuestion", w.sam, "question", records.EFORBIDDEN},
		{"ProAddsNoGoal", w.sam, "goal", records.EFORBIDDEN},
		{"ProAddsNoStep", w.sam, "step", records.EFORBIDDEN},
		{"ProEditsNoStep", w.sam, "edit", records.EFORBIDDEN},
		{"ProMarksNoStep", w.sam, "done", records.EFORBIDDEN},
		{"ProDecidesNothing", w.sam, "decide", records.EFORBIDDEN},
		{"NetworkWritesNothing", member, "question", records.EFORBIDDEN},
		{"NetworkCommentsNot", member, "comment", records.EFORBIDDEN},
		{"OtherClientWritesNot", w.other, "goal", records.EFORBIDDEN},
		{"ClientCommentsNot", w.self, "comment", records.EFORBIDDEN},
		{"ClientProposesNot", w.self, "propose", records.EFORBIDDEN},
		{"OffCaseloadProCommentsNot", w.olga, "comment", records.EFORBIDDEN},
		{"OffCaseloadProProposesNot", w.olga, "propose", records.EFORBIDDEN},
		{"ProSeesNoNetwork", w.sam, "network", records.EFORBIDDEN},
		{"ProComments", w.sam, "comment", ""},
		{"TeamProProposes", w.tess, "propose", ""},
		{"ClientEditsStep", w.self, "edit", ""},
		{"ClientMarksDone", w.self, "done", ""},
		{"ClientDeclines", w.self, "decide", ""},
		{"DecidedTwice", w.self, "decide", records.ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := maxSeq(t, db)
			err := ops[tt.op](tt.actor)
			if got := records.ErrorCode(err); got != tt.want {
				t.Fatalf("error %v, want code %q", err, tt.want)
			}
			rows := accessRowsAfter(t, db, before)
			switch tt.want {
			case "":
				if len(rows) != 1 || rows[0].Outcome != "ok" || rows[0].ClientID != w.c.ID {
					t.Errorf("records %+v, want one ok record on the client", rows)
				}
			case records.EFORBIDDEN:
				if len(rows) != 1 || rows[0].Outcome != "denied" {
					t.Errorf("records %+v, want one denied record", rows)
				}
			}
		})
	}
	// Nothing a refusal tried is in the plan.
	p, err := w.s.Plan(w.ctx, w.self, w.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Question != "Ik wil een eigen huis" || len(p.Goals) != 1 {
		t.Errorf("plan after refusals: %q, %d goals", p.Question, len(p.Goals))
	}
}

// TestPlanHistoryAndProposals: an edit is a new version and the earlier stay;
// a step is done and undone; an accepted proposal becomes a goal with the
// proposal's text, a declined one does not; comments reach the client.
func TestPlanHistoryAndProposals(t *testing.T) {
	w := newPlanWorld(t)
	w.clock.Advance(60_000_000_000)
	if err := w.s.SetPlanQuestion(w.ctx, w.self, w.c.ID, "Ik wil een eigen huis en werk"); err != nil {
		t.Fatal(err)
	}
	if err := w.s.EditPlanItem(w.ctx, w.self, w.c.ID, w.goal.ID, "Schulden betalen"); err != nil {
		t.Fatal(err)
	}
	if err := w.s.SetPlanStepDone(w.ctx, w.self, w.c.ID, w.step.ID, true); err != nil {
		t.Fatal(err)
	}
	c, err := w.s.CommentPlanGoal(w.ctx, w.sam, w.c.ID, w.goal.ID, "Mooi begin")
	if err != nil {
		t.Fatal(err)
	}
	yes, err := w.s.ProposePlanGoal(w.ctx, w.sam, w.c.ID, "Een budgetcursus volgen")
	if err != nil {
		t.Fatal(err)
	}
	no, err := w.s.ProposePlanGoal(w.ctx, w.sam, w.c.ID, "Verhuizen naar Utrecht")
	if err != nil {
		t.Fatal(err)
	}
	acc, err := w.s.DecidePlanProposal(w.ctx, w.self, w.c.ID, yes.ID, true)
	if err != nil || acc.State != records.ProposalAccepted || acc.GoalID == "" {
		t.Fatalf("accept: %+v %v", acc, err)
	}
	if _, err := w.s.DecidePlanProposal(w.ctx, w.self, w.c.ID, no.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.AddPlanStep(w.ctx, w.self, w.c.ID, w.step.ID, "a step under a step"); records.ErrorCode(err) != records.ENOTFOUND {
		t.Errorf("step under a step: %v", err)
	}
	if _, err := w.s.AddPlanStep(w.ctx, w.other, w.d.ID, w.goal.ID, "a step under noor's goal"); records.ErrorCode(err) != records.ENOTFOUND {
		t.Errorf("step under another client's goal: %v", err)
	}
	p, err := w.s.Plan(w.ctx, w.sam, w.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Question != "Ik wil een eigen huis en werk" || len(p.QuestionHistory) != 2 || p.QuestionHistory[0].Text != "Ik wil een eigen huis" {
		t.Errorf("question %q history %+v", p.Question, p.QuestionHistory)
	}
	if len(p.Goals) != 2 {
		t.Fatalf("goals %+v", p.Goals)
	}
	g := p.Goals[0]
	if g.Text != "Schulden betalen" || len(g.History) != 2 || g.History[0].Text != "Schulden op een rij" || !g.ChangedAt.After(g.CreatedAt) {
		t.Errorf("goal %+v", g)
	}
	if len(g.Steps) != 1 || !g.Steps[0].Done || g.Steps[0].Text != "Brieven sorteren" {
		t.Errorf("steps %+v", g.Steps)
	}
	if len(g.Comments) != 1 || g.Comments[0].ID != c.ID || g.Comments[0].Text != "Mooi begin" || g.Comments[0].AuthorName != "sam" {
		t.Errorf("comments %+v", g.Comments)
	}
	if a := p.Goals[1]; a.ID != acc.GoalID || a.Text != "Een budgetcursus volgen" || a.FromProposal != yes.ID || a.History[0].AuthorID != w.sam.UserID {
		t.Errorf("accepted goal %+v", a)
	}
	if len(p.Proposals) != 2 || p.Proposals[0].State != records.ProposalAccepted || p.Proposals[1].State != records.ProposalDeclined ||
		p.Proposals[1].Text != "Verhuizen naar Utrecht" {
		t.Errorf("proposals %+v", p.Proposals)
	}
	if err := w.s.SetPlanStepDone(w.ctx, w.self, w.c.ID, w.step.ID, false); err != nil {
		t.Fatal(err)
	}
	p, err = w.s.Plan(w.ctx, w.self, w.c.ID)
	if err != nil || p.Goals[0].Steps[0].Done {
		t.Errorf("undone step: %+v %v", p.Goals[0].Steps, err)
	}
}

// TestNetworkMemberReadsPlanOnly: an invited, activated member reads the
// plan under the network rule, recorded on the client; every other read is
// refused; once the client ends the access the account is disabled, its
// sessions end and the plan is refused with a denied record on the client.
func TestNetworkMemberReadsPlanOnly(t *testing.T) {
	w := newPlanWorld(t)
	db := w.raw(t)
	member, m := w.network(t, "sara")
	other, _ := w.network(t, "ali")

	before := maxSeq(t, db)
	p, err := w.s.NetworkPlan(w.ctx, member)
	if err != nil || p.ClientID != w.c.ID || p.Question != "Ik wil een eigen huis" || len(p.Goals) != 1 {
		t.Fatalf("network plan %+v %v", p, err)
	}
	// The member learns whose plan it is (the first name), nothing more of her name.
	if p.OwnerName != "Noor" {
		t.Errorf("owner name %q, want the client's first name", p.OwnerName)
	}
	rows := accessRowsAfter(t, db, before)
	if own, err := w.s.Plan(w.ctx, w.self, w.c.ID); err != nil || own.OwnerName != "" {
		t.Errorf("the client's own plan carries an owner name: %q %v", own.OwnerName, err)
	}
	if len(rows) != 1 || rows[0].Rule != "network" || rows[0].Purpose != "network" || rows[0].ClientID != w.c.ID ||
		rows[0].ActorID != member.UserID || rows[0].RecordKind != "plan" {
		t.Errorf("records %+v", rows)
	}
	// Every other read of client data is refused to a network member.
	reads := map[string]func() error{
		"file":       func() error { _, err := w.s.ClientFile(w.ctx, member, records.PurposeCare, w.c.ID); return err },
		"client":     func() error { _, err := w.s.Client(w.ctx, member, records.PurposeCare, w.c.ID); return err },
		"outline":    func() error { _, err := w.s.ClientOutline(w.ctx, member, records.PurposeCare, w.c.ID); return err },
		"consents":   func() error { _, err := w.s.Consents(w.ctx, member, w.c.ID); return err },
		"access log": func() error { _, err := w.s.ClientAccessLog(w.ctx, member, w.c.ID, 0, 10); return err },
		"export":     func() error { _, err := w.s.ClientExport(w.ctx, member, w.c.ID); return err },
		"network":    func() error { _, err := w.s.NetworkMembers(w.ctx, member, w.c.ID); return err },
		"entry":      func() error { _, err := w.s.CreateEntry(w.ctx, member, w.c.ID, "hallo"); return err },
	}
	for name, f := range reads {
		if err := f(); records.ErrorCode(err) != records.EFORBIDDEN {
			t.Errorf("%s: %v, want forbidden", name, err)
		}
	}

	// The client sees the member, invited and active.
	ms, err := w.s.NetworkMembers(w.ctx, w.self, w.c.ID)
	if err != nil || len(ms) != 2 || ms[0].Name != "Sara" || ms[0].Relation != "zus" || !ms[0].Active || ms[0].Username != "sara" {
		t.Fatalf("members %+v %v", ms, err)
	}
	if err := w.s.EndNetworkAccess(w.ctx, w.sam, w.c.ID, m.ID); records.ErrorCode(err) != records.EFORBIDDEN {
		t.Errorf("a professional ended the access: %v", err)
	}
	if err := w.s.EndNetworkAccess(w.ctx, w.self, w.c.ID, m.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.s.EndNetworkAccess(w.ctx, w.self, w.c.ID, m.ID); records.ErrorCode(err) != records.ECONFLICT {
		t.Errorf("ended twice: %v", err)
	}
	u, err := w.s.UserByID(w.ctx, member.UserID)
	if err != nil || !u.Disabled {
		t.Errorf("account after the end: %+v %v", u, err)
	}
	var open int
	if err := db.QueryRow(`SELECT COUNT(*) FROM sessions WHERE user_id = ? AND ended_at IS NULL`, member.UserID).Scan(&open); err != nil || open != 0 {
		t.Errorf("open sessions %d %v", open, err)
	}
	before = maxSeq(t, db)
	if _, err := w.s.NetworkPlan(w.ctx, member); records.ErrorCode(err) != records.EFORBIDDEN {
		t.Errorf("ended member read the plan: %v", err)
	}
	rows = accessRowsAfter(t, db, before)
	if len(rows) != 1 || rows[0].Outcome != "denied" || rows[0].ClientID != w.c.ID {
		t.Errorf("records %+v", rows)
	}
	// The other member still reads.
	if _, err := w.s.NetworkPlan(w.ctx, other); err != nil {
		t.Errorf("the other member: %v", err)
	}
	// Nobody but the inviting client gives a network account its code: not
	// the admin, whose new code would open the plan to whoever holds it.
	pm, err := w.s.AddNetworkMember(w.ctx, w.self, w.c.ID, records.NewNetworkMember{Name: "Bo"})
	if err != nil {
		t.Fatal(err)
	}
	pending, err := w.s.InviteNetworkMember(w.ctx, w.self, w.c.ID, pm.ID, "bo", []byte("code-bo"))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []records.Actor{w.adm, w.sam, w.self} {
		if err := w.s.IssueActivationCode(w.ctx, a, pending.ID, []byte("stolen")); records.ErrorCode(err) != records.EFORBIDDEN {
			t.Errorf("%s issued a network member's code: %v", a.Role, err)
		}
	}
	if _, err := w.s.ActivateAccount(w.ctx, "test", "bo", []byte("stolen"), "$argon2id$x"); err != records.ErrBadActivation {
		t.Errorf("activation with a code nobody was given: %v", err)
	}
	// A client or professional is no network member.
	for _, a := range []records.Actor{w.self, w.sam} {
		if _, err := w.s.NetworkPlan(w.ctx, a); records.ErrorCode(err) != records.EFORBIDDEN {
			t.Errorf("%s read a network plan: %v", a.Role, err)
		}
	}
}

// TestPlanNotInPlaintext: the plan's and the network's texts are sealed: no
// marker is in the database file or its WAL.
func TestPlanNotInPlaintext(t *testing.T) {
	w := newPlanWorld(t)
	markers := []string{"Zilverreiger-vraag", "Kwartelkoning-doel", "Roerdomp-stap", "Grutto-commentaar", "Tureluur-voorstel",
		"Kievit-naam", "Scholekster-relatie", "Wulp-bereik", "Zwarte-Stern-hulp"}
	if err := w.s.SetPlanQuestion(w.ctx, w.self, w.c.ID, markers[0]); err != nil {
		t.Fatal(err)
	}
	g, err := w.s.AddPlanGoal(w.ctx, w.self, w.c.ID, markers[1])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.AddPlanStep(w.ctx, w.self, w.c.ID, g.ID, markers[2]); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.CommentPlanGoal(w.ctx, w.sam, w.c.ID, g.ID, markers[3]); err != nil {
		t.Fatal(err)
	}
	pr, err := w.s.ProposePlanGoal(w.ctx, w.sam, w.c.ID, markers[4])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.DecidePlanProposal(w.ctx, w.self, w.c.ID, pr.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.AddNetworkMember(w.ctx, w.self, w.c.ID, records.NewNetworkMember{Name: markers[5], Relation: markers[6], Reach: markers[7], HelpsWith: markers[8]}); err != nil {
		t.Fatal(err)
	}
	p, err := w.s.Plan(w.ctx, w.self, w.c.ID)
	if err != nil || p.Question != markers[0] || p.Goals[2].Text != markers[4] {
		t.Fatalf("plan reads back wrong: %v", err)
	}
	disk := w.stored(t)
	for _, m := range markers {
		if storedHas(disk, []byte(m)) {
			t.Errorf("%q is in the database in plaintext", m)
		}
	}
	if !storedHas(disk, []byte("Wijkteam Noord")) {
		t.Error("the control text (a team name) is not on disk: the scan reads the wrong files")
	}
}

// TestPlanErasedWithTheFile: an approved erasure takes the plan and the
// network with it, and a network member's account ends.
func TestPlanErasedWithTheFile(t *testing.T) {
	w := newPlanWorld(t)
	db := w.raw(t)
	member, _ := w.network(t, "sara")
	req, err := w.s.RequestErasure(w.ctx, w.self, w.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.s.DecideErasure(w.ctx, w.dpo, req.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"plan_goals", "plan_steps", "plan_versions", "plan_comments", "plan_proposals", "network_members"} {
		var n int
		if err := db.QueryRow(`SELECT COUNT(*) FROM `+table+` WHERE client_id = ?`, w.c.ID).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d rows left (%v)", table, n, err)
		}
	}
	if u, err := w.s.UserByID(w.ctx, member.UserID); err != nil || !u.Disabled {
		t.Errorf("network account after erasure: %+v %v", u, err)
	}
	if _, err := w.s.NetworkPlan(w.ctx, member); records.ErrorCode(err) != records.EFORBIDDEN {
		t.Errorf("network plan after erasure: %v", err)
	}
}

// TestPlanInExportAndPrivacy: the client's export holds the plan and the
// network, each read written down as every plan and network read is (kinds
// plan and network, for the export, right before the export's own record);
// the privacy overview names who may read the plan, in its one record.
func TestPlanInExportAndPrivacy(t *testing.T) {
	w := newPlanWorld(t)
	if _, err := w.s.CommentPlanGoal(w.ctx, w.sam, w.c.ID, w.goal.ID, "Mooi begin"); err != nil {
		t.Fatal(err)
	}
	w.network(t, "sara")
	ex, err := w.s.ClientExport(w.ctx, w.self, w.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	p := ex.Plan
	if p == nil || p.Question != "Ik wil een eigen huis" || len(p.Goals) != 1 || p.Goals[0].Text != "Schulden op een rij" ||
		len(p.Goals[0].Steps) != 1 || p.Goals[0].Steps[0].Text != "Brieven sorteren" ||
		len(p.Goals[0].Comments) != 1 || p.Goals[0].Comments[0].Text != "Mooi begin" {
		t.Fatalf("export plan %+v", p)
	}
	if len(ex.Network) != 1 || ex.Network[0].Name != "Sara" || ex.Network[0].Reach != "06 1234" || !ex.Network[0].Active {
		t.Errorf("export network %+v", ex.Network)
	}
	log, err := w.s.AccessLog(w.ctx, w.dpo, records.AccessFilter{ClientID: w.c.ID, Limit: 3})
	if err != nil || len(log) != 3 {
		t.Fatalf("log %+v %v", log, err)
	}
	// Newest first: the export, then the network and the plan it read.
	want := []struct {
		kind   string
		action records.Action
		id     string
	}{{"export", records.ActionExport, ""}, {records.KindNetwork, records.ActionRead, ex.Network[0].ID}, {records.KindPlan, records.ActionRead, w.goal.ID}}
	for i, wt := range want {
		r := log[i]
		if r.RecordKind != wt.kind || r.Action != wt.action || r.ActorID != w.self.UserID || r.Purpose != records.PurposeExport ||
			r.Outcome != records.OutcomeOK || wt.id != "" && !contains(r.RecordIDs, wt.id) {
			t.Errorf("record %d: %s %s %s %v, want %s %s with %s", i, r.RecordKind, r.Action, r.Purpose, r.RecordIDs, wt.kind, wt.action, wt.id)
		}
	}

	pv, err := w.s.ClientPrivacy(w.ctx, w.self, w.c.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(pv.PlanReaders) != 1 || pv.PlanReaders[0].Name != "Sara" || pv.PlanReaders[0].Relation != "zus" {
		t.Errorf("plan readers %+v", pv.PlanReaders)
	}
	// The overview stays one read; its record names the people it shows.
	log, err = w.s.AccessLog(w.ctx, w.dpo, records.AccessFilter{ClientID: w.c.ID, Limit: 1})
	if err != nil || len(log) != 1 || log[0].RecordKind != records.KindPrivacy || !contains(log[0].RecordIDs, ex.Network[0].ID) {
		t.Errorf("privacy's record %+v %v", log, err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestNewNetworkCode: a member who lost their activation code gets a new one
// from the client only; the old code stops working, the new one activates;
// it is recorded like the invitation; an activated or ended member gets none.
func TestNewNetworkCode(t *testing.T) {
	w := newPlanWorld(t)
	db := w.raw(t)
	m, err := w.s.AddNetworkMember(w.ctx, w.self, w.c.ID, records.NewNetworkMember{Name: "Sara"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.NewNetworkCode(w.ctx, w.self, w.c.ID, m.ID, []byte("new")); records.ErrorCode(err) != records.ECONFLICT {
		t.Errorf("a code before the invitation: %v", err)
	}
	if _, err := w.s.InviteNetworkMember(w.ctx, w.self, w.c.ID, m.ID, "sara", []byte("old")); err != nil {
		t.Fatal(err)
	}
	for name, a := range map[string]records.Actor{"professional": w.sam, "admin": w.adm, "other client": w.other} {
		before := maxSeq(t, db)
		if _, err := w.s.NewNetworkCode(w.ctx, a, w.c.ID, m.ID, []byte("stolen")); records.ErrorCode(err) != records.EFORBIDDEN {
			t.Errorf("%s gave a code: %v", name, err)
		}
		if rows := accessRowsAfter(t, db, before); len(rows) != 1 || rows[0].Outcome != "denied" {
			t.Errorf("%s: records %+v", name, rows)
		}
	}
	if _, err := w.s.NewNetworkCode(w.ctx, w.self, w.c.ID, "no-such-member", []byte("new")); records.ErrorCode(err) != records.ENOTFOUND {
		t.Errorf("unknown member: %v", err)
	}
	before := maxSeq(t, db)
	u, err := w.s.NewNetworkCode(w.ctx, w.self, w.c.ID, m.ID, []byte("new"))
	if err != nil || u.Username != "sara" || u.Role != records.RoleNetwork {
		t.Fatalf("new code: %+v %v", u, err)
	}
	rows := accessRowsAfter(t, db, before)
	if len(rows) != 1 || rows[0].RecordKind != records.KindNetwork || rows[0].Action != "grant" || rows[0].Outcome != "ok" ||
		rows[0].RecordIDs != m.ID+","+u.ID && rows[0].RecordIDs != m.ID+" "+u.ID {
		t.Errorf("records %+v", rows)
	}
	if _, err := w.s.ActivateAccount(w.ctx, "test", "sara", []byte("old"), "$argon2id$x"); err == nil {
		t.Error("the old code still activates")
	}
	if _, err := w.s.ActivateAccount(w.ctx, "test", "sara", []byte("new"), "$argon2id$x"); err != nil {
		t.Fatalf("the new code: %v", err)
	}
	if _, err := w.s.NewNetworkCode(w.ctx, w.self, w.c.ID, m.ID, []byte("again")); records.ErrorCode(err) != records.ECONFLICT {
		t.Errorf("a code after activation: %v", err)
	}
	if err := w.s.EndNetworkAccess(w.ctx, w.self, w.c.ID, m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.NewNetworkCode(w.ctx, w.self, w.c.ID, m.ID, []byte("again")); records.ErrorCode(err) != records.ECONFLICT {
		t.Errorf("a code after the end: %v", err)
	}
}
