package auth

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/nabij/nabij/records"
)

// Issuer and Audience are what every access token must carry.
const (
	Issuer   = "nabij"
	Audience = "nabij-api"
)

// Claims are the claims of an access token. Pending marks a token that
// may only enrol a second factor (its role requires TOTP and none is set up).
// SessionID names the sign-in the token belongs to: when that session ends,
// the token is refused although it has not expired.
type Claims struct {
	Role      string `json:"role"`
	SessionID string `json:"sid"`
	ClientID  string `json:"cid,omitempty"`
	Pending   bool   `json:"totp_pending,omitempty"`
	jwt.RegisteredClaims
}

// IssueAccess makes an EdDSA-signed access token for the user in the session
// sessionID, and says how long it is valid.
func (s *Service) IssueAccess(u *records.User, pending bool, sessionID string) (string, time.Duration, error) {
	if sessionID == "" {
		return "", 0, errors.New("an access token needs a session")
	}
	now := s.Now()
	ttl := s.AccessTTL
	jti := make([]byte, 12)
	if _, err := rand.Read(jti); err != nil {
		return "", 0, err
	}
	c := Claims{Role: string(u.Role), SessionID: sessionID, ClientID: u.ClientID, Pending: pending, RegisteredClaims: jwt.RegisteredClaims{
		Issuer: Issuer, Audience: jwt.ClaimStrings{Audience}, Subject: u.ID,
		IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now.Add(-5 * time.Second)),
		ExpiresAt: jwt.NewNumericDate(now.Add(ttl)), ID: base64.RawURLEncoding.EncodeToString(jti),
	}}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodEdDSA, c).SignedString(s.Key)
	return tok, ttl, err
}

var errBadToken = errors.New("invalid access token")

// parseAccess checks an access token: the algorithm pinned to EdDSA (so "none"
// and HS256-with-the-public-key are refused), our key, issuer, audience, expiry.
func (s *Service) parseAccess(raw string) (*Claims, error) {
	var c Claims
	p := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
		jwt.WithIssuer(Issuer),
		jwt.WithAudience(Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(s.Now),
		jwt.WithLeeway(5*time.Second),
	)
	pub := s.Key.Public().(ed25519.PublicKey)
	tok, err := p.ParseWithClaims(raw, &c, func(*jwt.Token) (any, error) { return pub, nil })
	if err != nil || !tok.Valid || c.Subject == "" || c.SessionID == "" {
		return nil, errBadToken
	}
	return &c, nil
}

// NewRefreshToken is 256 random bits, URL-safe; only its hash is stored.
func NewRefreshToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// NextPageRefreshToken is the refresh token a page's refresh token rotates
// to: an HMAC of the presented token under a key only the servers hold. Two
// page loads that present the same token at once (two tabs, on one instance
// or two) so ask the store for the same successor, and the store hands the
// second the first one's successor instead of taking it for theft (see
// records.RotationGrace). Nobody without the key can tell it in advance.
func (s *Service) NextPageRefreshToken(presented string) string {
	m := hmac.New(sha256.New, s.DeriveKey("page refresh successors"))
	m.Write([]byte(presented))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// DeriveKey is a key for another use (label names it) derived from the
// token-signing key: SHA-256 of the label, a zero byte and the key's seed.
func (s *Service) DeriveKey(label string) []byte {
	sum := sha256.Sum256(append([]byte(label+"\x00"), s.Key.Seed()...))
	return sum[:]
}
