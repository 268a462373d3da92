// Package api is nabij's JSON API under /api/v1: sign-in and token refresh,
// the caseload and client files, the access log, administration, consent,
// disclosures, retention and the client's rights. Handlers are thin: they
// decode, call records or consent (which authorize and write the access
// record) and encode; errors become problem+json through edge. Routes holds
// the route table; the OpenAPI document (app/openapi) lists the same routes,
// and a test in app checks that the two agree.
package api
