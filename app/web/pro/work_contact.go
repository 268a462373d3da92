package pro

import (
	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
)

var workContactFields = []string{"work_contact"}

// workContact is the professional's own form for how clients reach them at
// work (a work phone or e-mail), shown to clients on /my/file and
// /my/privacy; as PUT /api/v1/users/{uid}/work-contact does for oneself.
func (h *Handler) workContact(c *fiber.Ctx) error {
	u, err := h.Store.UserByID(c.UserContext(), edge.Actor(c).UserID)
	if err != nil {
		return err
	}
	return h.renderWorkContact(c, fiber.StatusOK, nil, map[string]string{"work_contact": u.WorkContact})
}

func (h *Handler) renderWorkContact(c *fiber.Ctx, status int, errs, form map[string]string) error {
	v := h.View(c, "work_contact.title")
	v.Errors, v.Form = errs, form
	return h.Render(c, status, "account_work_contact", v)
}

// workContactSave sets the line (empty removes it); a bad line is shown
// again on the form with the reason, and nothing changes.
func (h *Handler) workContactSave(c *fiber.Ctx) error {
	in := web.FormValues(c, workContactFields...)
	a := edge.Actor(c)
	if err := h.Store.SetWorkContact(c.UserContext(), a, a.UserID, in["work_contact"]); err != nil {
		errs, ok := web.FormErrors(err, workContactFields, nil, nil)
		if !ok {
			return err
		}
		return h.renderWorkContact(c, fiber.StatusUnprocessableEntity, errs, in)
	}
	return h.Redirect(c, "/account/work-contact", "flash.work_contact_saved")
}
