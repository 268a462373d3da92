package records

import (
	"crypto/rand"
	"math/big"
	"regexp"
	"strings"
	"time"
)

// A case code (dossiernummer) is how staff name a client without an id or a
// name: "K-" and digits, random, not derived from the id or the name. It is
// not personal data: staff who read no client data (the data officer, the
// admin) pick clients by it.

// caseCodeRE is the shape of a case code.
var caseCodeRE = regexp.MustCompile(`^K-[0-9]{4,9}$`)

// NormalizeCaseCode returns code in its stored form ("k 4821", "4821" and
// "K-4821" are all "K-4821"), and false when it is not a case code.
func NormalizeCaseCode(code string) (string, bool) {
	c := strings.ToUpper(strings.TrimSpace(code))
	c = strings.TrimPrefix(strings.TrimPrefix(c, "K"), "-")
	c = "K-" + strings.TrimSpace(c)
	return c, caseCodeRE.MatchString(c)
}

// NewCaseCode draws a random case code of the given number of digits (4 to
// 9), never starting with 0 so that the code reads as a number.
func NewCaseCode(digits int) string {
	digits = max(4, min(digits, 9))
	lo := int64(1)
	for range digits - 1 {
		lo *= 10
	}
	n, err := rand.Int(rand.Reader, big.NewInt(9*lo))
	if err != nil {
		panic("records: no randomness for a case code: " + err.Error())
	}
	return "K-" + big.NewInt(0).Add(n, big.NewInt(lo)).String()
}

// ClientCode is a client as staff who read no client data see them: the case
// code, when the file was made, and the trajectories by their dates (their
// goals are sealed).
type ClientCode struct {
	ClientID     string          `json:"client_id"`
	CaseCode     string          `json:"case_code"`
	CreatedAt    time.Time       `json:"created_at"`
	Trajectories []TrajectoryRef `json:"trajectories"`
}

// TrajectoryRef names a trajectory without its goal: its number within the
// client's file (1 for the first opened) and its dates.
type TrajectoryRef struct {
	ID       string     `json:"id"`
	Number   int        `json:"number"`
	OpenedAt time.Time  `json:"opened_at"`
	ClosedAt *time.Time `json:"closed_at,omitempty"`
}
