// Package corpus makes the case-note text of the load test and its seed:
// plausible, fictional, 300 to 700 characters, with no personal data.
package corpus

import (
	"math/rand/v2"
	"strings"
)

var sentences = []string{
	"Home visit with the client and her sister; the flat was tidy and the heating works again.",
	"Talked about the rent arrears: three months behind, the landlord agreed to a payment plan.",
	"Client was tired and worried about the letter from the tax office; we read it together.",
	"Video call went well, the client prefers this to coming to the office on Tuesdays.",
	"Agreed next steps: call the debt counsellor, bring the bank statements next time.",
	"The client said school is going better, fewer conflicts with the teacher this month.",
	"Short chat follow-up after the home visit: the appointment with the GP is on Friday.",
	"We made a budget plan for the coming weeks; groceries and transport are the tight spots.",
	"Client asked who can read these notes; explained the file and the access log in the app.",
	"Phone call with the client's mother, with consent, about the move to the new flat.",
	"Called the client after the home visit; the payment plan with the landlord is signed.",
	"Client came to the office with the letters from the health insurer; we sorted them.",
	"Chat follow-up: the client asks to move Thursday's appointment to a video call.",
	"Discussed the school report with the client and his father; agreed to meet the tutor.",
	"The client feels calmer since the budget plan; no new debts this month.",
}

// NoteBody is a case note of 300 to 700 characters.
func NoteBody(rng *rand.Rand) string {
	var b strings.Builder
	want := 300 + rng.IntN(400)
	for b.Len() < want {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(sentences[rng.IntN(len(sentences))])
	}
	return b.String()
}
