// Package edge holds what the JSON API (package api) and the web pages
// (package web) both need at the HTTP edge: the signed-in actor of a request,
// path parameters copied out of Fiber's reused buffers, strict JSON decoding
// and encoding, and RFC 9457 problem+json with the one table that maps
// records error codes to HTTP statuses (problem.go). It also names the
// middleware the server hands to both when they register their routes.
package edge
