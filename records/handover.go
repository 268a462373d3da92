package records

import "time"

// Handover modes: a caseload moved to a stand-in (the professional away gets
// it back at the end), or shared with a stand-in (both read the files).
const (
	HandoverMove  = "move"
	HandoverShare = "share"
)

// MaxHandover is the longest a handover may run: a longer absence is a new
// assignment, not a stand-in.
const MaxHandover = 366 * 24 * time.Hour

// NewHandover is the input to HandOver: whose caseload (From, a professional's
// user id), to whom (To), how, and until when (exclusive: access ends at
// Until; see HandoverUntil).
type NewHandover struct {
	From  string    `json:"from"`
	To    string    `json:"to"`
	Mode  string    `json:"mode"`
	Until time.Time `json:"until"`
}

// Validate checks the input against the time now.
func (in *NewHandover) Validate(now time.Time) error {
	switch {
	case in.From == "":
		return invalid("from", "say whose caseload is handed over")
	case in.To == "":
		return invalid("to", "say who takes the caseload over")
	case in.From == in.To:
		return invalid("to", "a caseload cannot be handed to the same professional")
	case in.Mode != HandoverMove && in.Mode != HandoverShare:
		return invalid("mode", "mode must be move or share")
	case !in.Until.After(now):
		return invalid("until", "the handover must end in the future")
	case in.Until.Sub(now) > MaxHandover:
		return invalid("until", "a handover runs for at most a year")
	}
	return nil
}

// HandoverUntil is the end of a handover that runs through the given day:
// the start of the next day in day's own time zone (the page's is the
// organisation's, the API's UTC).
func HandoverUntil(day time.Time) time.Time {
	y, m, d := day.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, day.Location())
}

// lastDay is the day before an end given as the start of a day in any time
// zone within 12 hours of UTC, as noon UTC of that day, so that it shows as
// the same date in every such zone.
func lastDay(until time.Time) time.Time {
	y, m, d := until.UTC().Add(-12 * time.Hour).Date()
	return time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
}

// Handover is a caseload moved or shared until a date.
type Handover struct {
	ID        string    `json:"id"`
	From      string    `json:"from"`
	To        string    `json:"to"`
	FromName  string    `json:"from_name"`
	ToName    string    `json:"to_name"`
	Mode      string    `json:"mode"`
	Until     time.Time `json:"until"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
	Clients   int       `json:"clients"` // how many clients it covered
}

// LastDay is the last day the handover covers.
func (h Handover) LastDay() time.Time { return lastDay(h.Until) }

// StandIn is someone who may read a client's file now, as the client
// sees it: a professional or a team, until when, and, for a stand-in, whom
// they stand in for.
type StandIn struct {
	Name        string     `json:"name"`
	Team        bool       `json:"team,omitempty"`
	Until       *time.Time `json:"until,omitempty"` // exclusive
	StandsInFor string     `json:"stands_in_for,omitempty"`
}

// LastDay is the last day a holder with an end may read the file; zero when
// their access has no end.
func (h StandIn) LastDay() time.Time {
	if h.Until == nil {
		return time.Time{}
	}
	return lastDay(*h.Until)
}
