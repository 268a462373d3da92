package consent

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/nabij/nabij/records"
)

// FHIR code systems and extension URLs nabij uses.
const (
	fhirActCode         = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
	fhirBase            = "https://nabij.eu/fhir/"
	extFollowUpOf       = fhirBase + "StructureDefinition/follow-up-of"
	extSynchronous      = fhirBase + "StructureDefinition/synchronous"
	extTrajectoryGoal   = fhirBase + "StructureDefinition/trajectory-goal"
	extConsentEvidence  = fhirBase + "StructureDefinition/consent-evidence"
	extRestrictedReason = fhirBase + "StructureDefinition/restricted-reason"
	csChannel           = fhirBase + "CodeSystem/channel"
	csConsentPurpose    = fhirBase + "CodeSystem/consent-purpose"
	csPurpose           = fhirBase + "CodeSystem/access-purpose"
	csRule              = "urn:nabij:rule:"
)

// Resource is one FHIR resource as JSON.
type Resource = map[string]any

// EncounterClass maps a channel to the FHIR R4 Encounter class (v3 ActCode):
// VR (virtual) for every online channel, HH (home health) for a home visit,
// AMB (ambulatory) for the office and street outreach.
func EncounterClass(ch records.Channel) (code, display string) {
	switch {
	case ch.Online():
		return "VR", "virtual"
	case ch == records.ChannelHomeVisit:
		return "HH", "home health"
	}
	return "AMB", "ambulatory"
}

func instant(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

func ref(id string) Resource { return Resource{"reference": "urn:uuid:" + id} }

// fhirID makes a UUID for ids that are not UUIDs (note versions), stable per input.
func fhirID(s string) string {
	if _, err := uuid.Parse(s); err == nil {
		return s
	}
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte(fhirBase+s)).String()
}

// FHIRBundle maps a client's export to a FHIR R4 Bundle (type collection):
// Patient; EpisodeOfCare per trajectory; Encounter per contact (class VR, AMB or
// HH; the follow-up link as an extension); Consent; AuditEvent per access record
// (IHE BALP shape); DocumentReference per note version and per client entry;
// the client's plan and network (planResources).
// The export already follows the client's visibility rules: withheld
// (restricted) notes appear without content, with their reason.
func FHIRBundle(ex *records.Export) Resource {
	var entries []any
	add := func(r Resource) {
		entries = append(entries, Resource{"fullUrl": "urn:uuid:" + r["id"].(string), "resource": r})
	}
	f := ex.File
	cid := f.Client.ID
	patient := Resource{"resourceType": "Patient", "id": cid}
	if f.Client.Name != "" {
		patient["name"] = []any{Resource{"text": f.Client.Name}}
	}
	if f.Client.BirthDate != "" {
		patient["birthDate"] = f.Client.BirthDate
	}
	if f.Client.Contact != "" {
		patient["telecom"] = []any{Resource{"system": "other", "value": f.Client.Contact}}
	}
	add(patient)
	for _, t := range f.Trajectories {
		r := Resource{"resourceType": "EpisodeOfCare", "id": t.ID, "status": "active", "patient": ref(cid),
			"period": Resource{"start": instant(t.OpenedAt)}}
		if t.ClosedAt != nil {
			r["status"] = "finished"
			r["period"].(Resource)["end"] = instant(*t.ClosedAt)
		}
		if t.Goal != "" {
			r["extension"] = []any{Resource{"url": extTrajectoryGoal, "valueString": t.Goal}}
		}
		add(r)
	}
	for _, c := range f.Contacts {
		code, display := EncounterClass(c.Channel)
		status := "finished"
		if c.OccurredAt.After(ex.GeneratedAt) {
			status = "planned"
		}
		r := Resource{"resourceType": "Encounter", "id": c.ID, "status": status,
			"class":         Resource{"system": fhirActCode, "code": code, "display": display},
			"type":          []any{Resource{"coding": []any{Resource{"system": csChannel, "code": string(c.Channel)}}, "text": string(c.Channel)}},
			"subject":       ref(cid),
			"episodeOfCare": []any{ref(c.TrajectoryID)},
			"period":        Resource{"start": instant(c.OccurredAt), "end": instant(c.OccurredAt.Add(time.Duration(c.DurationMinutes) * time.Minute))},
			"length":        Resource{"value": c.DurationMinutes, "unit": "min", "system": "http://unitsofmeasure.org", "code": "min"},
		}
		ext := []any{Resource{"url": extSynchronous, "valueBoolean": c.Synchronous}}
		if c.FollowUpOf != "" {
			ext = append(ext, Resource{"url": extFollowUpOf, "valueReference": ref(c.FollowUpOf)})
		}
		r["extension"] = ext
		add(r)
	}
	for _, c := range ex.Consents {
		add(consentResource(c, cid, ex.GeneratedAt))
	}
	for _, n := range f.Notes {
		versions := append(append([]records.NoteVersion{}, n.History...), n.NoteVersion)
		for i, v := range versions {
			id := fhirID(n.ID + "#" + itoa(v.Version))
			if i == len(versions)-1 {
				id = n.ID
			}
			r := Resource{"resourceType": "DocumentReference", "id": id, "status": "current", "subject": ref(cid),
				"date":        instant(v.VersionAt),
				"author":      []any{Resource{"identifier": Resource{"system": fhirBase + "user", "value": v.VersionAuthorID}}},
				"description": "note (" + string(v.Visibility) + "), version " + itoa(v.Version),
				"type":        Resource{"text": "case note (" + string(v.Visibility) + ")"},
			}
			if i < len(versions)-1 {
				r["status"] = "superseded"
			}
			if i > 0 {
				prev := fhirID(n.ID + "#" + itoa(versions[i-1].Version))
				r["relatesTo"] = []any{Resource{"code": "replaces", "target": ref(prev)}}
			}
			ctx := Resource{"related": []any{ref(n.TrajectoryID)}}
			if n.ContactID != "" {
				ctx["encounter"] = []any{ref(n.ContactID)}
			}
			r["context"] = ctx
			att := Resource{"contentType": "text/plain; charset=utf-8"}
			if n.Withheld && i == len(versions)-1 {
				att["title"] = "Withheld from the client: " + v.RestrictedReason
				r["securityLabel"] = []any{Resource{"coding": []any{Resource{"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R", "display": "restricted"}}}}
				r["extension"] = []any{Resource{"url": extRestrictedReason, "valueString": v.RestrictedReason}}
			} else {
				att["data"] = base64.StdEncoding.EncodeToString([]byte(v.Body))
			}
			r["content"] = []any{Resource{"attachment": att}}
			add(r)
		}
	}
	for _, e := range f.Entries {
		add(Resource{"resourceType": "DocumentReference", "id": e.ID, "status": "current", "subject": ref(cid),
			"date": instant(e.CreatedAt), "author": []any{ref(cid)}, "description": "entry written by the client",
			"content": []any{Resource{"attachment": Resource{"contentType": "text/plain; charset=utf-8",
				"data": base64.StdEncoding.EncodeToString([]byte(e.Body))}}}})
	}
	for _, r := range planResources(ex.Plan, ex.Network, cid) {
		add(r)
	}
	for _, a := range ex.AccessLog {
		add(auditEvent(a, cid))
	}
	return Resource{"resourceType": "Bundle", "id": fhirID("export-" + cid + "-" + instant(ex.GeneratedAt)), "type": "collection",
		"timestamp": instant(ex.GeneratedAt), "entry": entries}
}

func consentResource(c records.Consent, cid string, now time.Time) Resource {
	status := "active"
	if !ValidAt(c, now) {
		status = "inactive"
	}
	prov := Resource{"type": "permit", "purpose": []any{Resource{"system": csConsentPurpose, "code": string(c.Purpose)}}}
	period := Resource{"start": instant(c.GivenAt)}
	switch {
	case c.WithdrawnAt != nil:
		period["end"] = instant(*c.WithdrawnAt)
	case c.ExpiresAt != nil:
		period["end"] = instant(*c.ExpiresAt)
	}
	prov["period"] = period
	if c.Channel != "" {
		prov["code"] = []any{Resource{"coding": []any{Resource{"system": csChannel, "code": string(c.Channel)}}, "text": "contact through " + string(c.Channel)}}
	}
	if c.Recipient != "" {
		prov["actor"] = []any{Resource{
			"role":      Resource{"coding": []any{Resource{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "IRCP", "display": "information recipient"}}},
			"reference": Resource{"display": c.Recipient},
		}}
		prov["purpose"] = append(prov["purpose"].([]any), Resource{"system": csConsentPurpose, "code": "disclosure-reason", "display": c.Reason})
	}
	return Resource{"resourceType": "Consent", "id": c.ID, "status": status,
		"scope":      Resource{"coding": []any{Resource{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"}}},
		"category":   []any{Resource{"coding": []any{Resource{"system": "http://loinc.org", "code": "59284-0", "display": "Patient Consent"}}}},
		"patient":    ref(cid),
		"dateTime":   instant(c.GrantedAt),
		"policyRule": Resource{"coding": []any{Resource{"system": fhirActCode, "code": "OPTIN"}}},
		"extension":  []any{Resource{"url": extConsentEvidence, "valueCode": string(c.Evidence)}},
		"provision":  prov,
	}
}

// auditActions maps actions to AuditEvent.action codes. Giving, ending and
// changing access update who may read the file (U); signing in and out
// executes a function of the system (E).
var auditActions = map[records.Action]string{records.ActionRead: "R", records.ActionCreate: "C", records.ActionCorrect: "U",
	records.ActionExport: "R", records.ActionDestroy: "D", records.ActionChange: "U", records.ActionGrant: "U",
	records.ActionRevoke: "U", records.ActionSignIn: "E", records.ActionSignOut: "E"}

func auditEvent(a records.AccessView, cid string) Resource {
	outcome := "0"
	if a.Outcome == records.OutcomeDenied {
		outcome = "4"
	}
	who := Resource{"identifier": Resource{"system": fhirBase + "user", "value": a.ActorID}}
	if a.ActorName != "" {
		who["display"] = a.ActorName + " (" + string(a.ActorRole) + ")"
	} else {
		who["display"] = a.ActorUsername + " (" + string(a.ActorRole) + ")"
	}
	agent := Resource{"requestor": true, "who": who,
		"type":         Resource{"coding": []any{Resource{"system": "http://terminology.hl7.org/CodeSystem/extra-security-role-type", "code": "humanuser"}}},
		"role":         []any{Resource{"text": string(a.ActorRole)}},
		"policy":       []any{csRule + string(a.Rule)},
		"purposeOfUse": []any{Resource{"coding": []any{Resource{"system": csPurpose, "code": string(a.Purpose)}}}},
	}
	if a.Remote != "" {
		agent["network"] = Resource{"address": a.Remote, "type": "2"}
	}
	entities := []any{Resource{"what": ref(cid), "type": Resource{"system": "http://terminology.hl7.org/CodeSystem/audit-entity-type", "code": "1"},
		"role": Resource{"system": "http://terminology.hl7.org/CodeSystem/object-role", "code": "1"}}}
	if len(a.RecordIDs) > 0 {
		entities = append(entities, Resource{"what": Resource{"identifier": Resource{"system": fhirBase + a.RecordKind, "value": strings.Join(a.RecordIDs, ",")}},
			"description": a.RecordKind})
	}
	r := Resource{"resourceType": "AuditEvent", "id": a.ID,
		"type":        Resource{"system": "http://terminology.hl7.org/CodeSystem/audit-event-type", "code": "rest", "display": "RESTful Operation"},
		"action":      auditActions[a.Action],
		"recorded":    instant(a.At),
		"outcome":     outcome,
		"agent":       []any{agent},
		"source":      Resource{"observer": Resource{"display": "nabij"}},
		"entity":      entities,
		"outcomeDesc": string(a.Action) + " " + a.RecordKind + ": " + string(a.Outcome),
	}
	if a.BreakGlass() {
		r["purposeOfEvent"] = []any{Resource{"coding": []any{Resource{"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "ETREAT", "display": "emergency treatment"}}}}
	}
	return r
}

func itoa(i int) string { return strconv.Itoa(i) }

// Export returns everything kept about the client (see records.ClientExport).
func (s *Service) Export(ctx context.Context, a records.Actor, clientID string) (*records.Export, error) {
	ex, err := s.Store.ClientExport(ctx, a, clientID)
	if err != nil {
		return nil, err
	}
	rules, err := s.Rules(ctx)
	if err != nil {
		return nil, err
	}
	ex.KeptUntil = KeptUntil(rules, ex.File.Trajectories, ex.File.Client.BirthDate)
	return ex, nil
}
