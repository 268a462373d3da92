package sqlite_test

import (
	"strings"
	"testing"
	"time"

	"github.com/nabij/nabij/records"
)

func TestHandOver(t *testing.T) {
	for _, mode := range []string{records.HandoverShare, records.HandoverMove} {
		t.Run(mode, func(t *testing.T) {
			w := newWorld(t)
			reads := func(a records.Actor) bool {
				_, err := w.s.ClientFile(w.ctx, a, records.PurposeCare, w.c.ID)
				return err == nil
			}
			until := records.HandoverUntil(w.now().AddDate(0, 0, 14))
			seq := maxSeq(t, w.raw(t))
			h, err := w.s.HandOver(w.ctx, w.adm, records.NewHandover{From: w.sam.UserID, To: w.olga.UserID, Mode: mode, Until: until})
			if err != nil {
				t.Fatal(err)
			}
			if h.Clients != 1 || h.FromName != "sam" || h.ToName != "olga" || !h.Until.Equal(until) {
				t.Fatalf("handover: %+v", h)
			}
			// One transaction's records: grants (and for a move the revoke and
			// the return), all on the client, as caseload events.
			var got []string
			for _, r := range accessRowsAfter(t, w.raw(t), seq) {
				if r.RecordKind != "caseload" || r.ClientID != w.c.ID || r.Purpose != "administration" {
					t.Fatalf("handover record: %+v", r)
				}
				got = append(got, r.Action+" "+r.RecordIDs[strings.Index(r.RecordIDs, ",")+1:])
			}
			want := "grant " + w.olga.UserID
			if mode == records.HandoverMove {
				want = "revoke " + w.sam.UserID + "|grant " + w.sam.UserID + "|" + want
			}
			if strings.Join(got, "|") != want {
				t.Fatalf("records %v, want %s", got, want)
			}
			if !reads(w.olga) {
				t.Fatal("the stand-in cannot read the file")
			}
			if reads(w.sam) != (mode == records.HandoverShare) {
				t.Fatalf("sam reads the file during a %s: %v", mode, reads(w.sam))
			}
			holders, err := w.s.FileAccess(w.ctx, w.self, w.c.ID)
			if err != nil {
				t.Fatal(err)
			}
			var stand *records.StandIn
			for i := range holders {
				if holders[i].Name == "olga" {
					stand = &holders[i]
				}
			}
			if stand == nil || stand.Until == nil || !stand.Until.Equal(until) || stand.StandsInFor != "sam" {
				t.Fatalf("the client sees %+v", holders)
			}
			list, err := w.s.Handovers(w.ctx, w.adm)
			if err != nil || len(list) != 1 || list[0].Clients != 1 || list[0].Mode != mode {
				t.Fatalf("handovers: %+v, %v", list, err)
			}
			// At the date the stand-in's access ends by itself, and after a move
			// sam has the caseload again.
			w.clock.Advance(until.Sub(w.now()) + time.Minute)
			if reads(w.olga) {
				t.Fatal("the stand-in still reads the file after the date")
			}
			if !reads(w.sam) {
				t.Fatal("sam does not read the file after the handover")
			}
		})
	}
}

func TestHandOverRefused(t *testing.T) {
	w := newWorld(t)
	until := w.now().AddDate(0, 0, 7)
	for _, tc := range []struct {
		name string
		a    records.Actor
		in   records.NewHandover
		want string
	}{
		{"ErrNotAdmin", w.sam, records.NewHandover{From: w.sam.UserID, To: w.olga.UserID, Mode: "share", Until: until}, records.EFORBIDDEN},
		{"ErrDataOfficer", w.dpo, records.NewHandover{From: w.sam.UserID, To: w.olga.UserID, Mode: "share", Until: until}, records.EFORBIDDEN},
		{"ErrSame", w.adm, records.NewHandover{From: w.sam.UserID, To: w.sam.UserID, Mode: "share", Until: until}, records.EINVALID},
		{"ErrMode", w.adm, records.NewHandover{From: w.sam.UserID, To: w.olga.UserID, Mode: "lend", Until: until}, records.EINVALID},
		{"ErrPast", w.adm, records.NewHandover{From: w.sam.UserID, To: w.olga.UserID, Mode: "share", Until: w.now().Add(-time.Hour)}, records.EINVALID},
		{"ErrTooLong", w.adm, records.NewHandover{From: w.sam.UserID, To: w.olga.UserID, Mode: "share", Until: w.now().AddDate(2, 0, 0)}, records.EINVALID},
		{"ErrToClient", w.adm, records.NewHandover{From: w.sam.UserID, To: w.self.UserID, Mode: "share", Until: until}, records.EINVALID},
		{"ErrToDataOfficer", w.adm, records.NewHandover{From: w.sam.UserID, To: w.dpo.UserID, Mode: "move", Until: until}, records.EINVALID},
		{"ErrNoCaseload", w.adm, records.NewHandover{From: w.bram.UserID, To: w.olga.UserID, Mode: "share", Until: until}, records.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seq := maxSeq(t, w.raw(t))
			before := countRows(t, w.raw(t), "caseload")
			if _, err := w.s.HandOver(w.ctx, tc.a, tc.in); records.ErrorCode(err) != tc.want {
				t.Fatalf("%v, want %s", err, tc.want)
			}
			if n := countRows(t, w.raw(t), "caseload"); n != before {
				t.Fatalf("caseload rows %d → %d", before, n)
			}
			if recs := accessRowsAfter(t, w.raw(t), seq); len(recs) != 0 {
				t.Fatalf("a refused handover wrote %+v", recs)
			}
		})
	}
	if _, err := w.s.FileAccess(w.ctx, w.adm, w.c.ID); records.ErrorCode(err) != records.EFORBIDDEN {
		t.Fatalf("the admin reads who has access to a file: %v", err)
	}
	if _, err := w.s.FileAccess(w.ctx, w.other, w.c.ID); records.ErrorCode(err) != records.EFORBIDDEN {
		t.Fatalf("another client reads who has access to a file: %v", err)
	}
}
