package app_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"testing"

	"github.com/nabij/nabij/app"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/records/sqlite"
)

// TestFileReadsOnBothPaths: a file read on the writer and one in a snapshot
// answer the same file and leave the same access record; a refused read
// answers nothing and leaves a denied record either way.
func TestFileReadsOnBothPaths(t *testing.T) {
	var files []records.File
	for _, p := range []sqlite.ReadPath{sqlite.ReadsOnWriter, sqlite.ReadsInSnapshots} {
		e := newEnv(t, func(c *app.Config) { c.Reads = p })
		path := "/api/v1/clients/" + e.noorID + "/file"
		before := e.headSeq(t)
		var f records.File
		e.get(t, e.token(t, sam), path).expect(t, 200).decode(t, &f)
		if len(f.Notes) == 0 || f.Notes[len(f.Notes)-1].Body == "" {
			t.Fatalf("reads %s: a file without note text: %+v", p, f.Notes)
		}
		rec := e.wantRecord(t, sam, before, e.noorID, records.OutcomeOK, records.RuleCaseload)
		if len(rec.RecordIDs) != len(f.Notes) {
			t.Errorf("reads %s: the record names %d notes, the answer holds %d", p, len(rec.RecordIDs), len(f.Notes))
		}
		e.get(t, e.token(t, lena), path).expect(t, 403)
		e.wantRecord(t, lena, before, e.noorID, records.OutcomeDenied, records.RuleNone)
		files = append(files, f)
	}
	if len(files[0].Notes) != len(files[1].Notes) || files[0].Notes[0].Body != files[1].Notes[0].Body {
		t.Errorf("the two paths answer different files: %d and %d notes", len(files[0].Notes), len(files[1].Notes))
	}
}

// TestFilePagesAPI: the file API returns a page of notes with a cursor to
// the older ones; walking it returns every note once; a bad page is a
// problem+json naming the field.
func TestFilePagesAPI(t *testing.T) {
	e := newEnv(t)
	st := e.token(t, sam)
	path := "/api/v1/clients/" + e.noorID + "/file"
	var all records.File
	e.get(t, st, path+"?limit=100").expect(t, 200).decode(t, &all)
	if len(all.Notes) < 3 {
		t.Fatalf("noor's file has %d notes; the walk needs at least 3", len(all.Notes))
	}
	var walked []string
	q := "?limit=2"
	for pages := 0; ; pages++ {
		if pages > len(all.Notes) {
			t.Fatal("the walk does not end")
		}
		var f records.File
		e.get(t, st, path+q).expect(t, 200).decode(t, &f)
		if len(f.Notes) > 2 {
			t.Fatalf("page of %d notes, limit 2", len(f.Notes))
		}
		for i := len(f.Notes) - 1; i >= 0; i-- {
			walked = append(walked, f.Notes[i].ID)
		}
		if f.Older == "" {
			break
		}
		q = "?limit=2&before=" + url.QueryEscape(f.Older)
	}
	var want []string
	for i := len(all.Notes) - 1; i >= 0; i-- {
		want = append(want, all.Notes[i].ID)
	}
	if !slices.Equal(walked, want) {
		t.Fatalf("walk %v, want %v", walked, want)
	}

	good := records.NoteCursor{At: 1, ID: "abc"}.String()
	for _, c := range []struct{ query, field string }{
		{"limit=0", "limit"}, {"limit=101", "limit"}, {"limit=ten", "limit"},
		{"before=%25%25", "before"}, {"after=bm90LWEtY3Vyc29y", "after"}, {"before=" + good + "&after=" + good, "before"},
	} {
		for _, p := range []string{path, "/api/v1/me/file"} {
			tok := st
			if p != path {
				tok = e.token(t, "noor")
			}
			r := e.do(t, req{method: http.MethodGet, path: p + "?" + c.query, token: tok, badInput: true}).expect(t, 422)
			if pr := r.problem(t); len(pr.Errors) == 0 || pr.Errors[0].Field != c.field {
				t.Errorf("%s?%s: errors %+v, want field %s", p, c.query, pr.Errors, c.field)
			}
		}
	}
}

var olderLink = regexp.MustCompile(`href="([^"]*before=[^"]*)" rel="next"`)

// TestFilePagesPage: the file pages link to older and newer notes without
// JavaScript, and a bad cursor is a readable error page.
func TestFilePagesPage(t *testing.T) {
	h := newPageHarness(t, true)
	noor := h.user("noor").ClientID
	b := h.browser("en")
	b.login("sam")
	r := b.get("/clients/" + noor + "?limit=1")
	r.want(t, http.StatusOK, "Older notes")
	m := olderLink.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatal("no link to older notes")
	}
	b.get(html.UnescapeString(m[1])).want(t, http.StatusOK, "Newer notes")
	b.get("/clients/"+noor+"?before=nonsense").want(t, http.StatusUnprocessableEntity)

	nb := h.browser("nl")
	nb.login("noor")
	nb.get("/my/file?limit=1").want(t, http.StatusOK, "Oudere notities")
	nb.get("/my/file?limit=zero").want(t, http.StatusUnprocessableEntity)
}
