package pro

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// toolRecommend recommends a self-help tool of the register to the client
// (POST /clients/{id}/tool-recommendations, from the file page). A tool the
// register does not advise is recommended all the same, with a warning.
func (h *Handler) toolRecommend(c *fiber.Ctx) error {
	id := edge.Param(c, "id")
	r, err := h.Store.RecommendTool(c.UserContext(), edge.Actor(c), id, web.FormValue(c, "tool_id"))
	if err != nil {
		if records.ErrorCode(err) == records.EINVALID {
			return h.Redirect(c, clientPath(id)+"#tools", "flash.tool_recommend_invalid")
		}
		return err
	}
	flash := "flash.tool_recommended"
	if len(r.Warnings) > 0 {
		flash = "flash.tool_recommended_not_advised"
	}
	return h.Redirect(c, clientPath(id)+"#tools", flash)
}
