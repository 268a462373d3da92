package app_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/nabij/nabij/records"
)

// The readable export is text/html; the response check reads it as a string.
func init() { openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.FileBodyDecoder) }

// uuidText finds an id (a UUID) in text people read.
var uuidText = regexp.MustCompile(`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`)

// visibleText is an HTML page without its tags and attributes: what a reader sees.
func visibleText(html string) string {
	html = regexp.MustCompile(`(?s)<(script|style)[^>]*>.*?</(script|style)>`).ReplaceAllString(html, " ")
	return regexp.MustCompile(`(?s)<[^>]*>`).ReplaceAllString(html, " ")
}

func TestMyPrivacyAPI(t *testing.T) {
	e := newEnv(t)
	noorTok, samTok := e.token(t, noor), e.token(t, "sam")
	count := func(p records.Privacy, user string) (reads, denied int) {
		for _, r := range p.ReadsByPerson {
			if r.Username == user {
				reads, denied = reads+r.Reads, denied+r.Denied
			}
		}
		return reads, denied
	}
	var before records.Privacy
	e.get(t, noorTok, "/api/v1/me/privacy").expect(t, http.StatusOK).decode(t, &before)
	// Noor reads her own file twice, sam once more: own reads are not counted
	// unless asked for.
	for range 2 {
		e.get(t, noorTok, "/api/v1/me/file").expect(t, http.StatusOK)
	}
	e.get(t, samTok, "/api/v1/clients/"+e.noorID+"/file").expect(t, http.StatusOK)

	var p records.Privacy
	e.get(t, noorTok, "/api/v1/me/privacy").expect(t, http.StatusOK).decode(t, &p)
	var sam *records.AccessHolder
	for i, h := range p.HasAccess {
		if h.Username == "sam" {
			sam = &p.HasAccess[i]
		}
	}
	if sam == nil || sam.Name != "Sam Verhoeven" || sam.Via != records.ViaCaseload || sam.GivenBy == "" {
		t.Fatalf("has_access does not name sam, on the caseload, and who gave it: %+v", p.HasAccess)
	}
	for _, r := range p.ReadsByPerson {
		if r.Own || r.Role == records.RoleClient {
			t.Errorf("own reads counted without own=1: %+v", r)
		}
	}
	samBefore, _ := count(before, "sam")
	samAfter, _ := count(p, "sam")
	_, lenaDenied := count(p, "lena")
	// The demo has lena try noor's file once.
	if samAfter != samBefore+1 || lenaDenied != 1 {
		t.Errorf("sam's reads went from %d to %d (want one more), lena was refused %d times (want 1): %+v", samBefore, samAfter, lenaDenied, p.ReadsByPerson)
	}
	// The demo gives noor an open trajectory and one sam closed just now:
	// shared notes of the open one have no date yet, of the closed one 15
	// years from its close.
	kinds := map[string]bool{}
	open, dated := 0, 0
	for _, k := range p.KeptUntil {
		kinds[k.Kind] = true
		if k.Kind != records.KindNoteShared {
			continue
		}
		switch {
		case k.Open && k.Until == nil:
			open++
		case !k.Open && k.Until != nil && k.Until.Sub(time.Now().AddDate(15, 0, 0)).Abs() < time.Hour:
			dated++
		default:
			t.Errorf("shared notes: %+v", k)
		}
	}
	if open != 1 || dated != 1 {
		t.Errorf("shared notes: %d open, %d dated lines, want 1 and 1: %+v", open, dated, p.KeptUntil)
	}
	for _, k := range records.RetentionKinds {
		if !kinds[k] {
			t.Errorf("kept_until has no line for %s", k)
		}
	}
	if p.Shared == nil {
		t.Error("shared is missing (want a list, maybe empty)")
	}

	var own records.Privacy
	e.get(t, noorTok, "/api/v1/me/privacy?own=1").expect(t, http.StatusOK).decode(t, &own)
	ownReads := 0
	for _, r := range own.ReadsByPerson {
		if r.Own {
			ownReads += r.Reads
		}
	}
	// Two file reads and the two looks at the overview before this one.
	if !own.OwnReads || ownReads != 4 {
		t.Errorf("with own=1: own reads %d (want 4): %+v", ownReads, own.ReadsByPerson)
	}

	e.do(t, req{method: http.MethodGet, path: "/api/v1/me/privacy?own=maybe", token: noorTok, badInput: true}).expect(t, http.StatusUnprocessableEntity)
	e.get(t, samTok, "/api/v1/me/privacy").expect(t, http.StatusForbidden)
}

func TestReadableExport(t *testing.T) {
	e := newEnv(t)
	tok := e.token(t, noor)
	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			r := e.do(t, req{method: http.MethodGet, path: "/api/v1/me/export?format=html", token: tok,
				header: map[string]string{"Accept-Language": lang}}).expect(t, http.StatusOK)
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type %q", ct)
			}
			if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") {
				t.Errorf("Content-Disposition %q", cd)
			}
			page := string(r.body)
			text := visibleText(page)
			if id := uuidText.FindString(text); id != "" {
				t.Errorf("the readable export shows an id: %s", id)
			}
			want := map[string][]string{
				"nl": {"Sam Verhoeven", "Alles wat we over jou bewaren", "Hoe lang we alles bewaren", "Wie las je dossier", "Huisbezoek"},
				"en": {"Sam Verhoeven", "Everything we keep about you", "How long we keep everything", "Who read your file", "Home visit"},
			}[lang]
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("the readable export lacks %q", w)
				}
			}
			if !strings.Contains(page, `lang="`+lang+`"`) {
				t.Errorf("not in %s", lang)
			}
		})
	}
	// The JSON export is as it was: no names map, no read summary.
	r := e.get(t, tok, "/api/v1/me/export").expect(t, http.StatusOK)
	for _, k := range []string{`"names"`, `"reads"`, `"kept_until"`, `"Names"`} {
		if strings.Contains(string(r.body), k) {
			t.Errorf("the JSON export grew a field %s", k)
		}
	}
}

func TestWorkContact(t *testing.T) {
	e := newEnv(t)
	samID, lenaID := e.users["sam"].ID, e.users["lena"].ID
	cases := []struct {
		name, user, uid, contact string
		status                   int
	}{
		{"OwnProfessional", "sam", samID, "  +32 9 123 45 67   (werk) ", http.StatusNoContent},
		{"Admin", "admin", lenaID, "lena@wijkteam.example", http.StatusNoContent},
		{"OtherProfessional", "sam", lenaID, "not mine", http.StatusForbidden},
		{"Client", noor, samID, "no", http.StatusForbidden},
		{"NotAProfessional", "admin", e.users[noor].ID, "x", http.StatusNotFound},
		{"TooLong", "sam", samID, strings.Repeat("9", 201), http.StatusUnprocessableEntity},
		{"ControlCharacter", "sam", samID, "a\u0007b", http.StatusUnprocessableEntity},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.do(t, req{method: http.MethodPut, path: "/api/v1/users/" + tc.uid + "/work-contact", token: e.token(t, tc.user),
				body: map[string]string{"work_contact": tc.contact}, badInput: tc.status == http.StatusUnprocessableEntity}).expect(t, tc.status)
		})
	}
	// Noor's file names sam, and how to reach him, as he set it.
	var f records.File
	e.get(t, e.token(t, noor), "/api/v1/me/file").expect(t, http.StatusOK).decode(t, &f)
	found := false
	for _, h := range f.Helpers {
		if h.Username == "sam" {
			found = true
			if h.WorkContact != "+32 9 123 45 67 (werk)" || h.Name != "Sam Verhoeven" {
				t.Errorf("sam on noor's file: %+v", h)
			}
		}
	}
	if !found {
		t.Errorf("noor's file does not name sam: %+v", f.Helpers)
	}
	// A professional's view of the file does not carry it.
	var pro records.File
	e.get(t, e.token(t, "sam"), "/api/v1/clients/"+e.noorID+"/file").expect(t, http.StatusOK).decode(t, &pro)
	if len(pro.Helpers) != 0 {
		t.Errorf("helpers in a professional's read: %+v", pro.Helpers)
	}
}
