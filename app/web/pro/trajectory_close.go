package pro

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

type trajectoryCloseView struct {
	ClientID, Name string
	Trajectory     web.TrajectoryView
}

// trajectoryClose asks to confirm closing a trajectory: it says that the
// personal working notes about it are destroyed on close.
func (h *Handler) trajectoryClose(c *fiber.Ctx) error {
	f, err := h.clientFileFor(c)
	if err != nil {
		return err
	}
	tid := edge.Param(c, "tid")
	for _, t := range f.Trajectories {
		if t.ID != tid {
			continue
		}
		if t.ClosedAt != nil {
			return h.Redirect(c, clientPath(f.Client.ID), "flash.trajectory_closed_already")
		}
		v := h.View(c, "trajectory_close.title")
		v.Data = trajectoryCloseView{ClientID: f.Client.ID, Name: f.Client.Name,
			Trajectory: web.TrajectoryView{ID: t.ID, Goal: t.Goal, Opened: t.OpenedAt}}
		return h.Render(c, fiber.StatusOK, "trajectory_close", v)
	}
	return fiber.ErrNotFound
}

// trajectoryCloseConfirm closes the trajectory and runs retention for the
// client at once, as POST /trajectories/{id}/close does, so its personal
// working notes are destroyed now.
func (h *Handler) trajectoryCloseConfirm(c *fiber.Ctx) error {
	t, err := h.Store.CloseTrajectory(c.UserContext(), edge.Actor(c), edge.Param(c, "tid"))
	if web.IsCode(err, records.ECONFLICT) {
		return h.Redirect(c, clientPath(edge.Param(c, "id")), "flash.trajectory_closed_already")
	}
	if err != nil {
		return err
	}
	if _, err := h.Consent().Run(c.UserContext(), false, t.ClientID); err != nil {
		h.Logf("retention after close of %s: %v", t.ID, err)
		return err
	}
	return h.Redirect(c, clientPath(t.ClientID), "flash.trajectory_closed")
}
