package records

// Channel is how a contact took place: three face-to-face channels and six
// online ones, a fixed list.
type Channel string

const (
	ChannelOffice        Channel = "office"
	ChannelHomeVisit     Channel = "home_visit"
	ChannelOutreach      Channel = "outreach"
	ChannelVideo         Channel = "video"
	ChannelPhone         Channel = "phone"
	ChannelChat          Channel = "chat"
	ChannelEmail         Channel = "email"
	ChannelMessaging     Channel = "messaging"
	ChannelEHealthModule Channel = "ehealth_module"
)

// Mode is face-to-face or online; it is derived from the Channel, never stored apart.
type Mode string

const (
	ModeFaceToFace Mode = "face_to_face"
	ModeOnline     Mode = "online"
)

// Channels lists every channel: face-to-face first, then online.
var Channels = []Channel{
	ChannelOffice, ChannelHomeVisit, ChannelOutreach,
	ChannelVideo, ChannelPhone, ChannelChat, ChannelEmail, ChannelMessaging, ChannelEHealthModule,
}

// Valid reports whether c is one of Channels.
func (c Channel) Valid() bool {
	for _, x := range Channels {
		if c == x {
			return true
		}
	}
	return false
}

// Mode says whether the channel is face-to-face or online.
func (c Channel) Mode() Mode {
	switch c {
	case ChannelOffice, ChannelHomeVisit, ChannelOutreach:
		return ModeFaceToFace
	}
	return ModeOnline
}

// Online reports whether contact through c needs the client's consent for that channel.
func (c Channel) Online() bool { return c.Valid() && c.Mode() == ModeOnline }

// Visibility says who may read a note.
type Visibility string

const (
	// VisibilityShared notes are part of the file the client reads.
	VisibilityShared Visibility = "shared"
	// VisibilityRestricted notes are part of the file but hidden from the client for a
	// stated reason; the client sees that the entry exists and why.
	VisibilityRestricted Visibility = "restricted"
	// VisibilityPersonal notes are the author's own working notes: only the author reads
	// them, and retention destroys them when the trajectory closes.
	VisibilityPersonal Visibility = "personal"
)

// Valid reports whether v is a known visibility.
func (v Visibility) Valid() bool {
	return v == VisibilityShared || v == VisibilityRestricted || v == VisibilityPersonal
}

// Jurisdiction decides whether clients see their professionals' personal working notes:
// in the Netherlands they stay outside the client's access; in Belgium the law of
// 6 February 2024 opened them to the client.
type Jurisdiction string

const (
	JurisdictionNL Jurisdiction = "NL"
	JurisdictionBE Jurisdiction = "BE"
)
