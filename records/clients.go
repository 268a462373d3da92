package records

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Client is a person nabij keeps a file on. Name, birth date and contact details
// are sealed with the client's data key.
type Client struct {
	ID        string    `json:"id"`
	CaseCode  string    `json:"case_code"` // K-4821: see NewCaseCode
	Name      string    `json:"name"`
	BirthDate string    `json:"birth_date,omitempty"` // YYYY-MM-DD
	Contact   string    `json:"contact,omitempty"`    // phone, e-mail or address, free text
	CreatedAt time.Time `json:"created_at"`
}

// NewClient is the input to CreateClient.
type NewClient struct {
	Name      string
	BirthDate string
	Contact   string
}

func (in *NewClient) Validate(now time.Time) error {
	in.Name = strings.TrimSpace(in.Name)
	in.Contact = strings.TrimSpace(in.Contact)
	if in.Name == "" {
		return invalid("name", "name is required")
	}
	if err := CheckText("name", in.Name, 200); err != nil {
		return err
	}
	if err := CheckText("contact", in.Contact, 500); err != nil {
		return err
	}
	if in.BirthDate != "" {
		d, err := time.Parse("2006-01-02", in.BirthDate)
		if err != nil {
			return invalid("birth_date", "birth date must be a date like 1990-04-30")
		}
		if d.After(now) || d.Year() < 1900 {
			return invalid("birth_date", "birth date must lie between 1900 and today")
		}
	}
	return nil
}

// checkText refuses text that is too long or not valid UTF-8.
func CheckText(field, s string, max int) error {
	if !utf8.ValidString(s) {
		return invalid(field, "%s is not valid text", field)
	}
	if utf8.RuneCountInString(s) > max {
		return invalid(field, "%s is longer than %d characters", field, max)
	}
	return nil
}
