package pro

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

var correctionFields = []string{"body", "visibility", "restricted_reason"}

type noteCorrectView struct {
	ClientID string
	Note     web.NoteView
}

func (h *Handler) noteCorrect(c *fiber.Ctx) error {
	return h.renderNoteCorrect(c, fiber.StatusOK, nil, nil)
}

// renderNoteCorrect shows the current version next to the form. The note
// comes from the file as the professional may read it (a recorded read);
// only its author corrects it, so anyone else gets "not found".
func (h *Handler) renderNoteCorrect(c *fiber.Ctx, status int, errs, form map[string]string) error {
	a := edge.Actor(c)
	f, err := h.Store.ClientFile(c.UserContext(), a, records.PurposeCare, edge.Param(c, "id"))
	if err != nil {
		return err
	}
	nid := edge.Param(c, "nid")
	var note *records.Note
	for i := range f.Notes {
		if f.Notes[i].ID == nid && f.Notes[i].AuthorID == a.UserID {
			note = &f.Notes[i]
		}
	}
	if note == nil {
		return fiber.ErrNotFound
	}
	if form == nil {
		form = map[string]string{"body": note.Body, "visibility": string(note.Visibility), "restricted_reason": note.RestrictedReason}
	}
	nv := web.NoteView{ID: note.ID, Visibility: string(note.Visibility), Body: note.Body, Reason: note.RestrictedReason,
		At: note.VersionAt, Version: note.Version}
	v := h.View(c, "note_correct.title")
	v.Errors, v.Form = errs, form
	v.Data = noteCorrectView{ClientID: f.Client.ID, Note: nv}
	return h.Render(c, status, "note_correct", v)
}

// noteCorrectSave adds a new version; the earlier ones stay readable.
func (h *Handler) noteCorrectSave(c *fiber.Ctx) error {
	in := web.FormValues(c, correctionFields...)
	vis := records.Visibility(in["visibility"])
	if !vis.Valid() {
		return h.renderNoteCorrect(c, fiber.StatusUnprocessableEntity, map[string]string{"visibility": "invalid.visibility"}, in)
	}
	id, nid := edge.Param(c, "id"), edge.Param(c, "nid")
	_, err := h.Store.CorrectNote(c.UserContext(), edge.Actor(c), nid, records.Correction{Body: strings.TrimSpace(in["body"]),
		Visibility: vis, RestrictedReason: strings.TrimSpace(in["restricted_reason"])})
	if err != nil {
		errs, ok := web.FormErrors(err, correctionFields, nil, noteKeys(in))
		if !ok {
			return err
		}
		return h.renderNoteCorrect(c, fiber.StatusUnprocessableEntity, errs, in)
	}
	return h.Redirect(c, "/clients/"+id+"#note-"+nid, "flash.note_corrected")
}
