package sqlite_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nabij/nabij/records"
)

var caseCodeShape = regexp.MustCompile(`^K-[1-9][0-9]{3}$`)

func TestNormalizeCaseCode(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"K-4821", "K-4821", true},
		{" k-4821 ", "K-4821", true},
		{"4821", "K-4821", true},
		{"K4821", "K-4821", true},
		{"K-48", "", false},
		{"K-48a1", "", false},
		{"", "", false},
		{"0195f3c2-7e1a-7b2c-9d4e-5f6a7b8c9d0e", "", false},
	} {
		got, ok := records.NormalizeCaseCode(tc.in)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("NormalizeCaseCode(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestCaseCodes(t *testing.T) {
	w := newWorld(t)
	t.Run("OK", func(t *testing.T) {
		seen := map[string]bool{}
		for _, c := range []*records.Client{w.c, w.d} {
			if !caseCodeShape.MatchString(c.CaseCode) {
				t.Fatalf("case code %q is not K-nnnn", c.CaseCode)
			}
			seen[c.CaseCode] = true
		}
		if len(seen) != 2 {
			t.Fatalf("two clients share a case code: %v", seen)
		}
		got, err := w.s.Client(w.ctx, w.sam, records.PurposeCare, w.c.ID)
		if err != nil || got.CaseCode != w.c.CaseCode {
			t.Fatalf("Client: case code %q, %v; want %q", got.CaseCode, err, w.c.CaseCode)
		}
		list, err := w.s.Caseload(w.ctx, w.sam)
		if err != nil || len(list) != 1 || list[0].CaseCode != w.c.CaseCode {
			t.Fatalf("caseload: %+v, %v", list, err)
		}
	})
	t.Run("PickByCode", func(t *testing.T) {
		for _, a := range []records.Actor{w.dpo, w.adm, w.sam} {
			codes, err := w.s.ClientCodes(w.ctx, a)
			if err != nil || len(codes) != 2 {
				t.Fatalf("ClientCodes as %s: %+v, %v", a.Role, codes, err)
			}
			id, err := w.s.ClientByCode(w.ctx, a, " "+w.d.CaseCode[2:])
			if err != nil || id != w.d.ID {
				t.Fatalf("ClientByCode as %s: %q, %v", a.Role, id, err)
			}
		}
	})
	t.Run("Errors", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			a    records.Actor
			code string
			want string
		}{
			{"ErrClient", w.self, w.c.CaseCode, records.EFORBIDDEN},
			{"ErrNotACode", w.dpo, "Noor", records.EINVALID},
			{"ErrUnknown", w.dpo, "K-0000", records.ENOTFOUND},
		} {
			if _, err := w.s.ClientByCode(w.ctx, tc.a, tc.code); records.ErrorCode(err) != tc.want {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
			}
		}
		if _, err := w.s.ClientCodes(w.ctx, w.self); records.ErrorCode(err) != records.EFORBIDDEN {
			t.Errorf("a client lists case codes: %v", err)
		}
	})
	t.Run("ExistingRowsAtOpen", func(t *testing.T) {
		// Clients from before case codes get theirs when the store opens.
		w.s.Close()
		db := w.raw(t)
		mustExec(t, db, `UPDATE clients SET case_code = NULL`)
		db.Close()
		env := mustOpenAt(t, w.dir)
		codes, err := env.store.ClientCodes(w.ctx, w.dpo)
		if err != nil {
			t.Fatal(err)
		}
		if len(codes) != 2 || codes[0].CaseCode == codes[1].CaseCode {
			t.Fatalf("codes after open: %+v", codes)
		}
		for _, c := range codes {
			if !caseCodeShape.MatchString(c.CaseCode) {
				t.Fatalf("case code %q after open", c.CaseCode)
			}
		}
	})
}

func TestReviewAnomaly(t *testing.T) {
	w := newWorld(t)
	if _, err := w.s.ClientFile(w.ctx, w.olga, records.PurposeCare, w.c.ID); records.ErrorCode(err) != records.EFORBIDDEN {
		t.Fatalf("olga read the file: %v", err)
	}
	since := w.now().Add(-time.Hour)
	list, err := w.s.Anomalies(w.ctx, w.dpo, since)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{}
	for _, an := range list {
		if an.Key == "" || !strings.HasPrefix(an.Key, an.Kind+":") {
			t.Fatalf("anomaly %s has key %q", an.Kind, an.Key)
		}
		keys[an.Kind] = an.Key
	}
	if keys["break_glass"] == "" || keys["denied"] == "" {
		t.Fatalf("the world's anomalies: %v", keys)
	}
	const note = "Asked bram: the night shelter called, lead was away"
	t.Run("OK", func(t *testing.T) {
		seq := maxSeq(t, w.raw(t))
		if err := w.s.ReviewAnomaly(w.ctx, w.dpo, keys["break_glass"], note); err != nil {
			t.Fatal(err)
		}
		recs := accessRowsAfter(t, w.raw(t), seq)
		if len(recs) != 1 || recs[0].RecordKind != "anomalies" || recs[0].Action != "change" ||
			recs[0].RecordIDs != keys["break_glass"] || recs[0].ClientID != w.c.ID || recs[0].Purpose != "audit" {
			t.Fatalf("the review's access record: %+v", recs)
		}
		var plain int
		if err := w.raw(t).QueryRow(`SELECT COUNT(*) FROM anomaly_reviews WHERE note_plain IS NOT NULL`).Scan(&plain); err != nil || plain != 0 {
			t.Fatalf("the note is stored in plaintext (%d, %v)", plain, err)
		}
		var sealed []byte
		if err := w.raw(t).QueryRow(`SELECT note_sealed FROM anomaly_reviews`).Scan(&sealed); err != nil || len(sealed) == 0 ||
			strings.Contains(string(sealed), "night shelter") {
			t.Fatalf("the note is not sealed (%v)", err)
		}
		list, err := w.s.Anomalies(w.ctx, w.dpo, since)
		if err != nil {
			t.Fatal(err)
		}
		reviewed := 0
		for _, an := range list {
			if an.Review == nil {
				continue
			}
			reviewed++
			if an.Key != keys["break_glass"] || an.Review.Note != note || an.Review.ReviewedBy != "dpo" {
				t.Fatalf("review: %s %+v", an.Key, an.Review)
			}
		}
		if reviewed != 1 {
			t.Fatalf("%d anomalies reviewed, want 1", reviewed)
		}
	})
	for _, tc := range []struct {
		name      string
		a         records.Actor
		key, note string
		want      string
	}{
		{"ErrAgain", w.dpo, keys["break_glass"], "again", records.ECONFLICT},
		{"ErrNoNote", w.dpo, keys["denied"], " x ", records.EINVALID},
		{"ErrBadKey", w.dpo, "whatever", note, records.EINVALID},
		{"ErrBadSeq", w.dpo, "denied:abc", note, records.EINVALID},
		{"ErrUnknown", w.dpo, "denied:999999", note, records.ENOTFOUND},
		{"ErrUnknownContact", w.dpo, "consent_missing:" + w.visit.ID, note, records.ENOTFOUND},
		{"ErrProfessional", w.sam, keys["denied"], note, records.EFORBIDDEN},
		{"ErrAdmin", w.adm, keys["denied"], note, records.EFORBIDDEN},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seq := maxSeq(t, w.raw(t))
			err := w.s.ReviewAnomaly(w.ctx, tc.a, tc.key, tc.note)
			if records.ErrorCode(err) != tc.want {
				t.Fatalf("%v, want %s", err, tc.want)
			}
			recs := accessRowsAfter(t, w.raw(t), seq)
			if tc.want == records.EFORBIDDEN && (len(recs) != 1 || recs[0].Outcome != "denied") {
				t.Fatalf("a refused review wrote %+v, want one denied record", recs)
			}
			if tc.want != records.EFORBIDDEN && len(recs) != 0 {
				t.Fatalf("a failed review wrote %+v", recs)
			}
		})
	}
}
