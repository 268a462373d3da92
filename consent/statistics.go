package consent

import (
	"context"
	"time"

	"github.com/nabij/nabij/records"
)

// K is the smallest number of clients a published cell may count; smaller
// cells are suppressed.
const K = 5

// ChannelMonthCell is contacts per channel and month. Suppressed cells carry no
// counts.
type ChannelMonthCell struct {
	Channel    records.Channel `json:"channel"`
	Month      string          `json:"month"`
	Contacts   *int            `json:"contacts,omitempty"`
	Clients    *int            `json:"clients,omitempty"`
	Suppressed bool            `json:"suppressed"`
}

// MixBand counts trajectories by their share of online contacts.
type MixBand struct {
	Band         string `json:"band"` // face_to_face_only, mostly_face_to_face, mostly_online, online_only
	Trajectories *int   `json:"trajectories,omitempty"`
	Clients      *int   `json:"clients,omitempty"`
	Suppressed   bool   `json:"suppressed"`
}

// Statistics are the anonymised statistics: only clients with a valid
// statistics consent count, and any cell under K clients is suppressed.
type Statistics struct {
	At                time.Time          `json:"at"`
	K                 int                `json:"k"`
	ConsentingClients *int               `json:"consenting_clients,omitempty"`
	ChannelMonths     []ChannelMonthCell `json:"contacts_per_channel_month"`
	OnlineShare       []MixBand          `json:"online_share_per_trajectory"`
	// AnonymousContacts are outreach contacts with nobody identified: they are
	// about no person, so they need no consent and no cell is suppressed.
	AnonymousContacts []records.AnonymousCount `json:"anonymous_contacts"`
}

// Bands of the online share of a trajectory's contacts, in display order.
var Bands = []string{"face_to_face_only", "mostly_face_to_face", "mostly_online", "online_only"}

func band(m records.TrajectoryMix) string {
	switch total := m.Online + m.FaceToFace; {
	case m.Online == 0:
		return Bands[0]
	case m.Online == total:
		return Bands[3]
	case 2*m.Online < total:
		return Bands[1]
	}
	return Bands[2]
}

func keep(n int) *int { return &n }

// Suppress turns the raw counts into publishable statistics: a cell that
// counts fewer than K distinct clients shows no numbers.
func Suppress(d *records.StatisticsData) *Statistics {
	st := &Statistics{At: d.At, K: K, ChannelMonths: []ChannelMonthCell{}, OnlineShare: []MixBand{}, AnonymousContacts: d.Anonymous}
	if st.AnonymousContacts == nil {
		st.AnonymousContacts = []records.AnonymousCount{}
	}
	if d.ConsentingClients >= K {
		st.ConsentingClients = keep(d.ConsentingClients)
	}
	for _, c := range d.ChannelMonths {
		cell := ChannelMonthCell{Channel: c.Channel, Month: c.Month, Suppressed: c.Clients < K}
		if !cell.Suppressed {
			cell.Contacts, cell.Clients = keep(c.Contacts), keep(c.Clients)
		}
		st.ChannelMonths = append(st.ChannelMonths, cell)
	}
	trajs := map[string]int{}
	clients := map[string]map[string]bool{}
	for _, m := range d.Trajectories {
		if m.Online+m.FaceToFace == 0 {
			continue
		}
		b := band(m)
		trajs[b]++
		if clients[b] == nil {
			clients[b] = map[string]bool{}
		}
		clients[b][m.ClientID] = true
	}
	for _, b := range Bands {
		n := len(clients[b])
		mb := MixBand{Band: b, Suppressed: n < K}
		if !mb.Suppressed {
			mb.Trajectories, mb.Clients = keep(trajs[b]), keep(n)
		}
		st.OnlineShare = append(st.OnlineShare, mb)
	}
	return st
}

// Statistics computes the anonymised statistics for the data officer.
func (s *Service) Statistics(ctx context.Context, a records.Actor) (*Statistics, error) {
	d, err := s.Store.StatisticsData(ctx, a)
	if err != nil {
		return nil, err
	}
	return Suppress(d), nil
}
