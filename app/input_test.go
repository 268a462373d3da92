package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nabij/nabij/app"
	"github.com/nabij/nabij/records"
)

// fileCounts is how many trajectories, contacts and notes sam sees in a file.
func (e *env) fileCounts(t *testing.T, clientID string) [3]int {
	t.Helper()
	var f records.File
	e.get(t, e.token(t, sam), "/api/v1/clients/"+clientID+"/file").expect(t, 200).decode(t, &f)
	return [3]int{len(f.Trajectories), len(f.Contacts), len(f.Notes)}
}

// TestBadInputIsRefusedAndChangesNothing sends each kind of bad body and
// checks the status, the problem+json shape and field, and that the file is
// unchanged afterwards.
func TestBadInputIsRefusedAndChangesNothing(t *testing.T) {
	const limit = 4 << 10
	e := newEnv(t, func(c *app.Config) { c.BodyLimit = limit })
	st := e.token(t, sam)
	var tr, milanContact struct{ ID string }
	e.post(t, st, "/api/v1/clients/"+e.noorID+"/trajectories", map[string]any{"goal": "Input tests"}).expect(t, 201).decode(t, &tr)
	// A contact of another client (milan, lena's) to point a follow-up at.
	var milanFile records.File
	e.get(t, e.token(t, lena), "/api/v1/clients/"+e.milanID+"/file").expect(t, 200).decode(t, &milanFile)
	milanContact.ID = milanFile.Contacts[0].ID

	notes := "/api/v1/clients/" + e.noorID + "/notes"
	contacts := "/api/v1/clients/" + e.noorID + "/contacts"
	good := `{"trajectory_id":"` + tr.ID + `","body":"fine","visibility":"shared"}`
	cases := []struct {
		name      string
		path      string
		raw       string
		ctype     string
		status    int
		field     string // errors[].field, when the problem names one
		typeSlug  string
		noCTCheck bool
	}{
		{name: "TooLarge", path: notes, raw: `{"trajectory_id":"` + tr.ID + `","visibility":"shared","body":"` + strings.Repeat("x", 2*limit) + `"}`,
			status: 413, typeSlug: "too-large"},
		{name: "Malformed", path: notes, raw: `{"trajectory_id":"` + tr.ID + `","body":`, status: 400, typeSlug: "malformed-body"},
		{name: "NotAnObject", path: notes, raw: `["shared"]`, status: 400, typeSlug: "malformed-body"},
		{name: "TwoObjects", path: notes, raw: good + good, status: 400, typeSlug: "malformed-body"},
		{name: "UnknownField", path: notes, raw: `{"trajectory_id":"` + tr.ID + `","body":"x","visibility":"shared","colour":"red"}`,
			status: 400, field: "colour", typeSlug: "malformed-body"},
		{name: "WrongType", path: notes, raw: `{"trajectory_id":"` + tr.ID + `","body":"x","visibility":5}`, status: 400, field: "visibility", typeSlug: "malformed-body"},
		{name: "WrongTypeNumber", path: contacts, raw: `{"trajectory_id":"` + tr.ID + `","channel":"office","occurred_at":"2026-01-02T10:00:00Z","duration_minutes":"long"}`,
			status: 400, field: "duration_minutes", typeSlug: "malformed-body"},
		{name: "NoContentType", path: notes, raw: good, ctype: "-", status: 415, typeSlug: "unsupported-media-type"},
		{name: "FormContentType", path: notes, raw: "body=x&visibility=shared", ctype: "application/x-www-form-urlencoded", status: 415, typeSlug: "unsupported-media-type"},
		{name: "EmptyBody", path: notes, raw: `{"trajectory_id":"` + tr.ID + `","body":"","visibility":"shared"}`, status: 422, field: "body", typeSlug: "validation"},
		{name: "UnknownVisibility", path: notes, raw: `{"trajectory_id":"` + tr.ID + `","body":"x","visibility":"secret"}`, status: 422, field: "visibility", typeSlug: "validation"},
		{name: "RestrictedWithoutReason", path: notes, raw: `{"trajectory_id":"` + tr.ID + `","body":"x","visibility":"restricted"}`, status: 422, field: "restricted_reason", typeSlug: "validation"},
		{name: "UnknownChannel", path: contacts, raw: `{"trajectory_id":"` + tr.ID + `","channel":"pigeon","occurred_at":"2026-01-02T10:00:00Z"}`,
			status: 422, field: "channel", typeSlug: "validation"},
		{name: "FollowUpOfAnotherClient", path: contacts,
			raw:    `{"trajectory_id":"` + tr.ID + `","channel":"chat","occurred_at":"` + time.Now().UTC().Format(time.RFC3339) + `","follow_up_of":"` + milanContact.ID + `"}`,
			status: 422, field: "follow_up_of", typeSlug: "validation"},
		{name: "TrajectoryOfAnotherClient", path: contacts,
			raw:    `{"trajectory_id":"` + milanFile.Trajectories[0].ID + `","channel":"office","occurred_at":"2026-01-02T10:00:00Z"}`,
			status: 422, field: "trajectory_id", typeSlug: "validation"},
	}
	before := e.fileCounts(t, e.noorID)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.do(t, req{method: http.MethodPost, path: c.path, token: st, raw: []byte(c.raw), ctype: c.ctype, badInput: true})
			if r.status != c.status {
				t.Fatalf("status %d, want %d: %s", r.status, c.status, clip(r.body))
			}
			p := r.problem(t)
			if p.Type != "urn:nabij:problem:"+c.typeSlug {
				t.Errorf("type %q, want …%s", p.Type, c.typeSlug)
			}
			if p.Title == "" || p.Instance != c.path {
				t.Errorf("title %q, instance %q", p.Title, p.Instance)
			}
			if c.field != "" {
				if len(p.Errors) == 0 || p.Errors[0].Field != c.field || p.Errors[0].Detail == "" {
					t.Errorf("errors %+v, want field %q with detail", p.Errors, c.field)
				}
			}
			if r.header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control %q", r.header.Get("Cache-Control"))
			}
		})
	}
	if after := e.fileCounts(t, e.noorID); after != before {
		t.Errorf("file changed by refused requests: %v → %v", before, after)
	}
	// The same route still works with a good body: the refusals were about the input.
	e.do(t, req{method: http.MethodPost, path: notes, token: st, raw: []byte(good)}).expect(t, 201)
	if after := e.fileCounts(t, e.noorID); after[2] != before[2]+1 {
		t.Errorf("good note not added: %v → %v", before, after)
	}
}

// TestBadQueryIsRefused: query parameters are checked too.
func TestBadQueryIsRefused(t *testing.T) {
	e := newEnv(t)
	dt := e.token(t, dpo)
	for _, q := range []struct{ query, field string }{
		{"limit=0", "limit"}, {"limit=501", "limit"}, {"before=-3", "before"}, {"from=yesterday", "from"}, {"outcome=maybe", "outcome"}, {"action=peek", "action"},
	} {
		r := e.do(t, req{method: http.MethodGet, path: "/api/v1/access-log?" + q.query, token: dt, badInput: true}).expect(t, 422)
		if p := r.problem(t); len(p.Errors) == 0 || p.Errors[0].Field != q.field {
			t.Errorf("%s: errors %+v, want field %s", q.query, p.Errors, q.field)
		}
	}
}
