package tools

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/schema"
)

type resolveTicketInput struct {
	ticketRef
	Resolution string `json:"resolution" jsonschema:"required" jsonschema_description:"Resolution text; replaces the field."`
	Note       string `json:"note,omitempty" jsonschema_description:"A note added first (internal, titled Resolution)."`
	Complete   *bool  `json:"complete,omitempty" jsonschema_description:"Default true: set Complete when no time entries are logged (with time entries the status stays). false: resolution and note only."`
	Confirm    string `json:"confirm,omitempty" jsonschema_description:"Token from confirmation_required, once the person said yes."`
	DryRun     bool   `json:"dry_run,omitempty" jsonschema_description:"Send nothing; return the exact requests."`
}

const resolveTicketDescription = `Resolve a ticket as Autotask's contract requires: fresh read, the note if given, the resolution by a full PUT, then the Complete status by a second PUT unless time entries are logged or complete is false. The status change needs the person's confirmation (asked directly, or see confirm).`

// noteTitleOnResolve titles the note resolve_ticket adds.
const noteTitleOnResolve = "Resolution"

func resolveTicketTool(deps Deps) Tool {
	return newWriteTool(deps, definition{
		name:         "resolve_ticket",
		title:        "Resolve a ticket",
		description:  resolveTicketDescription,
		input:        schema.Input[resolveTicketInput](),
		recordFields: []string{"ticket_id", "ticket_number", "note_id", "title"},
		writes:       []string{"Tickets"},
		destructive:  true,
	}, resolveTicket)
}

// resolvePlan is what a resolve will do, decided from the fresh ticket before anything is written:
// the confirmation has to come first, and whether a status change follows depends on the count.
type resolvePlan struct {
	field      autotask.Field   // the ticket's resolution field
	resolution autotask.Changes // the resolution, as the API takes it
	note       autotask.Record  // nil: no note
	status     autotask.Changes // empty: the status stays
	setText    bool             // the resolution differs from the ticket's
	count      *timeEntryCount  // nil: not read beside the fresh GET
}

// timeEntryCount is the ticket's time entry count as read beside the fresh GET (readFresh).
type timeEntryCount struct {
	n   int
	err error
}

func resolveTicket(ctx context.Context, r *writeRun, in resolveTicketInput) writeEnd {
	p, err := newResolvePlan(ctx, r, in)
	if err != nil {
		return r.fail(ctx, err)
	}
	complete := in.Complete == nil || *in.Complete
	fresh, err := p.readFresh(ctx, r, complete)
	if err != nil {
		return r.fail(ctx, err)
	}
	if err := p.decide(ctx, r, fresh, complete); err != nil {
		return r.fail(ctx, err)
	}
	p.bind(r)
	if in.DryRun {
		return p.dryRun(ctx, r, fresh)
	}
	if len(r.w.Changes) == 0 {
		return r.finish(ctx, outcomeUnchanged, fmt.Sprintf("Nothing to do: %s already has this resolution and its status stays.", ticketName(fresh, r.w.ID)))
	}

	var also []string
	if p.note != nil {
		also = append(also, "add a note: "+describeValue(in.Note))
	}
	msg := confirmMessage("Resolve", fresh.String("ticketNumber"), fresh.String("title"), r.w.ID, r.out.Changes, also)
	fresh, end, stop := r.confirmThen(ctx, fresh, in.Confirm, msg)
	if stop {
		return end
	}
	return p.apply(ctx, r, fresh)
}

// newResolvePlan checks the arguments against the metadata, before the ticket is read: the
// resolution as the API takes it, and the note's body when there is one.
func newResolvePlan(ctx context.Context, r *writeRun, in resolveTicketInput) (resolvePlan, error) {
	if err := requireText("resolution", in.Resolution); err != nil {
		return resolvePlan{}, err
	}
	md, err := r.loadMetadata(ctx, "Tickets")
	if err != nil {
		return resolvePlan{}, err
	}
	f, ok := md.Field("resolution")
	if !ok {
		return resolvePlan{}, fmt.Errorf("the Tickets metadata has no resolution field")
	}
	text, err := valueResolver{entity: "Tickets", md: md}.value(f, in.Resolution, "", "resolution")
	if err != nil {
		return resolvePlan{}, err
	}
	p := resolvePlan{field: f, resolution: autotask.Changes{Fields: map[string]any{f.Name: text}}}
	if in.Note == "" {
		return p, nil
	}
	noteMD, err := r.deps.Client.Metadata(ctx, "TicketNotes")
	if err != nil {
		return resolvePlan{}, fmt.Errorf("metadata of TicketNotes: %w", err)
	}
	if p.note, err = noteBody(noteMD, r.w.ID, noteTitleOnResolve, in.Note, nil, nil); err != nil {
		return resolvePlan{}, err
	}
	// The note takes the tenant's default visibility (internal), which needs no confirmation of its
	// own; the guard is told the default so that it can tell.
	r.w.Defaults = noteDefaults(noteMD)
	return p, nil
}

// readFresh is the fresh GET of the ticket and, when decideStatus will need the count of its time
// entries (countAhead), that count sent with it: different endpoints, so neither waits for the
// other. The first failure cancels the other request; the GET's own failure is reported before the
// count's, as when they were sent one after the other.
func (p *resolvePlan) readFresh(ctx context.Context, r *writeRun, complete bool) (autotask.Record, error) {
	if !p.countAhead(ctx, r, complete) {
		return r.readFresh(ctx, "read ticket")
	}
	var rec autotask.Record
	var getErr error
	count := &timeEntryCount{}
	_ = inParallel(ctx,
		func(ctx context.Context) error {
			rec, getErr = r.deps.Client.Get(ctx, r.w.Entity, r.w.ID)
			return getErr
		},
		func(ctx context.Context) error {
			count.n, count.err = r.deps.Client.CountTimeEntries(ctx, r.w.ID)
			return count.err
		})
	if count.err != nil && getErr != nil && errors.Is(getErr, context.Canceled) && ctx.Err() == nil {
		// The count failed first and stopped the GET: the call fails with the count's error.
		r.step("read ticket", fmt.Sprintf("GET %s/%d", r.w.Entity, r.w.ID), stepFailed, "cancelled: counting the time entries failed first")
		r.step("count time entries", "POST TimeEntries/query/count", stepFailed, "")
		return nil, count.err
	}
	p.count = count
	return r.checkFresh(ctx, "read ticket", rec, getErr)
}

// countAhead reports whether decideStatus will count the time entries: the Complete status is asked
// for, the tenant has one, and the ticket did not have it when this session last read it. The guard
// lets the write go ahead only while the ticket is as the session knew it, so a count sent ahead is
// never sent in vain on a write that goes ahead.
func (p *resolvePlan) countAhead(ctx context.Context, r *writeRun, complete bool) bool {
	if !complete || r.md == nil {
		return false
	}
	target, err := completeStatus(r.md, r.deps.CompleteStatus)
	if err != nil {
		return false // decideStatus reports it, before any count
	}
	seen, ok := r.deps.Guard.SeenValue(ctx, r.w.Session, r.w.Entity, r.w.ID, "status")
	return ok && !sameValue("integer", strings.Trim(seen, `"`), target.Value) // not read: the guard refuses
}

// decide settles the plan against the fresh ticket: whether the status changes (decideStatus),
// whether the resolution does, and whether the note is already there.
func (p *resolvePlan) decide(ctx context.Context, r *writeRun, fresh autotask.Record, complete bool) error {
	if err := p.decideStatus(ctx, r, fresh, complete); err != nil {
		return err
	}
	p.setText = !sameValue(p.field.DataType, fresh[p.field.Name], p.resolution.Fields[p.field.Name])
	if p.note == nil || p.setText || !p.status.IsEmpty() {
		return nil
	}
	// The ticket is already resolved this way: this is most likely the same call again (a retry, a
	// replayed token). Its note is added again only if the ticket does not have it.
	existing, err := r.findSame(ctx, "TicketNotes", "description", p.note, autotask.Eq("ticketID", r.w.ID), autotask.Eq("title", p.note["title"]))
	if err != nil {
		return err
	}
	if len(existing) > 0 {
		r.out.Notes = append(r.out.Notes, fmt.Sprintf("The ticket already has this resolution note (note %d); it was not added again.", existing[0]))
		p.note = nil
	}
	return nil
}

// bind tells the guard (what a token confirms, what the audit shows) and the result what the plan
// changes.
func (p resolvePlan) bind(r *writeRun) {
	all := autotask.Changes{Fields: map[string]any{}}
	if p.setText {
		all.Fields[p.field.Name] = p.resolution.Fields[p.field.Name]
	}
	for k, v := range p.status.Fields {
		all.Fields[k] = v
	}
	r.w.Changes = guardChanges(all)
	if p.note != nil {
		r.w.Changes["note"] = noteBinding(p.note) // the token confirms this note, not another
	}
	r.out.Changes = r.changeViews(all)
}

// decideStatus sets p.status: the Complete status when asked for, not already set, and no time
// entries are logged (time on a ticket may still need review or billing). Counting needs no
// confirmation; it decides whether one is needed, so it comes before anything is written.
func (p *resolvePlan) decideStatus(ctx context.Context, r *writeRun, fresh autotask.Record, complete bool) error {
	current := pickLabel(r.md, "status", fresh["status"])
	if !complete {
		r.out.Notes = append(r.out.Notes, fmt.Sprintf("complete is false: the status stays %s.", current))
		return nil
	}
	target, err := completeStatus(r.md, r.deps.CompleteStatus)
	if err != nil {
		return err
	}
	if sameValue("integer", fresh["status"], target.Value) {
		r.out.Notes = append(r.out.Notes, fmt.Sprintf("The ticket's status is already %s.", target.Label))
		return nil
	}
	i := r.step("count time entries", "POST TimeEntries/query/count", stepDone, "")
	var n int
	if p.count != nil {
		n, err = p.count.n, p.count.err
	} else {
		n, err = r.deps.Client.CountTimeEntries(ctx, r.w.ID)
	}
	if err != nil {
		r.failStep(i, "")
		return err
	}
	r.detail(i, fmt.Sprintf("%d time entries", n))
	if n > 0 {
		r.out.Notes = append(r.out.Notes, fmt.Sprintf(
			"The status stays %s: %d time entries are logged on the ticket, and resolve_ticket completes only tickets without time entries (the time may still need review or billing). If the person wants it completed anyway, change status with update_ticket.", current, n))
		return nil
	}
	f, _ := r.md.Field("status")
	p.status = autotask.Changes{Fields: map[string]any{f.Name: typedID(f, target.Value)}}
	return nil
}

// dryRun shows the requests apply would send, without sending them.
func (p resolvePlan) dryRun(ctx context.Context, r *writeRun, fresh autotask.Record) writeEnd {
	if p.note != nil {
		path := fmt.Sprintf("Tickets/%d/Notes", r.w.ID)
		r.out.Requests = append(r.out.Requests, plannedRequest{Method: "POST", Path: path, Body: p.note})
		r.planDryRun("add note", "POST "+path)
	}
	base := fresh
	if p.setText {
		base = fresh.WithChanges(p.resolution)
		r.out.Requests = append(r.out.Requests, plannedRequest{Method: "PUT", Path: "Tickets", Body: base})
		r.planDryRun("write resolution", "PUT Tickets")
	}
	if !p.status.IsEmpty() {
		r.out.Requests = append(r.out.Requests, plannedRequest{Method: "PUT", Path: "Tickets", Body: base.WithChanges(p.status)})
		r.planDryRun("set status", "PUT Tickets")
	}
	return r.finishDryRun(ctx, fmt.Sprintf("Dry run: nothing sent. %d request(s) would be sent to resolve %s.", len(r.out.Requests), ticketName(fresh, r.w.ID)), "Applying")
}

// apply writes in the order the ticket contract sets: note, resolution, status. The status PUT is built from the
// body the resolution PUT sent, with no GET between: that body is the ticket as it now is.
func (p resolvePlan) apply(ctx context.Context, r *writeRun, fresh autotask.Record) writeEnd {
	noteStep, textStep, statusStep := -1, -1, -1
	if p.note != nil {
		noteStep = r.plan("add note", fmt.Sprintf("POST Tickets/%d/Notes", r.w.ID))
	}
	if p.setText {
		textStep = r.plan("write resolution", "PUT Tickets")
	} else {
		r.skip("write resolution", "the ticket already has this resolution")
	}
	if !p.status.IsEmpty() {
		statusStep = r.plan("set status", "PUT Tickets")
	}

	if noteStep >= 0 {
		noteID, err := r.addNote(ctx, p.note)
		if err != nil {
			return r.fail(ctx, err)
		}
		r.done(noteStep, fmt.Sprintf("note %d", noteID))
		r.out.NoteID = noteID
		r.wrote(fresh, nil)
	}
	body := fresh
	if textStep >= 0 {
		sent, err := r.putTicket(ctx, fresh, p.resolution, "the resolution")
		if err != nil {
			return r.fail(ctx, err)
		}
		r.done(textStep, "")
		body = sent
	}
	if statusStep >= 0 {
		before := pickLabel(r.md, "status", fresh["status"])
		if _, err := r.putTicket(ctx, body, p.status, "the status change"); err != nil {
			return r.fail(ctx, err)
		}
		after := pickLabel(r.md, "status", p.status.Fields["status"])
		r.done(statusStep, before+" -> "+after)
	}

	summary := fmt.Sprintf("Resolved %s:", ticketName(fresh, r.w.ID))
	if noteStep >= 0 {
		summary += fmt.Sprintf(" note %d added;", r.out.NoteID)
	}
	if textStep >= 0 {
		summary += " resolution written;"
	}
	if statusStep >= 0 {
		summary += " status set to " + pickLabel(r.md, "status", p.status.Fields["status"]) + "."
	} else {
		summary += " status unchanged."
	}
	return r.finish(ctx, outcomeApplied, summary)
}
