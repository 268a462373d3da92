package auth

import (
	"strings"
	"sync"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// totpSteps remembers, per account, the last 30-second step whose code was
// accepted, so that a code seen over someone's shoulder cannot be used a second
// time (RFC 6238 §5.2). It is in memory: with several instances, a replay on
// another instance within the same step remains possible.
type totpSteps struct {
	mu   sync.Mutex
	last map[string]int64
}

const totpPeriod = 30

// CheckTOTP accepts a code for the current step or one step either side (clock
// drift), and only if that step is later than the last one accepted.
func (s *Service) CheckTOTP(userID, secret, code string) bool {
	code = strings.TrimSpace(code)
	now := s.Now()
	s.totp.mu.Lock()
	defer s.totp.mu.Unlock()
	if s.totp.last == nil {
		s.totp.last = map[string]int64{}
	}
	for _, d := range []int64{-1, 0, 1} {
		t := now.Add(time.Duration(d*totpPeriod) * time.Second)
		ok, err := totp.ValidateCustom(code, secret, t, totp.ValidateOpts{Period: totpPeriod, Skew: 0, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil || !ok {
			continue
		}
		step := t.Unix() / totpPeriod
		if step <= s.totp.last[userID] {
			return false
		}
		s.totp.last[userID] = step
		return true
	}
	return false
}
