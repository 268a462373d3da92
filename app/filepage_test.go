package app_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"testing"

	"github.com/nabij/nabij/records"
)

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
