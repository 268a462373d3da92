package client

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
	"github.com/nabij/nabij/ui"
)

// PlanData is what /my/plan shows: the plan, the proposals waiting for the
// client's answer, and which goal's step form a refused step belongs to.
type PlanData struct {
	Plan      *records.Plan
	Pending   []records.PlanProposal
	StepGoal  string // the goal whose new step was refused
	StepValue string
}

// plan is the client's own plan: their question, goals and steps, the
// professional's comments and proposals, each change dated.
func (h *Handler) plan(c *fiber.Ctx) error {
	return h.renderPlan(c, fiber.StatusOK, nil, nil, "", "")
}

func (h *Handler) renderPlan(c *fiber.Ctx, status int, errs, form map[string]string, stepGoal, stepValue string) error {
	a := edge.Actor(c)
	p, err := h.Store.Plan(c.UserContext(), a, a.ClientID)
	if err != nil {
		return err
	}
	v := h.View(c, "my_plan.title")
	v.Errors, v.Form = errs, form
	if v.Form == nil {
		v.Form = map[string]string{"question": p.Question}
	}
	d := PlanData{Plan: p, StepGoal: stepGoal, StepValue: stepValue}
	for _, pr := range p.Proposals {
		if pr.State == records.ProposalPending {
			d.Pending = append(d.Pending, pr)
		}
	}
	v.Data = d
	return h.Render(c, status, "my_plan", v)
}

// planRefused re-renders the plan with the refused field's message, or
// returns err when it is not about the input.
func (h *Handler) planRefused(c *fiber.Ctx, err error, field string, form map[string]string, stepGoal string) error {
	if records.ErrorCode(err) != records.EINVALID {
		return err
	}
	key := "invalid.plan_text"
	if records.ErrorField(err) == "text" && len([]rune(form[field])) > records.MaxPlanText {
		key = "invalid.plan_text_long"
	}
	return h.renderPlan(c, fiber.StatusUnprocessableEntity, map[string]string{field: key}, form, stepGoal, form[field])
}

// planQuestion writes a new version of the client's question.
func (h *Handler) planQuestion(c *fiber.Ctx) error {
	a := edge.Actor(c)
	in := web.FormValues(c, "question")
	if err := h.Store.SetPlanQuestion(c.UserContext(), a, a.ClientID, in["question"]); err != nil {
		return h.planRefused(c, err, "question", in, "")
	}
	return h.Redirect(c, "/my/plan", "flash.plan_question_saved")
}

// planGoal adds a goal.
func (h *Handler) planGoal(c *fiber.Ctx) error {
	a := edge.Actor(c)
	in := web.FormValues(c, "goal")
	if _, err := h.Store.AddPlanGoal(c.UserContext(), a, a.ClientID, in["goal"]); err != nil {
		return h.planRefused(c, err, "goal", in, "")
	}
	return h.Redirect(c, "/my/plan", "flash.plan_goal_added")
}

// planStep adds a step to one of the client's goals.
func (h *Handler) planStep(c *fiber.Ctx) error {
	a := edge.Actor(c)
	gid := edge.Param(c, "gid")
	in := web.FormValues(c, "step")
	if _, err := h.Store.AddPlanStep(c.UserContext(), a, a.ClientID, gid, in["step"]); err != nil {
		return h.planRefused(c, err, "step", in, gid)
	}
	return h.Redirect(c, "/my/plan#goal-"+gid, "flash.plan_step_added")
}

// planStepDone marks a step done or not yet, in one step.
func (h *Handler) planStepDone(done bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		a := edge.Actor(c)
		if err := h.Store.SetPlanStepDone(c.UserContext(), a, a.ClientID, edge.Param(c, "sid"), done); err != nil {
			return err
		}
		flash := "flash.plan_step_undone"
		if done {
			flash = "flash.plan_step_done"
		}
		return h.Redirect(c, "/my/plan", flash)
	}
}

// planProposal accepts or declines a goal the professional proposed.
func (h *Handler) planProposal(accept bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		a := edge.Actor(c)
		_, err := h.Store.DecidePlanProposal(c.UserContext(), a, a.ClientID, edge.Param(c, "pid"), accept)
		if web.IsCode(err, records.ECONFLICT) {
			return h.Redirect(c, "/my/plan", "flash.plan_proposal_decided_already")
		}
		if err != nil {
			return err
		}
		flash := "flash.plan_proposal_declined"
		if accept {
			flash = "flash.plan_proposal_accepted"
		}
		return h.Redirect(c, "/my/plan", flash)
	}
}

// planEdit writes a new version of a goal's or step's text; the earlier
// versions stay and the page shows them.
func (h *Handler) planEdit(c *fiber.Ctx) error {
	a := edge.Actor(c)
	text := web.FormValue(c, "text")
	if err := h.Store.EditPlanItem(c.UserContext(), a, a.ClientID, edge.Param(c, "iid"), text); err != nil {
		if records.ErrorCode(err) != records.EINVALID {
			return err
		}
		return h.renderPlan(c, fiber.StatusUnprocessableEntity, map[string]string{ui.FormError: "invalid.plan_text"}, nil, "", "")
	}
	return h.Redirect(c, "/my/plan", "flash.plan_changed")
}
