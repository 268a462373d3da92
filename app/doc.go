// Package app puts nabij on the network: the Fiber server, sign-in (passwords,
// TOTP, EdDSA access tokens, rotating refresh tokens), the role checks at the
// edge, the JSON API under /api/v1 with its OpenAPI document, health and metrics,
// and the wiring of records, consent and ui. Handlers are thin: they decode,
// call the store (which authorizes and writes the access record) and encode.
// Domain errors become RFC 9457 problem+json through one table (edge/problem.go).
package app
