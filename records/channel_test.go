package records

import "testing"

func TestChannelMode(t *testing.T) {
	tests := []struct {
		ch     Channel
		valid  bool
		mode   Mode
		online bool
	}{
		{ChannelOffice, true, ModeFaceToFace, false},
		{ChannelHomeVisit, true, ModeFaceToFace, false},
		{ChannelOutreach, true, ModeFaceToFace, false},
		{ChannelVideo, true, ModeOnline, true},
		{ChannelPhone, true, ModeOnline, true},
		{ChannelChat, true, ModeOnline, true},
		{ChannelEmail, true, ModeOnline, true},
		{ChannelMessaging, true, ModeOnline, true},
		{ChannelEHealthModule, true, ModeOnline, true},
		{"fax", false, ModeOnline, false},
		{"", false, ModeOnline, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.ch), func(t *testing.T) {
			if got := tt.ch.Valid(); got != tt.valid {
				t.Errorf("Valid() = %v, want %v", got, tt.valid)
			}
			if tt.valid {
				if got := tt.ch.Mode(); got != tt.mode {
					t.Errorf("Mode() = %v, want %v", got, tt.mode)
				}
			}
			if got := tt.ch.Online(); got != tt.online {
				t.Errorf("Online() = %v, want %v", got, tt.online)
			}
		})
	}
}
