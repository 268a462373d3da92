// Package auth signs people in, for the JSON API and the web pages alike:
// the password check (with the same cost for unknown accounts), the lock-out
// after failed attempts, the per-address and per-account sign-in limits, the
// second factor (TOTP, each code accepted once), EdDSA access tokens, refresh
// tokens, one-time activation codes with which a new account's holder sets
// their own password (Activate), the change of one's own password, and the
// rule for a password someone chooses (CheckNewPassword: length, and not on
// the embedded list of common passwords).
// It answers with edge problems; the handlers that use it live in api and web.
package auth
