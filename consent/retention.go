package consent

import (
	"context"
	"crypto/rand"
	"sort"
	"time"

	"github.com/nabij/nabij/records"
)

// PersonalNoteMaxDays is the default cap on a personal working note's life: it
// is destroyed when its trajectory closes, or after at most this many days.
const PersonalNoteMaxDays = 90

// Sources of the default retention periods. Defaults are settings, not law:
// the data officer sets them for the organisation (GET|PUT /retention-rules).
const (
	SourceSocialSupport = "Dutch Wmo 2015 social support: no statutory term; 15 years after care ends is the common municipal practice. " +
		"Longer terms elsewhere: Dutch Jeugdwet art. 7.3.10 and WGBO (art. 7:454 BW) 20 years after care ends; Flemish integrale jeugdhulp until the young person turns 35."
	SourcePersonalNotes = "Personal working notes (persoonlijke werkaantekeningen) are not part of the file: a temporary memory aid, destroyed when the care ends " +
		"(Dutch professional codes for social workers and WGBO practice); the cap in days is an organisation setting."
	SourceAccessLog = "NEN 7513 access logging: kept with the file; the log is append-only and hash-chained, so records are never deleted — " +
		"they hold ids and codes only and become anonymous when the client's data key is destroyed."
)

// DefaultRules are the organisation's starting rules, one per kind, with sources.
func DefaultRules() []records.RetentionRule {
	maxDays := PersonalNoteMaxDays
	file := func(kind string) records.RetentionRule {
		return records.RetentionRule{Kind: kind, Basis: records.BasisAfterClose, Years: 15, Action: records.ActionDestroyRows, Source: SourceSocialSupport}
	}
	return []records.RetentionRule{
		file(records.KindNoteShared),
		file(records.KindNoteRestricted),
		{Kind: records.KindNotePersonal, Basis: records.BasisAfterClose, MaxDays: &maxDays, Action: records.ActionDestroyRows, Source: SourcePersonalNotes},
		file(records.KindContact),
		file(records.KindTrajectory),
		file(records.KindEntry),
		file(records.KindDisclosure),
		{Kind: records.KindAccessRecord, Basis: records.BasisAfterClose, Years: 15, Action: records.ActionAnonymise, Source: SourceAccessLog},
	}
}

// ValidateRule checks one rule. EINVALID names the field.
func ValidateRule(r records.RetentionRule) error {
	known := false
	for _, k := range records.RetentionKinds {
		known = known || k == r.Kind
	}
	switch {
	case !known:
		return invalid("kind", "unknown kind "+r.Kind+"; one of note_shared, note_restricted, note_personal, contact, trajectory, entry, disclosure, access_record")
	case r.Basis != records.BasisAfterClose && r.Basis != records.BasisAfterCreation && r.Basis != records.BasisUntilAge:
		return invalid("basis", "basis must be after_close, after_creation or until_age")
	case r.Basis == records.BasisUntilAge && (r.Age < 1 || r.Age > 120):
		return invalid("age", "age must be between 1 and 120 (the client's birthday the records are kept until)")
	case r.Basis != records.BasisUntilAge && r.Age != 0:
		return invalid("age", "age is only for the basis until_age")

	case r.Years < 0 || r.Years > 120:
		return invalid("years", "years must be between 0 and 120")
	case r.Days < 0 || r.Days > 36500:
		return invalid("days", "days must be between 0 and 36500")
	case r.MaxDays != nil && (*r.MaxDays < 0 || *r.MaxDays > 36500):
		return invalid("max_days", "max_days must be between 0 and 36500")
	case r.Action != records.ActionDestroyRows && r.Action != records.ActionAnonymise:
		return invalid("action", "action must be destroy or anonymise")
	case r.Action == records.ActionAnonymise && r.Kind != records.KindContact && r.Kind != records.KindAccessRecord:
		return invalid("action", "only contacts can be anonymised (kept as channel, month and duration); other kinds are destroyed")
	case r.Kind == records.KindAccessRecord && r.Action != records.ActionAnonymise:
		return invalid("action", "access records are never destroyed (append-only log); they are anonymised by destroying the client's key")
	case r.Kind == records.KindNotePersonal && r.MaxDays == nil:
		return invalid("max_days", "personal working notes need a maximum number of days")
	case len(r.Source) > 1000:
		return invalid("source", "source is longer than 1000 characters")
	}
	return nil
}

// DueAt is when a record under rule r is due: its creation plus the period
// (after_creation), or its trajectory's close plus the period (after_close; never
// while open), or the client's Age-th birthday (until_age; never while open,
// and never without a known birth date) but no sooner than the close plus the
// period (zero: the close), and in any case no later than creation plus
// MaxDays. An organisation that serves adults and youth-care clients alike
// keeps "15 years after care, and at least until the 35th birthday" that way.
func DueAt(r records.RetentionRule, created time.Time, closed, born *time.Time) *time.Time {
	var due *time.Time
	switch r.Basis {
	case records.BasisUntilAge:
		if closed != nil && born != nil {
			t := Birthday(*born, r.Age)
			if after := closed.AddDate(r.Years, 0, r.Days); after.After(t) {
				t = after
			}
			due = &t
		}
	case records.BasisAfterCreation:
		t := created.AddDate(r.Years, 0, r.Days)
		due = &t
	case records.BasisAfterClose:
		if closed != nil {
			t := closed.AddDate(r.Years, 0, r.Days)
			due = &t
		}
	}
	if r.MaxDays != nil {
		t := created.AddDate(0, 0, *r.MaxDays)
		if due == nil || t.Before(*due) {
			due = &t
		}
	}
	return due
}

// Rules returns the organisation's rules: the stored ones over the defaults,
// in the order of records.RetentionKinds.
func (s *Service) Rules(ctx context.Context) ([]records.RetentionRule, error) {
	stored, err := s.Store.StoredRetentionRules(ctx)
	if err != nil {
		return nil, err
	}
	out := DefaultRules()
	for i, r := range out {
		if st, ok := stored[r.Kind]; ok {
			if st.Source == "" {
				st.Source = r.Source
			}
			out[i] = st
		}
	}
	order := map[string]int{}
	for i, k := range records.RetentionKinds {
		order[k] = i
	}
	sort.SliceStable(out, func(i, j int) bool { return order[out[i].Kind] < order[out[j].Kind] })
	return out, nil
}

// SetRules validates and stores rules (one or more kinds) for the data officer,
// and returns the resulting rule set.
func (s *Service) SetRules(ctx context.Context, a records.Actor, rules []records.RetentionRule) ([]records.RetentionRule, error) {
	if len(rules) == 0 {
		return nil, invalid("rules", "give at least one rule")
	}
	seen := map[string]bool{}
	for _, r := range rules {
		if err := ValidateRule(r); err != nil {
			return nil, err
		}
		if seen[r.Kind] {
			return nil, invalid("kind", "kind "+r.Kind+" is given twice")
		}
		seen[r.Kind] = true
	}
	if err := s.Store.SetRetentionRules(ctx, a, rules); err != nil {
		return nil, err
	}
	return s.Rules(ctx)
}

// RetentionTurn is the turn (records.Shared) a retention run over all clients
// holds while it destroys, so that two instances, or an instance and the
// command, never run it at once; RetentionTurnFor bounds how long a run that
// never ended (its instance died) keeps the others out.
const (
	RetentionTurn    = "retention"
	RetentionTurnFor = time.Hour
)

// RetentionDayTurn is the turn of the server's daily run: the first instance
// to take it runs retention that day (see app's retention schedule); its
// TakenAt is when the daily run last started.
const RetentionDayTurn = "retention-day"

// Run runs retention now (the store's clock) with the organisation's rules:
// over all clients, or only the ones given (e.g. right after a trajectory
// closes). A run over all clients that destroys takes RetentionTurn first:
// ECONFLICT when another run holds it. A dry run changes nothing and a run
// over given clients destroys one client per transaction, so neither waits
// for the turn.
func (s *Service) Run(ctx context.Context, dryRun bool, clientIDs ...string) (*records.PurgeReport, error) {
	rules, err := s.Rules(ctx)
	if err != nil {
		return nil, err
	}
	if !dryRun && len(clientIDs) == 0 {
		holder := rand.Text() // this run's own name
		now := s.Now()
		if err := s.Store.TakeTurn(ctx, RetentionTurn, holder, now, now.Add(RetentionTurnFor)); err != nil {
			if records.ErrorCode(err) == records.ECONFLICT {
				return nil, &records.Error{Code: records.ECONFLICT, Message: "another retention run is under way; try again when it has ended"}
			}
			return nil, err
		}
		// Given up even when ctx has ended; if this fails, the turn runs out
		// after RetentionTurnFor.
		defer func() { _ = s.Store.EndTurn(context.WithoutCancel(ctx), RetentionTurn, holder, s.Now()) }()
	}
	return s.Store.RunRetention(ctx, records.RetentionRun{Rules: rules, DueAt: DueAt, DryRun: dryRun, ClientIDs: clientIDs})
}

// perTrajectory reports whether records of a retention kind belong to one
// trajectory (their after_close clock is that trajectory's close); the other
// kinds belong to the whole file and run from the last close.
func perTrajectory(kind string) bool {
	switch kind {
	case records.KindNoteShared, records.KindNoteRestricted, records.KindNotePersonal, records.KindContact, records.KindTrajectory:
		return true
	}
	return false
}

// KeptUntil says, for each rule, until when the client's records of its kind
// are kept: one line per trajectory for the kinds that belong to a trajectory,
// one line for the whole file for the others. An after_close date is the
// close plus the period; while the trajectory (for the whole file: any
// trajectory, or none yet) is open there is no date yet (Open). An
// after_creation rule runs per record, so it has no single date either; the
// line then carries the period only. A cap of MaxDays after creation is passed
// on for the reader to tell. An until_age rule carries the birthday (from
// birthDate, YYYY-MM-DD; none when unknown) and, once closed, the later of
// that birthday and the close plus the period as its date.
func KeptUntil(rules []records.RetentionRule, trajectories []records.Trajectory, birthDate string) []records.KeptUntil {
	out := []records.KeptUntil{}
	var born *time.Time
	if d, err := time.Parse("2006-01-02", birthDate); err == nil {
		born = &d
	}
	last, open := lastClose(trajectories)
	for _, r := range rules {
		base := records.KeptUntil{Kind: r.Kind, Basis: r.Basis, Years: r.Years, Days: r.Days, MaxDays: r.MaxDays,
			Action: r.Action, Source: r.Source}
		if r.Basis == records.BasisUntilAge {
			base.Age = r.Age
			if born != nil {
				b := Birthday(*born, r.Age)
				base.Birthday = &b
			}
		}
		if perTrajectory(r.Kind) {
			for _, t := range trajectories {
				k := base
				k.Trajectory, k.Open = t.Goal, t.ClosedAt == nil
				k.Until = keptUntil(r, t.ClosedAt, born)
				out = append(out, k)
			}
			continue
		}
		k := base
		k.Open = open
		if !open {
			k.Until = keptUntil(r, last, born)
		}
		out = append(out, k)
	}
	return append(out, planKept(rules, last, open, born))
}

// lastClose is the latest close of the client's help; open is true while any
// help is open, or none was ever started (then there is no last close).
func lastClose(trajectories []records.Trajectory) (last *time.Time, open bool) {
	open = len(trajectories) == 0
	for _, t := range trajectories {
		switch {
		case t.ClosedAt == nil:
			open = true
		case last == nil || t.ClosedAt.After(*last):
			last = t.ClosedAt
		}
	}
	return last, open
}

// planKept says how long the plan (and network) is kept. No rule names it:
// it goes with the client's key, when nothing else of the file is left (the
// retention run's final shred), so as long as the longest-kept kind of the
// file (personal working notes and the access log, which outlive or precede
// the file on their own terms, aside), from the last close of all the
// client's help; no date while any help is open.
//
// An until_age rule keeps its kind at least until the birthday it names, so
// the plan, which outlasts every such kind, stays at least as long.
func planKept(rules []records.RetentionRule, last *time.Time, open bool, born *time.Time) records.KeptUntil {
	k := records.KeptUntil{Kind: records.KindPlan, Basis: records.BasisAfterClose, Action: records.ActionDestroyRows, Open: open}
	var fileRules []records.RetentionRule
	for _, r := range rules {
		if r.Kind == records.KindNotePersonal || r.Kind == records.KindAccessRecord {
			continue
		}
		fileRules = append(fileRules, r)
		if r.Years*366+r.Days > k.Years*366+k.Days {
			k.Years, k.Days = r.Years, r.Days
		}
	}
	if !k.Open {
		t := last.AddDate(k.Years, 0, k.Days)
		for _, r := range fileRules {
			if r.Basis != records.BasisUntilAge {
				continue
			}
			if born == nil {
				// The birthday is unknown, so the date is: the run keeps
				// such a file rather than destroy it early.
				k.Open = true
				return k
			}
			if b := Birthday(*born, r.Age); b.After(t) {
				t = b
			}
		}
		k.Until = &t
	}
	return k
}

// Birthday is the client's Age-th birthday, at the start of that day (UTC).
// Someone born on 29 February turns a year older on 1 March in other years.
func Birthday(born time.Time, age int) time.Time {
	y, m, d := born.Date()
	return time.Date(y+age, m, d, 0, 0, 0, 0, time.UTC)
}

// keptUntil is the date an after_close rule ends at for a close; nil while
// open, and for after_creation rules (their date is per record); for an
// until_age rule the later of the birthday and the close plus the period.
func keptUntil(r records.RetentionRule, closed, born *time.Time) *time.Time {
	if r.Basis == records.BasisUntilAge {
		return DueAt(records.RetentionRule{Basis: r.Basis, Age: r.Age, Years: r.Years, Days: r.Days}, time.Time{}, closed, born)
	}
	if r.Basis != records.BasisAfterClose || closed == nil {
		return nil
	}
	t := closed.AddDate(r.Years, 0, r.Days)
	return &t
}

// Privacy is the client's privacy at a glance (records.Store.ClientPrivacy)
// with the retention dates filled in from the organisation's rules. The
// errors are the store's (EFORBIDDEN for anyone but the client, EDESTROYED
// after crypto-shredding), or EINTERNAL when the rules cannot be read.
func (s *Service) Privacy(ctx context.Context, a records.Actor, clientID string, own bool) (*records.Privacy, error) {
	p, err := s.Store.ClientPrivacy(ctx, a, clientID, own)
	if err != nil {
		return nil, err
	}
	rules, err := s.Rules(ctx)
	if err != nil {
		return nil, err
	}
	p.KeptUntil = KeptUntil(rules, p.Trajectories, p.BirthDate)
	return p, nil
}
