package records

// Role is what a user account may do in nabij: professional, client, data
// officer or admin.
type Role string

const (
	RoleProfessional Role = "professional" // hulpverlener
	RoleClient       Role = "client"       // cliënt
	RoleDataOfficer  Role = "data_officer" // functionaris gegevensbescherming
	RoleAdmin        Role = "admin"        // beheerder
)

// Roles lists every role, in display order.
var Roles = []Role{RoleProfessional, RoleClient, RoleDataOfficer, RoleAdmin}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Actor is who does something: the signed-in user, their role and, for a
// client account, the client they are. Remote is where the request came from.
type Actor struct {
	UserID   string
	Role     Role
	ClientID string // set only for RoleClient
	Remote   string
	// system marks nabij itself. Only System sets it, so an Actor built
	// elsewhere — even with user id and role "system" — is never nabij.
	system bool
}

// System is the actor for work nabij does by itself (retention runs, erasure,
// seeding). It is a function, not a variable, so that nobody can replace it.
func System() Actor { return Actor{UserID: "system", Role: "system", system: true} }

// IsSystem reports whether a is nabij itself, as made by System.
func (a Actor) IsSystem() bool { return a.system }

// Purpose says why client data is read or changed; it is kept in the access record
// and shown to the client.
type Purpose string

const (
	PurposeCare       Purpose = "care"        // a professional working with the client
	PurposeCaseload   Purpose = "caseload"    // the professional's caseload overview
	PurposeBreakGlass Purpose = "break_glass" // emergency access outside the caseload
	PurposeOwnFile    Purpose = "own_file"    // the client reading their own file
	PurposeAudit      Purpose = "audit"       // the data officer auditing
	PurposeExport     Purpose = "export"      // a download of the client's data
	PurposeDisclosure Purpose = "disclosure"  // sharing with a third party under consent
	PurposeRetention  Purpose = "retention"   // retention destroying due data
	PurposeErasure    Purpose = "erasure"     // an approved erasure request
	// PurposeAdministration: managing accounts, teams, caseloads and settings.
	PurposeAdministration Purpose = "administration"
	// PurposeSecurity: signing in and out, passwords, second factors.
	PurposeSecurity Purpose = "security"
)

var purposes = map[Purpose]bool{
	PurposeCare: true, PurposeCaseload: true, PurposeBreakGlass: true, PurposeOwnFile: true,
	PurposeAudit: true, PurposeExport: true, PurposeDisclosure: true, PurposeRetention: true,
	PurposeErasure: true, PurposeAdministration: true, PurposeSecurity: true, PurposeNetwork: true,
}

// Valid reports whether p is a known purpose.
func (p Purpose) Valid() bool { return purposes[p] }

// Rule names which access rule allowed (or refused) an action; kept in the access record.
type Rule string

const (
	RuleCaseload     Rule = "caseload"      // the client is on the professional's caseload
	RuleTeamCaseload Rule = "team_caseload" // the client is on a team the professional is in
	RuleBreakGlass   Rule = "break_glass"   // a time-limited emergency grant
	RuleOwnFile      Rule = "own_file"      // the client's own data
	RuleAudit        Rule = "audit"         // the data officer's audit role (no content)
	RuleSystem       Rule = "system"        // nabij itself (retention, erasure)
	RuleAdmin        Rule = "admin"         // the admin's role: accounts, teams, caseloads
	RuleOwnAccount   Rule = "own_account"   // a person acting on their own account (sign-in, password)
	RuleNone         Rule = "none"          // no rule allowed it: denied
)
