package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/nabij/nabij/records"
)

// CreateContact logs a contact. The follow-up link may point only to an earlier
// contact of the same client. An online contact without valid consent for its
// channel is kept and flagged ConsentMissing.
// EINVALID for bad input; EFORBIDDEN (with a denied record) when no rule allows it.
func (s *Store) CreateContact(ctx context.Context, a records.Actor, clientID string, in records.NewContact) (*records.Contact, error) {
	if !in.Channel.Valid() {
		return nil, invalid("channel", "unknown channel %q", in.Channel)
	}
	if in.TrajectoryID == "" {
		return nil, invalid("trajectory_id", "trajectory_id is required")
	}
	if in.OccurredAt.IsZero() {
		return nil, invalid("occurred_at", "occurred_at is required")
	}
	if in.DurationMinutes < 0 || in.DurationMinutes > 24*60 {
		return nil, invalid("duration_minutes", "duration must be between 0 and 1440 minutes")
	}
	in.ToolName = strings.TrimSpace(in.ToolName)
	if in.ToolID != "" && in.ToolName != "" {
		return nil, invalid("tool_name", "name a tool from the register or another tool, not both")
	}
	if (in.ToolID != "" || in.ToolName != "") && !in.Channel.Online() {
		return nil, invalid("tool_id", "only an online contact names the tool it used")
	}
	if err := records.CheckText("tool_name", in.ToolName, records.MaxOtherToolName); err != nil {
		return nil, err
	}
	c := &records.Contact{
		ID: newID(), ClientID: clientID, TrajectoryID: in.TrajectoryID, Channel: in.Channel,
		Mode: in.Channel.Mode(), Synchronous: in.Synchronous, OccurredAt: fromMS(ms(in.OccurredAt)),
		DurationMinutes: in.DurationMinutes, FollowUpOf: in.FollowUpOf, AuthorID: a.UserID,
		ToolID: in.ToolID, ToolName: in.ToolName,
	}
	err := s.write(ctx, func(w *wtx) error {
		if !doesCare(a) {
			return w.deny(entry{actor: a, clientID: clientID, kind: "contact", action: records.ActionCreate, purpose: records.PurposeCare},
				"only professionals log contacts")
		}
		g, err := w.authorize(a, clientID, records.PurposeCare, "contact", records.ActionCreate)
		if err != nil {
			return err
		}
		return w.createContact(g, c)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// createContact writes the contact c (input checked) of g's client: the
// trajectory and follow-up link must be the client's, an online contact is
// flagged without consent for its channel at its time, and the access record.
func (w *wtx) createContact(g grant, c *records.Contact) error {
	clientID := g.clientID
	if err := w.checkTrajectory(clientID, c.TrajectoryID); err != nil {
		return err
	}
	if c.FollowUpOf != "" {
		var owner string
		var at int64
		err := w.queryRow(`SELECT client_id, occurred_at FROM contacts WHERE id = ?`, c.FollowUpOf).Scan(&owner, &at)
		switch {
		case errors.Is(err, sql.ErrNoRows) || (err == nil && owner != clientID):
			// Same answer for "no such contact" and "another client's contact".
			return invalid("follow_up_of", "follow_up_of must be an earlier contact of the same client")
		case err != nil:
			return internal("follow-up", err)
		case at > ms(c.OccurredAt):
			return invalid("follow_up_of", "follow_up_of must be an earlier contact of the same client")
		}
	}
	if c.Channel.Online() {
		ok, err := w.hasChannelConsent(clientID, c.Channel, c.OccurredAt)
		if err != nil {
			return err
		}
		c.ConsentMissing = !ok
	}
	if c.ToolID != "" {
		_, verdict, err := w.toolVerdict("tool_id", c.ToolID)
		if err != nil {
			return err
		}
		c.Warnings = toolWarnings(verdict)
	}
	c.CreatedAt = fromMS(ms(w.now))
	if _, err := w.exec(`INSERT INTO contacts (id, client_id, trajectory_id, channel, synchronous, occurred_at,
		duration_minutes, follow_up_of, consent_missing, author_id, created_at, tool_id, tool_name) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		c.ID, clientID, c.TrajectoryID, string(c.Channel), c.Synchronous, ms(c.OccurredAt), c.DurationMinutes,
		nullString(c.FollowUpOf), c.ConsentMissing, c.AuthorID, ms(w.now), nullString(c.ToolID), c.ToolName); err != nil {
		return internal("create contact", err)
	}
	return w.record(g.entry("contact", []string{c.ID}, records.ActionCreate))
}

// checkTrajectory refuses a trajectory that is not the client's.
func (w *wtx) checkTrajectory(clientID, trajectoryID string) error {
	var ok bool
	if err := w.queryRow(`SELECT EXISTS(SELECT 1 FROM trajectories WHERE id = ? AND client_id = ?)`, trajectoryID, clientID).Scan(&ok); err != nil {
		return internal("trajectory", err)
	}
	if !ok {
		return invalid("trajectory_id", "trajectory_id must be a trajectory of this client")
	}
	return nil
}

// hasChannelConsent reports whether the client had valid consent for contact
// through channel at time at: given before, not expired, not withdrawn.
func (w *wtx) hasChannelConsent(clientID string, ch records.Channel, at time.Time) (bool, error) {
	var ok bool
	t := ms(at)
	err := w.queryRow(`SELECT EXISTS(SELECT 1 FROM consents c
		LEFT JOIN consent_withdrawals x ON x.consent_id = c.id
		WHERE c.client_id = ? AND c.purpose = 'contact_channel' AND c.channel = ?
		  AND `+validConsentAt("?3")+`)`, clientID, string(ch), t).Scan(&ok)
	if err != nil {
		return false, internal("consent", err)
	}
	return ok, nil
}
