package tools

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/guard"
)

// How a write call that did not complete is worded and audited: what failed, and what state the
// record is in.

// fail ends the call with an error result that says what went wrong and, above all, what state the
// record is in: nothing written, partly written (which steps), or possibly written.
func (r *writeRun) fail(ctx context.Context, err error) writeEnd {
	r.settle(ctx, false)
	pending := -1
	for i, s := range r.out.Steps {
		if s.Status == stepPlanned && pending < 0 && s.write {
			pending = i
		}
	}
	unknown := errors.Is(err, autotask.ErrOutcomeUnknown)
	var doneWrites, notDone []string
	for i := range r.out.Steps {
		s := &r.out.Steps[i]
		switch {
		case s.write && s.Status == stepDone:
			doneWrites = append(doneWrites, s.Step+describeDetail(s.Detail))
		case i == pending && unknown:
			s.Status = stepOutcomeUnknown
		case i == pending:
			s.Status = stepFailed
		case s.Status == stepPlanned:
			s.Status = stepNotAttempted
			notDone = append(notDone, s.Step)
		}
	}

	var b strings.Builder
	fmt.Fprintf(&b, "%s did not complete", r.w.Tool)
	switch {
	case pending >= 0:
		fmt.Fprintf(&b, " at %q (%s): %s", r.out.Steps[pending].Step, r.out.Steps[pending].Request, describeWriteError(err))
	case r.seen != nil:
		b.WriteString(": " + r.seen.reason)
	default:
		b.WriteString(": " + describeError(err))
	}
	state := []string{b.String()}
	switch {
	case len(doneWrites) == 0 && !unknown:
		state = append(state, "Nothing was written to Autotask.")
	default:
		if len(doneWrites) > 0 {
			state = append(state, fmt.Sprintf("Already written: %s.", strings.Join(doneWrites, "; ")))
		}
		if len(notDone) > 0 {
			state = append(state, fmt.Sprintf("Not done: %s.", strings.Join(notDone, "; ")))
		}
		if r.w.ID != 0 {
			state = append(state, fmt.Sprintf("Read the %s again (%s) before deciding what to do next.", entityNoun(r.w.Entity), r.readTool()))
		}
	}
	if unknown && r.readBack != "" {
		state = append(state, r.readBack)
	}
	if r.hint != "" {
		state = append(state, r.hint)
	}
	msg := strings.Join(state, " ")
	if r.seen != nil {
		msg += " " + r.seen.words(entityNoun(r.w.Entity))
	}

	outcome := guard.OutcomeOf(err)
	if unknown {
		outcome = guard.OutcomeUnknown
	}
	r.audit(ctx, outcome, err.Error())
	level := slog.LevelWarn
	var ae *argError
	if errors.As(err, &ae) || outcome == guard.OutcomeRefused {
		level = slog.LevelDebug
	}
	r.log.Log(ctx, level, "write tool failed", "tool", r.w.Tool, "entity", r.w.Entity, "id", r.w.ID, "err", err)
	return writeEnd{res: mcp.NewToolResultError(msg)}
}

func describeDetail(d string) string {
	if d == "" {
		return ""
	}
	return " (" + d + ")"
}

// describeWriteError words the failure of a write request itself. The client guarantees that a
// write which may have been applied fails with ErrOutcomeUnknown; any other failure means the API
// refused it or it was never sent.
func describeWriteError(err error) string {
	var api *autotask.APIError
	errors.As(err, &api)
	switch {
	case errors.Is(err, autotask.ErrOutcomeUnknown) && api != nil && api.StatusCode/100 == 2:
		return fmt.Sprintf("Autotask accepted the request (HTTP %d) but its answer could not be read, so it MAY HAVE BEEN APPLIED and most likely was: do not resend it.", api.StatusCode)
	case errors.Is(err, autotask.ErrOutcomeUnknown):
		return "Autotask received the request but no usable answer came back, so it MAY HAVE BEEN APPLIED: do not resend it."
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return "the call was cancelled or timed out before the request was sent; it was not applied."
	case errors.Is(err, autotask.ErrValidation):
		return "Autotask refused it: " + strings.TrimRight(apiDetail(api, err), ". ") + ". It was not applied."
	case errors.Is(err, autotask.ErrRateLimited), errors.Is(err, autotask.ErrAuth):
		return describeError(err) + " It was not applied."
	}
	return "Autotask did not accept it (" + strings.TrimRight(apiDetail(api, err), ". ") + "); it was not applied."
}
