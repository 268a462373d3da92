package records

import "time"

// ChannelMonthCount counts contacts through one channel in one month, and the
// distinct clients they were with.
type ChannelMonthCount struct {
	Channel  Channel `json:"channel"`
	Month    string  `json:"month"` // YYYY-MM
	Contacts int     `json:"contacts"`
	Clients  int     `json:"clients"`
}

// TrajectoryMix counts a trajectory's online and face-to-face contacts.
type TrajectoryMix struct {
	ClientID     string `json:"-"`
	TrajectoryID string `json:"-"`
	Online       int    `json:"online"`
	FaceToFace   int    `json:"face_to_face"`
}

// StatisticsData is the raw material of the anonymised statistics: only clients
// with a statistics consent valid now are counted. Package consent suppresses
// small cells before anything leaves the server.
type StatisticsData struct {
	At                time.Time           `json:"at"`
	ConsentingClients int                 `json:"consenting_clients"`
	ChannelMonths     []ChannelMonthCount `json:"channel_months"`
	Trajectories      []TrajectoryMix     `json:"trajectories"`
	// Anonymous counts anonymous outreach contacts: nobody identified, so no
	// consent is needed and no cell is about a person.
	Anonymous []AnonymousCount `json:"anonymous"`
}
