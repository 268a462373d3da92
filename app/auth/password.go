package auth

import (
	"unicode/utf8"

	"github.com/nabij/nabij/app/edge"
)

// MinPasswordLen follows NIST SP 800-63B for memorised secrets chosen for someone.
const MinPasswordLen = 12

// CheckPassword refuses passwords too short or too long to hash sensibly
// (a validation problem on the field "password").
func CheckPassword(pw string) error {
	if n := utf8.RuneCountInString(pw); n < MinPasswordLen || len(pw) > 1024 {
		return edge.InvalidField("password", "a password has at least 12 characters")
	}
	return nil
}
