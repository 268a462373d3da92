package ui_test

import (
	"testing"

	"github.com/nabij/nabij/ui"
)

func TestMatchLanguage(t *testing.T) {
	tests := []struct {
		name, cookie, accept, want string
	}{
		{"Default", "", "", "nl"},
		{"CookieWins", "en", "nl-BE,nl;q=0.9", "en"},
		{"CookieCaseAndSpace", " EN ", "", "en"},
		{"InvalidCookieIgnored", "fr", "en-GB,en;q=0.9", "en"},
		{"FlemishBrowser", "", "nl-BE,nl;q=0.9,en;q=0.5", "nl"},
		{"EnglishBrowser", "", "en-US,en;q=0.9", "en"},
		{"QualityOrder", "", "nl;q=0.2,en;q=0.8", "en"},
		{"UnsupportedFallsBack", "", "fr-BE,fr;q=0.9", "nl"},
		{"FrenchThenEnglish", "", "fr-BE,en;q=0.5", "en"},
		{"Garbage", "", ";;;===", "nl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ui.MatchLanguage(tt.cookie, tt.accept); got != tt.want {
				t.Errorf("MatchLanguage(%q, %q) = %q, want %q", tt.cookie, tt.accept, got, tt.want)
			}
		})
	}
}

func TestTranslator(t *testing.T) {
	tr, err := ui.NewTranslator()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		if got := tr.T("nl", "login.title", nil); got != "Aanmelden" {
			t.Errorf("nl login.title = %q", got)
		}
		if got := tr.T("en", "login.title", nil); got != "Sign in" {
			t.Errorf("en login.title = %q", got)
		}
	})
	t.Run("Data", func(t *testing.T) {
		got := tr.T("nl", "layout.signed_in_as", map[string]any{"Username": "an", "Role": "hulpverlener"})
		if got != "Aangemeld als an (hulpverlener)" {
			t.Errorf("got %q", got)
		}
	})
	t.Run("Plural", func(t *testing.T) {
		for _, c := range []struct {
			lang string
			n    int
			want string
		}{
			{"nl", 1, "1 contact"}, {"nl", 3, "3 contacten"}, {"nl", 0, "0 contacten"},
			{"en", 1, "1 contact"}, {"en", 2, "2 contacts"},
		} {
			if got := tr.N(c.lang, "contact.count", c.n, nil); got != c.want {
				t.Errorf("N(%s, %d) = %q, want %q", c.lang, c.n, got, c.want)
			}
		}
	})
	t.Run("UnknownKeyShowsID", func(t *testing.T) {
		if got := tr.T("en", "no.such.key", nil); got != "no.such.key" {
			t.Errorf("got %q", got)
		}
	})
	t.Run("UnknownLangIsDutch", func(t *testing.T) {
		if got := tr.T("fr", "login.title", nil); got != "Aanmelden" {
			t.Errorf("got %q", got)
		}
	})
}
