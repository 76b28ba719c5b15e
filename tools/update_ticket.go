package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/schema"
)

type updateTicketInput struct {
	TicketID *int64      `json:"ticket_id" jsonschema:"required,minimum=1" jsonschema_description:"Ticket id (numeric), as get_ticket shows it. Read the ticket with get_ticket in this session first: writes to a ticket this session has not read, or that changed since, are refused."`
	Changes  fieldValues `json:"changes" jsonschema:"required" jsonschema_description:"Fields to change, by API name (as get_ticket shows them): {\"priority\": \"High\", \"assignedResourceID\": 29682890}. Picklists take the label or the id; references the id or \"Name (id)\" as results show them. User-defined fields by name, directly or grouped: {\"udfs\": {\"Root Cause\": \"Disk full\"}}. null clears a field. Every other field keeps its value."`
	Confirm  string      `json:"confirm,omitempty" jsonschema_description:"The token from a confirmation_required result, after the person agreed. Omit on the first call."`
	DryRun   bool        `json:"dry_run,omitempty" jsonschema_description:"true: check everything and return the exact request, without sending it."`
}

const updateTicketDescription = `Change named fields of a ticket: a fresh read, then one PUT of the whole fresh ticket with only these fields changed, so no other field moves. Labels are accepted for picklists, user-defined fields by name. Unknown and read-only fields are refused. Changing status, companyID, the changeApproval fields or co-managed visibility needs the person's confirmation: asked directly when the client supports it, otherwise the first call returns confirmation_required with a token and nothing is written until the same call is repeated with confirm set to that token. To resolve a ticket use resolve_ticket. Read the ticket with get_ticket first.`

func updateTicketTool(deps Deps) Tool {
	return newWriteTool(deps, definition{
		name:        "update_ticket",
		title:       "Update ticket fields",
		description: updateTicketDescription,
		input:       schema.Input[updateTicketInput](),
		output:      schema.Output[writeOutput](),
		writes:      []string{"Tickets"},
		destructive: true,
	}, updateTicket)
}

func (in updateTicketInput) target() (string, int64, error) { return ticketTarget(in.TicketID) }

func updateTicket(ctx context.Context, r *writeRun, in updateTicketInput) writeEnd {
	id := r.w.ID
	if len(in.Changes) == 0 {
		return r.fail(ctx, badArgs("changes is required: an object of field -> new value, e.g. {\"priority\": \"High\"}"))
	}
	md, err := r.deps.Client.Metadata(ctx, "Tickets")
	if err != nil {
		return r.fail(ctx, fmt.Errorf("metadata of Tickets: %w", err))
	}
	r.md = md
	// Names and values are checked before the fresh read, so a misspelt field costs no request; then
	// again against the fresh ticket, which a sub-issue type's label may need (its issue type).
	names := clientNames(ctx, r.deps.Client)
	if _, err := (valueResolver{entity: "Tickets", md: md, deferChildren: true, names: names}).resolve(in.Changes, nil, "changes"); err != nil {
		return r.fail(ctx, err)
	}
	resolver := valueResolver{entity: "Tickets", md: md, names: names}

	fresh, err := r.readFresh(ctx, "read ticket")
	if err != nil {
		return r.fail(ctx, err)
	}
	ch, err := resolver.resolve(in.Changes, fresh, "changes")
	if err != nil {
		return r.fail(ctx, err)
	}
	ch = withoutNoOps(md, fresh, ch)
	r.w.Changes = guardChanges(ch)
	r.out.Changes = r.changeViews(ch)
	if ch.IsEmpty() {
		return r.finish(ctx, outcomeUnchanged, fmt.Sprintf("Nothing to do: %s already has these values.", ticketName(fresh, id)))
	}

	if in.DryRun {
		r.out.Requests = []plannedRequest{{Method: "PUT", Path: "Tickets", Body: fresh.WithChanges(ch)}}
		r.planDryRun("write fields", "PUT Tickets")
		return r.finishDryRun(ctx, fmt.Sprintf("Dry run: nothing sent. One PUT would change %s on %s.", changedNames(r.out.Changes), ticketName(fresh, id)), "Applying")
	}

	msg := confirmMessage("Change", fresh.String("ticketNumber"), fresh.String("title"), id, r.out.Changes, nil)
	fresh, end, stop := r.confirmThen(ctx, fresh, in.Confirm, msg)
	if stop {
		return end
	}
	i := r.plan("write fields", "PUT Tickets")
	if _, err := r.putTicket(ctx, fresh, ch, "the change"); err != nil {
		return r.fail(ctx, err)
	}
	r.done(i, changedNames(r.out.Changes))
	return r.finish(ctx, outcomeApplied, fmt.Sprintf("Updated %s: %s.", ticketName(fresh, id), changedNames(r.out.Changes)))
}

// withoutNoOps drops changes to the value a field already has: they would cost a PUT, and a status
// "change" to the current status must not ask the person anything.
func withoutNoOps(md *autotask.Metadata, fresh autotask.Record, ch autotask.Changes) autotask.Changes {
	out := autotask.Changes{Fields: map[string]any{}, UDFs: map[string]any{}}
	for name, v := range ch.Fields {
		f, _ := md.Field(name)
		if !sameValue(f.DataType, fresh[name], v) {
			out.Fields[name] = v
		}
	}
	for name, v := range ch.UDFs {
		if !sameValue("string", udfValue(fresh, name), v) {
			out.UDFs[name] = v
		}
	}
	return out
}

func changedNames(cs []changeView) string {
	names := make([]string, 0, len(cs))
	for _, c := range cs {
		names = append(names, c.Field)
	}
	return strings.Join(names, ", ")
}
