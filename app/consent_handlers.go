package app

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/consent"
	"github.com/nabij/nabij/records"
)

// consentRoutes wires consent, disclosures, retention and the client's rights
// (issue 4). Documented in openapi/consent.json.
func (s *Server) consentRoutes(auth fiber.Router) {
	pro := s.allow(records.RoleProfessional)
	auth.Get("/clients/:id/consents", pro, s.listConsents)
	auth.Post("/clients/:id/consents", pro, s.recordConsent)
	auth.Post("/consents/:cid/withdraw", pro, s.withdrawConsent)
	auth.Post("/clients/:id/disclosures", pro, s.disclose)
	auth.Post("/trajectories/:tid/close", pro, s.closeTrajectory)

	cl := s.allow(records.RoleClient)
	auth.Get("/me/consents", cl, s.myConsents)
	auth.Post("/me/consents", cl, s.giveConsent)
	auth.Post("/me/consents/:cid/withdraw", cl, s.withdrawConsent)
	auth.Get("/me/disclosures", cl, s.myDisclosures)
	auth.Get("/me/export", cl, s.myExport)
	auth.Get("/me/erasure-requests", cl, s.myErasureRequests)
	auth.Post("/me/erasure-requests", cl, s.requestErasure)

	dpo := s.allow(records.RoleDataOfficer)
	auth.Get("/disclosures", dpo, s.disclosures)
	auth.Get("/statistics", dpo, s.statistics)
	auth.Get("/retention-rules", dpo, s.retentionRules)
	auth.Put("/retention-rules", dpo, s.setRetentionRules)
	auth.Post("/retention-runs", dpo, s.runRetention)
	auth.Get("/legal-holds", dpo, s.legalHolds)
	auth.Post("/legal-holds", dpo, s.placeLegalHold)
	auth.Delete("/legal-holds/:hid", dpo, s.releaseLegalHold)
	auth.Get("/purge-reports", dpo, s.purgeReports)
	auth.Get("/erasure-requests", dpo, s.erasureRequests)
	auth.Post("/erasure-requests/:rid/approve", dpo, s.approveErasure)
	auth.Post("/erasure-requests/:rid/refuse", dpo, s.refuseErasure)
}

// consent is the consent and retention policy over the server's store, on the
// server's clock.
func (s *Server) consent() *consent.Service { return consent.New(s.Store, s.cfg.Now) }

type consentList struct {
	Consents []consent.View `json:"consents"`
}

func (s *Server) listConsents(c *fiber.Ctx) error {
	list, err := s.consent().List(c.UserContext(), edge.Actor(c), edge.Param(c, "id"))
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, consentList{list})
}

func (s *Server) recordConsent(c *fiber.Ctx) error {
	var in consent.Input
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	v, err := s.consent().Record(c.UserContext(), edge.Actor(c), edge.Param(c, "id"), in)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, v)
}

func (s *Server) myConsents(c *fiber.Ctx) error {
	a := edge.Actor(c)
	list, err := s.consent().List(c.UserContext(), a, a.ClientID)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, consentList{list})
}

func (s *Server) giveConsent(c *fiber.Ctx) error {
	var in consent.Input
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	a := edge.Actor(c)
	v, err := s.consent().Record(c.UserContext(), a, a.ClientID, in)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, v)
}

// withdrawConsent serves both the professional's and the client's route; records
// lets a client withdraw only their own consents.
func (s *Server) withdrawConsent(c *fiber.Ctx) error {
	v, err := s.consent().Withdraw(c.UserContext(), edge.Actor(c), edge.Param(c, "cid"))
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, v)
}

type disclosureRequest struct {
	Recipient string   `json:"recipient"`
	Purpose   string   `json:"purpose"`
	RecordIDs []string `json:"record_ids"`
}

func (s *Server) disclose(c *fiber.Ctx) error {
	var in disclosureRequest
	if err := edge.Decode(c, &in); err != nil {
		return err
	}
	p, err := s.consent().Disclose(c.UserContext(), edge.Actor(c), edge.Param(c, "id"),
		records.NewDisclosure{Recipient: in.Recipient, Purpose: in.Purpose, RecordIDs: in.RecordIDs})
	if errors.Is(err, records.ErrNoConsent) {
		detail := fmt.Sprintf("missing consent: purpose disclosure, recipient %q, reason %q — the client has no valid (granted, unexpired, not withdrawn) consent for this; nothing was shared",
			in.Recipient, in.Purpose)
		return edge.FailDetail(edge.Problem{Type: edge.ProblemBase + "consent-missing", Title: "The client has not consented to this disclosure",
			Status: http.StatusForbidden, Errors: []edge.FieldProblem{{Field: "consent", Detail: detail}}}, detail)
	}
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusCreated, p)
}

type disclosureList struct {
	Disclosures []records.Disclosure `json:"disclosures"`
}

func (s *Server) myDisclosures(c *fiber.Ctx) error {
	a := edge.Actor(c)
	list, err := s.Store.Disclosures(c.UserContext(), a, a.ClientID)
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, disclosureList{list})
}

func (s *Server) disclosures(c *fiber.Ctx) error {
	list, err := s.Store.Disclosures(c.UserContext(), edge.Actor(c), utils.CopyString(c.Query("client_id")))
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, disclosureList{list})
}

func (s *Server) statistics(c *fiber.Ctx) error {
	st, err := s.consent().Statistics(c.UserContext(), edge.Actor(c))
	if err != nil {
		return err
	}
	return edge.Send(c, fiber.StatusOK, st)
}
