package consent_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nabij/nabij/consent"
	"github.com/nabij/nabij/consent/fhirtest"
	"github.com/nabij/nabij/crypto"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/sqlite"
	"github.com/nabij/nabij/records/sqlite/storetest"
)

func TestConsentValidate(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	past, future := now.Add(-time.Hour), now.Add(time.Hour)
	cases := []struct {
		name  string
		role  records.Role
		in    consent.Input
		field string // "" when valid
	}{
		{"OK/Channel", records.RoleProfessional, consent.Input{Purpose: "contact_channel", Channel: "chat", Evidence: "verbal"}, ""},
		{"OK/Disclosure", records.RoleProfessional, consent.Input{Purpose: "disclosure", Recipient: "OCMW Gent", Reason: "budget counselling", Evidence: "written", ExpiresAt: &future}, ""},
		{"OK/ClientOnlineByDefault", records.RoleClient, consent.Input{Purpose: "statistics"}, ""},
		{"ErrPurposeRequired", records.RoleProfessional, consent.Input{Evidence: "verbal"}, "purpose"},
		{"ErrPurposeUnknown", records.RoleProfessional, consent.Input{Purpose: "marketing", Evidence: "verbal"}, "purpose"},
		{"ErrChannelFaceToFace", records.RoleProfessional, consent.Input{Purpose: "contact_channel", Channel: "office", Evidence: "verbal"}, "channel"},
		{"ErrChannelUnknown", records.RoleProfessional, consent.Input{Purpose: "contact_channel", Channel: "pigeon", Evidence: "verbal"}, "channel"},
		{"ErrChannelMissing", records.RoleProfessional, consent.Input{Purpose: "contact_channel", Evidence: "verbal"}, "channel"},
		{"ErrRecipientMissing", records.RoleProfessional, consent.Input{Purpose: "disclosure", Reason: "x", Evidence: "verbal"}, "recipient"},
		{"ErrReasonMissing", records.RoleProfessional, consent.Input{Purpose: "disclosure", Recipient: "OCMW", Evidence: "verbal"}, "reason"},
		{"ErrStatisticsWithChannel", records.RoleProfessional, consent.Input{Purpose: "statistics", Channel: "chat", Evidence: "verbal"}, "purpose"},
		{"ErrEvidenceMissing", records.RoleProfessional, consent.Input{Purpose: "statistics"}, "evidence"},
		{"ErrProfessionalOnline", records.RoleProfessional, consent.Input{Purpose: "statistics", Evidence: "online"}, "evidence"},
		{"ErrClientVerbal", records.RoleClient, consent.Input{Purpose: "statistics", Evidence: "verbal"}, "evidence"},
		{"ErrExpiresInPast", records.RoleProfessional, consent.Input{Purpose: "statistics", Evidence: "written", ExpiresAt: &past}, "expires_at"},
		{"GivenInThePast", records.RoleProfessional, consent.Input{Purpose: "statistics", Evidence: "written", GivenAt: &past}, ""},
		{"ErrGivenInFuture", records.RoleProfessional, consent.Input{Purpose: "statistics", Evidence: "written", GivenAt: &future}, "given_at"},
		{"ErrRecipientTooLong", records.RoleProfessional, consent.Input{Purpose: "disclosure", Recipient: strings.Repeat("x", 201), Reason: "r", Evidence: "verbal"}, "recipient"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := consent.Validate(tc.in, tc.role, now)
			if got := records.ErrorField(err); got != tc.field || (tc.field != "" && records.ErrorCode(err) != records.EINVALID) {
				t.Errorf("err = %v (field %q), want field %q", err, got, tc.field)
			}
		})
	}
}

func TestConsentValidAtAndStatus(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(h int) *time.Time { x := t0.Add(time.Duration(h) * time.Hour); return &x }
	cases := []struct {
		name              string
		expires, withdraw *time.Time
		t                 time.Time
		valid             bool
		status            string
	}{
		{"BeforeGrant", nil, nil, t0.Add(-time.Millisecond), false, "pending"},
		{"AtGrant", nil, nil, t0, true, "active"},
		{"BeforeExpiry", at(2), nil, *at(1), true, "active"},
		{"AtExpiry", at(2), nil, *at(2), false, "expired"},
		{"BeforeWithdrawal", nil, at(3), *at(2), true, "active"},
		{"AtWithdrawal", nil, at(3), *at(3), false, "withdrawn"},
		{"WithdrawnBeforeExpiry", at(5), at(3), *at(6), false, "withdrawn"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Given at t0, typed in a day later: validity runs from when it was given.
			c := records.Consent{GivenAt: t0, GrantedAt: t0.Add(24 * time.Hour), ExpiresAt: tc.expires, WithdrawnAt: tc.withdraw}
			if got := consent.ValidAt(c, tc.t); got != tc.valid {
				t.Errorf("ValidAt = %v, want %v", got, tc.valid)
			}
			if got := consent.Status(c, tc.t); got != tc.status {
				t.Errorf("Status = %q, want %q", got, tc.status)
			}
		})
	}
}

func TestRetentionDueAt(t *testing.T) {
	created := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	closed := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	ninety := 90
	born := time.Date(2000, 5, 17, 0, 0, 0, 0, time.UTC)
	leap := time.Date(2004, 2, 29, 0, 0, 0, 0, time.UTC)
	closedLate := time.Date(2041, 9, 1, 0, 0, 0, 0, time.UTC)
	age35 := records.RetentionRule{Basis: records.BasisUntilAge, Age: 35}
	cases := []struct {
		name   string
		rule   records.RetentionRule
		closed *time.Time
		born   *time.Time
		want   *time.Time
	}{
		{"AfterCloseOpen", records.RetentionRule{Basis: records.BasisAfterClose, Years: 15}, nil, nil, nil},
		{"AfterClose", records.RetentionRule{Basis: records.BasisAfterClose, Years: 15}, &closed, nil, tp(closed.AddDate(15, 0, 0))},
		{"AfterCreation", records.RetentionRule{Basis: records.BasisAfterCreation, Years: 1, Days: 2}, nil, nil, tp(created.AddDate(1, 0, 2))},
		{"PersonalCapWhileOpen", records.RetentionRule{Basis: records.BasisAfterClose, MaxDays: &ninety}, nil, nil, tp(created.AddDate(0, 0, 90))},
		{"PersonalAtClose", records.RetentionRule{Basis: records.BasisAfterClose, MaxDays: &ninety}, &closed, nil, tp(closed)},
		{"UntilAge", age35, &closed, &born, tp(time.Date(2035, 5, 17, 0, 0, 0, 0, time.UTC))},
		{"UntilAgeOpen", age35, nil, &born, nil},
		{"UntilAgeNoBirthDate", age35, &closed, nil, nil},
		{"UntilAgeClosedAfterBirthday", age35, &closedLate, &born, tp(closedLate)},
		{"UntilAgeLaterThanPeriod", records.RetentionRule{Basis: records.BasisUntilAge, Age: 35, Years: 5}, &closed, &born, tp(time.Date(2035, 5, 17, 0, 0, 0, 0, time.UTC))},
		{"UntilAgePeriodLater", records.RetentionRule{Basis: records.BasisUntilAge, Age: 35, Years: 15}, &closed, &born, tp(closed.AddDate(15, 0, 0))},
		{"UntilAgeLeapDay", records.RetentionRule{Basis: records.BasisUntilAge, Age: 35}, &closed, &leap, tp(time.Date(2039, 3, 1, 0, 0, 0, 0, time.UTC))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := consent.DueAt(tc.rule, created, tc.closed, tc.born)
			if (got == nil) != (tc.want == nil) || got != nil && !got.Equal(*tc.want) {
				t.Errorf("DueAt = %v, want %v", got, tc.want)
			}
		})
	}
	for _, r := range consent.DefaultRules() {
		if err := consent.ValidateRule(r); err != nil {
			t.Errorf("default rule %s: %v", r.Kind, err)
		}
		if r.Source == "" {
			t.Errorf("default rule %s has no source", r.Kind)
		}
	}
	bad := []records.RetentionRule{
		{Kind: "photos", Basis: records.BasisAfterClose, Action: "destroy"},
		{Kind: records.KindNoteShared, Basis: "whenever", Action: "destroy"},
		{Kind: records.KindNoteShared, Basis: records.BasisAfterClose, Action: "anonymise"},
		{Kind: records.KindAccessRecord, Basis: records.BasisAfterClose, Action: "destroy"},
		{Kind: records.KindNotePersonal, Basis: records.BasisAfterClose, Action: "destroy"},
		{Kind: records.KindContact, Basis: records.BasisAfterClose, Years: -1, Action: "destroy"},
		{Kind: records.KindEntry, Basis: records.BasisUntilAge, Age: 0, Action: "destroy"},
		{Kind: records.KindEntry, Basis: records.BasisUntilAge, Age: 121, Action: "destroy"},
		{Kind: records.KindEntry, Basis: records.BasisAfterClose, Age: 35, Years: 2, Action: "destroy"},
	}
	for _, r := range bad {
		if err := consent.ValidateRule(r); records.ErrorCode(err) != records.EINVALID {
			t.Errorf("rule %+v accepted", r)
		}
	}
	for _, age := range []int{1, 35, 120} {
		if err := consent.ValidateRule(records.RetentionRule{Kind: records.KindNoteShared, Basis: records.BasisUntilAge, Age: age, Action: "destroy"}); err != nil {
			t.Errorf("until_age %d refused: %v", age, err)
		}
	}
}

func tp(t time.Time) *time.Time { return &t }

func TestStatisticsSuppressBoundary(t *testing.T) {
	for _, n := range []int{0, 1, 4, 5, 6} {
		d := &records.StatisticsData{ConsentingClients: n, ChannelMonths: []records.ChannelMonthCount{{Channel: "chat", Month: "2026-10", Contacts: 3 * n, Clients: n}}}
		for i := 0; i < n; i++ {
			d.Trajectories = append(d.Trajectories, records.TrajectoryMix{ClientID: string(rune('a' + i)), TrajectoryID: "t", Online: 1})
		}
		st := consent.Suppress(d)
		c := st.ChannelMonths[0]
		if want := n < 5; c.Suppressed != want || (c.Clients == nil) != want || (c.Contacts == nil) != want {
			t.Errorf("n=%d: cell %+v, suppressed want %v", n, c, want)
		}
		for _, b := range st.OnlineShare {
			if b.Band == "online_only" && b.Suppressed != (n < 5) {
				t.Errorf("n=%d: band %+v", n, b)
			}
		}
		if (st.ConsentingClients == nil) != (n < 5) || consent.K != 5 {
			t.Errorf("n=%d: consenting clients shown %v", n, st.ConsentingClients)
		}
		b, _ := json.Marshal(st)
		if n < 5 && strings.Contains(string(b), `"clients":`) {
			t.Errorf("n=%d: JSON shows client counts: %s", n, b)
		}
	}
}

func TestFHIREncounterClass(t *testing.T) {
	want := map[records.Channel]string{"office": "AMB", "outreach": "AMB", "home_visit": "HH", "video": "VR", "phone": "VR",
		"chat": "VR", "email": "VR", "messaging": "VR", "ehealth_module": "VR"}
	for _, ch := range records.Channels {
		if got, _ := consent.EncounterClass(ch); got != want[ch] {
			t.Errorf("%s: %s, want %s", ch, got, want[ch])
		}
	}
}

// fhirStore is a store with one client whose file has every kind of record.
func fhirStore(t *testing.T) (records.Store, records.Actor, string) {
	t.Helper()
	dir := t.TempDir()
	kr, err := crypto.OpenKeyring(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	signer, err := kr.SigningKey("checkpoints")
	if err != nil {
		t.Fatal(err)
	}
	st, err := storetest.Open(t, dir, sqlite.Options{Keyring: kr, Signer: signer})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	user := func(name string, role records.Role, clientID string) records.Actor {
		u, err := st.CreateUser(ctx, records.System(), records.NewUser{Username: name, Role: role, DisplayName: name, PasswordHash: "$argon2id$x", ClientID: clientID})
		if err != nil {
			t.Fatal(err)
		}
		return records.Actor{UserID: u.ID, Role: role, ClientID: clientID, Remote: "127.0.0.1"}
	}
	sam := user("sam", records.RoleProfessional, "")
	c, err := st.CreateClient(ctx, sam, records.NewClient{Name: "Noor El Amrani", BirthDate: "1994-03-12", Contact: "+32 470 10 20 30"})
	if err != nil {
		t.Fatal(err)
	}
	self := user("noor", records.RoleClient, c.ID)
	tr, err := st.CreateTrajectory(ctx, sam, c.ID, records.NewTrajectory{Goal: "Find stable housing"})
	if err != nil {
		t.Fatal(err)
	}
	svc := consent.New(st, nil)
	if _, err := svc.Record(ctx, sam, c.ID, consent.Input{Purpose: "contact_channel", Channel: "chat", Evidence: "verbal"}); err != nil {
		t.Fatal(err)
	}
	v, err := svc.Record(ctx, self, c.ID, consent.Input{Purpose: "disclosure", Recipient: "OCMW Gent", Reason: "budget counselling"})
	if err != nil {
		t.Fatal(err)
	}
	var prev string
	for i, ch := range []records.Channel{records.ChannelOffice, records.ChannelChat, records.ChannelHomeVisit, records.ChannelVideo, records.ChannelOutreach} {
		k, err := st.CreateContact(ctx, sam, c.ID, records.NewContact{TrajectoryID: tr.ID, Channel: ch, OccurredAt: time.Now().Add(time.Duration(i-10) * time.Hour),
			DurationMinutes: 30, FollowUpOf: prev})
		if err != nil {
			t.Fatal(err)
		}
		prev = k.ID
	}
	n, err := st.CreateNote(ctx, sam, c.ID, records.NewNote{ContactID: prev, Body: "We walked to the housing office together.", Visibility: records.VisibilityShared})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CorrectNote(ctx, sam, n.ID, records.Correction{Body: "We walked to the housing office together; form filed.", Visibility: records.VisibilityShared}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateNote(ctx, sam, c.ID, records.NewNote{TrajectoryID: tr.ID, Body: "Neighbour's report", Visibility: records.VisibilityRestricted, RestrictedReason: "third-party information"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateNote(ctx, sam, c.ID, records.NewNote{TrajectoryID: tr.ID, Body: "SECRET personal working note", Visibility: records.VisibilityPersonal}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateEntry(ctx, self, c.ID, "Please call me in the afternoon."); err != nil {
		t.Fatal(err)
	}
	// The client's plan: a question, a goal with one step done and one not,
	// a professional's comment, a proposal the client declined, and a
	// person of the network.
	if err := st.SetPlanQuestion(ctx, self, c.ID, "I want a place of my own."); err != nil {
		t.Fatal(err)
	}
	g, err := st.AddPlanGoal(ctx, self, c.ID, "A room of my own")
	if err != nil {
		t.Fatal(err)
	}
	done, err := st.AddPlanStep(ctx, self, c.ID, g.ID, "Register with the housing corporation")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetPlanStepDone(ctx, self, c.ID, done.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddPlanStep(ctx, self, c.ID, g.ID, "Visit two rooms"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CommentPlanGoal(ctx, sam, c.ID, g.ID, "We call the corporation together on Monday."); err != nil {
		t.Fatal(err)
	}
	pr, err := st.ProposePlanGoal(ctx, sam, c.ID, "Budget coaching")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DecidePlanProposal(ctx, self, c.ID, pr.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddNetworkMember(ctx, self, c.ID, records.NewNetworkMember{Name: "Sanne", Relation: "sister",
		Reach: "+32 470 11 22 33", HelpsWith: "the move"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Withdraw(ctx, self, v.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CloseTrajectory(ctx, sam, tr.ID); err != nil {
		t.Fatal(err)
	}
	return st, self, c.ID
}

// TestFHIRBundleValidates maps a client's export to FHIR R4 and validates it
// with the npm fhir package (installed by scripts/install-test-tools).
func TestFHIRBundleValidates(t *testing.T) {
	st, self, clientID := fhirStore(t)
	ex, err := consent.New(st, nil).Export(context.Background(), self, clientID)
	if err != nil {
		t.Fatal(err)
	}
	bundle := consent.FHIRBundle(ex)
	b, err := json.Marshal(bundle)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "SECRET") || strings.Contains(string(b), "TmVpZ2hib3VyJ3MgcmVwb3J0") {
		t.Error("the bundle holds a personal or restricted note's content")
	}
	counts := map[string]int{}
	classes := map[string]bool{}
	for _, e := range bundle["entry"].([]any) {
		r := e.(map[string]any)["resource"].(map[string]any)
		counts[r["resourceType"].(string)]++
		if r["resourceType"] == "Encounter" {
			classes[r["class"].(map[string]any)["code"].(string)] = true
		}
	}
	for typ, n := range map[string]int{"Patient": 1, "EpisodeOfCare": 1, "Encounter": 5, "Consent": 2, "DocumentReference": 4,
		"CarePlan": 1, "Goal": 2, "RelatedPerson": 1} {
		if counts[typ] != n {
			t.Errorf("%d %s, want %d (all: %v)", counts[typ], typ, n, counts)
		}
	}
	for _, want := range []string{`"description":"I want a place of my own."`, `"lifecycleStatus":"rejected"`,
		`"text":"We call the corporation together on Monday."`, `"relationship":[{"text":"sister"}]`, `"active":false`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the bundle lacks %s", want)
		}
	}
	steps := map[string]string{}
	for _, e := range bundle["entry"].([]any) {
		if r := e.(map[string]any)["resource"].(map[string]any); r["resourceType"] == "CarePlan" {
			for _, a := range r["activity"].([]any) {
				d := a.(consent.Resource)["detail"].(consent.Resource)
				steps[d["description"].(string)] = d["status"].(string)
			}
		}
	}
	if steps["Register with the housing corporation"] != "completed" || steps["Visit two rooms"] != "not-started" || len(steps) != 2 {
		t.Errorf("the plan's steps as activities: %v", steps)
	}
	if counts["AuditEvent"] == 0 || !classes["VR"] || !classes["AMB"] || !classes["HH"] {
		t.Errorf("audit events %d, classes %v", counts["AuditEvent"], classes)
	}
	fhirtest.Validate(t, b)
	// The validator must catch a broken bundle, or the check above proves nothing.
	broken := strings.Replace(string(b), `"resourceType":"Encounter"`, `"resourceType":"Encounter","colour":"blue"`, 1)
	if ok, msgs := fhirtest.Check(t, []byte(broken)); ok {
		t.Errorf("the validator accepted a bundle with an unknown property: %s", msgs)
	}
}

func TestKeptUntil(t *testing.T) {
	opened := time.Date(2020, 2, 1, 0, 0, 0, 0, time.UTC)
	closed := time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)
	later := time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC)
	ninety := 90
	file := records.RetentionRule{Kind: records.KindNoteShared, Basis: records.BasisAfterClose, Years: 15, Action: records.ActionDestroyRows}
	entries := records.RetentionRule{Kind: records.KindEntry, Basis: records.BasisAfterClose, Years: 20, Days: 3, Action: records.ActionDestroyRows}
	personal := records.RetentionRule{Kind: records.KindNotePersonal, Basis: records.BasisAfterClose, MaxDays: &ninety, Action: records.ActionDestroyRows}
	created := records.RetentionRule{Kind: records.KindContact, Basis: records.BasisAfterCreation, Years: 2, Action: records.ActionAnonymise}
	youth := records.RetentionRule{Kind: records.KindNoteShared, Basis: records.BasisUntilAge, Age: 35, Action: records.ActionDestroyRows}
	youthFile := records.RetentionRule{Kind: records.KindEntry, Basis: records.BasisUntilAge, Age: 35, Action: records.ActionDestroyRows}
	birthday := time.Date(2041, 3, 12, 0, 0, 0, 0, time.UTC)
	open := records.Trajectory{Goal: "Werk", OpenedAt: opened}
	shut := records.Trajectory{Goal: "Wonen", OpenedAt: opened, ClosedAt: &closed}
	shutLater := records.Trajectory{Goal: "Schulden", OpenedAt: opened, ClosedAt: &later}
	type line struct {
		trajectory string
		open       bool
		until      *time.Time
	}
	cases := []struct {
		name string
		rule records.RetentionRule
		trs  []records.Trajectory
		born string
		want []line
	}{
		{"PerTrajectoryClosed", file, []records.Trajectory{shut}, "", []line{{"Wonen", false, tp(closed.AddDate(15, 0, 0))}}},
		{"PerTrajectoryOpen", file, []records.Trajectory{open}, "", []line{{"Werk", true, nil}}},
		{"PerTrajectoryBoth", file, []records.Trajectory{shut, open}, "", []line{{"Wonen", false, tp(closed.AddDate(15, 0, 0))}, {"Werk", true, nil}}},
		{"PerTrajectoryNone", file, nil, "", nil},
		{"PersonalAtClose", personal, []records.Trajectory{shut}, "", []line{{"Wonen", false, tp(closed)}}},
		{"PersonalOpen", personal, []records.Trajectory{open}, "", []line{{"Werk", true, nil}}},
		{"AfterCreationNoDate", created, []records.Trajectory{shut}, "", []line{{"Wonen", false, nil}}},
		{"FileLastClose", entries, []records.Trajectory{shut, shutLater}, "", []line{{"", false, tp(later.AddDate(20, 0, 3))}}},
		{"FileOneOpen", entries, []records.Trajectory{shut, open}, "", []line{{"", true, nil}}},
		{"FileNoTrajectory", entries, nil, "", []line{{"", true, nil}}},
		{"AgeClosed", youth, []records.Trajectory{shut}, "2006-03-12", []line{{"Wonen", false, tp(birthday)}}},
		{"AgeOpen", youth, []records.Trajectory{open}, "2006-03-12", []line{{"Werk", true, nil}}},
		{"AgeNoBirthDate", youth, []records.Trajectory{shut}, "", []line{{"Wonen", false, nil}}},
		{"AgeFileClosed", youthFile, []records.Trajectory{shut, shutLater}, "2006-03-12", []line{{"", false, tp(birthday)}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := consent.KeptUntil([]records.RetentionRule{tc.rule}, tc.trs, tc.born)
			if n := len(got); n == 0 || got[n-1].Kind != records.KindPlan {
				t.Fatalf("the last line is not the plan's: %+v", got)
			}
			got = got[:len(got)-1]
			if len(got) != len(tc.want) {
				t.Fatalf("got %d lines, want %d: %+v", len(got), len(tc.want), got)
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Kind != tc.rule.Kind || g.Trajectory != w.trajectory || g.Open != w.open {
					t.Errorf("line %d: got kind %s trajectory %q open %v, want %s %q %v", i, g.Kind, g.Trajectory, g.Open, tc.rule.Kind, w.trajectory, w.open)
				}
				switch {
				case (g.Until == nil) != (w.until == nil):
					t.Errorf("line %d: until %v, want %v", i, g.Until, w.until)
				case g.Until != nil && !g.Until.Equal(*w.until):
					t.Errorf("line %d: until %s, want %s", i, g.Until, w.until)
				}
				if g.Years != tc.rule.Years || g.Days != tc.rule.Days || g.Action != tc.rule.Action || g.Basis != tc.rule.Basis || g.Age != tc.rule.Age {
					t.Errorf("line %d: the rule's period and action are not passed on: %+v", i, g)
				}
				if wantBirthday := tc.rule.Basis == records.BasisUntilAge && tc.born != ""; (g.Birthday != nil) != wantBirthday ||
					wantBirthday && !g.Birthday.Equal(birthday) {
					t.Errorf("line %d: birthday %v", i, g.Birthday)
				}
			}
		})
	}
}

// TestPlanKept: the plan has no rule of its own; it goes with the client's
// key, so it is kept as long as the longest-kept kind of the file, from the
// last close of all the client's help (personal working notes and the access
// log aside).
func TestPlanKept(t *testing.T) {
	opened := time.Date(2020, 2, 1, 0, 0, 0, 0, time.UTC)
	closed := time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)
	later := time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC)
	ninety := 90
	rules := []records.RetentionRule{
		{Kind: records.KindNoteShared, Basis: records.BasisAfterClose, Years: 15, Action: records.ActionDestroyRows},
		{Kind: records.KindEntry, Basis: records.BasisAfterClose, Years: 20, Days: 3, Action: records.ActionDestroyRows},
		{Kind: records.KindNotePersonal, Basis: records.BasisAfterClose, Days: 40000, MaxDays: &ninety, Action: records.ActionDestroyRows},
		{Kind: records.KindAccessRecord, Basis: records.BasisAfterClose, Years: 30, Action: records.ActionAnonymise},
	}
	open := records.Trajectory{Goal: "Werk", OpenedAt: opened}
	shut := records.Trajectory{Goal: "Wonen", OpenedAt: opened, ClosedAt: &closed}
	shutLater := records.Trajectory{Goal: "Schulden", OpenedAt: opened, ClosedAt: &later}
	cases := []struct {
		name  string
		trs   []records.Trajectory
		open  bool
		until *time.Time
	}{
		{"AllClosed", []records.Trajectory{shut, shutLater}, false, tp(later.AddDate(20, 0, 3))},
		{"OneOpen", []records.Trajectory{shut, open}, true, nil},
		{"NoHelpYet", nil, true, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := consent.KeptUntil(rules, tc.trs, "")
			k := got[len(got)-1]
			if k.Kind != records.KindPlan || k.Trajectory != "" || k.Open != tc.open || k.Years != 20 || k.Days != 3 ||
				k.Basis != records.BasisAfterClose || k.Action != records.ActionDestroyRows {
				t.Fatalf("plan line %+v", k)
			}
			if (k.Until == nil) != (tc.until == nil) || k.Until != nil && !k.Until.Equal(*tc.until) {
				t.Errorf("until %v, want %v", k.Until, tc.until)
			}
		})
	}
	// An until_age rule keeps the plan at least until that birthday; with
	// the birth date unknown there is no date to give.
	young := append(append([]records.RetentionRule{}, rules...),
		records.RetentionRule{Kind: records.KindNoteShared, Basis: records.BasisUntilAge, Age: 35, Action: records.ActionDestroyRows})
	for _, tc := range []struct {
		born  string
		until *time.Time
	}{
		{"2020-05-01", tp(time.Date(2055, 5, 1, 0, 0, 0, 0, time.UTC))},
		{"1950-05-01", tp(later.AddDate(20, 0, 3))},
		{"", nil},
	} {
		got := consent.KeptUntil(young, []records.Trajectory{shut, shutLater}, tc.born)
		k := got[len(got)-1]
		if (k.Until == nil) != (tc.until == nil) || k.Until != nil && !k.Until.Equal(*tc.until) {
			t.Errorf("born %q: plan kept until %v, want %v", tc.born, k.Until, tc.until)
		}
	}
}
