package app

import (
	"errors"
	"net/http"

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
}

// FieldProblem names one field that is wrong and why.
type FieldProblem struct {
	Field  string `json:"field"`
	Detail string `json:"detail"`
}

const problemBase = "urn:nabij:problem:"

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
}

// Problems of the edge that have no domain code.
var (
	probUnauthorized  = Problem{Type: problemBase + "unauthorized", Title: "Sign in first", Status: http.StatusUnauthorized}
	probBadJSON       = Problem{Type: problemBase + "malformed-body", Title: "The request body is not valid JSON for this route", Status: http.StatusBadRequest}
	probMediaType     = Problem{Type: problemBase + "unsupported-media-type", Title: "Send application/json", Status: http.StatusUnsupportedMediaType}
	probTooLarge      = Problem{Type: problemBase + "too-large", Title: "The request body is too large", Status: http.StatusRequestEntityTooLarge}
	probRateLimited   = Problem{Type: problemBase + "rate-limited", Title: "Too many attempts; wait a minute", Status: http.StatusTooManyRequests}
	probLocked        = Problem{Type: problemBase + "account-locked", Title: "This account is locked for a while after too many failed sign-ins", Status: http.StatusLocked}
	probBadLogin      = Problem{Type: problemBase + "invalid-credentials", Title: "Username or password is wrong", Status: http.StatusUnauthorized}
	probTOTPRequired  = Problem{Type: problemBase + "totp-required", Title: "Enter the code from your authenticator app", Status: http.StatusUnauthorized}
	probNotFoundRoute = Problem{Type: problemBase + "not-found", Title: "Not found", Status: http.StatusNotFound}
	probMethod        = Problem{Type: problemBase + "method-not-allowed", Title: "Method not allowed", Status: http.StatusMethodNotAllowed}
)

// problemFor turns any error into a Problem; internal causes are never shown.
func problemFor(err error) Problem {
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
			return probNotFoundRoute
		case fiber.StatusMethodNotAllowed:
			return probMethod
		case fiber.StatusTooManyRequests:
			return probRateLimited
		}
		if fe.Code >= 400 && fe.Code < 500 {
			return Problem{Type: problemBase + "bad-request", Title: http.StatusText(fe.Code), Status: fe.Code}
		}
	}
	code := records.ErrorCode(err)
	k, ok := problemKinds[code]
	if !ok {
		k = problemKinds[records.EINTERNAL]
	}
	p2 := Problem{Type: problemBase + k.slug, Title: k.title, Status: k.status}
	var re *records.Error
	if errors.As(err, &re) && code != records.EINTERNAL {
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

func fail(p Problem) error { return &problemError{p} }

func failDetail(p Problem, detail string) error {
	p.Detail = detail
	return &problemError{p}
}

func invalidField(field, detail string) error {
	return &problemError{Problem{Type: problemBase + "validation", Title: problemKinds[records.EINVALID].title,
		Status: http.StatusUnprocessableEntity, Detail: detail, Errors: []FieldProblem{{Field: field, Detail: detail}}}}
}

// sendProblem writes p as application/problem+json.
func sendProblem(c *fiber.Ctx, p Problem) error {
	p.Instance = c.Path()
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, "application/problem+json")
	c.Status(p.Status)
	b, err := jsonMarshal(p)
	if err != nil {
		return err
	}
	return c.Send(b)
}
