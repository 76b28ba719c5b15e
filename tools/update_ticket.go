package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/schema"
)

type updateTicketInput struct {
	ticketRef
	Changes fieldValues `json:"changes" jsonschema:"required" jsonschema_description:"Fields by API name: {\"priority\": \"High\", \"assignedResourceID\": \"Priya Patel (29682887)\", \"udfs\": {\"Root Cause\": \"Disk full\"}}. Picklists take the label or id, references the id or \"Name (id)\"; dates ISO 8601 UTC; null clears."`
	Confirm string      `json:"confirm,omitempty" jsonschema_description:"Token from confirmation_required, once the person said yes."`
	DryRun  bool        `json:"dry_run,omitempty" jsonschema_description:"Send nothing; return the exact requests."`
}

const updateTicketDescription = `Change named fields of a ticket: fresh read, then one PUT of the whole ticket with only these changed. status, companyID, the changeApproval fields and co-managed visibility need the person's confirmation (asked directly, or see confirm). resolve_ticket resolves.`

func updateTicketTool(deps Deps) Tool {
	return newWriteTool(deps, definition{
		name:         "update_ticket",
		title:        "Update ticket fields",
		description:  updateTicketDescription,
		input:        schema.Input[updateTicketInput](),
		recordFields: []string{"ticket_id", "ticket_number", "title"},
		writes:       []string{"Tickets"},
		destructive:  true,
	}, updateTicket)
}

func updateTicket(ctx context.Context, r *writeRun, in updateTicketInput) writeEnd {
	id := r.w.ID
	if len(in.Changes) == 0 {
		return r.fail(ctx, badArgs("changes is required: an object of field -> new value, e.g. {\"priority\": \"High\"}"))
	}
	md, err := r.loadMetadata(ctx, "Tickets")
	if err != nil {
		return r.fail(ctx, err)
	}
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
