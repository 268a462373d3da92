package edge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
)

// Decode reads the request body into dst strictly: JSON only, one value,
// no unknown fields, right types. The problem names the offending field.
func Decode(c *fiber.Ctx, dst any) error {
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	if !strings.HasPrefix(ct, fiber.MIMEApplicationJSON) {
		return Fail(probMediaType)
	}
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var typeErr *json.UnmarshalTypeError
		var syntaxErr *json.SyntaxError
		switch {
		case errors.As(err, &typeErr):
			return badField(typeErr.Field, fmt.Sprintf("%s must be a %s", typeErr.Field, jsonKind(typeErr.Type.Kind().String())))
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return badField(name, "unknown field "+name)
		case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
			return FailDetail(probBadJSON, "the body is not well-formed JSON")
		default:
			return FailDetail(probBadJSON, "the body does not fit this route")
		}
	}
	if dec.More() {
		return FailDetail(probBadJSON, "send exactly one JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return FailDetail(probBadJSON, "send exactly one JSON object")
	}
	return nil
}

func badField(field, detail string) error {
	p := probBadJSON
	p.Detail = detail
	p.Errors = []FieldProblem{{Field: field, Detail: detail}}
	return &problemError{p}
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "int", "int64", "int32", "uint", "uint64", "float64":
		return "number"
	case "slice":
		return "list"
	case "struct", "map", "ptr":
		return "object"
	}
	return k
}

// Send writes v as JSON with the given status. Every API response is no-store:
// most carry client data, and none should sit in a cache. It encodes into a
// pooled buffer and copies that into the response's own (pooled) body, so a
// large file does not cost a fresh buffer per request.
func Send(c *fiber.Ctx, status int, v any) error {
	buf := sendBufs.Get().(*bytes.Buffer)
	defer putSendBuf(buf)
	buf.Reset()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	c.Status(status)
	c.Response().ResetBody()
	// Encode ends with a newline that json.Marshal does not write.
	_, err := c.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	return err
}

// sendBufs are Send's encoding buffers.
var sendBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putSendBuf returns a buffer to the pool unless one huge response grew it
// (an export): that memory goes back to the collector instead.
func putSendBuf(b *bytes.Buffer) {
	if b.Cap() > 4<<20 {
		return
	}
	sendBufs.Put(b)
}
