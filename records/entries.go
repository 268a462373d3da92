package records

import "time"

// Entry is text the client writes in their own file (a reaction, a correction
// request, something they want their worker to know).
type Entry struct {
	ID        string    `json:"id"`
	ClientID  string    `json:"client_id"`
	AuthorID  string    `json:"author_id"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}
