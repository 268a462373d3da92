package app

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/nabij/nabij/app/edge"
)

// metrics are the Prometheus series nabij exports. Labels are route templates
// (/api/v1/clients/:id), never concrete ids.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	logins   *prometheus.CounterVec
	// routes maps each registered route template to itself: the label is the
	// server's own string, never a view of a request's buffer, and a path no
	// route matched is counted under unmatchedRoute, so a stranger cannot mint
	// label values.
	routes map[string]string
}

// unmatchedRoute and otherMethod label requests no route or known method fits.
const (
	unmatchedRoute = "unmatched"
	otherMethod    = "OTHER"
)

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nabij_http_requests_total", Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "nabij_http_request_duration_seconds", Help: "HTTP request duration by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route", "method"}),
		logins: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nabij_logins_total", Help: "Sign-in attempts by outcome.",
		}, []string{"outcome"}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.logins,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// knowRoutes records the route templates of app as the only route labels;
// called once all routes are mounted.
func (m *metrics) knowRoutes(app *fiber.App) {
	m.routes = map[string]string{}
	for _, r := range app.GetRoutes() {
		m.routes[r.Path] = r.Path
	}
}

// routeLabel is the route template of the request, from the server's own
// table. Fiber hands out a view of the request path when no route matched.
func (m *metrics) routeLabel(c *fiber.Ctx) string {
	if r, ok := m.routes[c.Route().Path]; ok {
		return r
	}
	return unmatchedRoute
}

// methodLabel is the request method as one of the server's own constants:
// c.Method() is a view of fasthttp's buffer, which the next request on the
// connection overwrites (a kept "GET" becomes "GETT" or "POST").
func methodLabel(c *fiber.Ctx) string {
	switch c.Method() {
	case fiber.MethodGet:
		return fiber.MethodGet
	case fiber.MethodHead:
		return fiber.MethodHead
	case fiber.MethodPost:
		return fiber.MethodPost
	case fiber.MethodPut:
		return fiber.MethodPut
	case fiber.MethodPatch:
		return fiber.MethodPatch
	case fiber.MethodDelete:
		return fiber.MethodDelete
	case fiber.MethodOptions:
		return fiber.MethodOptions
	}
	return otherMethod
}

// metricsAllowed lets a scrape through from this host (a loopback peer, not
// forwarded by a proxy) or with the bearer token NABIJ_METRICS_TOKEN. Request
// counts by route and status tell an outsider what people do and when.
func (s *Server) metricsAllowed(c *fiber.Ctx) error {
	if tok := s.cfg.MetricsToken; tok != "" {
		if raw, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer "); ok {
			// Compare digests: equal length, constant time.
			got, want := sha256.Sum256([]byte(raw)), sha256.Sum256([]byte(tok))
			if subtle.ConstantTimeCompare(got[:], want[:]) == 1 {
				return c.Next()
			}
		}
	}
	forwarded := len(c.Request().Header.Peek(fiber.HeaderXForwardedFor)) > 0 || len(c.Request().Header.Peek("Forwarded")) > 0
	if a, err := netip.ParseAddr(edge.Remote(c)); err == nil && a.IsLoopback() && !forwarded {
		return c.Next()
	}
	return edge.FailDetail(edge.ProbForbidden, "metrics are served to this host, or with the metrics token")
}

func (m *metrics) handler() fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
}

// observe counts and times every request and logs one line: method, route
// template, status, duration. Never the query string, body or headers, so
// neither tokens nor personal data reach the log.
func (s *Server) observe(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		if herr := s.App.ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	route, method := s.metrics.routeLabel(c), methodLabel(c)
	status := c.Response().StatusCode()
	d := time.Since(start)
	s.metrics.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	s.metrics.duration.WithLabelValues(route, method).Observe(d.Seconds())
	if route != "/healthz" && route != "/readyz" && route != "/metrics" {
		s.cfg.Logf("%s %s %d %s", method, route, status, d.Round(time.Microsecond))
	}
	return nil
}
