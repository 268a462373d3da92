package sqlite

import (
	"context"
	"database/sql"
	"slices"

	"github.com/nabij/nabij/records"
)

// ClientFile returns the client's file as the actor may see it, and writes the
// access record (with the ids of the notes whose content it returns) in the same
// transaction that reads the rows. What each reader sees:
//   - a professional: everything, except other professionals' personal notes;
//   - the client: shared notes in full, restricted notes as existence and reason,
//     personal notes only where the jurisdiction opens them (BE).
//
// EFORBIDDEN (with a denied record) when no rule allows it; EDESTROYED after
// crypto-shredding; never partial data on error.
func (s *Store) ClientFile(ctx context.Context, a records.Actor, purpose records.Purpose, clientID string) (*records.File, error) {
	return s.clientFile(ctx, a, purpose, clientID, nil)
}

// ClientFilePage is ClientFile with one page of the notes; see records.Store.
func (s *Store) ClientFilePage(ctx context.Context, a records.Actor, purpose records.Purpose, clientID string, p records.FilePage) (*records.File, error) {
	if err := p.Check(); err != nil {
		return nil, err
	}
	if p.Limit == 0 {
		p.Limit = records.DefaultFilePage
	}
	return s.clientFile(ctx, a, purpose, clientID, &p)
}

func (s *Store) clientFile(ctx context.Context, a records.Actor, purpose records.Purpose, clientID string, p *records.FilePage) (*records.File, error) {
	f := &records.File{Client: records.Client{ID: clientID}, Trajectories: []records.Trajectory{}, Contacts: []records.Contact{}, Notes: []records.Note{}, Entries: []records.Entry{}}
	err := s.readClient(ctx, readSpec{actor: a, clientID: clientID, purpose: purpose, kind: "file", action: records.ActionRead},
		func(w *wtx, g grant, u *unsealing) ([]string, error) {
			f.Rule = g.rule
			if err := u.add(w, g); err != nil {
				return nil, err // EDESTROYED before anything is read
			}
			fields, err := w.readFile(f, a, clientID, p, nil)
			if err != nil {
				return nil, err
			}
			if isClient(a) {
				// Who helps me: the client's own file names the people who
				// can open it, and how to reach them at work.
				helpers, more, err := w.accessHolders(clientID)
				if err != nil {
					return nil, err
				}
				f.Helpers, fields = helpers, append(fields, more...)
			}
			ids := make([]string, 0, len(f.Notes))
			for _, n := range f.Notes {
				ids = append(ids, n.ID)
			}
			return ids, u.add(w, g, fields...)
		})
	if err != nil {
		return nil, err // fail closed: nothing of the file
	}
	return f, nil
}

// noteWindow is the range of one page of notes in the file's order
// (created_at, id), both ends included.
type noteWindow struct{ lo, hi records.NoteCursor }

// notePage finds the window of the page p asks for, sets f's cursors to the
// pages around it, and reports how many notes the page holds. It reads
// only the index of the client's notes, at most Limit+1 entries, so its cost
// does not grow with the file.
func (w *wtx) notePage(f *records.File, clientID string, p *records.FilePage) (noteWindow, int, error) {
	var rows *sql.Rows
	var err error
	switch {
	case p.Before != "":
		c, _ := records.ParseNoteCursor("before", p.Before) // checked by FilePage.Check
		rows, err = w.query(`SELECT created_at, id FROM notes WHERE client_id = ?1 AND created_at <= ?2 AND (created_at < ?2 OR id < ?3)
			ORDER BY created_at DESC, id DESC LIMIT ?4`, clientID, c.At, c.ID, p.Limit+1)
	case p.After != "":
		c, _ := records.ParseNoteCursor("after", p.After)
		rows, err = w.query(`SELECT created_at, id FROM notes WHERE client_id = ?1 AND created_at >= ?2 AND (created_at > ?2 OR id > ?3)
			ORDER BY created_at, id LIMIT ?4`, clientID, c.At, c.ID, p.Limit+1)
	default:
		rows, err = w.query(`SELECT created_at, id FROM notes WHERE client_id = ?1 ORDER BY created_at DESC, id DESC LIMIT ?2`, clientID, p.Limit+1)
	}
	if err != nil {
		return noteWindow{}, 0, internal("file: note page", err)
	}
	var got []records.NoteCursor
	for rows.Next() {
		var c records.NoteCursor
		if err := rows.Scan(&c.At, &c.ID); err != nil {
			rows.Close()
			return noteWindow{}, 0, internal("file: note page", err)
		}
		got = append(got, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return noteWindow{}, 0, internal("file: note page", err)
	}
	more := len(got) > p.Limit
	if more {
		got = got[:p.Limit]
	}
	if len(got) == 0 {
		return noteWindow{}, 0, nil
	}
	first, last := got[0], got[len(got)-1]
	if p.After != "" {
		// Ascending: the page is [first, last]; notes older than it exist
		// (the cursor's own note at least).
		if more {
			f.Newer = last.String()
		}
		f.Older = first.String()
		return noteWindow{lo: first, hi: last}, len(got), nil
	}
	// Descending: the page is [last, first].
	if more {
		f.Older = last.String()
	}
	if p.Before != "" {
		f.Newer = first.String()
	}
	return noteWindow{lo: last, hi: first}, len(got), nil
}

// readFile reads the rows of the file into f and lists the sealed fields to open.
// Pointers in fields point into f, so f's slices must not grow after this.
// With p nil it reads every note; else one page of them (notePage).
func (w *wtx) readFile(f *records.File, a records.Actor, clientID string, p *records.FilePage, fields []sealedField) ([]sealedField, error) {
	var name, birth, contact []byte
	var created int64
	if err := w.queryRow(`SELECT name_sealed, birth_date_sealed, contact_sealed, created_at, COALESCE(case_code, '') FROM clients WHERE id = ?`, clientID).
		Scan(&name, &birth, &contact, &created, &f.Client.CaseCode); err != nil {
		return nil, internal("file: client", err)
	}
	f.Client.CreatedAt = fromMS(created)

	// Trajectories.
	rows, err := w.query(`SELECT id, goal_sealed, COALESCE(lead_id, ''), opened_at, closed_at FROM trajectories WHERE client_id = ? ORDER BY opened_at`, clientID)
	if err != nil {
		return nil, internal("file: trajectories", err)
	}
	var goals [][]byte
	for rows.Next() {
		var t records.Trajectory
		var goal []byte
		var opened int64
		var closed sql.NullInt64
		if err := rows.Scan(&t.ID, &goal, &t.LeadID, &opened, &closed); err != nil {
			rows.Close()
			return nil, internal("file: trajectories", err)
		}
		t.ClientID, t.OpenedAt, t.ClosedAt = clientID, fromMS(opened), fromNullMS(closed)
		f.Trajectories = append(f.Trajectories, t)
		goals = append(goals, goal)
	}
	rows.Close()

	// Contacts, with the follow-up link seen from both sides.
	rows, err = w.query(`SELECT id, trajectory_id, channel, synchronous, occurred_at, duration_minutes,
		COALESCE(follow_up_of, ''), consent_missing, author_id, created_at FROM contacts WHERE client_id = ? ORDER BY occurred_at, id`, clientID)
	if err != nil {
		return nil, internal("file: contacts", err)
	}
	for rows.Next() {
		var c records.Contact
		var occurred, createdAt int64
		var ch string
		if err := rows.Scan(&c.ID, &c.TrajectoryID, &ch, &c.Synchronous, &occurred, &c.DurationMinutes,
			&c.FollowUpOf, &c.ConsentMissing, &c.AuthorID, &createdAt); err != nil {
			rows.Close()
			return nil, internal("file: contacts", err)
		}
		c.ClientID, c.Channel, c.Mode = clientID, records.Channel(ch), records.Channel(ch).Mode()
		c.OccurredAt, c.CreatedAt = fromMS(occurred), fromMS(createdAt)
		f.Contacts = append(f.Contacts, c)
	}
	rows.Close()
	resolved, resolvedReasons, err := w.flagResolutions(clientID)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]int, len(f.Contacts))
	for i := range f.Contacts {
		byID[f.Contacts[i].ID] = i
	}
	for _, c := range f.Contacts {
		if i, ok := byID[c.FollowUpOf]; ok {
			f.Contacts[i].FollowedUpBy = append(f.Contacts[i].FollowedUpBy, c.ID)
		}
	}

	// Notes: all versions, oldest first, filtered by who reads; the whole
	// file, or the window of one page.
	const noteCols = `SELECT n.id, n.trajectory_id, COALESCE(n.contact_id, ''), n.author_id, n.created_at,
		v.version, v.visibility, v.body_sealed, v.reason_sealed, v.author_id, v.created_at
		FROM notes n JOIN note_versions v ON v.note_id = n.id `
	var onPage int // notes on the page: room to make for them
	switch {
	case p == nil:
		rows, err = w.query(noteCols+`WHERE n.client_id = ? ORDER BY n.created_at, n.id, v.version`, clientID)
	default:
		var win noteWindow
		var werr error
		win, onPage, werr = w.notePage(f, clientID, p)
		if werr != nil {
			return nil, werr
		}
		if onPage == 0 {
			// No note on this page: an empty result of the same query.
			rows, err = w.query(noteCols + `WHERE 1 = 0 ORDER BY n.created_at, n.id, v.version`)
			break
		}
		rows, err = w.query(noteCols+`WHERE n.client_id = ?1
			AND n.created_at >= ?2 AND (n.created_at > ?2 OR n.id >= ?3)
			AND n.created_at <= ?4 AND (n.created_at < ?4 OR n.id <= ?5)
			ORDER BY n.created_at, n.id, v.version`, clientID, win.lo.At, win.lo.ID, win.hi.At, win.hi.ID)
	}
	if err != nil {
		return nil, internal("file: notes", err)
	}
	type sealedVersion struct{ body, reason []byte }
	// The versions of all notes in one slice (a note's versions are
	// adjacent, from starts[k]), their sealed bytes copied once into one
	// buffer (sealed), and the scan's targets declared once: the hot read
	// path allocates per row little more than the driver does.
	notes := make([]records.Note, 0, onPage)
	versions := make([]sealedVersion, 0, onPage)
	starts := make([]int, 0, onPage+1)
	var sealed sealedBuffer
	var (
		n                records.Note
		v                records.NoteVersion
		createdAt, vAt   int64
		vis              string
		body, reason     sql.RawBytes // valid until the next row: copied into sealed
		id, trID, contID string
		authorID, vAuth  string
	)
	for rows.Next() {
		if err := rows.Scan(&id, &trID, &contID, &authorID, &createdAt,
			&v.Version, &vis, &body, &reason, &vAuth, &vAt); err != nil {
			rows.Close()
			return nil, internal("file: notes", err)
		}
		v.Visibility, v.VersionAt, v.VersionAuthorID = records.Visibility(vis), fromMS(vAt), vAuth
		sealed.reserve(onPage, len(body)+len(reason))
		versions = append(versions, sealedVersion{sealed.keep(body), sealed.keep(reason)})
		if k := len(notes) - 1; k >= 0 && notes[k].ID == id {
			notes[k].History = append(notes[k].History, notes[k].NoteVersion)
			notes[k].NoteVersion = v
			continue
		}
		n = records.Note{ID: id, TrajectoryID: trID, ContactID: contID, AuthorID: authorID,
			ClientID: clientID, CreatedAt: fromMS(createdAt), NoteVersion: v}
		notes = append(notes, n)
		starts = append(starts, len(versions)-1)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal("file: notes", err)
	}
	starts = append(starts, len(versions))
	jur := w.s.opts.Jurisdiction
	sealedNotes := make([][]sealedVersion, 0, len(notes))
	keptVersions := make([]sealedVersion, 0, len(versions))
	f.Notes = slices.Grow(f.Notes, len(notes))
	for i, n := range notes {
		show, withhold := noteView(a, jur, n.AuthorID, n.NoteVersion)
		if !show {
			continue
		}
		mine := versions[starts[i]:starts[i+1]]
		// Earlier versions follow the same rule, one by one; a withheld note shows
		// no history at all.
		from := len(keptVersions)
		var hist []records.NoteVersion
		for j, h := range n.History {
			if ok, hide := noteView(a, jur, n.AuthorID, h); ok && !hide && !withhold {
				hist = append(hist, h)
				keptVersions = append(keptVersions, mine[j])
			}
		}
		keptVersions = append(keptVersions, mine[len(mine)-1])
		n.History = hist
		n.Withheld = withhold
		f.Notes = append(f.Notes, n)
		sealedNotes = append(sealedNotes, keptVersions[from:len(keptVersions):len(keptVersions)])
	}

	// Entries the client wrote.
	rows, err = w.query(`SELECT id, author_id, body_sealed, created_at FROM entries WHERE client_id = ? ORDER BY created_at, id`, clientID)
	if err != nil {
		return nil, internal("file: entries", err)
	}
	var entryBodies [][]byte
	for rows.Next() {
		var e records.Entry
		var body []byte
		var createdAt int64
		if err := rows.Scan(&e.ID, &e.AuthorID, &body, &createdAt); err != nil {
			rows.Close()
			return nil, internal("file: entries", err)
		}
		e.ClientID, e.CreatedAt = clientID, fromMS(createdAt)
		f.Entries = append(f.Entries, e)
		entryBodies = append(entryBodies, body)
	}
	rows.Close()

	// Only now that the slices are final, take pointers into them.
	fields = slices.Grow(fields, 3+len(f.Contacts)+len(f.Trajectories)+2*len(keptVersions)+len(f.Entries))
	fields = append(fields, clientFields(&f.Client, name, birth, contact)...)
	for i := range f.Contacts {
		if r := resolved[f.Contacts[i].ID]; r != nil {
			f.Contacts[i].FlagResolution = r
			fields = append(fields, sealedField{"consent_flag_resolutions", "reason", f.Contacts[i].ID, resolvedReasons[f.Contacts[i].ID], &r.Reason})
		}
	}
	for i := range f.Trajectories {
		fields = append(fields, sealedField{"trajectories", "goal", f.Trajectories[i].ID, goals[i], &f.Trajectories[i].Goal})
	}
	for i := range f.Notes {
		n := &f.Notes[i]
		sv := sealedNotes[i]
		for j := range n.History {
			h := &n.History[j]
			rid := noteVersionID(n.ID, h.Version)
			fields = append(fields, sealedField{"note_versions", "body", rid, sv[j].body, &h.Body},
				sealedField{"note_versions", "reason", rid, sv[j].reason, &h.RestrictedReason})
		}
		cur := sv[len(sv)-1]
		rid := noteVersionID(n.ID, n.Version)
		if !n.Withheld {
			fields = append(fields, sealedField{"note_versions", "body", rid, cur.body, &n.Body})
		}
		fields = append(fields, sealedField{"note_versions", "reason", rid, cur.reason, &n.RestrictedReason})
	}
	for i := range f.Entries {
		fields = append(fields, sealedField{"entries", "body", f.Entries[i].ID, entryBodies[i], &f.Entries[i].Body})
	}
	return fields, nil
}

// noteView decides whether the reader sees a version of a note (show) and whether
// its body is withheld (a restricted note shown to the client as existence and reason).
func noteView(a records.Actor, jur records.Jurisdiction, authorID string, v records.NoteVersion) (show, withhold bool) {
	switch {
	case a.IsSystem():
		// nabij itself (export, erasure) sees everything it is asked to process.
		return true, false
	case isClient(a):
		switch v.Visibility {
		case records.VisibilityShared:
			return true, false
		case records.VisibilityRestricted:
			return true, true
		case records.VisibilityPersonal:
			return jur == records.JurisdictionBE, false
		}
	case isProfessional(a):
		if v.Visibility == records.VisibilityPersonal {
			return authorID == a.UserID, false
		}
		return true, false
	}
	return false, false
}

// sealedBuffer holds the sealed values of a file read, copied out of the
// driver's rows one after another into a few large buffers instead of one
// allocation each. A value kept stays valid: a full buffer is replaced by a
// new one, never grown in place.
type sealedBuffer struct{ buf []byte }

// reserve makes room for next more bytes; a new buffer is sized for rows
// values of that length, so a page usually needs one, but at most 1 MiB
// unless one value needs more: one long note must not size the buffer for
// a page of long notes.
func (b *sealedBuffer) reserve(rows, next int) {
	if cap(b.buf)-len(b.buf) >= next {
		return
	}
	b.buf = make([]byte, 0, max(next, min(max(rows, 16)*max(next, 64), 1<<20)))
}

// keep copies v into the buffer and returns the copy; nil (SQL NULL) stays
// nil and an empty value stays empty, not nil, so that opening it fails as
// a damaged ciphertext instead of reading as no text. reserve must have made
// room for it.
func (b *sealedBuffer) keep(v sql.RawBytes) []byte {
	if v == nil {
		return nil
	}
	if len(v) == 0 {
		return []byte{}
	}
	start := len(b.buf)
	b.buf = append(b.buf, v...)
	return b.buf[start:len(b.buf):len(b.buf)]
}
