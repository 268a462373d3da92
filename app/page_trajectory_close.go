package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

type trajectoryCloseView struct {
	ClientID, Name string
	Trajectory     trajectoryView
}

// pageTrajectoryClose asks to confirm closing a trajectory: it says that the
// personal working notes about it are destroyed on close.
func (s *Server) pageTrajectoryClose(c *fiber.Ctx) error {
	f, err := s.clientFileFor(c)
	if err != nil {
		return err
	}
	tid := edge.Param(c, "tid")
	for _, t := range f.Trajectories {
		if t.ID != tid {
			continue
		}
		if t.ClosedAt != nil {
			return s.redirect(c, clientPath(f.Client.ID), "flash.trajectory_closed_already")
		}
		v := s.view(c, "trajectory_close.title")
		v.Data = trajectoryCloseView{ClientID: f.Client.ID, Name: f.Client.Name,
			Trajectory: trajectoryView{ID: t.ID, Goal: t.Goal, Opened: t.OpenedAt}}
		return s.render(c, fiber.StatusOK, "trajectory_close", v)
	}
	return fiber.ErrNotFound
}

// pageTrajectoryCloseConfirm closes the trajectory and runs retention for the
// client at once, as POST /trajectories/{id}/close does, so its personal
// working notes are destroyed now.
func (s *Server) pageTrajectoryCloseConfirm(c *fiber.Ctx) error {
	t, err := s.Store.CloseTrajectory(c.UserContext(), edge.Actor(c), edge.Param(c, "tid"))
	if isCode(err, records.ECONFLICT) {
		return s.redirect(c, clientPath(edge.Param(c, "id")), "flash.trajectory_closed_already")
	}
	if err != nil {
		return err
	}
	if _, err := s.consent().Run(c.UserContext(), false, t.ClientID); err != nil {
		s.cfg.Logf("retention after close of %s: %v", t.ID, err)
		return err
	}
	return s.redirect(c, clientPath(t.ClientID), "flash.trajectory_closed")
}
