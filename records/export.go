package records

import "time"

// Export is everything kept about a client, as the client may see it (everything
// except others' personal working notes and the content of restricted notes):
// their file (no other people's personal working notes unless the jurisdiction
// opens them; restricted notes as existence and reason), consents, the
// accounting of disclosures, the access log of their data, their erasure
// requests, and their plan and network (read like every plan and network
// read: each with its own access record, kinds plan and network).
type Export struct {
	GeneratedAt     time.Time        `json:"generated_at"`
	Jurisdiction    Jurisdiction     `json:"jurisdiction"`
	File            *File            `json:"file"`
	Consents        []Consent        `json:"consents"`
	Disclosures     []Disclosure     `json:"disclosures"`
	AccessLog       []AccessView     `json:"access_log"`
	ErasureRequests []ErasureRequest `json:"erasure_requests"`
	Plan            *Plan            `json:"plan"`
	Network         []NetworkMember  `json:"network"`

	// For the readable export only (not in the JSON and FHIR formats, which
	// stay as they are): the names of the staff the export names by id, the
	// reads by other people per person and week, and how long each kind of
	// record is kept (filled in by package consent).
	Names     map[string]string `json:"-"`
	Reads     []PersonReads     `json:"-"`
	KeptUntil []KeptUntil       `json:"-"`
}
