package tools

import (
	"context"
	"fmt"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/schema"
)

type addTicketNoteInput struct {
	ticketRef
	Title       string     `json:"title" jsonschema:"required" jsonschema_description:"One line."`
	Description string     `json:"description" jsonschema:"required" jsonschema_description:"Note text."`
	NoteType    *labelOrID `json:"note_type,omitempty" jsonschema_description:"Label or id; default the tenant's."`
	Publish     *labelOrID `json:"publish,omitempty" jsonschema_description:"Label or id; default internal. Any other may show it to the customer: only when asked."`
	Confirm     string     `json:"confirm,omitempty" jsonschema_description:"Token from confirmation_required, once the person said yes."`
	DryRun      bool       `json:"dry_run,omitempty" jsonschema_description:"Send nothing; return the exact requests."`
}

const addTicketNoteDescription = `Add a note to a ticket (POST Tickets/{id}/Notes), internal unless publish says otherwise. A publish other than the tenant's default needs the person's confirmation (asked directly, or see confirm).`

func addTicketNoteTool(deps Deps) Tool {
	return newWriteTool(deps, definition{
		name:         "add_ticket_note",
		title:        "Add a note to a ticket",
		description:  addTicketNoteDescription,
		input:        schema.Input[addTicketNoteInput](),
		recordFields: []string{"ticket_id", "ticket_number", "note_id", "title"},
		writes:       noteWrites,
	}, addTicketNote)
}

func addTicketNote(ctx context.Context, r *writeRun, in addTicketNoteInput) writeEnd {
	id := r.w.ID
	if err := requireText("title", in.Title); err != nil {
		return r.fail(ctx, err)
	}
	if err := requireText("description", in.Description); err != nil {
		return r.fail(ctx, err)
	}
	noteMD, err := r.deps.Client.Metadata(ctx, "TicketNotes")
	if err != nil {
		return r.fail(ctx, fmt.Errorf("metadata of TicketNotes: %w", err))
	}
	body, err := noteBody(noteMD, id, in.Title, in.Description, in.NoteType.value(), in.Publish.value())
	if err != nil {
		return r.fail(ctx, err)
	}
	r.w.Changes = map[string]any{"note": noteBinding(body)}
	r.w.Defaults = noteDefaults(noteMD)

	fresh, err := r.readFreshOrFound(ctx, "read ticket")
	if err != nil {
		return r.fail(ctx, err)
	}
	path := fmt.Sprintf("Tickets/%d/Notes", id)
	visibility := fmt.Sprintf("type %s, visible to: %s", pickLabel(noteMD, "noteType", body["noteType"]), pickLabel(noteMD, "publish", body["publish"]))
	if in.DryRun {
		r.planDryRun("add note", "POST "+path)
		r.out.Requests = []plannedRequest{{Method: "POST", Path: path, Body: body}}
		return r.finishDryRun(ctx, fmt.Sprintf("Dry run: nothing sent. The note (%s) would be added to %s.", visibility, ticketName(fresh, id)), "Adding")
	}
	msg := confirmMessage("Add a note to", fresh.String("ticketNumber"), fresh.String("title"), id, nil, noteConfirmLines(noteMD, body))
	fresh, end, stop := r.confirmThen(ctx, fresh, in.Confirm, msg)
	if stop {
		return end
	}
	i := r.plan("add note", "POST "+path)
	noteID, err := r.addNote(ctx, body)
	if err != nil {
		return r.fail(ctx, err)
	}
	r.done(i, fmt.Sprintf("note %d, %s", noteID, visibility))
	r.out.NoteID = noteID
	// The note moves the ticket's lastActivityDate and nothing else: every field of the ticket as read
	// should still have its value.
	r.wrote(fresh, nil)
	return r.finish(ctx, outcomeApplied, fmt.Sprintf("Added note %d to %s (%s).", noteID, ticketName(fresh, id), visibility))
}

// noteConfirmLines describe a note for the person asked to confirm it: who will see it, its title and
// the start of its text.
func noteConfirmLines(noteMD *autotask.Metadata, body autotask.Record) []string {
	visibility := "visible to: " + publishView(noteMD, body["publish"])
	if def, ok := noteDefaults(noteMD)["note"].(map[string]any)["publish"]; ok {
		visibility += ", not the default " + publishView(noteMD, def)
	}
	return []string{
		visibility + ": the customer may see it, and may be e-mailed it",
		"title: " + describeValue(body["title"]),
		"text: " + describeValue(body["description"]),
	}
}

func publishView(noteMD *autotask.Metadata, v any) string {
	f, known := lookupField(noteMD, "publish")
	view, _ := compactValue(v, f, known, noteMD)
	return describeValue(view)
}

// noteWrites are what add_ticket_note writes, for the allow list: a note is the ticket's, so
// "Tickets" allows it, and "TicketNotes" allows notes without allowing ticket changes.
var noteWrites = []string{"Tickets", "TicketNotes"}
