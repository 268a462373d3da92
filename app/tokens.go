package app

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/nabij/nabij/records"
)

const (
	tokenIssuer   = "nabij"
	tokenAudience = "nabij-api"
)

// accessClaims are the claims of an access token. Pending marks a token that
// may only enrol a second factor (its role requires TOTP and none is set up).
type accessClaims struct {
	Role     string `json:"role"`
	ClientID string `json:"cid,omitempty"`
	Pending  bool   `json:"totp_pending,omitempty"`
	jwt.RegisteredClaims
}

// issueAccess makes an EdDSA-signed access token for the user.
func (s *Server) issueAccess(u *records.User, pending bool) (string, time.Duration, error) {
	now := s.cfg.Now()
	ttl := s.cfg.AccessTTL
	jti := make([]byte, 12)
	if _, err := rand.Read(jti); err != nil {
		return "", 0, err
	}
	c := accessClaims{Role: string(u.Role), ClientID: u.ClientID, Pending: pending, RegisteredClaims: jwt.RegisteredClaims{
		Issuer: tokenIssuer, Audience: jwt.ClaimStrings{tokenAudience}, Subject: u.ID,
		IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now.Add(-5 * time.Second)),
		ExpiresAt: jwt.NewNumericDate(now.Add(ttl)), ID: base64.RawURLEncoding.EncodeToString(jti),
	}}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodEdDSA, c).SignedString(s.tokenKey)
	return tok, ttl, err
}

var errBadToken = errors.New("invalid access token")

// parseAccess checks an access token: the algorithm pinned to EdDSA (so "none"
// and HS256-with-the-public-key are refused), our key, issuer, audience, expiry.
func (s *Server) parseAccess(raw string) (*accessClaims, error) {
	var c accessClaims
	p := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
		jwt.WithIssuer(tokenIssuer),
		jwt.WithAudience(tokenAudience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(s.cfg.Now),
		jwt.WithLeeway(5*time.Second),
	)
	pub := s.tokenKey.Public().(ed25519.PublicKey)
	tok, err := p.ParseWithClaims(raw, &c, func(*jwt.Token) (any, error) { return pub, nil })
	if err != nil || !tok.Valid || c.Subject == "" {
		return nil, errBadToken
	}
	return &c, nil
}

// newRefreshToken is 256 random bits, URL-safe; only its hash is stored.
func newRefreshToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
