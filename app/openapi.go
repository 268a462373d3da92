package app

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"

	"github.com/gofiber/fiber/v2"
)

// The OpenAPI document is kept in parts, one per area (openapi/core.json for
// sign-in, records and administration; openapi/consent.json for consent,
// retention and the client's rights), and merged once at start: paths and
// components.* are unions, and a name defined twice is an error.
//
//go:embed openapi/*.json
var openapiParts embed.FS

var openapiDoc = mustMergeOpenAPI()

// OpenAPI is the API description served at /api/openapi.json.
func OpenAPI() []byte { return openapiDoc }

func (s *Server) openapi(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(openapiDoc)
}

func mustMergeOpenAPI() []byte {
	b, err := mergeOpenAPI(openapiParts)
	if err != nil {
		panic(err) // the parts are fixed at build time; a test covers this
	}
	return b
}

func mergeOpenAPI(fsys fs.FS) ([]byte, error) {
	names, err := fs.Glob(fsys, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	// core.json first (it holds openapi, info, servers, security), then the others by name.
	sort.Slice(names, func(i, j int) bool {
		ci, cj := names[i] == "openapi/core.json", names[j] == "openapi/core.json"
		if ci != cj {
			return ci
		}
		return names[i] < names[j]
	})
	var doc map[string]any
	for _, name := range names {
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var part map[string]any
		if err := json.Unmarshal(raw, &part); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if doc == nil {
			doc = part
			continue
		}
		if err := mergeSection(doc, part, "paths", name); err != nil {
			return nil, err
		}
		pc, _ := part["components"].(map[string]any)
		if pc == nil {
			continue
		}
		dc, _ := doc["components"].(map[string]any)
		if dc == nil {
			dc = map[string]any{}
			doc["components"] = dc
		}
		for kind := range pc {
			if err := mergeSection(dc, pc, kind, name); err != nil {
				return nil, err
			}
		}
	}
	if doc == nil {
		return nil, fmt.Errorf("no OpenAPI parts")
	}
	return json.Marshal(doc)
}

func mergeSection(dst, src map[string]any, key, from string) error {
	s, _ := src[key].(map[string]any)
	if s == nil {
		return nil
	}
	d, _ := dst[key].(map[string]any)
	if d == nil {
		d = map[string]any{}
		dst[key] = d
	}
	for k, v := range s {
		if _, dup := d[k]; dup {
			return fmt.Errorf("%s: %s %q is defined twice", from, key, k)
		}
		d[k] = v
	}
	return nil
}
