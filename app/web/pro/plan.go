package pro

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// PlanData is what the professional's plan page shows: the client's plan,
// the client's id for the forms and links, and the goal a refused comment
// belongs to.
type PlanData struct {
	ClientID    string
	Plan        *records.Plan
	CommentGoal string
	CommentText string
}

// plan is the client's own plan as their professional sees it: read (and
// recorded) like the file; the professional comments on goals and proposes
// goals, and changes nothing the client wrote.
func (h *Handler) plan(c *fiber.Ctx) error {
	return h.renderPlan(c, fiber.StatusOK, nil, nil, "")
}

func (h *Handler) renderPlan(c *fiber.Ctx, status int, errs, form map[string]string, commentGoal string) error {
	id := edge.Param(c, "id")
	p, err := h.Store.Plan(c.UserContext(), edge.Actor(c), id)
	if err != nil {
		return err
	}
	v := h.View(c, "client_plan.title")
	v.Errors, v.Form = errs, form
	v.Data = PlanData{ClientID: id, Plan: p, CommentGoal: commentGoal, CommentText: form["comment"]}
	return h.Render(c, status, "client_plan", v)
}

func (h *Handler) planRefused(c *fiber.Ctx, err error, field string, form map[string]string, goal string) error {
	if records.ErrorCode(err) != records.EINVALID {
		return err
	}
	return h.renderPlan(c, fiber.StatusUnprocessableEntity, map[string]string{field: "invalid.plan_text"}, form, goal)
}

// planComment adds a comment to one of the client's goals.
func (h *Handler) planComment(c *fiber.Ctx) error {
	id := edge.Param(c, "id")
	in := web.FormValues(c, "goal_id", "comment")
	if _, err := h.Store.CommentPlanGoal(c.UserContext(), edge.Actor(c), id, in["goal_id"], in["comment"]); err != nil {
		return h.planRefused(c, err, "comment", in, in["goal_id"])
	}
	return h.Redirect(c, clientPath(id)+"/plan", "flash.plan_comment_added")
}

// planPropose proposes a goal, which the client accepts or declines.
func (h *Handler) planPropose(c *fiber.Ctx) error {
	id := edge.Param(c, "id")
	in := web.FormValues(c, "proposal")
	if _, err := h.Store.ProposePlanGoal(c.UserContext(), edge.Actor(c), id, in["proposal"]); err != nil {
		return h.planRefused(c, err, "proposal", in, "")
	}
	return h.Redirect(c, clientPath(id)+"/plan", "flash.plan_proposed")
}
