package records

import (
	"context"
	"strings"
	"time"
)

// The register of digital tools is organisation data, not personal data: what
// apps and platforms the organisation uses or advises, where they keep data,
// and how good they are. Admins and the data officer keep it; everyone signed
// in reads it. Every change is an access record of kind KindTool.

// KindTool is the record kind of a change to the register of digital tools;
// KindTeamLead of a team-lead flag given or taken (record ids: the user);
// KindToolRecommendation of a tool recommended to a client; KindBlendedReport
// of a read of the blended-work report (no client: aggregated figures only).
const (
	KindTool               = "tool"
	KindTeamLead           = "team_lead"
	KindToolRecommendation = "tool_recommendation"
	KindBlendedReport      = "blended_report"
)

// ToolKind is what a tool is for.
type ToolKind string

// ToolKinds lists every kind, in display order.
var ToolKinds = []ToolKind{"video", "chat", "messaging", "email", "ehealth_module", "self_help_app", "website"}

// SelfHelp reports whether a professional may recommend a tool of this kind
// to a client: self-help apps and websites.
func (k ToolKind) SelfHelp() bool { return k == "self_help_app" || k == "website" }

// DataLocation is where a tool keeps what is said through it.
type DataLocation string

// DataLocations lists every location: in the EU, outside the EU, only on the
// device.
var DataLocations = []DataLocation{"eu", "outside_eu", "on_device"}

// Verdict is the organisation's judgement of a tool.
type Verdict string

const (
	VerdictAdvised    Verdict = "advised"
	VerdictOnTrial    Verdict = "on_trial"
	VerdictNotAdvised Verdict = "not_advised"
)

// Verdicts lists every verdict.
var Verdicts = []Verdict{VerdictAdvised, VerdictOnTrial, VerdictNotAdvised}

// AccessibilityLevels are the WCAG levels an accessibility statement may
// claim; "none" when there is no statement.
var AccessibilityLevels = []string{"none", "A", "AA", "AAA"}

// Checklist is the register's quality checklist: five questions, each met or
// not.
type Checklist struct {
	DataProtection bool `json:"data_protection"`
	Accessibility  bool `json:"accessibility"`
	Evidence       bool `json:"evidence"`
	Usability      bool `json:"usability"`
	Support        bool `json:"support"`
}

// Tool is one entry of the register.
type Tool struct {
	ID           string       `json:"id"`
	Name         string       `json:"name"`
	Kind         ToolKind     `json:"kind"`
	Vendor       string       `json:"vendor"`
	DataLocation DataLocation `json:"data_location"`
	EndToEnd     bool         `json:"end_to_end_encrypted"`
	// AccessibilityStatement is where the vendor's statement is (a web
	// address or a short description); AccessibilityLevel the WCAG level it
	// claims.
	AccessibilityStatement string     `json:"accessibility_statement"`
	AccessibilityLevel     string     `json:"accessibility_level"`
	Languages              []string   `json:"languages"`
	Cost                   string     `json:"cost"`
	Checklist              Checklist  `json:"checklist"`
	Verdict                Verdict    `json:"verdict"`
	ReviewedOn             *time.Time `json:"reviewed_on,omitempty"`
	DPIAOn                 *time.Time `json:"dpia_on,omitempty"`
	CreatedAt              time.Time  `json:"created_at"`
	UpdatedAt              time.Time  `json:"updated_at"`
}

// ToolInput is the input to CreateTool and UpdateTool: the whole entry.
type ToolInput struct {
	Name                   string       `json:"name"`
	Kind                   ToolKind     `json:"kind"`
	Vendor                 string       `json:"vendor"`
	DataLocation           DataLocation `json:"data_location"`
	EndToEnd               bool         `json:"end_to_end_encrypted"`
	AccessibilityStatement string       `json:"accessibility_statement"`
	AccessibilityLevel     string       `json:"accessibility_level"`
	Languages              []string     `json:"languages"`
	Cost                   string       `json:"cost"`
	Checklist              Checklist    `json:"checklist"`
	Verdict                Verdict      `json:"verdict"`
	ReviewedOn             *time.Time   `json:"reviewed_on"`
	DPIAOn                 *time.Time   `json:"dpia_on"`
}

func oneOf[T ~string](v T, list []T) bool {
	for _, x := range list {
		if v == x {
			return true
		}
	}
	return false
}

// Validate trims the text fields and checks the input; EINVALID names the
// field. Dates may not lie in the future (a review that has not happened is
// not a review).
func (in *ToolInput) Validate(now time.Time) error {
	in.Name, in.Vendor, in.Cost = strings.TrimSpace(in.Name), strings.TrimSpace(in.Vendor), strings.TrimSpace(in.Cost)
	in.AccessibilityStatement = strings.TrimSpace(in.AccessibilityStatement)
	if in.Name == "" {
		return invalid("name", "name is required")
	}
	for _, f := range []struct {
		field, v string
		max      int
	}{{"name", in.Name, 80}, {"vendor", in.Vendor, 120}, {"cost", in.Cost, 120}, {"accessibility_statement", in.AccessibilityStatement, 300}} {
		if err := CheckText(f.field, f.v, f.max); err != nil {
			return err
		}
	}
	if !oneOf(in.Kind, ToolKinds) {
		return invalid("kind", "kind must be one of video, chat, messaging, email, ehealth_module, self_help_app, website")
	}
	if !oneOf(in.DataLocation, DataLocations) {
		return invalid("data_location", "data_location must be eu, outside_eu or on_device")
	}
	if in.AccessibilityLevel == "" {
		in.AccessibilityLevel = "none"
	}
	if !oneOf(in.AccessibilityLevel, AccessibilityLevels) {
		return invalid("accessibility_level", "accessibility_level must be none, A, AA or AAA")
	}
	if !oneOf(in.Verdict, Verdicts) {
		return invalid("verdict", "verdict must be advised, on_trial or not_advised")
	}
	langs := []string{}
	for _, l := range in.Languages {
		l = strings.ToLower(strings.TrimSpace(l))
		if l == "" {
			continue
		}
		if len(l) < 2 || len(l) > 3 || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz") != "" {
			return invalid("languages", "languages are two- or three-letter codes such as nl, fr, en")
		}
		langs = append(langs, l)
	}
	if len(langs) > 20 {
		return invalid("languages", "at most 20 languages")
	}
	in.Languages = langs
	for _, d := range []struct {
		field string
		t     *time.Time
	}{{"reviewed_on", in.ReviewedOn}, {"dpia_on", in.DPIAOn}} {
		if d.t != nil && d.t.After(now) {
			return invalid(d.field, "%s may not lie in the future", d.field)
		}
	}
	return nil
}

// PrivacyLabels are the plain-language facts a client sees about a tool, as
// translation keys: where its data lives and whether it is end-to-end
// encrypted.
func (t *Tool) PrivacyLabels() []string {
	out := []string{"tools.label.location." + string(t.DataLocation)}
	if t.EndToEnd {
		return append(out, "tools.label.e2e")
	}
	return append(out, "tools.label.not_e2e")
}

// MaxOtherToolName is the longest name of a tool not in the register that a
// contact may give: a product name, not a description.
const MaxOtherToolName = 40

// UnlistedTool is a tool named on contacts ("other") that is not in the
// register yet: for the register's keepers to review.
type UnlistedTool struct {
	Name     string `json:"name"`
	Contacts int    `json:"contacts"`
}

// Warning codes returned beside a change that was made but deserves a second
// thought.
const (
	// WarnToolNotAdvised: the tool chosen is "not advised" in the register.
	WarnToolNotAdvised = "tool_not_advised"
)

// ClientTool is a tool used in a client's care: named on their contacts or
// consents, or recommended to them.
type ClientTool struct {
	Tool          Tool       `json:"tool"`
	Contacts      int        `json:"contacts"`
	InConsent     bool       `json:"in_consent"`
	RecommendedAt *time.Time `json:"recommended_at,omitempty"`
	Labels        []string   `json:"privacy_labels"`
}

// Recommendation is a self-help tool recommended to a client.
type Recommendation struct {
	ID            string    `json:"id"`
	ClientID      string    `json:"client_id"`
	ToolID        string    `json:"tool_id"`
	RecommendedBy string    `json:"recommended_by"`
	CreatedAt     time.Time `json:"created_at"`
	Warnings      []string  `json:"warnings,omitempty"`
}

// RuleTeamLead: the blended-work report of a team lead's own teams.
const RuleTeamLead Rule = "team_lead"

// ReportContact is one contact as the blended-work report counts it: no
// text, no names; the client and author ids only to count distinct people,
// and never published.
type ReportContact struct {
	Month    string  // YYYY-MM
	Channel  Channel //
	Tool     string  // the register's name of the tool, "" when none was named
	Minutes  int
	ClientID string
	AuthorID string
	// Follows is the mode of the contact this one follows up, "" when none.
	Follows Mode
}

// BlendedData is the raw material of the blended-work report for the actor's
// scope: the whole organisation for the data officer, the contacts logged by
// the members of their teams for a team lead.
type BlendedData struct {
	From, To time.Time
	Scope    string // "organisation" or "teams"
	Contacts []ReportContact
}

// Tools is the register of digital tools, the tools of a client's care, the
// team-lead flag and the raw material of the blended-work report.
type Tools interface {
	// Tools lists the register by name; anyone signed in reads it.
	Tools(ctx context.Context, a Actor) ([]Tool, error)
	// Tool returns one entry. ENOTFOUND when there is none.
	Tool(ctx context.Context, a Actor, id string) (*Tool, error)
	// CreateTool adds an entry (recorded, kind tool). EFORBIDDEN (with a denied
	// record) for anyone but admins and the data officer; EINVALID for bad
	// input; ECONFLICT when the name is taken.
	CreateTool(ctx context.Context, a Actor, in ToolInput) (*Tool, error)
	// UpdateTool replaces an entry (recorded). As CreateTool; ENOTFOUND for an
	// unknown id.
	UpdateTool(ctx context.Context, a Actor, id string, in ToolInput) (*Tool, error)
	// UnlistedTools lists names of tools given on contacts that are not in
	// the register. EFORBIDDEN for anyone but the register's keepers.
	UnlistedTools(ctx context.Context, a Actor) ([]UnlistedTool, error)
	// RecommendTool recommends a self-help tool to a client (recorded).
	// EINVALID for a tool that is not a self-help tool of the register;
	// EFORBIDDEN (with a denied record) when no rule allows it.
	RecommendTool(ctx context.Context, a Actor, clientID, toolID string) (*Recommendation, error)
	// ClientTools lists the tools of a client's care: a read through the gate.
	// EFORBIDDEN (with a denied record) when no rule allows it.
	ClientTools(ctx context.Context, a Actor, clientID string) ([]ClientTool, error)
	// SetTeamLead gives or takes a professional's team-lead flag (recorded).
	// EFORBIDDEN for anyone but admins; ENOTFOUND; EINVALID for a
	// non-professional.
	SetTeamLead(ctx context.Context, a Actor, userID string, lead bool) error
	// BlendedData returns the contacts of the actor's report scope, without
	// text or names (one access record). EFORBIDDEN (with a denied record) for
	// anyone but the data officer and team leads.
	BlendedData(ctx context.Context, a Actor, from, to time.Time) (*BlendedData, error)
}
