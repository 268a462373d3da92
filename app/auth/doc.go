// Package auth signs people in, for the JSON API and the web pages alike:
// the password check (with the same answer and cost for unknown accounts), the
// growing delays after failed attempts per address and per (account, address) —
// never a lock-out that a stranger could cause —, the bound on Argon2id hashes
// running at once, sessions that end at sign-out or after 12 hours, the
// second factor (TOTP, each code accepted once), EdDSA access tokens, refresh
// tokens, one-time activation codes with which a new account's holder sets
// their own password (Activate), the change of one's own password, and the
// rule for a password someone chooses (CheckNewPassword: length, and not on
// the embedded list of common passwords).
// It answers with edge problems; the handlers that use it live in api and web.
package auth
