package api

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

func (h *Handler) listCaseload(c *fiber.Ctx) error {
	changed, err := records.ParseChangedOnly(c.Query("changed"))
	if err != nil {
		return err
	}
	q := records.CaseloadQuery{Name: strings.Clone(c.Query("q")), Sort: strings.Clone(c.Query("sort")), Changed: changed}
	list, err := h.Store.SearchCaseload(c.UserContext(), edge.Actor(c), q)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, map[string]any{"clients": list})
}

type createClientRequest struct {
	Name      string `json:"name"`
	BirthDate string `json:"birth_date,omitempty"`
	Contact   string `json:"contact,omitempty"`
}

func (h *Handler) createClient(c *fiber.Ctx) error {
	var in createClientRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	cl, err := h.Store.CreateClient(c.UserContext(), edge.Actor(c), records.NewClient{Name: in.Name, BirthDate: in.BirthDate, Contact: in.Contact})
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, cl)
}

func (h *Handler) getClient(c *fiber.Ctx) error {
	cl, err := h.Store.Client(c.UserContext(), edge.Actor(c), records.PurposeCare, edge.Param(c, "id"))
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, cl)
}

func (h *Handler) getClientFile(c *fiber.Ctx) error {
	p, err := edge.FilePage(c)
	if err != nil {
		return err
	}
	f, err := h.Store.ClientFilePage(c.UserContext(), edge.Actor(c), records.PurposeCare, edge.Param(c, "id"), p)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, f)
}

type createTrajectoryRequest struct {
	Goal     string     `json:"goal"`
	LeadID   string     `json:"lead_id,omitempty"`
	OpenedAt *time.Time `json:"opened_at,omitempty"`
}

func (h *Handler) createTrajectory(c *fiber.Ctx) error {
	var in createTrajectoryRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	t, err := h.Store.CreateTrajectory(c.UserContext(), edge.Actor(c), edge.Param(c, "id"),
		records.NewTrajectory{Goal: in.Goal, LeadID: in.LeadID, OpenedAt: in.OpenedAt})
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, t)
}

type createContactRequest struct {
	TrajectoryID    string    `json:"trajectory_id"`
	Channel         string    `json:"channel"`
	OccurredAt      time.Time `json:"occurred_at"`
	DurationMinutes int       `json:"duration_minutes"`
	Synchronous     *bool     `json:"synchronous"`
	FollowUpOf      string    `json:"follow_up_of,omitempty"`
	ToolID          string    `json:"tool_id,omitempty"`
	ToolName        string    `json:"tool_name,omitempty"`
}

func (h *Handler) createContact(c *fiber.Ctx) error {
	var in createContactRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	ch := records.Channel(in.Channel)
	sync := ch.Valid() && in.Synchronous == nil && ch.Mode() == records.ModeFaceToFace
	if in.Synchronous != nil {
		sync = *in.Synchronous
	}
	k, err := h.Store.CreateContact(c.UserContext(), edge.Actor(c), edge.Param(c, "id"), records.NewContact{
		TrajectoryID: in.TrajectoryID, Channel: ch, OccurredAt: in.OccurredAt,
		DurationMinutes: in.DurationMinutes, Synchronous: sync, FollowUpOf: in.FollowUpOf,
		ToolID: in.ToolID, ToolName: in.ToolName})
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, k)
}

type createNoteRequest struct {
	ContactID        string `json:"contact_id,omitempty"`
	TrajectoryID     string `json:"trajectory_id,omitempty"`
	Body             string `json:"body"`
	Visibility       string `json:"visibility"`
	RestrictedReason string `json:"restricted_reason,omitempty"`
}

func (h *Handler) createNote(c *fiber.Ctx) error {
	var in createNoteRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	n, err := h.Store.CreateNote(c.UserContext(), edge.Actor(c), edge.Param(c, "id"), records.NewNote{
		ContactID: in.ContactID, TrajectoryID: in.TrajectoryID, Body: in.Body,
		Visibility: records.Visibility(in.Visibility), RestrictedReason: in.RestrictedReason})
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, n)
}

type correctionRequest struct {
	Body             string `json:"body"`
	Visibility       string `json:"visibility"`
	RestrictedReason string `json:"restricted_reason,omitempty"`
}

func (h *Handler) correctNote(c *fiber.Ctx) error {
	var in correctionRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	n, err := h.Store.CorrectNote(c.UserContext(), edge.Actor(c), edge.Param(c, "nid"), records.Correction{
		Body: in.Body, Visibility: records.Visibility(in.Visibility), RestrictedReason: in.RestrictedReason})
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, n)
}

type breakGlassRequest struct {
	Reason string `json:"reason"`
}

func (h *Handler) breakGlass(c *fiber.Ctx) error {
	var in breakGlassRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	g, err := h.Store.BreakGlass(c.UserContext(), edge.Actor(c), edge.Param(c, "id"), in.Reason)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, g)
}

type clientAccountRequest struct {
	Username string `json:"username"`
}

// createClientAccount gives a client on the professional's caseload a login to
// their own file. Only the professional who follows the client does this (the
// account is a key to the file); the store records it. The account has no
// password: the answer carries a one-time activation code with which the
// client sets their own.
func (h *Handler) createClientAccount(c *fiber.Ctx) error {
	var in clientAccountRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	act, hash, err := h.newActivation()
	if err != nil {
		return err
	}
	u, err := h.Store.CreateUser(c.UserContext(), edge.Actor(c), records.NewUser{Username: in.Username, Role: records.RoleClient,
		ClientID: edge.Param(c, "id"), ActivationCodeHash: hash})
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, accountCreated{User: u, Activation: act})
}
