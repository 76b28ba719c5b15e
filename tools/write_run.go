package tools

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/internal/sanitize"
)

// writeRun is one call of a write tool: it keeps the steps, writes the one audit line and words the
// result. Every write tool goes through it, so every refusal, failure and success looks alike.
type writeRun struct {
	deps  Deps
	w     guard.Write
	fresh autotask.Record // the record as read just before writing; nil on create
	md    *autotask.Metadata
	out   writeOutput
	// recordFields are the tool's names for the record (writeOutputSchema): the result uses no other.
	recordFields []string
	log          *slog.Logger
	hint         string // added to a failure's text: what to do about this tool's particular failure
	// readBack is what a read-back after a lost answer showed, for the failure's text.
	readBack string
	// found is the ticket as a look-up by number returned it, until readFreshOrFound takes it.
	found autotask.Record
	// seen is the record a guard refusal showed the assistant (write_refusal.go).
	seen *seenRecord
	// expected is the record as this call's writes should have left it, once one succeeded, and
	// after the record as already read back since the last of them (a lost answer's read-back), if
	// it was: settled with the guard when the call ends (settle).
	expected, after autotask.Record
	ended           bool // finish or fail has run: the audit line is written
}

func newWriteRun(ctx context.Context, deps Deps, d definition, entity string, id int64) *writeRun {
	logger := deps.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	r := &writeRun{
		deps:         deps,
		recordFields: d.recordFields,
		w:            guard.Write{Session: SessionID(ctx), Tool: d.name, Entity: entity, ID: id},
		log:          logger,
	}
	r.setID(id)
	return r
}

// setID names the record the call writes, once it is known (after a ticket number's look-up, or
// the create).
func (r *writeRun) setID(id int64) {
	r.w.ID = id
	switch r.w.Entity {
	case "Tickets":
		r.out.TicketID = id
	case "Tasks":
		r.out.TaskID = id
	}
}

// policy refuses up front, before any request, when the server may not write at all; the guard
// checks it again on every write (Check), this only saves the reads a refused write would cost.
func (r *writeRun) policy() error {
	g := r.deps.Guard
	switch {
	case g == nil || g.ReadOnly():
		return fmt.Errorf("%s refused: %w", r.w.Tool, guard.ErrReadOnly)
	case !g.WriteAllowed(r.w.Tool, append([]string{r.w.Entity}, r.w.Writes...)...):
		return fmt.Errorf("%s on %s refused: %w", r.w.Tool, r.w.Entity, guard.ErrNotAllowed)
	}
	return nil
}

// audit writes the call's one audit line; finish and fail call it, nothing else does.
func (r *writeRun) audit(ctx context.Context, outcome, detail string) {
	r.ended = true
	if r.deps.Guard == nil {
		return
	}
	r.deps.Guard.Audit(ctx, guard.AuditEntry{
		Session: r.w.Session, Tool: r.w.Tool, Entity: r.w.Entity, ID: r.w.ID,
		Changes: guard.ChangesFor(map[string]any(r.fresh), r.w.Changes),
		Outcome: outcome, Detail: detail,
	})
}

// finishDryRun ends a dry run: nothing was sent. The summary says what would be, and whether
// applying it needs the person's confirmation; verb names the act ("Applying", "Creating").
func (r *writeRun) finishDryRun(ctx context.Context, summary, verb string) writeEnd {
	r.out.NeedsConfirmation = r.deps.Guard.NeedsConfirmation(r.w)
	if r.out.NeedsConfirmation {
		summary += " " + verb + " it needs the person's confirmation (" + decisionWords(r.deps.Guard.Decisions(r.w)) + ")."
	}
	return r.finish(ctx, outcomeDryRun, summary)
}

// finish audits the outcome and returns the structured result: lean on success (no steps, the
// ticket's title and new version), every step on a dry run or when one failed.
func (r *writeRun) finish(ctx context.Context, outcome, summary string) writeEnd {
	r.settle(ctx, outcome == outcomeApplied)
	r.out.Outcome = outcome
	if r.out.Version == "" && outcome == outcomeUnchanged && r.fresh != nil {
		r.out.Version = guard.VersionOf(map[string]any(r.fresh))
	}
	if r.out.Title == "" && r.fresh != nil {
		r.out.Title = truncateRunes(sanitize.Text(r.fresh.String("title")), writeSummaryRunes)
	}
	if outcome != outcomeDryRun && !r.stepFailed() {
		r.out.Steps = nil
	}
	auditOutcome := map[string]string{
		outcomeApplied:              guard.OutcomeApplied,
		outcomeUnchanged:            guard.OutcomeApplied,
		outcomeDryRun:               guard.OutcomeDryRun,
		outcomeConfirmationRequired: guard.OutcomeConfirmationRequired,
		outcomeDeclined:             guard.OutcomeDeclined,
	}[outcome]
	r.audit(ctx, auditOutcome, summary)
	r.out.Summary = summary
	r.out.keepRecordFields(r.recordFields)
	r.out.Untrusted = nil
	r.out.Untrusted.add("title", r.out.Title != "")
	r.out.Untrusted.add("company", r.out.Company != "")
	r.out.Untrusted.add("changes", len(r.out.Changes) > 0)
	r.out.Untrusted.add("requests", len(r.out.Requests) > 0)
	r.out.Untrusted.add("confirmation", r.out.Confirmation != nil)
	res, err := structuredResult(r.out)
	return writeEnd{res: res, err: err}
}

// stepFailed says whether a step of the call failed (a read-back, say) although the call went on.
func (r *writeRun) stepFailed() bool {
	for _, s := range r.out.Steps {
		if s.Status == stepFailed || s.Status == stepOutcomeUnknown {
			return true
		}
	}
	return false
}

// loadMetadata reads the metadata of the entity the call writes (cached by the client) and keeps
// it for the changes shown and the failure's text.
func (r *writeRun) loadMetadata(ctx context.Context, entity string) (*autotask.Metadata, error) {
	md, err := r.deps.Client.Metadata(ctx, entity)
	if err != nil {
		return nil, fmt.Errorf("metadata of %s: %w", entity, err)
	}
	r.md = md
	return md, nil
}
