package sqlite_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/nabij/nabij/records"
)

// nextMonday is the start (UTC midnight) of the ISO week after t's.
func nextMonday(t time.Time) time.Time {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	for {
		d = d.AddDate(0, 0, 1)
		if d.Weekday() == time.Monday {
			return d
		}
	}
}

func isoWeek(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

func TestClientPrivacyReadsByPerson(t *testing.T) {
	w := newWorld(t)
	// Start a fresh week (the world's set-up lies in earlier weeks), a day in.
	week1 := nextMonday(w.now()).Add(26 * time.Hour)
	w.clock.Advance(week1.Sub(w.now()))
	read := func(a records.Actor, n int) {
		t.Helper()
		for range n {
			_, _ = w.s.ClientFile(w.ctx, a, records.PurposeCare, w.c.ID) // bram's fails: his emergency access ended
		}
	}
	read(w.sam, 3)
	self := func(n int) {
		t.Helper()
		for range n {
			if _, err := w.s.ClientFile(w.ctx, w.self, records.PurposeOwnFile, w.c.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	self(2)
	read(w.bram, 1)
	read(w.tess, 2)
	w.clock.Advance(7 * 24 * time.Hour)
	read(w.sam, 1)

	key := func(r records.PersonReads) string { return r.Week + " " + r.Username }
	type counts struct{ reads, denied int }
	collect := func(p *records.Privacy) map[string]counts {
		m := map[string]counts{}
		for _, r := range p.ReadsByPerson {
			if _, dup := m[key(r)]; dup {
				t.Errorf("two rows for %s", key(r))
			}
			m[key(r)] = counts{r.Reads, r.Denied}
		}
		return m
	}
	w1, w2 := isoWeek(week1), isoWeek(week1.AddDate(0, 0, 7))
	cases := []struct {
		name string
		own  bool
		want map[string]counts
		// absent are rows that must not be there.
		absent []string
	}{
		{"OthersOnly", false, map[string]counts{w1 + " sam": {3, 0}, w1 + " tess": {2, 0}, w1 + " bram": {0, 1}, w2 + " sam": {1, 0}},
			[]string{w1 + " noor", w2 + " noor"}},
		// The first look above is a read of the client's own in week 2.
		{"WithOwn", true, map[string]counts{w1 + " sam": {3, 0}, w1 + " noor": {2, 0}, w2 + " noor": {1, 0}, w2 + " sam": {1, 0}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := w.s.ClientPrivacy(w.ctx, w.self, w.c.ID, tc.own)
			if err != nil {
				t.Fatal(err)
			}
			got := collect(p)
			for k, want := range tc.want {
				if got[k] != want {
					t.Errorf("%s: got %+v, want %+v (all: %+v)", k, got[k], want, got)
				}
			}
			for _, k := range tc.absent {
				if _, ok := got[k]; ok {
					t.Errorf("%s is counted, but own reads were not asked for", k)
				}
			}
			if len(p.ReadsByPerson) == 0 || p.ReadsByPerson[0].Week != w2 {
				t.Errorf("newest week first: %+v", p.ReadsByPerson)
			}
			for _, r := range p.ReadsByPerson {
				if r.Own != (r.Username == "noor") {
					t.Errorf("%s: own %v", key(r), r.Own)
				}
				if y, wk := r.WeekStart.ISOWeek(); fmt.Sprintf("%04d-W%02d", y, wk) != r.Week || r.WeekStart.Weekday() != time.Monday {
					t.Errorf("%s: week starts %s", key(r), r.WeekStart)
				}
			}
		})
	}
}

func TestClientPrivacyHasAccess(t *testing.T) {
	w := newWorld(t)
	// bram's emergency access from the set-up has ended; olga's is new.
	w.clock.Advance(5 * time.Hour)
	if _, err := w.s.BreakGlass(w.ctx, w.olga, w.c.ID, "crisis call at night"); err != nil {
		t.Fatal(err)
	}
	p, err := w.s.ClientPrivacy(w.ctx, w.self, w.c.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]records.AccessHolder{}
	for _, h := range p.HasAccess {
		got[h.Username] = h
	}
	cases := []struct {
		user, via, givenBy, team, reason string
	}{
		{"sam", records.ViaCaseload, "sam", "", ""},
		{"tess", records.ViaTeam, "admin", "Wijkteam Noord", ""},
		{"olga", records.ViaBreakGlass, "", "", "crisis call at night"},
	}
	for _, tc := range cases {
		h, ok := got[tc.user]
		if !ok {
			t.Errorf("%s has access but is not listed: %+v", tc.user, p.HasAccess)
			continue
		}
		if h.Via != tc.via || h.GivenBy != tc.givenBy || h.Team != tc.team || h.Reason != tc.reason || h.Since.IsZero() {
			t.Errorf("%s: got %+v, want via %s given by %q team %q reason %q", tc.user, h, tc.via, tc.givenBy, tc.team, tc.reason)
		}
	}
	if _, ok := got["bram"]; ok {
		t.Error("bram's emergency access has ended, yet he is listed")
	}
	if len(p.HasAccess) != len(cases) {
		t.Errorf("got %d holders, want %d: %+v", len(p.HasAccess), len(cases), p.HasAccess)
	}
	if h := got["olga"]; h.Until == nil || !h.Until.After(w.now()) {
		t.Errorf("emergency access without its end: %+v", h)
	}
	if len(p.Trajectories) != 1 || p.Trajectories[0].Goal != "Stable housing" {
		t.Errorf("trajectories: %+v", p.Trajectories)
	}
}

func TestClientPrivacyOnlyTheClient(t *testing.T) {
	w := newWorld(t)
	for _, a := range []records.Actor{w.sam, w.other, w.dpo, w.adm} {
		if _, err := w.s.ClientPrivacy(w.ctx, a, w.c.ID, false); records.ErrorCode(err) != records.EFORBIDDEN {
			t.Errorf("%s: got %v, want EFORBIDDEN", a.Role, err)
		}
	}
	before := maxSeq(t, w.raw(t))
	if _, err := w.s.ClientPrivacy(w.ctx, w.self, w.c.ID, false); err != nil {
		t.Fatal(err)
	}
	rows := accessRowsAfter(t, w.raw(t), before)
	if len(rows) != 1 || rows[0].RecordKind != records.KindPrivacy {
		t.Errorf("the look is one access record of kind privacy: %+v", rows)
	}
}
