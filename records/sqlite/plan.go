package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/nabij/nabij/records"
)

// The client's plan and network (see records.Plans). Texts live in
// plan_versions, one row per version, so an edit never overwrites; every
// text is sealed with the client's key and opened only by the read gate.

// Plan returns the client's plan to the client or a professional who may
// reach them. EFORBIDDEN (with a denied record) when no rule allows it;
// EDESTROYED after crypto-shredding; never partial data.
func (s *Store) Plan(ctx context.Context, a records.Actor, clientID string) (*records.Plan, error) {
	p := &records.Plan{ClientID: clientID}
	spec := readSpec{actor: a, clientID: clientID, purpose: careOrOwnFile(a), kind: records.KindPlan, action: records.ActionRead,
		may: readsPlan, refusal: "you do not read this plan"}
	err := s.readClient(ctx, spec, func(w *wtx, g grant, u *unsealing) ([]string, error) {
		return w.readPlan(g, u, p)
	})
	if err != nil {
		return nil, err // fail closed
	}
	finishPlan(p)
	return p, nil
}

// NetworkPlan returns the plan of the client who invited the network member
// a, with the client's first name (OwnerName), so the member knows whose plan
// it is; nothing else of the client's identity leaves the store. EFORBIDDEN
// (with a denied record) for anyone else or after the client ended the access.
func (s *Store) NetworkPlan(ctx context.Context, a records.Actor) (*records.Plan, error) {
	p := &records.Plan{}
	var name string
	err := s.gate(ctx, func(w *wtx, u *unsealing) error {
		g, err := w.networkMember(a)
		if err != nil {
			return err
		}
		*p = records.Plan{ClientID: g.clientID}
		ids, err := w.readPlan(g, u, p)
		if err != nil {
			return err
		}
		var sealed []byte
		if err := w.queryRow(`SELECT name_sealed FROM clients WHERE id = ?`, g.clientID).Scan(&sealed); err != nil {
			return internal("plan: client name", err)
		}
		if err := u.add(w, g, sealedField{"clients", "name", g.clientID, sealed, &name}); err != nil {
			return err
		}
		return w.record(g.entry(records.KindPlan, ids, records.ActionRead))
	})
	if err != nil {
		return nil, err
	}
	finishPlan(p)
	p.OwnerName = records.FirstName(name)
	return p, nil
}

// rawText is a sealed version read inside the gate.
type rawText struct {
	id, item, author string
	data             []byte
	at               int64
}

// readPlan reads the whole plan of g's client inside the gate and queues its
// texts; it returns the ids of the goals and proposals it returns, for the
// access record.
func (w *wtx) readPlan(g grant, u *unsealing, p *records.Plan) ([]string, error) {
	if err := u.add(w, g); err != nil {
		return nil, err // EDESTROYED before anything is read
	}
	clientID := g.clientID
	var vers []rawText
	rows, err := w.query(`SELECT id, item_id, author_id, text_sealed, created_at FROM plan_versions
		WHERE client_id = ? ORDER BY created_at, id`, clientID)
	if err != nil {
		return nil, internal("plan: versions", err)
	}
	for rows.Next() {
		var v rawText
		if err := rows.Scan(&v.id, &v.item, &v.author, &v.data, &v.at); err != nil {
			rows.Close()
			return nil, internal("plan: versions", err)
		}
		vers = append(vers, v)
	}
	rows.Close()
	p.Goals, p.Proposals, p.QuestionHistory = []records.PlanGoal{}, []records.PlanProposal{}, []records.PlanText{}
	rows, err = w.query(`SELECT id, COALESCE(from_proposal, ''), created_at FROM plan_goals WHERE client_id = ? ORDER BY created_at, id`, clientID)
	if err != nil {
		return nil, internal("plan: goals", err)
	}
	goalAt := map[string]int{}
	for rows.Next() {
		var gl records.PlanGoal
		var at int64
		if err := rows.Scan(&gl.ID, &gl.FromProposal, &at); err != nil {
			rows.Close()
			return nil, internal("plan: goals", err)
		}
		gl.CreatedAt, gl.Steps, gl.Comments = fromMS(at), []records.PlanStep{}, []records.PlanComment{}
		goalAt[gl.ID] = len(p.Goals)
		p.Goals = append(p.Goals, gl)
	}
	rows.Close()
	rows, err = w.query(`SELECT id, goal_id, created_at, done_at FROM plan_steps WHERE client_id = ? ORDER BY created_at, id`, clientID)
	if err != nil {
		return nil, internal("plan: steps", err)
	}
	for rows.Next() {
		var st records.PlanStep
		var at int64
		var done sql.NullInt64
		if err := rows.Scan(&st.ID, &st.GoalID, &at, &done); err != nil {
			rows.Close()
			return nil, internal("plan: steps", err)
		}
		st.CreatedAt, st.DoneAt, st.Done = fromMS(at), fromNullMS(done), done.Valid
		if i, ok := goalAt[st.GoalID]; ok {
			p.Goals[i].Steps = append(p.Goals[i].Steps, st)
		}
	}
	rows.Close()
	var commentTexts [][]byte
	var commentAt [][2]int
	rows, err = w.query(`SELECT c.id, c.goal_id, c.author_id, COALESCE(u.display_name, ''), c.text_sealed, c.created_at
		FROM plan_comments c LEFT JOIN users u ON u.id = c.author_id WHERE c.client_id = ? ORDER BY c.created_at, c.id`, clientID)
	if err != nil {
		return nil, internal("plan: comments", err)
	}
	for rows.Next() {
		var c records.PlanComment
		var data []byte
		var at int64
		if err := rows.Scan(&c.ID, &c.GoalID, &c.AuthorID, &c.AuthorName, &data, &at); err != nil {
			rows.Close()
			return nil, internal("plan: comments", err)
		}
		c.CreatedAt = fromMS(at)
		if i, ok := goalAt[c.GoalID]; ok {
			commentAt = append(commentAt, [2]int{i, len(p.Goals[i].Comments)})
			commentTexts = append(commentTexts, data)
			p.Goals[i].Comments = append(p.Goals[i].Comments, c)
		}
	}
	rows.Close()
	var proposalTexts [][]byte
	rows, err = w.query(`SELECT pr.id, pr.author_id, COALESCE(u.display_name, ''), pr.text_sealed, pr.created_at, pr.decided_at,
		COALESCE(pr.accepted, 0), COALESCE(pr.goal_id, '') FROM plan_proposals pr LEFT JOIN users u ON u.id = pr.author_id
		WHERE pr.client_id = ? ORDER BY pr.created_at, pr.id`, clientID)
	if err != nil {
		return nil, internal("plan: proposals", err)
	}
	for rows.Next() {
		var pr records.PlanProposal
		var data []byte
		var at int64
		var decided sql.NullInt64
		var accepted bool
		if err := rows.Scan(&pr.ID, &pr.AuthorID, &pr.AuthorName, &data, &at, &decided, &accepted, &pr.GoalID); err != nil {
			rows.Close()
			return nil, internal("plan: proposals", err)
		}
		pr.CreatedAt, pr.DecidedAt = fromMS(at), fromNullMS(decided)
		pr.State = records.ProposalPending
		switch {
		case decided.Valid && accepted:
			pr.State = records.ProposalAccepted
		case decided.Valid:
			pr.State = records.ProposalDeclined
		}
		p.Proposals = append(p.Proposals, pr)
		proposalTexts = append(proposalTexts, data)
	}
	rows.Close()

	// Give every item its history; an accepted proposal's goal starts with
	// the proposal's text (kept sealed once, in its own row).
	propAt := map[string]int{}
	for i := range p.Proposals {
		propAt[p.Proposals[i].ID] = i
	}
	hist := map[string]*[]records.PlanText{clientID: &p.QuestionHistory}
	seen := map[string]int{}
	for i := range p.Goals {
		gl := &p.Goals[i]
		gl.History = []records.PlanText{}
		if k, ok := propAt[gl.FromProposal]; ok {
			gl.History = append(gl.History, records.PlanText{AuthorID: p.Proposals[k].AuthorID, CreatedAt: gl.CreatedAt})
			seen[gl.ID] = 1
		}
		hist[gl.ID] = &gl.History
		for j := range gl.Steps {
			gl.Steps[j].History = []records.PlanText{}
			hist[gl.Steps[j].ID] = &gl.Steps[j].History
		}
	}
	var keep []rawText
	for _, v := range vers {
		if h, ok := hist[v.item]; ok {
			*h = append(*h, records.PlanText{AuthorID: v.author, CreatedAt: fromMS(v.at)})
			keep = append(keep, v)
		}
	}
	// The slices are final: only now take pointers into them.
	var fields []sealedField
	for i := range p.Goals {
		gl := &p.Goals[i]
		if k, ok := propAt[gl.FromProposal]; ok {
			fields = append(fields, sealedField{"plan_proposals", "text", gl.FromProposal, proposalTexts[k], &gl.History[0].Text})
		}
	}
	for _, v := range keep {
		h := *hist[v.item]
		i := seen[v.item]
		seen[v.item] = i + 1
		fields = append(fields, sealedField{"plan_versions", "text", v.id, v.data, &h[i].Text})
	}
	for k, at := range commentAt {
		c := &p.Goals[at[0]].Comments[at[1]]
		fields = append(fields, sealedField{"plan_comments", "text", c.ID, commentTexts[k], &c.Text})
	}
	ids := make([]string, 0, len(p.Goals)+len(p.Proposals))
	for i := range p.Goals {
		ids = append(ids, p.Goals[i].ID)
	}
	for i := range p.Proposals {
		pr := &p.Proposals[i]
		fields = append(fields, sealedField{"plan_proposals", "text", pr.ID, proposalTexts[i], &pr.Text})
		ids = append(ids, pr.ID)
	}
	return ids, u.add(w, g, fields...)
}

// planWrite runs one change of the plan or network of clientID: the named
// check may (anyone else gets a denied record), the access rule, fn's
// change with the client's sealer, and the access record of kind and action
// with the ids fn returns, in one transaction.
func (s *Store) planWrite(ctx context.Context, a records.Actor, clientID, kind string, action records.Action,
	may func(records.Actor) bool, refusal string, fn func(w *wtx, sl sealer) ([]string, error)) error {
	return s.write(ctx, func(w *wtx) error {
		if !may(a) {
			return w.deny(entry{actor: a, clientID: clientID, kind: kind, action: action, purpose: purposeFor(a)}, refusal)
		}
		g, err := w.authorize(a, clientID, careOrOwnFile(a), kind, action)
		if err != nil {
			return err
		}
		sl, err := w.sealerFor(g)
		if err != nil {
			return err
		}
		ids, err := fn(w, sl)
		if err != nil {
			return err
		}
		return w.record(g.entry(kind, ids, action))
	})
}

const onlyClientPlan = "only the client writes their own plan"

// putVersion stores one sealed version of an item's text.
func (w *wtx) putVersion(sl sealer, clientID, itemID, author, text string) (string, error) {
	id := newID()
	_, err := w.exec(`INSERT INTO plan_versions (id, client_id, item_id, text_sealed, author_id, created_at) VALUES (?,?,?,?,?,?)`,
		id, clientID, itemID, sl.seal("plan_versions", "text", id, text), author, ms(w.now))
	if err != nil {
		return "", internal("plan: version", err)
	}
	return id, nil
}

// planItemOf returns the client an item (goal or step) belongs to, and
// whether it is a step; ENOTFOUND when it is not of clientID.
func (w *wtx) planItemOf(clientID, itemID string) (isStep bool, err error) {
	var owner string
	err = w.queryRow(`SELECT client_id, 0 FROM plan_goals WHERE id = ?1 UNION ALL SELECT client_id, 1 FROM plan_steps WHERE id = ?1`, itemID).Scan(&owner, &isStep)
	if errors.Is(err, sql.ErrNoRows) || err == nil && owner != clientID {
		return false, notFound("goal or step")
	}
	if err != nil {
		return false, internal("plan: item", err)
	}
	return isStep, nil
}

// SetPlanQuestion writes a new version of the client's question.
func (s *Store) SetPlanQuestion(ctx context.Context, a records.Actor, clientID, text string) error {
	text, err := records.CheckPlanText("text", text)
	if err != nil {
		return err
	}
	return s.planWrite(ctx, a, clientID, records.KindPlan, records.ActionCorrect, ownsPlan, onlyClientPlan, func(w *wtx, sl sealer) ([]string, error) {
		id, err := w.putVersion(sl, clientID, clientID, a.UserID, text)
		return []string{id}, err
	})
}

// AddPlanGoal adds a goal to the client's plan.
func (s *Store) AddPlanGoal(ctx context.Context, a records.Actor, clientID, text string) (*records.PlanGoal, error) {
	text, err := records.CheckPlanText("text", text)
	if err != nil {
		return nil, err
	}
	gl := &records.PlanGoal{ID: newID(), Text: text, Steps: []records.PlanStep{}, Comments: []records.PlanComment{}}
	err = s.planWrite(ctx, a, clientID, records.KindPlan, records.ActionCreate, ownsPlan, onlyClientPlan, func(w *wtx, sl sealer) ([]string, error) {
		return []string{gl.ID}, w.addGoal(sl, gl, clientID, a.UserID, "")
	})
	if err != nil {
		return nil, err
	}
	return gl, nil
}

func (w *wtx) addGoal(sl sealer, gl *records.PlanGoal, clientID, author, fromProposal string) error {
	gl.CreatedAt, gl.ChangedAt, gl.FromProposal = fromMS(ms(w.now)), fromMS(ms(w.now)), fromProposal
	if _, err := w.exec(`INSERT INTO plan_goals (id, client_id, from_proposal, created_at) VALUES (?,?,?,?)`,
		gl.ID, clientID, nullString(fromProposal), ms(w.now)); err != nil {
		return internal("plan: goal", err)
	}
	if fromProposal != "" {
		return nil
	}
	_, err := w.putVersion(sl, clientID, gl.ID, author, gl.Text)
	return err
}

// AddPlanStep adds a step to one of the client's goals.
func (s *Store) AddPlanStep(ctx context.Context, a records.Actor, clientID, goalID, text string) (*records.PlanStep, error) {
	text, err := records.CheckPlanText("text", text)
	if err != nil {
		return nil, err
	}
	st := &records.PlanStep{ID: newID(), GoalID: goalID, Text: text}
	err = s.planWrite(ctx, a, clientID, records.KindPlan, records.ActionCreate, ownsPlan, onlyClientPlan, func(w *wtx, sl sealer) ([]string, error) {
		if isStep, err := w.planItemOf(clientID, goalID); err != nil || isStep {
			return nil, notFound("goal")
		}
		st.CreatedAt, st.ChangedAt = fromMS(ms(w.now)), fromMS(ms(w.now))
		if _, err := w.exec(`INSERT INTO plan_steps (id, client_id, goal_id, created_at) VALUES (?,?,?,?)`, st.ID, clientID, goalID, ms(w.now)); err != nil {
			return nil, internal("plan: step", err)
		}
		_, err := w.putVersion(sl, clientID, st.ID, a.UserID, text)
		return []string{st.ID}, err
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// EditPlanItem writes a new version of a goal's or step's text.
func (s *Store) EditPlanItem(ctx context.Context, a records.Actor, clientID, itemID, text string) error {
	text, err := records.CheckPlanText("text", text)
	if err != nil {
		return err
	}
	return s.planWrite(ctx, a, clientID, records.KindPlan, records.ActionCorrect, ownsPlan, onlyClientPlan, func(w *wtx, sl sealer) ([]string, error) {
		if _, err := w.planItemOf(clientID, itemID); err != nil {
			return nil, err
		}
		_, err := w.putVersion(sl, clientID, itemID, a.UserID, text)
		return []string{itemID}, err
	})
}

// SetPlanStepDone marks a step done, or not yet.
func (s *Store) SetPlanStepDone(ctx context.Context, a records.Actor, clientID, stepID string, done bool) error {
	return s.planWrite(ctx, a, clientID, records.KindPlan, records.ActionCorrect, ownsPlan, onlyClientPlan, func(w *wtx, _ sealer) ([]string, error) {
		if isStep, err := w.planItemOf(clientID, stepID); err != nil || !isStep {
			return nil, notFound("step")
		}
		var at any
		if done {
			at = ms(w.now)
		}
		if _, err := w.exec(`UPDATE plan_steps SET done_at = ? WHERE id = ?`, at, stepID); err != nil {
			return nil, internal("plan: step done", err)
		}
		return []string{stepID}, nil
	})
}

const onlyProPlan = "only a professional who follows the client comments on or proposes goals"

// CommentPlanGoal adds a professional's comment to one of the client's goals.
func (s *Store) CommentPlanGoal(ctx context.Context, a records.Actor, clientID, goalID, text string) (*records.PlanComment, error) {
	text, err := records.CheckPlanText("text", text)
	if err != nil {
		return nil, err
	}
	c := &records.PlanComment{ID: newID(), GoalID: goalID, AuthorID: a.UserID, Text: text}
	err = s.planWrite(ctx, a, clientID, records.KindPlan, records.ActionCreate, joinsPlan, onlyProPlan, func(w *wtx, sl sealer) ([]string, error) {
		if isStep, err := w.planItemOf(clientID, goalID); err != nil || isStep {
			return nil, notFound("goal")
		}
		c.CreatedAt = fromMS(ms(w.now))
		if _, err := w.exec(`INSERT INTO plan_comments (id, client_id, goal_id, author_id, text_sealed, created_at) VALUES (?,?,?,?,?,?)`,
			c.ID, clientID, goalID, a.UserID, sl.seal("plan_comments", "text", c.ID, text), ms(w.now)); err != nil {
			return nil, internal("plan: comment", err)
		}
		return []string{c.ID}, nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// ProposePlanGoal proposes a goal to the client.
func (s *Store) ProposePlanGoal(ctx context.Context, a records.Actor, clientID, text string) (*records.PlanProposal, error) {
	text, err := records.CheckPlanText("text", text)
	if err != nil {
		return nil, err
	}
	pr := &records.PlanProposal{ID: newID(), AuthorID: a.UserID, Text: text, State: records.ProposalPending}
	err = s.planWrite(ctx, a, clientID, records.KindPlan, records.ActionCreate, joinsPlan, onlyProPlan, func(w *wtx, sl sealer) ([]string, error) {
		pr.CreatedAt = fromMS(ms(w.now))
		if _, err := w.exec(`INSERT INTO plan_proposals (id, client_id, author_id, text_sealed, created_at) VALUES (?,?,?,?,?)`,
			pr.ID, clientID, a.UserID, sl.seal("plan_proposals", "text", pr.ID, text), ms(w.now)); err != nil {
			return nil, internal("plan: proposal", err)
		}
		return []string{pr.ID}, nil
	})
	if err != nil {
		return nil, err
	}
	return pr, nil
}

// DecidePlanProposal accepts or declines a pending proposal. An accepted
// proposal becomes a goal of the client, its text the proposal's (which the
// client may then edit).
func (s *Store) DecidePlanProposal(ctx context.Context, a records.Actor, clientID, proposalID string, accept bool) (*records.PlanProposal, error) {
	pr := &records.PlanProposal{ID: proposalID, State: records.ProposalDeclined}
	err := s.planWrite(ctx, a, clientID, records.KindPlan, records.ActionCorrect, ownsPlan, onlyClientPlan, func(w *wtx, sl sealer) ([]string, error) {
		var owner string
		var created int64
		var decided sql.NullInt64
		err := w.queryRow(`SELECT client_id, author_id, created_at, decided_at FROM plan_proposals WHERE id = ?`, proposalID).
			Scan(&owner, &pr.AuthorID, &created, &decided)
		if errors.Is(err, sql.ErrNoRows) || err == nil && owner != clientID {
			return nil, notFound("proposal")
		}
		if err != nil {
			return nil, internal("plan: proposal", err)
		}
		if decided.Valid {
			return nil, conflict("this proposal was decided already")
		}
		pr.CreatedAt, pr.DecidedAt = fromMS(created), ptrTime(fromMS(ms(w.now)))
		ids := []string{proposalID}
		if accept {
			// The goal's first version is the proposal's text, which stays
			// sealed in the proposal's row (readPlan reads it from there).
			gl := &records.PlanGoal{ID: newID()}
			if err := w.addGoal(sl, gl, clientID, pr.AuthorID, proposalID); err != nil {
				return nil, err
			}
			pr.State, pr.GoalID = records.ProposalAccepted, gl.ID
			ids = append(ids, gl.ID)
		}
		if _, err := w.exec(`UPDATE plan_proposals SET decided_at = ?, accepted = ?, goal_id = ? WHERE id = ?`,
			ms(w.now), accept, nullString(pr.GoalID), proposalID); err != nil {
			return nil, internal("plan: decide", err)
		}
		return ids, nil
	})
	if err != nil {
		return nil, err
	}
	return pr, nil
}

func ptrTime(t time.Time) *time.Time { return &t }

// finishPlan sets the question's, each goal's and each step's current text
// and change time from its history, after the gate opened the texts.
func finishPlan(p *records.Plan) {
	if n := len(p.QuestionHistory); n > 0 {
		p.Question, p.QuestionChanged = p.QuestionHistory[n-1].Text, ptrTime(p.QuestionHistory[n-1].CreatedAt)
	}
	for i := range p.Goals {
		gl := &p.Goals[i]
		gl.ChangedAt = gl.CreatedAt
		if n := len(gl.History); n > 0 {
			gl.Text, gl.ChangedAt = gl.History[n-1].Text, gl.History[n-1].CreatedAt
		}
		for j := range gl.Steps {
			st := &gl.Steps[j]
			st.ChangedAt = st.CreatedAt
			if n := len(st.History); n > 0 {
				st.Text, st.ChangedAt = st.History[n-1].Text, st.History[n-1].CreatedAt
			}
		}
	}
}
