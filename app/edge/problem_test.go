package edge_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/app/edge"
	"github.com/nabij/nabij/records"
)

// TestStorageFullIs507: a store error that says the disk or database is
// full becomes 507 problem+json, without the cause, and not a generic 500.
func TestStorageFullIs507(t *testing.T) {
	cause := errors.New("database or disk is full")
	full := &records.Error{Code: records.EFULL, Message: "storage full", Err: cause}
	for name, err := range map[string]error{"Direct": full, "Wrapped": fmt.Errorf("create note: %w", full)} {
		t.Run(name, func(t *testing.T) {
			app := fiber.New(fiber.Config{ErrorHandler: func(c *fiber.Ctx, err error) error {
				return edge.SendProblem(c, edge.ProblemFor(err))
			}})
			app.Post("/x", func(*fiber.Ctx) error { return err })
			res, terr := app.Test(httptest.NewRequest(http.MethodPost, "/x", nil), -1)
			if terr != nil {
				t.Fatal(terr)
			}
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != http.StatusInsufficientStorage {
				t.Errorf("status %d, want 507", res.StatusCode)
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type %q", ct)
			}
			var p edge.Problem
			if err := json.Unmarshal(body, &p); err != nil {
				t.Fatal(err)
			}
			if p.Status != 507 || p.Type != edge.ProblemBase+"storage-full" {
				t.Errorf("problem %+v", p)
			}
			if strings.Contains(string(body), "disk is full") || p.Detail != "" {
				t.Errorf("the cause leaks: %s", body)
			}
		})
	}
}
