package records

import (
	"context"
	"strings"
	"time"
)

// The client's own support plan (hulpvraag en plan): the support question,
// goals and steps, written and edited by the client in their own words; the
// professional comments on a goal and may propose a goal, which the client
// accepts or declines. Every text is sealed with the client's key. Nothing is
// overwritten: an edit is a new version and the earlier ones stay readable.
//
// The client's network: people the client names (relation, how to reach them,
// what they help with, all sealed). A member may be invited to an account of
// role RoleNetwork, which reads the client's plan and nothing else, until the
// client ends it.

// RoleNetwork is a person from the client's network (netwerklid) whom the
// client invited: they read the client's plan only. It is not in Roles: such
// an account is made only by the client's invitation (InviteNetworkMember).
const RoleNetwork Role = "network"

// RuleNetwork: a network member reading the plan of the client who invited
// them, while that invitation stands.
const RuleNetwork Rule = "network"

// PurposeNetwork: someone in the client's network reading the client's plan.
const PurposeNetwork Purpose = "network"

// Record kinds of the plan and the network in the access log.
const (
	KindPlan    = "plan"    // the plan: question, goals, steps, comments, proposals
	KindNetwork = "network" // the client's network and its members' access
)

// MaxPlanText is the longest question, goal, step, comment or proposal, in
// characters.
const MaxPlanText = 2000

// PlanText is one version of a text of the plan.
type PlanText struct {
	Text      string    `json:"text"`
	AuthorID  string    `json:"author_id"`
	CreatedAt time.Time `json:"created_at"`
}

// Plan is the client's plan as its reader sees it. Question and each goal's
// and step's Text are the newest versions; History holds every version,
// oldest first. Question is "" while the client has written none.
type Plan struct {
	ClientID        string         `json:"client_id"`
	Question        string         `json:"question"`
	QuestionChanged *time.Time     `json:"question_changed_at,omitempty"`
	QuestionHistory []PlanText     `json:"question_history"`
	Goals           []PlanGoal     `json:"goals"`
	Proposals       []PlanProposal `json:"proposals"`
	// OwnerName is the client's first name, given only to a member of the
	// client's network (who reads the plan and nothing else), so they know
	// whose plan it is.
	OwnerName string `json:"owner_name,omitempty"`
}

// FirstName is the first word of a client's name as the client gave it (a
// quick-log client has only a first name or nickname): how the plan is named
// to the people of their network.
func FirstName(name string) string {
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return ""
}

// PlanGoal is a goal of the plan, with its steps and the professionals'
// comments, oldest first.
type PlanGoal struct {
	ID           string        `json:"id"`
	Text         string        `json:"text"`
	CreatedAt    time.Time     `json:"created_at"`
	ChangedAt    time.Time     `json:"changed_at"`
	History      []PlanText    `json:"history"`
	FromProposal string        `json:"from_proposal,omitempty"`
	Steps        []PlanStep    `json:"steps"`
	Comments     []PlanComment `json:"comments"`
}

// PlanStep is a step towards a goal: done, or not yet.
type PlanStep struct {
	ID        string     `json:"id"`
	GoalID    string     `json:"goal_id"`
	Text      string     `json:"text"`
	CreatedAt time.Time  `json:"created_at"`
	ChangedAt time.Time  `json:"changed_at"`
	History   []PlanText `json:"history"`
	Done      bool       `json:"done"`
	DoneAt    *time.Time `json:"done_at,omitempty"`
}

// PlanComment is a professional's comment on a goal.
type PlanComment struct {
	ID         string    `json:"id"`
	GoalID     string    `json:"goal_id"`
	AuthorID   string    `json:"author_id"`
	AuthorName string    `json:"author_name"`
	Text       string    `json:"text"`
	CreatedAt  time.Time `json:"created_at"`
}

// Proposal states.
const (
	ProposalPending  = "pending"
	ProposalAccepted = "accepted"
	ProposalDeclined = "declined"
)

// PlanProposal is a goal a professional proposes; the client accepts it (it
// becomes a goal, GoalID) or declines it.
type PlanProposal struct {
	ID         string     `json:"id"`
	AuthorID   string     `json:"author_id"`
	AuthorName string     `json:"author_name"`
	Text       string     `json:"text"`
	State      string     `json:"state"`
	CreatedAt  time.Time  `json:"created_at"`
	DecidedAt  *time.Time `json:"decided_at,omitempty"`
	GoalID     string     `json:"goal_id,omitempty"`
}

// NetworkMember is a person the client named. Username is set once the client
// invited them to an account; Active while that account may read the plan.
type NetworkMember struct {
	ID        string    `json:"id"`
	ClientID  string    `json:"client_id"`
	Name      string    `json:"name"`
	Relation  string    `json:"relation"`
	Reach     string    `json:"reach"`
	HelpsWith string    `json:"helps_with"`
	CreatedAt time.Time `json:"created_at"`
	UserID    string    `json:"user_id,omitempty"`
	Username  string    `json:"username,omitempty"`
	Active    bool      `json:"active"`
	// ActivationPending: invited, but the member has not set a password
	// yet; the client may give a new activation code (NewNetworkCode).
	ActivationPending bool       `json:"activation_pending"`
	EndedAt           *time.Time `json:"ended_at,omitempty"`
}

// NewNetworkMember is the input to AddNetworkMember.
type NewNetworkMember struct {
	Name      string `json:"name"`
	Relation  string `json:"relation"`
	Reach     string `json:"reach"`
	HelpsWith string `json:"helps_with"`
}

// Validate trims the fields and checks them; EINVALID names the field.
func (in *NewNetworkMember) Validate() error {
	in.Name, in.Relation = strings.TrimSpace(in.Name), strings.TrimSpace(in.Relation)
	in.Reach, in.HelpsWith = strings.TrimSpace(in.Reach), strings.TrimSpace(in.HelpsWith)
	if in.Name == "" {
		return invalid("name", "give the person's name")
	}
	for _, f := range []struct{ name, v string }{{"name", in.Name}, {"relation", in.Relation}, {"reach", in.Reach}, {"helps_with", in.HelpsWith}} {
		if err := CheckText(f.name, f.v, 200); err != nil {
			return err
		}
	}
	return nil
}

// CheckPlanText trims a text of the plan and checks it; EINVALID names the
// field when it is empty or too long.
func CheckPlanText(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", invalid(field, "%s is empty", field)
	}
	return s, CheckText(field, s, MaxPlanText)
}

// Plans is the client's plan and network. Every read of it writes an access
// record (kind KindPlan or KindNetwork) in the same transaction; every change
// too. Who may do what:
//   - the client writes and edits their question, goals and steps, decides on
//     proposals, and manages their network;
//   - a professional who may reach the client (caseload, team, break the
//     glass) reads the plan, comments on goals and proposes goals;
//   - a network member whose access stands reads the plan, nothing else.
type Plans interface {
	// Plan returns the client's plan. EFORBIDDEN (with a denied record) when no
	// rule allows it; EDESTROYED after crypto-shredding; never partial data.
	Plan(ctx context.Context, a Actor, clientID string) (*Plan, error)
	// NetworkPlan returns the plan of the client who invited the network member
	// a. EFORBIDDEN (with a denied record) for anyone else, or when the client
	// ended their access.
	NetworkPlan(ctx context.Context, a Actor) (*Plan, error)
	// SetPlanQuestion writes a new version of the client's question. Only the
	// client. EINVALID for an empty or too long text; EFORBIDDEN (with a denied
	// record) otherwise.
	SetPlanQuestion(ctx context.Context, a Actor, clientID, text string) error
	// AddPlanGoal adds a goal. Only the client. EINVALID, EFORBIDDEN as above.
	AddPlanGoal(ctx context.Context, a Actor, clientID, text string) (*PlanGoal, error)
	// AddPlanStep adds a step to one of the client's goals. Only the client.
	// EINVALID, EFORBIDDEN as above; ENOTFOUND for a goal of someone else.
	AddPlanStep(ctx context.Context, a Actor, clientID, goalID, text string) (*PlanStep, error)
	// EditPlanItem writes a new version of a goal's or step's text. Only the
	// client. EINVALID, EFORBIDDEN as above; ENOTFOUND for an unknown item.
	EditPlanItem(ctx context.Context, a Actor, clientID, itemID, text string) error
	// SetPlanStepDone marks a step done or not yet. Only the client. ENOTFOUND
	// for an unknown step; EFORBIDDEN (with a denied record) otherwise.
	SetPlanStepDone(ctx context.Context, a Actor, clientID, stepID string, done bool) error
	// CommentPlanGoal adds a professional's comment to a goal. Only a
	// professional who may reach the client. EINVALID for bad text; ENOTFOUND
	// for a goal of someone else; EFORBIDDEN (with a denied record) otherwise.
	CommentPlanGoal(ctx context.Context, a Actor, clientID, goalID, text string) (*PlanComment, error)
	// ProposePlanGoal proposes a goal to the client. Only a professional who
	// may reach the client. EINVALID; EFORBIDDEN (with a denied record).
	ProposePlanGoal(ctx context.Context, a Actor, clientID, text string) (*PlanProposal, error)
	// DecidePlanProposal accepts (the proposal becomes a goal) or declines a
	// pending proposal. Only the client. ENOTFOUND for an unknown proposal;
	// ECONFLICT when decided already; EFORBIDDEN (with a denied record).
	DecidePlanProposal(ctx context.Context, a Actor, clientID, proposalID string, accept bool) (*PlanProposal, error)
	// AddNetworkMember names a person of the client's network. Only the
	// client. EINVALID; EFORBIDDEN (with a denied record).
	AddNetworkMember(ctx context.Context, a Actor, clientID string, in NewNetworkMember) (*NetworkMember, error)
	// NetworkMembers lists the client's network, oldest first. Only the
	// client. EFORBIDDEN (with a denied record).
	NetworkMembers(ctx context.Context, a Actor, clientID string) ([]NetworkMember, error)
	// InviteNetworkMember makes an account of role RoleNetwork for a member,
	// which its holder activates with the code whose hash is codeHash; the
	// account reads the plan only. Only the client. EINVALID for a bad
	// username; ECONFLICT when the username is taken or the member was invited
	// already; ENOTFOUND for an unknown member; EFORBIDDEN (with a denied record).
	InviteNetworkMember(ctx context.Context, a Actor, clientID, memberID, username string, codeHash []byte) (*User, error)
	// NewNetworkCode gives an invited member whose account has no password
	// yet a new activation code (codeHash is its hash), ending the old one;
	// recorded like the invitation (kind network, action grant). Only the
	// client. ENOTFOUND for an unknown member; ECONFLICT when the member was
	// not invited, their access ended, or they activated their account
	// already; EINVALID without a code; EFORBIDDEN (with a denied record).
	NewNetworkCode(ctx context.Context, a Actor, clientID, memberID string, codeHash []byte) (*User, error)
	// EndNetworkAccess ends a member's access at once: the account is
	// disabled and its sessions end. Only the client. ENOTFOUND for an unknown
	// member; ECONFLICT when it has no access; EFORBIDDEN (with a denied record).
	EndNetworkAccess(ctx context.Context, a Actor, clientID, memberID string) error
}
