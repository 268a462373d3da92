package records

import (
	"context"
	"crypto/ed25519"
	"time"
)

// Store is everything nabij keeps, as one interface composed of the parts
// below. The SQLite implementation is package records/sqlite.
type Store interface {
	Files
	Consents
	Accounts
	AccessLog
	Retention
	Admin
	Plans
	Street
	Staff
	Tools
	Shared
}

// Files is the client's file: identity, trajectories, contacts, notes, the
// client's own entries, the caseload and emergency access. Every method that
// returns client data writes its access record before it returns.
type Files interface {
	// CreateClient creates a client with their own data key. A professional who
	// creates a client takes them on their caseload. Only professionals (and nabij
	// itself) create clients. Returns EINVALID for bad input, EFORBIDDEN otherwise.
	CreateClient(ctx context.Context, a Actor, in NewClient) (*Client, error)
	// Client returns the client's identity fields. Writes a read record first;
	// EFORBIDDEN (with a denied record) when no rule allows it; EDESTROYED when the
	// client's key was shredded.
	Client(ctx context.Context, a Actor, purpose Purpose, clientID string) (*Client, error)
	// ClientFile returns the client's file as the actor may see it, and writes the
	// access record (with the ids of the notes whose content it returns) in the same
	// transaction that reads the rows. What each reader sees:
	//   - a professional: everything, except other professionals' personal notes;
	//   - the client: shared notes in full, restricted notes as existence and reason,
	//     personal notes only where the jurisdiction opens them (BE).
	//
	// A professional's read also marks that they looked (see Caseload's Changes),
	// in the same transaction as its access record.
	//
	// The client's own read also names who can open the file now (Helpers),
	// read in the same transaction.
	//
	// EFORBIDDEN (with a denied record) when no rule allows it; EDESTROYED after
	// crypto-shredding; never partial data on error.
	ClientFile(ctx context.Context, a Actor, purpose Purpose, clientID string) (*File, error)
	// ClientFilePage is ClientFile with one page of the notes (FilePage): the
	// latest at most Limit notes, or those before or after a cursor, with the
	// cursors of the pages around it. Its cost does not grow with the number
	// of notes. The access record lists the ids of the notes it returns.
	// EINVALID for a bad limit or cursor (nothing recorded); otherwise as
	// ClientFile.
	ClientFilePage(ctx context.Context, a Actor, purpose Purpose, clientID string, p FilePage) (*File, error)
	// ClientOutline returns what a form needs of the client: id and name, the open
	// trajectories (id, goal, opened) and the contacts (id, channel, when,
	// trajectory, follow-up), oldest first. It reads no note and no entry, and is
	// recorded as its own kind ("outline", action read, with the ids of the
	// trajectories whose goals it returns) in the same transaction.
	// EFORBIDDEN (with a denied record) when no rule allows it; EDESTROYED after
	// crypto-shredding; never partial data on error.
	ClientOutline(ctx context.Context, a Actor, purpose Purpose, clientID string) (*Outline, error)
	// Caseload lists the clients the professional follows now, directly or through a
	// team, each with what others changed since this professional last opened the
	// file (Changes; opening the file with ClientFile or ClientFilePage moves that
	// mark in the same transaction as its access record). Showing a client's name
	// is a read: one access record per client listed, written in the same
	// transaction. EFORBIDDEN for other roles.
	Caseload(ctx context.Context, a Actor) ([]CaseloadEntry, error)
	// SearchCaseload is Caseload narrowed to names that contain q.Name (opened
	// inside the store, on the professional's own caseload only) and ordered
	// by q.Sort. Every client whose name was opened is recorded, as in
	// Caseload. EINVALID for a bad query; EFORBIDDEN for other roles.
	SearchCaseload(ctx context.Context, a Actor, q CaseloadQuery) ([]CaseloadEntry, error)
	// CreateTrajectory opens a trajectory for a client the actor may reach.
	// EINVALID for bad input; EFORBIDDEN (with a denied record) when no rule allows it.
	CreateTrajectory(ctx context.Context, a Actor, clientID string, in NewTrajectory) (*Trajectory, error)
	// CloseTrajectory closes a trajectory now: this starts most retention clocks
	// (and personal working notes are due at once). A professional who may reach
	// the client. ECONFLICT when closed already; EFORBIDDEN (with a denied record)
	// for an unknown trajectory or when no rule allows it.
	CloseTrajectory(ctx context.Context, a Actor, trajectoryID string) (*Trajectory, error)
	// CreateContact logs a contact. The follow-up link may point only to an earlier
	// contact of the same client. An online contact without valid consent for its
	// channel is kept and flagged ConsentMissing.
	// EINVALID for bad input; EFORBIDDEN (with a denied record) when no rule allows it.
	CreateContact(ctx context.Context, a Actor, clientID string, in NewContact) (*Contact, error)
	// CreateNote writes a note, sealed with the client's key, and its access record.
	// EINVALID for bad input (unknown visibility, empty body, a restricted note
	// without reason, a contact or trajectory of another client); EFORBIDDEN (with a
	// denied record) when no rule allows it.
	CreateNote(ctx context.Context, a Actor, clientID string, in NewNote) (*Note, error)
	// CorrectNote adds a new version to a note; the earlier versions stay. Only the
	// note's author corrects it. A note that was shared or restricted stays part of
	// the file: it cannot become a personal note again.
	// EFORBIDDEN (with a denied record) when there is no such note or the actor may
	// not; EINVALID for bad input.
	CorrectNote(ctx context.Context, a Actor, noteID string, in Correction) (*Note, error)
	// CreateEntry adds an entry to the client's own file. Only the client writes in
	// their own file. EINVALID for an empty or too long body; EFORBIDDEN (with a
	// denied record) otherwise.
	CreateEntry(ctx context.Context, a Actor, clientID, body string) (*Entry, error)
	// BreakGlass gives a professional emergency access to a client who is not on
	// their caseload, for BreakGlassDuration. The reason is sealed with the client's
	// key. EINVALID without a reason; EFORBIDDEN (with a denied record) for other
	// roles or an unknown client; ECONFLICT when the client is on the caseload already.
	BreakGlass(ctx context.Context, a Actor, clientID, reason string) (*Grant, error)
	// ClientExport returns the client's export and writes an export access record
	// (with the ids of the notes whose content it returns) in the same transaction
	// that reads the rows, after a record of kind plan and one of kind network
	// for the plan and network it holds. Only the client, for their own file (and nabij itself).
	// Its access log leaves out the addresses requests came from (Remote is empty).
	// EFORBIDDEN (with a denied record) otherwise; EDESTROYED after crypto-shredding.
	ClientExport(ctx context.Context, a Actor, clientID string) (*Export, error)
}

// Consents is consent, disclosure to third parties under consent, and the raw
// material of the anonymised statistics.
type Consents interface {
	// RecordConsent records a consent of the client. A professional (with access to
	// the client) records verbal or written consent; the client gives consent online
	// in their own file. Recipient and reason are sealed with the client's key.
	// EINVALID for bad input; EFORBIDDEN (with a denied record) otherwise.
	RecordConsent(ctx context.Context, a Actor, clientID string, in NewConsent) (*Consent, error)
	// Consents returns the client's consent history, oldest first, withdrawals
	// included. A read of client data: the access record is written in the same
	// transaction. EFORBIDDEN (with a denied record) when no rule allows it.
	Consents(ctx context.Context, a Actor, clientID string) ([]Consent, error)
	// WithdrawConsent withdraws a consent at once: from this commit on, no request
	// may rely on it. The withdrawal is a new row; the consent stays in the history.
	// The client withdraws their own consents; a professional with access to the
	// client records a withdrawal the client gave them.
	// ENOTFOUND for an unknown consent; ECONFLICT when it was withdrawn already;
	// EFORBIDDEN (with a denied record) when no rule allows it.
	WithdrawConsent(ctx context.Context, a Actor, consentID string) (*Consent, error)
	// Disclose produces the package for one recipient, only under a consent of the
	// client for that recipient and purpose that is valid now (not expired, not
	// withdrawn — a withdrawal committed before this request counts). It keeps an
	// accounting entry and writes the access record (action export, purpose
	// disclosure) in the same transaction. Only shared notes, contacts and
	// trajectories can be disclosed; personal and restricted notes never.
	// EINVALID for bad input or records that are not the client's or cannot be
	// disclosed; EFORBIDDEN wrapping ErrNoConsent (with a denied record) without
	// consent; EFORBIDDEN (with a denied record) when no rule allows the actor.
	Disclose(ctx context.Context, a Actor, clientID string, in NewDisclosure) (*DisclosurePackage, error)
	// Disclosures returns the accounting of disclosures, newest first: the client
	// reads their own, a professional those of a client they may reach, the data
	// officer those of one client or (clientID "") of every client. Every client
	// whose entries are returned gets an access record in the same transaction.
	// EFORBIDDEN (with a denied record) otherwise.
	Disclosures(ctx context.Context, a Actor, clientID string) ([]Disclosure, error)
	// StatisticsData counts contacts per channel and month, and each trajectory's
	// online/face-to-face mix, over the clients whose statistics consent is valid
	// now. Each counted client gets an access record (rule consent, purpose
	// statistics) in the same transaction. Only the data officer.
	// EFORBIDDEN (with a denied record) for anyone but the data officer; EINTERNAL
	// when a record cannot be written (no data then).
	StatisticsData(ctx context.Context, a Actor) (*StatisticsData, error)
}

// Accounts is sign-in, sessions, second factors, teams and caseload assignment.
// Methods without an Actor serve sign-in and read no client data.
//
// Every change to an account, a password, a second factor, a team or a
// caseload writes one access record (kinds KindAccount, KindPassword, KindTOTP,
// KindTeam, KindCaseload) in the same transaction as the change: when the
// record cannot be written, nothing changes. A caseload assignment is recorded
// on its client with record ids (assignment, professional or team); a team
// membership with no client and record ids (team, member).
type Accounts interface {
	// CreateUser adds an account. Admins add staff accounts; a client account is
	// added by a professional who follows the client (an access record says so), or
	// by nabij itself. EINVALID for a bad username or role, ECONFLICT when the
	// username is taken or the client has an account already, EFORBIDDEN otherwise.
	CreateUser(ctx context.Context, a Actor, in NewUser) (*User, error)
	// UserByUsername returns an account for sign-in. ENOTFOUND when there is none.
	UserByUsername(ctx context.Context, username string) (*User, error)
	// UserByID returns an account. ENOTFOUND when there is none.
	UserByID(ctx context.Context, id string) (*User, error)
	// Users lists accounts for the admin, by username.
	// EFORBIDDEN for other roles.
	Users(ctx context.Context, a Actor) ([]User, error)
	// SetUserDisabled disables or enables an account; disabling also revokes its
	// refresh tokens. ENOTFOUND when there is no such user.
	SetUserDisabled(ctx context.Context, a Actor, userID string, disabled bool) error
	// SetPasswordHash replaces an account's password hash after a successful
	// sign-in found it made with weaker parameters (a rehash of the same password).
	// Returns EINTERNAL when the write fails; an unknown user id changes nothing.
	SetPasswordHash(ctx context.Context, userID, hash string) error
	// IssueActivationCode replaces the activation code of an account that has no
	// password yet (codeHash is the code's hash; the code is never stored). Who
	// may create the account may do this; an access record says so. ENOTFOUND
	// when there is no such user, ECONFLICT when the account is activated
	// already, EFORBIDDEN otherwise.
	IssueActivationCode(ctx context.Context, a Actor, userID string, codeHash []byte) error
	// ActivateAccount sets the first password of username's account when codeHash
	// matches its unused, unexpired activation code, and consumes the code; an
	// access record (actor: the account itself, from remote) says so.
	// ErrBadActivation for every refusal alike.
	ActivateAccount(ctx context.Context, remote, username string, codeHash []byte, passwordHash string) (*User, error)
	// ChangePassword replaces the actor's own password hash (the caller checked
	// the current password) and revokes every refresh token of the account, so
	// that other sessions end; an access record says so. ENOTFOUND when the
	// account is gone.
	ChangePassword(ctx context.Context, a Actor, passwordHash string) error
	// RecordLogin notes a sign-in attempt: success clears the failure count; the
	// lockAfter-th failure in a row locks the account until lockUntil.
	// Returns EINTERNAL when the write fails; an unknown user id changes nothing.
	RecordLogin(ctx context.Context, userID string, ok bool, lockAfter int, lockFor time.Duration) error
	// RecordSignIn writes the access record of a sign-in to an existing account
	// (kind session, action sign_in): outcome ok, or denied for a wrong password
	// or code, with where it came from. A client account's sign-ins are recorded
	// on that client, so the client sees them. Never the username typed, the
	// password or the code. EINTERNAL when the record cannot be written; an
	// unknown user id writes nothing.
	RecordSignIn(ctx context.Context, userID string, ok bool, remote string) error
	// StoreRefreshToken keeps a new token (by hash) in a family; family "" starts
	// one, and with it a session of the same id (the token's Family). A token
	// never outlives its session's SessionLifetime.
	// Returns EINTERNAL when the token cannot be stored; ENOTFOUND when family
	// names no active session.
	StoreRefreshToken(ctx context.Context, userID, family, token string, ttl time.Duration) (*RefreshToken, error)
	// RotateRefreshToken marks the presented token used and stores next in its family,
	// in one transaction. ENOTFOUND for an unknown, expired or revoked token or an
	// ended session; ErrSessionOver when the session has reached SessionLifetime;
	// ErrTokenReused (and the family and its session ended) for a token used
	// before, unless it was rotated at most RotationGrace ago to next itself:
	// then that token is returned again and nothing changes; EFORBIDDEN for a
	// disabled account.
	RotateRefreshToken(ctx context.Context, presented, next string, ttl time.Duration) (*RefreshToken, error)
	// RevokeRefreshFamily revokes every token of the family the presented token is
	// in and ends its session (sign-out). An unknown token is not an error:
	// sign-out always succeeds.
	RevokeRefreshFamily(ctx context.Context, presented string) error
	// Session returns a session by id, ended or not. ENOTFOUND when there is none.
	Session(ctx context.Context, id string) (*Session, error)
	// EndSession ends a session and revokes its refresh tokens (sign-out from a
	// page whose refresh cookie is gone). An unknown or ended session is not an
	// error.
	EndSession(ctx context.Context, id string) error
	// ActiveRefreshToken returns the user of a stored refresh token that is neither
	// expired nor revoked (it may have been used), in a session that is still
	// active. ENOTFOUND otherwise.
	ActiveRefreshToken(ctx context.Context, token string) (string, error)
	// SetTOTP stores an account's TOTP secret, sealed, and whether it is confirmed
	// (enabled). A secret of "" removes the second factor.
	// ENOTFOUND when there is no such user.
	SetTOTP(ctx context.Context, userID, secret string, enabled bool) error
	// TOTPSecret returns an account's TOTP secret ("" when none) for checking a code.
	// ENOTFOUND when there is no such user; EINTERNAL when the secret cannot be
	// opened (no secret then).
	TOTPSecret(ctx context.Context, userID string) (string, error)
	// CreateTeam adds a team. ECONFLICT when the name is taken.
	CreateTeam(ctx context.Context, a Actor, name string) (*Team, error)
	// AddTeamMember adds a professional to a team. EINVALID when the user is not a
	// professional; ENOTFOUND when the team does not exist.
	AddTeamMember(ctx context.Context, a Actor, teamID, userID string) error
	// Teams lists teams with their members.
	// EFORBIDDEN for anyone but admins.
	Teams(ctx context.Context, a Actor) ([]Team, error)
	// Assign puts a client on the caseload of a professional (userID) or a team
	// (teamID). It names the client by id only: admins read no client data.
	// EINVALID for a bad target; ENOTFOUND when the client does not exist.
	Assign(ctx context.Context, a Actor, clientID, userID, teamID string) (*Assignment, error)
	// EndAssignment ends a caseload assignment now; history stays.
	// ENOTFOUND when there is no open assignment with that id.
	EndAssignment(ctx context.Context, a Actor, id string) error
	// SetWorkContact sets how a professional is reached at work (a work phone
	// or e-mail; not sealed: it is the professional's work contact, not a
	// client's data), shown to the clients whose file they can open. The admin
	// sets it for any professional, a professional for themselves; recorded
	// (kind account, action change). "" removes it. EINVALID for a line that
	// is too long or holds control characters; ENOTFOUND for an account that
	// is not a professional's; EFORBIDDEN (with a denied record) otherwise.
	SetWorkContact(ctx context.Context, a Actor, userID, contact string) error
	// Assignments lists caseload assignments (ids and dates only), newest first.
	// EFORBIDDEN for anyone but admins.
	Assignments(ctx context.Context, a Actor) ([]Assignment, error)
}

// AccessLog is the tamper-evident access log: searching it, the client's view
// of it, anomalies, refusals at the edge, signed checkpoints and verification.
type AccessLog interface {
	// RecordDenied writes a denied access record for a request refused at the edge
	// (a role that never does this), so that every refusal is in the log. clientID
	// may be "" when the request names no client.
	// Returns EINTERNAL when the record cannot be written.
	RecordDenied(ctx context.Context, a Actor, clientID, kind string, action Action) error
	// AccessLog searches the access log for the data officer, newest first. The
	// search itself is recorded (purpose audit). EFORBIDDEN for other roles.
	AccessLog(ctx context.Context, a Actor, f AccessFilter) ([]AccessView, error)
	// ClientAccessLog is the client's view of who read their file, when and why,
	// newest first (including their own reads), never with the addresses requests
	// came from (Remote is empty). Reading it is recorded too.
	// EFORBIDDEN (with a denied record) for anyone but the client.
	ClientAccessLog(ctx context.Context, a Actor, clientID string, beforeSeq int64, limit int) ([]AccessView, error)
	// ClientAccessLogFilter is ClientAccessLog narrowed by f: Actor (a
	// username), From and To, ExceptReadsBy (a user id whose reads are left
	// out: the client's own), BeforeSeq and Limit; f.ClientID is ignored.
	// EFORBIDDEN (with a denied record) for anyone but the client.
	ClientAccessLogFilter(ctx context.Context, a Actor, clientID string, f AccessFilter) ([]AccessView, error)
	// ClientPrivacy is the client's privacy at a glance: who can open the file
	// now, since when and who gave them that access; reads per person and ISO
	// week, counted in the store (the client's own reads only with own); what
	// was shared, with whom and why; and the trajectories whose dates the
	// retention dates run from (KeptUntil is left for package consent). A read,
	// recorded as kind privacy in the same transaction.
	// EFORBIDDEN (with a denied record) for anyone but the client;
	// EDESTROYED after crypto-shredding.
	ClientPrivacy(ctx context.Context, a Actor, clientID string, own bool) (*Privacy, error)
	// Anomalies lists, since a time and newest first: uses of break the glass, denied
	// attempts, bulk reads (one actor opening more than BulkReadThreshold files in
	// an hour) and online contacts logged without consent. The look is recorded
	// (purpose audit). EFORBIDDEN for anyone but the data officer.
	Anomalies(ctx context.Context, a Actor, since time.Time) ([]Anomaly, error)
	// Checkpoint signs the current chain head now (when it has moved since the last
	// checkpoint) and hands it to the witness. The server calls it every second.
	// It signs nothing, and returns an error, once the store found records in the
	// log that it did not write (see LogHealth).
	// Returns EINTERNAL when the checkpoint cannot be signed or stored.
	Checkpoint(ctx context.Context) error
	// LatestCheckpoint is the newest signed checkpoint, the receipt a client may
	// keep; ok is false while none was signed.
	// Returns EINTERNAL when it cannot be read.
	LatestCheckpoint(ctx context.Context) (cp Checkpoint, ok bool, err error)
	// PublicKey is the key that verifies the checkpoints.
	// It never fails.
	PublicKey() ed25519.PublicKey
	// VerifyAccessLog walks the whole chain and checks every checkpoint with pub (the
	// store's own public key when pub is nil). It reports the first broken position:
	// an edited, deleted, inserted or reordered record breaks the chain there; a
	// consistent rewrite of the whole chain no longer matches the signed checkpoints.
	// It reads no client data and writes nothing. An error means the check could not
	// run; a broken log is a report with OK false.
	VerifyAccessLog(ctx context.Context, pub ed25519.PublicKey) (VerifyReport, error)
}

// Retention is retention rules and runs, legal holds, purge reports, erasure
// requests and crypto-shredding.
type Retention interface {
	// StoredRetentionRules returns the rules the data officer set (kinds without a
	// stored rule are absent: package consent fills in its defaults). Not client data.
	// Returns EINTERNAL when the rules cannot be read.
	StoredRetentionRules(ctx context.Context) (map[string]RetentionRule, error)
	// SetRetentionRules stores rules (validated by package consent), replacing the
	// stored rule of each kind given. Only the data officer. The change is recorded.
	// EFORBIDDEN (with a denied record) for anyone but the data officer.
	SetRetentionRules(ctx context.Context, a Actor, rules []RetentionRule) error
	// RunRetention destroys what is due at the store's clock (Options.Now), one
	// transaction per client, unless a legal hold applies; when a client has
	// nothing left, their data key is destroyed (crypto-shredding). Every
	// destruction writes a destroy access record and a purge report line in the
	// same transaction. A dry run changes nothing (it records that it looked) and
	// reports what would go. Afterwards the WAL is truncated.
	// EINVALID when the run lacks the due-date rule or a rule for a kind; on
	// another error the report holds what was done until then.
	RunRetention(ctx context.Context, run RetentionRun) (*PurgeReport, error)
	// PurgeReports returns the stored purge reports (retention runs and erasures),
	// newest first, since a time. They hold kinds, counts, ids, rules and times,
	// never content. Only the data officer; the look is recorded.
	// EFORBIDDEN (with a denied record) for anyone but the data officer.
	PurgeReports(ctx context.Context, a Actor, since time.Time) ([]PurgeReport, error)
	// PlaceLegalHold puts a hold on a client (trajectoryID "") or on one trajectory
	// (clientID may then be ""); the reason is sealed with the client's key. Only the
	// data officer. EINVALID for bad input, ENOTFOUND for an unknown client or
	// trajectory, EFORBIDDEN (with a denied record) for other roles.
	PlaceLegalHold(ctx context.Context, a Actor, clientID, trajectoryID, reason string) (*LegalHold, error)
	// ReleaseLegalHold ends a hold; the row stays with its release time. Only the
	// data officer. ENOTFOUND for an unknown hold, ECONFLICT when released already.
	ReleaseLegalHold(ctx context.Context, a Actor, id string) error
	// LegalHolds lists the holds (active first, then released), with their reasons.
	// Only the data officer; one access record per client listed.
	// EFORBIDDEN (with a denied record) for anyone but the data officer.
	LegalHolds(ctx context.Context, a Actor) ([]LegalHold, error)
	// RequestErasure records the client's request to erase everything kept about
	// them. Only the client, for their own file. ECONFLICT when one is pending.
	RequestErasure(ctx context.Context, a Actor, clientID string) (*ErasureRequest, error)
	// ErasureRequests lists erasure requests, newest first: the client their own
	// (clientID = theirs), the data officer all (clientID "") or one client's.
	// One access record per client listed. EFORBIDDEN (with a denied record) otherwise.
	ErasureRequests(ctx context.Context, a Actor, clientID string) ([]ErasureRequest, error)
	// DecideErasure approves or refuses a pending erasure request. A refusal needs a
	// reason (sealed; the client reads it). An approval erases the client's whole
	// file by crypto-shredding in one transaction — rows deleted, the data key
	// destroyed — writes destroy access records and a purge report (trigger
	// erasure), and truncates the WAL. Only the data officer. ENOTFOUND for an
	// unknown request; ECONFLICT when decided already or under a legal hold;
	// EINVALID for a refusal without reason.
	DecideErasure(ctx context.Context, a Actor, id string, approve bool, reason string) (*ErasureRequest, *PurgeReport, error)
	// ShredClient destroys the client's data key: every ciphertext of the client —
	// in this database, its WAL and every backup — becomes unreadable, while the
	// access log stays whole and verifiable. It writes a destroy record. Only nabij
	// itself (retention, an approved erasure request) shreds. Afterwards the WAL is
	// checkpointed and truncated so the wrapped key does not linger there.
	// EFORBIDDEN for any actor but nabij itself; ENOTFOUND for an unknown client.
	ShredClient(ctx context.Context, a Actor, purpose Purpose, clientID string) error
}

// Admin is the store's own upkeep: master-key rotation, backups, health and
// settings.
type Admin interface {
	// RotateMasterKey re-wraps every client's data key under the keyring's active
	// version, a batch at a time; no data is re-encrypted. It is safe to interrupt:
	// each key row names the version that wraps it, and old versions stay in the
	// keyring until Retire. Returns how many keys were re-wrapped.
	// On error it returns how many keys it re-wrapped so far; running it again
	// finishes the job.
	RotateMasterKey(ctx context.Context) (int, error)
	// KeysWrappedBy counts the data keys (clients' and the account-secrets key) still
	// wrapped by a master key version; a version may be retired only when this is zero.
	// Returns the database error when the count cannot be read.
	KeysWrappedBy(ctx context.Context, version int) (int, error)
	// Close stops the committer after the writes already queued, signs the head
	// (unless the log is broken) and, with a witness, records the clean close
	// there, and closes the database.
	// Returns the errors of signing and closing, if any; a second Close returns nil.
	Close() error
	// Ping checks that the database answers; used by /readyz.
	// Returns the database error when it does not answer.
	Ping(ctx context.Context) error
	// Ready checks that the database takes a write now and that its disk has
	// more free space than the store's margin; used by /readyz.
	// Returns EFULL when free space is below the margin, EINTERNAL when a
	// write cannot start (a read-only file, a write lock held elsewhere).
	Ready(ctx context.Context) error
	// LogHealth says whether the store can still vouch for its access log (it
	// found no records it did not write, and its witness takes the signed
	// heads); used by /readyz.
	// It never fails.
	LogHealth() LogHealth
	// Path is the database file.
	// It never fails.
	Path() string
	// Jurisdiction is the organisation's setting for personal working notes.
	// It never fails.
	Jurisdiction() Jurisdiction
	// Backup writes an online, consistent copy of the database to path with VACUUM
	// INTO, between write batches. The copy holds only ciphertexts and wrapped keys:
	// it is useless without the key file, which must be backed up apart (see README).
	// Refuses to overwrite an existing file.
	// ECONFLICT when the file exists; EINTERNAL when the copy fails.
	Backup(ctx context.Context, path string) error
}

// Shared is the state that every instance of nabij serving one database must
// see alike: sign-in throttling, the TOTP steps already used, and turns for
// work that one instance at a time may do (the daily retention run). It lives
// in the database, not in a process, so a second instance behind the load
// balancer slows the same guesses, refuses the same replayed code and waits
// for the same turn. None of it is client data and none of it is personal:
// throttling keys are keyed hashes of usernames and addresses, made by the
// caller, and turns name instances, not people.
type Shared interface {
	// ThrottleAttempt starts an attempt that may be a wrong guess, for each key
	// in order: when the key must still wait (a failure less than its rule's
	// Forget ago set a wait that has not passed), nothing of this attempt is
	// counted for any key and the wait is returned; otherwise the attempt
	// counts as a failure at now before its outcome is known, so that parallel
	// guesses cannot all slip through before the first fails, and past the
	// rule's free failures it sets the wait for the key's next attempt. An
	// attempt that was not a wrong guess is given back with ThrottleForgive.
	// Keys no failure touched for their Forget are cleaned up on the way.
	// EINVALID for an empty key; EINTERNAL when the count cannot be written:
	// callers refuse the attempt then.
	ThrottleAttempt(ctx context.Context, now time.Time, keys ...ThrottleKey) (time.Duration, error)
	// ThrottleForgive gives back one attempt per key counted by
	// ThrottleAttempt; back within the free failures, the key need not wait.
	// Unknown keys are not an error. EINTERNAL when the write fails.
	ThrottleForgive(ctx context.Context, keys ...ThrottleKey) error
	// ThrottleReset forgets the failures of the keys (a successful sign-in).
	// Unknown keys are not an error. EINTERNAL when the write fails.
	ThrottleReset(ctx context.Context, keys ...ThrottleKey) error

	// TakeTurn gives holder the turn called name until until, when nobody
	// holds it at now, or holder itself does (then until replaces its end).
	// ECONFLICT when another holder has it, EINVALID for an empty name or
	// holder or an until not after now, EINTERNAL when the write fails.
	TakeTurn(ctx context.Context, name, holder string, now, until time.Time) error
	// Turn returns the turn called name as it was last taken, ended or not.
	// ENOTFOUND when it was never taken, EINTERNAL when the read fails.
	Turn(ctx context.Context, name string) (*Turn, error)
	// EndTurn sets the end of holder's turn to until (now: give it up at once;
	// later: keep others from it that long). ECONFLICT when holder does not
	// hold the turn (it expired and another took it), EINTERNAL when the write
	// fails.
	EndTurn(ctx context.Context, name, holder string, until time.Time) error

	// UseTOTPStep records that the account used the TOTP code of step (a
	// 30-second step since the Unix epoch) and reports true when that step is
	// later than every step it used before; false when it is not (a replayed
	// code, on this instance or another) or there is no such account.
	// EINTERNAL when the write fails.
	UseTOTPStep(ctx context.Context, userID string, step int64) (bool, error)
}

// Turn is who last took a turn (a random name per instance or run, never a
// person), when, and until when.
type Turn struct {
	Name    string
	Holder  string
	TakenAt time.Time
	Until   time.Time
}

// ThrottleKey is one thing attempts are counted for, with its rule. Key is
// opaque to the store: a keyed hash, never a username or an address.
type ThrottleKey struct {
	Key  string
	Rule ThrottleRule
}

// ThrottleRule slows guessing down without locking anyone out: after Free
// failed attempts, each further failure makes the next attempt wait First,
// then twice as long, up to Max. A key without a failure for Forget starts
// afresh.
type ThrottleRule struct {
	Free   int
	First  time.Duration
	Max    time.Duration
	Forget time.Duration
}

// Delay is the wait after the given number of failures in a row.
func (r ThrottleRule) Delay(failures int) time.Duration {
	over := failures - r.Free
	if over <= 0 {
		return 0
	}
	if over <= 30 && r.First<<(over-1) < r.Max {
		return r.First << (over - 1)
	}
	return r.Max
}
