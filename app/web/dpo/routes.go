// Package dpo holds the pages of the data officer, under /dpo: the access
// log and its verification, anomalies, retention rules, legal holds, purge
// reports, erasure requests and statistics.
package dpo

import (
	"time"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/app/web"
	"github.com/nabij/nabij/records"
)

// Handler serves the data officer's pages.
type Handler struct{ *web.Handler }

// Routes registers the data officer's pages on p, each behind the role check
// m.Allow(records.RoleDataOfficer).
func (h *Handler) Routes(p web.Pages, m edge.Middleware) {
	dpo := m.Allow(records.RoleDataOfficer)
	p.Get("/dpo/access-log", dpo, h.accessLog)
	p.Get("/dpo/access-log.csv", dpo, h.accessLogCSV)
	p.Get("/dpo/verify", dpo, h.verify)
	p.Get("/dpo/anomalies", dpo, h.anomalies)
	p.Post("/dpo/anomalies/review", dpo, h.anomalyReview)
	p.Get("/dpo/retention", dpo, h.retention)
	p.Post("/dpo/retention", dpo, h.retentionSave)
	p.Get("/dpo/legal-holds", dpo, h.legalHolds)
	p.Post("/dpo/legal-holds", dpo, h.legalHoldPlace)
	p.Post("/dpo/legal-holds/:hid/lift", dpo, h.legalHoldLift)
	p.Get("/dpo/purge-reports", dpo, h.purgeReports)
	p.Get("/dpo/purge-reports/:rid", dpo, h.purgeReport)
	p.Get("/dpo/erasure-requests", dpo, h.erasureRequests)
	p.Post("/dpo/erasure-requests/:rid/approve", dpo, h.erasureApprove)
	p.Post("/dpo/erasure-requests/:rid/refuse", dpo, h.erasureRefuse)
	p.Get("/dpo/statistics", dpo, h.statistics)
}

// dateOrZero dereferences an optional time for a template.
func dateOrZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
