package consent

import (
	"slices"

	"github.com/nabij/nabij/records"
)

// Extensions of the plan's resources.
const (
	extHelpsWith  = fhirBase + "StructureDefinition/helps-with"
	extProposedBy = fhirBase + "StructureDefinition/proposed-by"
	extPlanReader = fhirBase + "StructureDefinition/plan-reader"
)

// planResources maps the client's own plan and network to FHIR R4: one
// CarePlan (the client's question as its description, a step as an
// activity of its goal), a Goal per goal (professionals' comments as
// notes, who proposed it when a professional did) and per proposal not
// taken up (proposed or rejected), and a RelatedPerson per member of the
// network, active while their account may read the plan. The client writes
// the plan, so the CarePlan's author is the client. Earlier versions of the
// texts are in the JSON export only.
func planResources(p *records.Plan, network []records.NetworkMember, cid string) []Resource {
	var out []Resource
	if p != nil && (p.Question != "" || len(p.Goals) > 0 || len(p.Proposals) > 0) {
		plan := Resource{"resourceType": "CarePlan", "id": fhirID("plan-" + cid), "status": "active", "intent": "plan",
			"subject": ref(cid), "author": ref(cid)}
		if p.Question != "" {
			plan["description"] = p.Question
		}
		var goals, activities []any
		for _, g := range p.Goals {
			goal := Resource{"resourceType": "Goal", "id": g.ID, "lifecycleStatus": "active",
				"description": Resource{"text": g.Text}, "subject": ref(cid), "startDate": g.CreatedAt.UTC().Format("2006-01-02")}
			if allDone(g.Steps) {
				goal["lifecycleStatus"], goal["achievementStatus"] = "completed",
					Resource{"coding": []any{Resource{"system": "http://terminology.hl7.org/CodeSystem/goal-achievement", "code": "achieved"}}}
			}
			if i := slices.IndexFunc(p.Proposals, func(pr records.PlanProposal) bool { return pr.ID == g.FromProposal }); g.FromProposal != "" && i >= 0 {
				goal["extension"] = []any{Resource{"url": extProposedBy, "valueString": p.Proposals[i].AuthorName}}
			}
			var notes []any
			for _, c := range g.Comments {
				notes = append(notes, Resource{"authorString": c.AuthorName, "time": instant(c.CreatedAt), "text": c.Text})
			}
			if notes != nil {
				goal["note"] = notes
			}
			out = append(out, goal)
			goals = append(goals, ref(g.ID))
			for _, s := range g.Steps {
				status := "not-started"
				if s.Done {
					status = "completed"
				}
				activities = append(activities, Resource{"detail": Resource{"status": status, "description": s.Text, "goal": []any{ref(g.ID)}}})
			}
		}
		for _, pr := range p.Proposals {
			if pr.State == records.ProposalAccepted {
				continue // it is one of the goals above
			}
			status := "proposed"
			if pr.State == records.ProposalDeclined {
				status = "rejected"
			}
			out = append(out, Resource{"resourceType": "Goal", "id": pr.ID, "lifecycleStatus": status,
				"description": Resource{"text": pr.Text}, "subject": ref(cid),
				"extension": []any{Resource{"url": extProposedBy, "valueString": pr.AuthorName}}})
		}
		if goals != nil {
			plan["goal"] = goals
		}
		if activities != nil {
			plan["activity"] = activities
		}
		out = append(out, plan)
	}
	for _, m := range network {
		r := Resource{"resourceType": "RelatedPerson", "id": m.ID, "patient": ref(cid), "name": []any{Resource{"text": m.Name}}}
		if m.Relation != "" {
			r["relationship"] = []any{Resource{"text": m.Relation}}
		}
		if m.Reach != "" {
			r["telecom"] = []any{Resource{"system": "other", "value": m.Reach}}
		}
		// Who was given access to the plan: the member's account, while it
		// may read the plan, and when that access ended.
		r["active"] = m.Active
		var ext []any
		if m.HelpsWith != "" {
			ext = append(ext, Resource{"url": extHelpsWith, "valueString": m.HelpsWith})
		}
		if m.Username != "" {
			ext = append(ext, Resource{"url": extPlanReader, "valueString": m.Username})
		}
		if ext != nil {
			r["extension"] = ext
		}
		if m.EndedAt != nil {
			r["period"] = Resource{"start": instant(m.CreatedAt), "end": instant(*m.EndedAt)}
		}
		out = append(out, r)
	}
	return out
}

// allDone tells whether a goal has steps and all of them are done.
func allDone(steps []records.PlanStep) bool {
	for _, s := range steps {
		if !s.Done {
			return false
		}
	}
	return len(steps) > 0
}
