package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"net/http"
	"strings"

	"github.com/nabij/nabij/app/edge"

	"github.com/nabij/nabij/records"
)

// activationAlphabet has no 0/O, 1/I/L or other look-alikes, so a code can be
// read aloud, printed and typed without mistakes. 31 symbols, 12 of them:
// about 59 bits, with sign-in's throttling in front and 14 days to live.
const activationAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

const activationLen = 12

// NewActivationCode makes a one-time activation code, grouped by four for
// reading aloud (7KQP-M3XD-2RWA), and the hash that is stored instead of it.
func NewActivationCode() (code string, hash []byte, err error) {
	var b strings.Builder
	buf := make([]byte, 1)
	for n := 0; n < activationLen; {
		if _, err := rand.Read(buf); err != nil {
			return "", nil, err
		}
		// Reject bytes past the last whole multiple, so every symbol is equally likely.
		if int(buf[0]) >= 256-256%len(activationAlphabet) {
			continue
		}
		if n > 0 && n%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(activationAlphabet[int(buf[0])%len(activationAlphabet)])
		n++
	}
	code = b.String()
	return code, HashActivationCode(code), nil
}

// HashActivationCode is the SHA-256 of the code without dashes or spaces and
// in upper case, so "7kqp m3xd 2rwa" is the same code. A code has enough
// entropy and a short life, so a fast hash suffices.
func HashActivationCode(code string) []byte {
	norm := strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(code)))
	sum := sha256.Sum256([]byte("nabij-activation\x00" + norm))
	return sum[:]
}

// Activate sets the first password of an account with its activation code,
// throttled like sign-in per username and address. The password is checked
// and hashed before the account is looked up, so that an unknown username, a
// wrong, used or expired code all take as long and give the same problem
// (ProbBadActivation). A password that fails the rules is a validation
// problem on "password", whoever asks.
func (s *Service) Activate(ctx context.Context, remote, username, code, password string) (*records.User, error) {
	done, err := s.slowGuess(ctx, remote, "activate\x00"+strings.ToLower(strings.TrimSpace(username)))
	if err != nil {
		return nil, err
	}
	outcome := guessNotWrong
	defer func() { done(outcome) }()
	if err := CheckNewPassword("password", password); err != nil {
		return nil, err
	}
	hash, err := s.HashPassword(ctx, password)
	if err != nil {
		return nil, err
	}
	u, err := s.Store.ActivateAccount(ctx, remote, username, HashActivationCode(code), hash)
	if errors.Is(err, records.ErrBadActivation) {
		outcome = guessWrong
		return nil, edge.Fail(edge.ProbBadActivation)
	}
	return u, err
}

// slowGuess is guess with a 429 problem (and Retry-After) while a delay runs.
func (s *Service) slowGuess(ctx context.Context, remote, what string) (func(guessOutcome), error) {
	done, wait, err := s.guess(ctx, remote, what)
	if err != nil {
		return nil, err
	}
	if wait > 0 {
		return nil, edge.FailRetry(edge.ProbRateLimited, "too many failed attempts; wait before trying again", wait)
	}
	return done, nil
}

// ChangePassword changes the signed-in person's own password after checking
// the current one (throttled like sign-in). A wrong current password is a
// validation problem on "current_password"; a refused new one on
// "new_password". The store ends every refresh token of the account.
func (s *Service) ChangePassword(ctx context.Context, a records.Actor, current, next string) error {
	done, err := s.slowGuess(ctx, a.Remote, "password\x00id:"+a.UserID)
	if err != nil {
		return err
	}
	outcome := guessNotWrong
	defer func() { done(outcome) }()
	u, err := s.Store.UserByID(ctx, a.UserID)
	if err != nil {
		return err
	}
	ok, _, err := s.VerifyPassword(ctx, u.PasswordHash, current)
	if p := edge.ProblemFor(err); err != nil && p.Status == http.StatusTooManyRequests {
		return err
	}
	if err != nil || !ok {
		outcome = guessWrong
		return edge.InvalidField("current_password", "the current password is wrong")
	}
	if err := CheckNewPassword("new_password", next); err != nil {
		return err
	}
	if current == next {
		return edge.InvalidField("new_password", "choose a password other than the current one")
	}
	hash, err := s.HashPassword(ctx, next)
	if err != nil {
		return err
	}
	return s.Store.ChangePassword(ctx, a, hash)
}
