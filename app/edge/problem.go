package edge

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/nabij/nabij/records"
)

// Problem is an RFC 9457 problem details object. Type is stable; Title is for
// people; Errors gives field-level detail for validation problems.
type Problem struct {
	Type     string         `json:"type"`
	Title    string         `json:"title"`
	Status   int            `json:"status"`
	Detail   string         `json:"detail,omitempty"`
	Instance string         `json:"instance,omitempty"`
	Errors   []FieldProblem `json:"errors,omitempty"`
	// RetryAfter, when set, is sent as the Retry-After header (whole seconds,
	// rounded up): how long a refused request should wait.
	RetryAfter time.Duration `json:"-"`
}

// FieldProblem names one field that is wrong and why.
type FieldProblem struct {
	Field  string `json:"field"`
	Detail string `json:"detail"`
}

// ProblemBase starts the type URI of every problem nabij sends.
const ProblemBase = "urn:nabij:problem:"

// problemKinds is the one table that maps domain error codes to HTTP.
var problemKinds = map[string]struct {
	status int
	slug   string
	title  string
}{
	records.EINVALID:   {http.StatusUnprocessableEntity, "validation", "The request is not valid"},
	records.ENOTFOUND:  {http.StatusNotFound, "not-found", "Not found"},
	records.ECONFLICT:  {http.StatusConflict, "conflict", "Conflict with the current state"},
	records.EFORBIDDEN: {http.StatusForbidden, "forbidden", "You have no access to this"},
	records.EDESTROYED: {http.StatusGone, "destroyed", "This data was destroyed"},
	records.EINTERNAL:  {http.StatusInternalServerError, "internal", "Something went wrong on our side"},
	records.EFULL:      {http.StatusInsufficientStorage, "storage-full", "The server's storage is full; nothing was saved"},
}

// Problems of the edge that have no domain code.
var (
	ProbUnauthorized  = Problem{Type: ProblemBase + "unauthorized", Title: "Sign in first", Status: http.StatusUnauthorized}
	probBadJSON       = Problem{Type: ProblemBase + "malformed-body", Title: "The request body is not valid JSON for this route", Status: http.StatusBadRequest}
	probMediaType     = Problem{Type: ProblemBase + "unsupported-media-type", Title: "Send application/json", Status: http.StatusUnsupportedMediaType}
	probTooLarge      = Problem{Type: ProblemBase + "too-large", Title: "The request body is too large", Status: http.StatusRequestEntityTooLarge}
	ProbRateLimited   = Problem{Type: ProblemBase + "rate-limited", Title: "Too many attempts; wait a minute", Status: http.StatusTooManyRequests}
	ProbBadLogin      = Problem{Type: ProblemBase + "invalid-credentials", Title: "Username or password is wrong", Status: http.StatusUnauthorized}
	ProbTOTPRequired  = Problem{Type: ProblemBase + "totp-required", Title: "Enter the code from your authenticator app", Status: http.StatusUnauthorized}
	ProbNotFoundRoute = Problem{Type: ProblemBase + "not-found", Title: "Not found", Status: http.StatusNotFound}
	probMethod        = Problem{Type: ProblemBase + "method-not-allowed", Title: "Method not allowed", Status: http.StatusMethodNotAllowed}
	// ProbForbidden is a refused role, with the title of the forbidden kind.
	ProbForbidden = Problem{Type: ProblemBase + "forbidden", Title: problemKinds[records.EFORBIDDEN].title, Status: http.StatusForbidden}
	// ProbBadActivation is every refused activation alike (unknown username;
	// wrong, used or expired code), so that it tells nobody who has an account.
	ProbBadActivation = Problem{Type: ProblemBase + "activation-failed", Title: "The username or activation code is wrong, used or expired", Status: http.StatusBadRequest}
)

// ProblemFor turns any error into a Problem; internal causes are never shown.
func ProblemFor(err error) Problem {
	var p *problemError
	if errors.As(err, &p) {
		return p.Problem
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		switch fe.Code {
		case fiber.StatusRequestEntityTooLarge:
			return probTooLarge
		case fiber.StatusNotFound:
			return ProbNotFoundRoute
		case fiber.StatusMethodNotAllowed:
			return probMethod
		case fiber.StatusTooManyRequests:
			return ProbRateLimited
		}
		if fe.Code >= 400 && fe.Code < 500 {
			return Problem{Type: ProblemBase + "bad-request", Title: http.StatusText(fe.Code), Status: fe.Code}
		}
	}
	code := records.ErrorCode(err)
	k, ok := problemKinds[code]
	if !ok {
		k = problemKinds[records.EINTERNAL]
	}
	p2 := Problem{Type: ProblemBase + k.slug, Title: k.title, Status: k.status}
	var re *records.Error
	if errors.As(err, &re) && code != records.EINTERNAL && code != records.EFULL {
		p2.Detail = re.Message
		if re.Field != "" {
			p2.Errors = []FieldProblem{{Field: re.Field, Detail: re.Message}}
		}
	}
	return p2
}

// problemError carries a ready Problem through Fiber's error path.
type problemError struct{ Problem }

func (p *problemError) Error() string { return p.Type }

// Fail returns p as an error; Fiber's error handler sends it.
func Fail(p Problem) error { return &problemError{p} }

// FailDetail is Fail with a detail for the reader.
func FailDetail(p Problem, detail string) error {
	p.Detail = detail
	return &problemError{p}
}

// FailRetry is FailDetail for a refusal that passes: the answer tells the
// client, in Retry-After, to wait after before trying again.
func FailRetry(p Problem, detail string, after time.Duration) error {
	p.Detail = detail
	p.RetryAfter = after
	return &problemError{p}
}

// SetRetryAfter sets the Retry-After header from p, if it has a wait.
func SetRetryAfter(c *fiber.Ctx, p Problem) {
	if p.RetryAfter > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.FormatInt(int64((p.RetryAfter+time.Second-1)/time.Second), 10))
	}
}

// InvalidField is a validation problem (422) naming one field.
func InvalidField(field, detail string) error {
	return &problemError{Problem{Type: ProblemBase + "validation", Title: problemKinds[records.EINVALID].title,
		Status: http.StatusUnprocessableEntity, Detail: detail, Errors: []FieldProblem{{Field: field, Detail: detail}}}}
}

// SendProblem writes p as application/problem+json.
func SendProblem(c *fiber.Ctx, p Problem) error {
	p.Instance = c.Path()
	SetRetryAfter(c, p)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, "application/problem+json")
	c.Status(p.Status)
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return c.Send(b)
}
