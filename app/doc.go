// Package app puts nabij on the network: the Fiber server (New, Serve,
// Shutdown), its Config, the bearer-token check and the role checks at the
// edge (middleware.go), health and metrics, the OpenAPI document, the signed
// checkpoints and the daily retention run, and routes.go, which mounts every
// route in one place.
//
// The rooms it wires together: api (the JSON API under /api/v1), web (the
// pages shared by every role, with web/pro, web/client, web/dpo and
// web/admin for the pages of each role), auth (sign-in, shared by both), and
// edge (request and problem+json helpers, shared by both). Handlers are thin:
// they decode, call the store (which authorizes and writes the access record)
// and encode. Domain errors become RFC 9457 problem+json through one table
// (edge/problem.go).
package app
