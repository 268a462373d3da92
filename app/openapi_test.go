package app_test

import (
	"bytes"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/nabij/nabij/app"
)

// TestOpenAPIDocumentIsValid loads the merged document with kin-openapi and
// validates it (as OpenAPI 3.1: JSON Schema 2020-12).
func TestOpenAPIDocumentIsValid(t *testing.T) {
	doc, _ := spec(t)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Error("not treated as 3.1")
	}
	if doc.Components.SecuritySchemes["bearerAuth"] == nil {
		t.Error("no bearerAuth security scheme")
	}
}

var fiberParam = regexp.MustCompile(`:([a-z]+)`)

// TestOpenAPIListsEveryRoute checks that the document and routes.go agree: every
// API, health and metrics route is documented, and every documented operation exists.
func TestOpenAPIListsEveryRoute(t *testing.T) {
	doc, _ := spec(t)
	e := newEnv(t)
	served := map[string]bool{}
	for _, r := range e.srv.App.GetRoutes(true) {
		if r.Method == http.MethodHead || r.Method == http.MethodConnect || r.Method == http.MethodTrace || r.Method == http.MethodOptions {
			continue
		}
		if !strings.HasPrefix(r.Path, "/api/") && r.Path != "/healthz" && r.Path != "/readyz" && r.Path != "/metrics" {
			continue // web pages
		}
		served[r.Method+" "+fiberParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	var missing, extra []string
	for k := range served {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !served[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("routes not in the OpenAPI document: %v", missing)
	}
	if len(extra) > 0 {
		t.Errorf("documented operations the server does not have: %v", extra)
	}
	if len(served) < 30 {
		t.Errorf("only %d routes found; the route walk is broken", len(served))
	}
}

// TestOpenAPIServed checks /api/openapi.json serves the merged document.
func TestOpenAPIServed(t *testing.T) {
	e := newEnv(t)
	r := e.get(t, "", "/api/openapi.json").expect(t, 200)
	if !bytes.Equal(r.body, app.OpenAPI()) {
		t.Error("served document differs from app.OpenAPI()")
	}
}
