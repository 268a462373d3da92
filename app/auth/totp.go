package auth

import (
	"context"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

const totpPeriod = 30

// CheckTOTP accepts a code for the current step or one step either side (clock
// drift), and only if that step is later than the last one the account used,
// so that a code seen over someone's shoulder cannot be used a second time
// (RFC 6238 §5.2). The last step is kept in the store, so a replay is refused
// on every instance. An error when the step cannot be written down: the code
// is not accepted then.
func (s *Service) CheckTOTP(ctx context.Context, userID, secret, code string) (bool, error) {
	code = strings.TrimSpace(code)
	now := s.Now()
	for _, d := range []int64{-1, 0, 1} {
		t := now.Add(time.Duration(d*totpPeriod) * time.Second)
		ok, err := totp.ValidateCustom(code, secret, t, totp.ValidateOpts{Period: totpPeriod, Skew: 0, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil || !ok {
			continue
		}
		return s.Store.UseTOTPStep(ctx, userID, t.Unix()/totpPeriod)
	}
	return false, nil
}
