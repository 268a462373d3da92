package pro

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

var noteFields = []string{"about", "body", "visibility", "restricted_reason"}

// noteRename maps records' fields to the note form'h.
var noteRename = map[string]string{"contact_id": "about", "trajectory_id": "about"}

func (h *Handler) noteNew(c *fiber.Ctx) error {
	return h.renderNoteNew(c, fiber.StatusOK, nil, map[string]string{"about": web.FormQuery(c, "about")})
}

func (h *Handler) renderNoteNew(c *fiber.Ctx, status int, errs, form map[string]string) error {
	fv, err := h.loadFileForm(c)
	if err != nil {
		return err
	}
	if form["about"] == "" && status == fiber.StatusOK {
		if id := recentPast(fv.Contacts, h.Now()); id != "" {
			form["about"] = "contact:" + id
		}
	}
	v := h.View(c, "note_new.title")
	v.Errors, v.Form, v.Data = errs, form, fv
	return h.Render(c, status, "note_new", v)
}

// noteKeys picks the message for a refused visibility or reason from what
// was chosen, not from records' English text.
func noteKeys(in map[string]string) map[string]string {
	keys := map[string]string{}
	if in["visibility"] != string(records.VisibilityRestricted) {
		keys["restricted_reason"] = "invalid.restricted_reason_only"
	}
	if in["visibility"] == string(records.VisibilityPersonal) {
		keys["visibility"] = "invalid.visibility_personal"
	}
	return keys
}

// noteCreate writes a note about a contact or a trajectory, with the
// visibility chosen explicitly.
func (h *Handler) noteCreate(c *fiber.Ctx) error {
	in := web.FormValues(c, noteFields...)
	nn := records.NewNote{Body: strings.TrimSpace(in["body"]), Visibility: records.Visibility(in["visibility"]),
		RestrictedReason: strings.TrimSpace(in["restricted_reason"])}
	kind, ref, _ := strings.Cut(in["about"], ":")
	switch kind {
	case "contact":
		nn.ContactID = ref
	case "trajectory":
		nn.TrajectoryID = ref
	default:
		return h.renderNoteNew(c, fiber.StatusUnprocessableEntity, map[string]string{"about": "invalid.about"}, in)
	}
	if !nn.Visibility.Valid() {
		return h.renderNoteNew(c, fiber.StatusUnprocessableEntity, map[string]string{"visibility": "invalid.visibility"}, in)
	}
	id := edge.Param(c, "id")
	n, err := h.Store.CreateNote(c.UserContext(), edge.Actor(c), id, nn)
	if err != nil {
		keys := noteKeys(in)
		delete(keys, "visibility") // a new note may well be personal
		errs, ok := web.FormErrors(err, noteFields, noteRename, keys)
		if !ok {
			return err
		}
		return h.renderNoteNew(c, fiber.StatusUnprocessableEntity, errs, in)
	}
	return h.Redirect(c, "/clients/"+id+"#note-"+n.ID, "flash.note_created")
}
