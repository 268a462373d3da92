package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/nabij/nabij/records"
)

func TestSmoke(t *testing.T) {
	env := mustOpen(t)
	s := env.store
	ctx := context.Background()
	sam := mustCreateUser(t, s, "sam", records.RoleProfessional, "")
	lena := mustCreateUser(t, s, "lena", records.RoleProfessional, "")
	c, err := s.CreateClient(ctx, sam, records.NewClient{Name: "Noor Jansen", BirthDate: "1990-04-30"})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := s.CreateTrajectory(ctx, sam, c.ID, records.NewTrajectory{Goal: "Stable housing"})
	if err != nil {
		t.Fatal(err)
	}
	k1, err := s.CreateContact(ctx, sam, c.ID, records.NewContact{TrajectoryID: tr.ID, Channel: records.ChannelHomeVisit, OccurredAt: time.Now().Add(-time.Hour), DurationMinutes: 45, Synchronous: true})
	if err != nil {
		t.Fatal(err)
	}
	k2, err := s.CreateContact(ctx, sam, c.ID, records.NewContact{TrajectoryID: tr.ID, Channel: records.ChannelChat, OccurredAt: time.Now(), DurationMinutes: 10, FollowUpOf: k1.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !k2.ConsentMissing {
		t.Error("chat without consent not flagged")
	}
	if _, err := s.CreateNote(ctx, sam, c.ID, records.NewNote{ContactID: k1.ID, Body: "Visited at home", Visibility: records.VisibilityShared}); err != nil {
		t.Fatal(err)
	}
	n2, err := s.CreateNote(ctx, sam, c.ID, records.NewNote{ContactID: k2.ID, Body: "personal thought", Visibility: records.VisibilityPersonal})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CorrectNote(ctx, sam, n2.ID, records.Correction{Body: "now shared", Visibility: records.VisibilityShared}); err != nil {
		t.Fatal(err)
	}
	f, err := s.ClientFile(ctx, sam, records.PurposeCare, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if f.Client.Name != "Noor Jansen" || len(f.Notes) != 2 || len(f.Contacts[0].FollowedUpBy) != 1 {
		t.Fatalf("file: %+v", f)
	}
	if _, err := s.ClientFile(ctx, lena, records.PurposeCare, c.ID); records.ErrorCode(err) != records.EFORBIDDEN {
		t.Fatalf("lena: %v", err)
	}
	cl, err := s.Caseload(ctx, sam)
	if err != nil || len(cl) != 1 || cl[0].Name != "Noor Jansen" || cl[0].ConsentMissing != 1 {
		t.Fatalf("caseload %+v %v", cl, err)
	}
	rep, err := s.VerifyAccessLog(ctx, nil)
	if err != nil || !rep.OK {
		t.Fatalf("verify %+v %v", rep, err)
	}
	if err := s.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	rep, err = s.VerifyAccessLog(ctx, nil)
	if err != nil || !rep.OK || rep.Checkpoints != 1 {
		t.Fatalf("verify %+v %v", rep, err)
	}
	if err := s.ShredClient(ctx, records.System(), records.PurposeErasure, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClientFile(ctx, sam, records.PurposeCare, c.ID); records.ErrorCode(err) != records.EDESTROYED {
		t.Fatalf("after shred: %v", err)
	}
	t.Logf("records %d", rep.Records)
}
