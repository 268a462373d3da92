package sqlite_test

import (
	"regexp"
	"testing"

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
