package tools

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/guard"
)

// A change the guard marks sensitive (a status change above all: status is never changed
// implicitly) is applied only after the person agreed. A client that declared elicitation is asked
// directly; any other gets a preview and a signed token, and only a second call carrying the token
// applies the change. Both roads end in the same place: confirmed, declined, or nothing yet.

type confirmState int

const (
	confirmNotNeeded confirmState = iota
	confirmedByToken
	confirmedByPerson // through elicitation
	confirmDeclined
	confirmPending // a token was issued; nothing may be written in this call
)

type confirmation struct {
	state  confirmState
	action string            // decline or cancel, when declined
	view   *confirmationView // when pending
	note   string            // why elicitation was not used, when it failed
}

// confirmWrite asks for the person's agreement to w on the record at version, when the guard says
// it needs one. token is the confirm argument of the call ("" when none). message is what the person
// is shown: ticket number, title, old and new values.
func confirmWrite(ctx context.Context, deps Deps, w guard.Write, version, token, message string) (confirmation, error) {
	if !deps.Guard.NeedsConfirmation(w) {
		return confirmation{state: confirmNotNeeded}, nil
	}
	if strings.TrimSpace(token) != "" {
		if err := deps.Guard.RedeemToken(ctx, token, w, version); err != nil {
			return confirmation{}, err
		}
		return confirmation{state: confirmedByToken}, nil
	}
	var note string
	if canElicit(ctx, deps) {
		res, err := deps.Server.RequestElicitation(ctx, mcp.ElicitationRequest{Params: mcp.ElicitationParams{
			Message: message + "\n\nAccept to apply this change; decline to leave the record as it is.",
			// Nothing to fill in: the answer is the accept or decline itself.
			RequestedSchema: map[string]any{"type": "object", "properties": map[string]any{}},
		}})
		switch {
		case err == nil && res.Action == mcp.ElicitationResponseActionAccept:
			return confirmation{state: confirmedByPerson}, nil
		case err == nil && (res.Action == mcp.ElicitationResponseActionDecline || res.Action == mcp.ElicitationResponseActionCancel):
			return confirmation{state: confirmDeclined, action: string(res.Action)}, nil
		case ctx.Err() != nil:
			return confirmation{}, ctx.Err()
		}
		// The client could not ask (or answered something else): fall back to the token, which is
		// just as safe, since nothing is written without it.
		note = "the client could not ask the person directly"
		if err != nil {
			note += fmt.Sprintf(" (%v)", err)
		}
	}
	tok, expires, err := deps.Guard.IssueToken(ctx, w, version)
	if err != nil {
		return confirmation{}, fmt.Errorf("issue confirmation token: %w", err)
	}
	return confirmation{state: confirmPending, note: note, view: &confirmationView{
		Token:     tok,
		ExpiresAt: expires.UTC().Format(time.RFC3339),
		Message:   message,
	}}, nil
}

// canElicit says whether the client of this call declared elicitation; only such a client can
// answer an elicitation request.
func canElicit(ctx context.Context, deps Deps) bool {
	if deps.Server == nil {
		return false
	}
	if info := server.RequestProtocolInfoFromContext(ctx); info != nil && info.Modern {
		return info.ClientCapabilities != nil && info.ClientCapabilities.Elicitation != nil
	}
	s, ok := server.ClientSessionFromContext(ctx).(server.SessionWithClientInfo)
	return ok && s.GetClientCapabilities().Elicitation != nil
}

// confirmMessage is what the person sees: which ticket, and each change old -> new with labels.
func confirmMessage(verb, number, title string, id int64, changes []changeView, also []string) string {
	var b strings.Builder
	name := fmt.Sprintf("ticket id %d", id)
	if number != "" {
		name = fmt.Sprintf("ticket %s (id %d)", number, id)
	}
	fmt.Fprintf(&b, "%s %s", verb, name)
	if title != "" {
		b.WriteString(" " + describeValue(title))
	}
	b.WriteString(":")
	for _, c := range changes {
		fmt.Fprintf(&b, "\n- %s: %s -> %s", c.Field, describeValue(c.Before), describeValue(c.After))
	}
	for _, a := range also {
		b.WriteString("\n- " + a)
	}
	return b.String()
}

// confirmThen asks for the confirmation the write needs (none, elicitation or a token) and
// records the answer. When the call must stop here (pending, declined or failed) stop is true and
// end is how the call ended. When the person answered through elicitation, fresh is read again:
// they may have taken minutes, and a PUT of the ticket as it was before would clobber whatever a
// colleague changed meanwhile. A create at the record's own URL passes a nil fresh: there is no
// record yet, so the token is bound to guard.CreateVersion and nothing is read again.
func (r *writeRun) confirmThen(ctx context.Context, fresh autotask.Record, token, message string) (_ autotask.Record, end writeEnd, stop bool) {
	version := guard.CreateVersion
	if fresh != nil {
		version = guard.VersionOf(fresh)
	}
	c, err := confirmWrite(ctx, r.deps, r.w, version, token, message)
	if err != nil {
		return nil, r.fail(ctx, err), true
	}
	if stop, end := r.applyConfirmation(ctx, c); stop {
		return nil, end, true
	}
	if c.state == confirmedByPerson && fresh != nil {
		if fresh, err = r.readFresh(ctx, "read "+entityNoun(r.w.Entity)+" again after the confirmation"); err != nil {
			return nil, r.fail(ctx, err), true
		}
	}
	return fresh, writeEnd{}, false
}

// applyConfirmation turns a confirmation into steps and, when the call must stop here (pending or
// declined), into the call's end. stop is false when the write may go ahead.
func (r *writeRun) applyConfirmation(ctx context.Context, c confirmation) (stop bool, end writeEnd) {
	switch c.state {
	case confirmNotNeeded:
		return false, writeEnd{}
	case confirmedByToken:
		r.step("confirmation", "", stepDone, "confirmed with the token from the preview")
		return false, writeEnd{}
	case confirmedByPerson:
		r.step("confirmation", "", stepDone, "the person accepted")
		return false, writeEnd{}
	case confirmDeclined:
		r.step("confirmation", "", stepDone, "the person chose "+c.action)
		r.abandonPlanned()
		return true, r.finish(ctx, outcomeDeclined, fmt.Sprintf("The person chose %s: nothing was changed on the %s.", c.action, entityNoun(r.w.Entity)))
	}
	r.out.Confirmation = c.view
	r.abandonPlanned()
	detail := "a preview and token were returned"
	if c.note != "" {
		detail += "; " + c.note
		r.out.Notes = append(r.out.Notes, "Asked with a token: "+c.note+".")
	}
	r.step("confirmation", "", stepPlanned, detail)
	return true, r.finish(ctx, outcomeConfirmationRequired,
		"Nothing was written: this change needs the person's confirmation. Show them confirmation.message; if they agree, repeat the same call with confirm set to the token (it expires at "+c.view.ExpiresAt+").")
}
