package web

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/records"
)

// AccessRow is one access record as the pages show it.
type AccessRow struct {
	Seq                      int64
	At                       time.Time
	ActorName, ActorUsername string
	ActorRole                string
	ClientID, Kind, Action   string
	CaseCode                 string // for staff, set by CaseCodes.Fill
	Purpose, Rule            string
	// PurposeLabel names the purpose as the reader should read it
	// ("purpose.<label>"): the client's own-file purpose is told apart by
	// what was done (reading, or adding an entry or withdrawing a consent)
	// and by who reads the log (the client, or staff).
	PurposeLabel       string
	BreakGlass, Denied bool
	Count              int
	// For emergency access: the reason given and when the access ends.
	Reason  string
	Expires *time.Time
	// For a caseload assignment or team membership: the staff account given
	// (or losing) access, and the team.
	Subject, Team string
	// Event is the catalogue key of the sentence that tells the client an
	// administrative or security event ("event.caseload_grant" …); "" for a
	// read or change of client data. Sentence is that sentence, filled in.
	Event, Sentence string
	// For the client's page (GroupReads): how many consecutive records this
	// row stands for and the oldest one's time; the record told as one
	// sentence, and the rule that allowed it in plain words.
	Times                      int
	First                      time.Time
	ClientSentence, ClientRule string
}

// AccessRows turns access records into rows; you, when set, replaces the
// reader's own name (the client sees "you").
func AccessRows(list []records.AccessView, me records.Actor, you string) []AccessRow {
	rows := make([]AccessRow, 0, len(list))
	for _, r := range list {
		row := AccessRow{Seq: r.Seq, At: r.At, ActorName: r.ActorName, ActorUsername: r.ActorUsername,
			ActorRole: string(r.ActorRole), ClientID: r.ClientID, Kind: r.RecordKind, Action: string(r.Action),
			Purpose: string(r.Purpose), Rule: string(r.Rule), BreakGlass: r.BreakGlass(),
			Denied: r.Outcome == records.OutcomeDenied, Count: len(r.RecordIDs),
			Reason: r.BreakGlassReason, Expires: r.BreakGlassExpires, Team: r.TeamName,
			Subject: r.SubjectName, Event: eventKey(r)}
		if row.Subject == "" {
			row.Subject = r.SubjectUsername
		}
		row.PurposeLabel = purposeLabel(r.Purpose, r.Action, you != "")
		if row.Event != "" {
			row.Count = 0 // the ids name accounts and assignments, not records read
		}
		if you != "" && r.ActorID == me.UserID {
			row.ActorName, row.ActorRole = you, ""
		}
		rows = append(rows, row)
	}
	return rows
}

// purposeLabel is the catalogue suffix of a purpose as its reader reads it.
// The own-file purpose covers everything clients do in their file, so its
// words follow the action: "you read your own file" only for a read.
func purposeLabel(p records.Purpose, act records.Action, client bool) string {
	if p != records.PurposeOwnFile {
		return string(p)
	}
	switch {
	case client && act == records.ActionRead:
		return "own_file"
	case client:
		return "own_file_change"
	case act == records.ActionRead:
		return "own_file_staff"
	}
	return "own_file_change_staff"
}

// PageBefore reads ?before=N (a record number, for paging); 0 when absent.
func PageBefore(c *fiber.Ctx) (int64, error) {
	v := c.Query("before")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, fiber.ErrBadRequest
	}
	return n, nil
}

// AccessPageSize is how many access records a page shows.
const AccessPageSize = 50

// OlderURL links to the next page when this one is full.
func OlderURL(path string, q url.Values, rows []AccessRow) string {
	if len(rows) < AccessPageSize {
		return ""
	}
	q.Set("before", strconv.FormatInt(rows[len(rows)-1].Seq, 10))
	return path + "?" + q.Encode()
}

// AccessView is an access-log page: its rows and the link to older ones.
type AccessView struct {
	Rows  []AccessRow
	Older string
	CSV   string // the same search as a CSV download, for the data officer
}

// eventKey names the sentence of an administrative or security event, "" for
// anything else.
func eventKey(r records.AccessView) string {
	team := r.SubjectUsername == "" && r.TeamName != ""
	switch {
	case r.RecordKind == records.KindCaseload && r.Action == records.ActionGrant && team:
		return "event.caseload_grant_team"
	case r.RecordKind == records.KindCaseload && r.Action == records.ActionGrant:
		return "event.caseload_grant"
	case r.RecordKind == records.KindCaseload && r.Action == records.ActionRevoke && team:
		return "event.caseload_revoke_team"
	case r.RecordKind == records.KindCaseload && r.Action == records.ActionRevoke:
		return "event.caseload_revoke"
	case r.RecordKind == records.KindTeam && r.Action == records.ActionGrant:
		return "event.team_grant"
	case r.RecordKind == records.KindSession && r.Action == records.ActionSignIn && r.Outcome == records.OutcomeOK:
		return "event.sign_in"
	case r.RecordKind == records.KindSession && r.Action == records.ActionSignIn:
		return "event.sign_in_denied"
	case r.RecordKind == records.KindPassword:
		return "event.password"
	case r.RecordKind == records.KindTOTP:
		return "event.totp"
	case r.RecordKind == records.KindAccount && r.Action == records.ActionCreate:
		return "event.account_create"
	case r.RecordKind == records.KindAccount && r.Action == records.ActionRevoke:
		return "event.account_revoke"
	case r.RecordKind == records.KindAccount && r.Action == records.ActionChange:
		return "event.account_change"
	}
	return ""
}

// EventSentences fills in, for the client, the sentence of each event row:
// who (with their role) gave whom access to the file, or what happened to
// the client's own account.
func EventSentences(rows []AccessRow, lang string) {
	tr := renderer().Translator()
	for i := range rows {
		r := &rows[i]
		if r.Event == "" {
			continue
		}
		actor := r.ActorName
		if actor == "" {
			actor = r.ActorUsername
		}
		switch r.ActorRole {
		case "": // the reader, already "you"
		case "system":
			actor = capitalise(tr.T(lang, "role.system", nil))
		default:
			actor = capitalise(tr.T(lang, "role."+r.ActorRole, nil)) + " " + actor
		}
		r.Sentence = tr.T(lang, r.Event, map[string]any{"Actor": actor, "Subject": r.Subject, "Team": r.Team})
	}
}

func capitalise(s string) string {
	for i := range s {
		if i > 0 {
			return strings.ToUpper(s[:i]) + s[i:]
		}
	}
	return strings.ToUpper(s)
}

// GroupReads folds consecutive rows of the same person doing the same thing
// (same kind, action, purpose, rule and outcome; no event, no emergency
// access with its reason) into one row with Times set and First the oldest
// time, and words each row for the client (ClientSentence, ClientRule):
// fifty near-identical cards become one.
func GroupReads(rows []AccessRow, lang string) []AccessRow {
	tr := renderer().Translator()
	var out []AccessRow
	for _, r := range rows {
		r.Times, r.First = 1, r.At
		if n := len(out); n > 0 && r.Event == "" && !r.BreakGlass {
			p := &out[n-1]
			if p.Event == "" && !p.BreakGlass && p.ActorUsername == r.ActorUsername && p.ActorName == r.ActorName &&
				p.Kind == r.Kind && p.Action == r.Action && p.Purpose == r.Purpose && p.Rule == r.Rule && p.Denied == r.Denied {
				p.Times++
				p.First = r.At
				continue
			}
		}
		out = append(out, r)
	}
	for i := range out {
		r := &out[i]
		if r.Event != "" {
			continue
		}
		name := r.ActorName
		if name == "" {
			name = r.ActorUsername
		}
		did := "client_did." + r.Action + "." + r.Kind
		if r.Denied {
			did = "client_did.denied"
		}
		if !tr.Has(lang, did) {
			did = "client_did." + r.Action // the action alone, for kinds without their own sentence
		}
		if tr.Has(lang, did) {
			r.ClientSentence = tr.T(lang, did, map[string]any{"Name": name})
		}
		if key := "client_rule." + r.Rule; tr.Has(lang, key) {
			r.ClientRule = tr.T(lang, key, nil)
		}
	}
	return out
}
