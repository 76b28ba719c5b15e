package tools

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/schema"
)

type updateEntityInput struct {
	Entity  string      `json:"entity" jsonschema:"required" jsonschema_description:"API name, e.g. Contacts, ConfigurationItems, Tasks."`
	ID      int64       `json:"id" jsonschema:"required,minimum=1" jsonschema_description:"The record's id; read it (get_entity) first."`
	Changes fieldValues `json:"changes" jsonschema:"required" jsonschema_description:"By API name: {\"title\": \"...\", \"phone\": \"555-0100\"}. Picklists by label or id, UDFs by name under udfs, dates ISO 8601 UTC, null clears. Other fields keep their values."`
	Confirm string      `json:"confirm,omitempty" jsonschema_description:"Token from confirmation_required, once the person said yes."`
	DryRun  bool        `json:"dry_run,omitempty" jsonschema_description:"Send nothing; return the exact requests."`
}

const updateEntityDescription = `Change named fields of one record of any entity the API can update (Contacts, ConfigurationItems, Tasks, ToDos...): a fresh read, then a PATCH of only those fields (where the API takes only PUT, the whole fresh record with only those changed). Unknown and read-only fields are refused before anything is sent. Every change needs the person's confirmation of the exact old and new values. Tickets: update_ticket. Nothing is deleted by any tool.`

func updateEntityTool(deps Deps) Tool {
	return newWriteTool(deps, definition{
		name:         "update_entity",
		title:        "Update fields of any entity's record",
		description:  updateEntityDescription,
		input:        schema.Input[updateEntityInput](),
		recordFields: []string{"entity", "record_id", "title"},
		writes:       genericWritable(func(c autotask.Capabilities) bool { return c.Patch || c.Put }),
		destructive:  true,
	}, updateEntity)
}

func (in updateEntityInput) target() (writeTarget, error) {
	name := strings.TrimSpace(in.Entity)
	if e, err := autotask.LookupEntity(name); err == nil {
		name = e.Name
	}
	if in.ID < 1 {
		return writeTarget{entity: name}, badArgs("id must be a positive integer (got %d): the id of the record to change", in.ID)
	}
	return writeTarget{entity: name, id: in.ID}, nil
}

// writes: the record's own entity and nothing else, so an allow list naming Contacts lets
// update_entity change contacts only.
func (updateEntityInput) writes(string) []string { return nil }

func updateEntity(ctx context.Context, r *writeRun, in updateEntityInput) writeEnd {
	e, err := genericEntity(in.Entity)
	if err != nil {
		return r.fail(ctx, err)
	}
	method, ok := updateMethod(e)
	if !ok {
		return r.fail(ctx, badArgs("the API does not allow updating %s records", e.Name))
	}
	if method == "PATCH" && r.deps.Client.PatchRefused(e.Name) {
		method = "PUT" // this tenant refused a PATCH on the entity before
	}
	if len(in.Changes) == 0 {
		return r.fail(ctx, badArgs("changes is required: an object of field -> new value"))
	}
	md, err := r.loadMetadata(ctx, e.Name)
	if err != nil {
		return r.fail(ctx, err)
	}
	r.out.Entity, r.out.RecordID = e.Name, in.ID
	// Names and values are checked before the fresh read, so a misspelt field costs no request.
	names := clientNames(ctx, r.deps.Client)
	if _, err := (valueResolver{entity: e.Name, md: md, deferChildren: true, names: names}).resolve(in.Changes, nil, "changes"); err != nil {
		return r.fail(ctx, err)
	}
	fresh, err := r.readFresh(ctx, "read "+e.Name+" record")
	if err != nil {
		return r.fail(ctx, err)
	}
	ch, err := valueResolver{entity: e.Name, md: md, names: names}.resolve(in.Changes, fresh, "changes")
	if err != nil {
		return r.fail(ctx, err)
	}
	ch = withoutNoOps(md, fresh, ch)
	r.w.Sensitive = true // every generic write is the person's decision (README: what needs confirmation)
	r.w.Changes = guardChanges(ch)
	r.out.Changes = r.changeViews(ch)
	name := entityRecordName(e.Name, in.ID, fresh)
	if ch.IsEmpty() {
		return r.finish(ctx, outcomeUnchanged, fmt.Sprintf("Nothing to do: %s already has these values.", name))
	}
	body := updateBody(method, md, e, fresh, ch)
	if in.DryRun {
		r.out.Requests = []plannedRequest{{Method: method, Path: e.Name, Body: body}}
		r.planDryRun("write fields", method+" "+e.Name)
		return r.finishDryRun(ctx, fmt.Sprintf("Dry run: nothing sent. One %s would change %s on %s.", method, changedNames(r.out.Changes), name), "Applying")
	}
	msg := entityConfirmMessage("Change "+name, r.out.Changes, true)
	fresh, end, stop := r.confirmThen(ctx, fresh, in.Confirm, msg)
	if stop {
		return end
	}
	// After an elicitation the record was read again: a PUT carries that version.
	body = updateBody(method, md, e, fresh, ch)
	i := r.plan("write fields", method+" "+e.Name)
	if err := r.sendUpdate(ctx, i, method, e.Name, md, fresh, ch, body); err != nil {
		return r.fail(ctx, err)
	}
	r.done(i, changedNames(r.out.Changes))
	return r.finish(ctx, outcomeApplied, fmt.Sprintf("Updated %s: %s.", name, changedNames(r.out.Changes)))
}

// updateBody is what the update sends: for PATCH the id and the changed fields only (and the
// parent reference of an entity changed through its parent's route); for PUT the whole fresh record
// with the changes, since a PUT clears every writable field it does not carry.
func updateBody(method string, md *autotask.Metadata, e autotask.Entity, fresh autotask.Record, ch autotask.Changes) autotask.Record {
	if method == "PUT" {
		return fresh.WithChanges(ch)
	}
	body := autotask.Record{"id": fresh.ID()}
	if !e.Capabilities.Patch {
		for k, v := range parentRefOf(md, e, fresh) {
			body[k] = v
		}
	}
	return body.WithChanges(ch)
}

// sendUpdate sends the update once, as write step i; when its answer is lost, one read settles
// whether it landed (every changed field holds its new value), and it is never resent.
func (r *writeRun) sendUpdate(ctx context.Context, i int, method, entity string, md *autotask.Metadata, fresh autotask.Record, ch autotask.Changes, body autotask.Record) error {
	var err error
	if method == "PATCH" {
		_, err = r.deps.Client.Patch(ctx, entity, body)
		if errors.Is(err, autotask.ErrNotSupported) && r.deps.Client.PatchRefused(entity) {
			// This PATCH was refused because the tenant takes none on this entity (a lost answer
			// is settled below, never followed by a PUT), and the 405 applied nothing: the whole
			// record goes by PUT instead, built from a read made now that the guard checks again,
			// so a change made since the session's read is refused, not overwritten.
			r.out.Steps[i].Request = "PUT " + entity + " (PATCH refused: 405)"
			if fresh, err = r.readFresh(ctx, "read "+entity+" record for a PUT"); err != nil {
				return err
			}
			_, err = r.deps.Client.Update(ctx, entity, fresh.WithChanges(ch))
		}
	} else {
		_, err = r.deps.Client.Update(ctx, entity, body)
	}
	expected := fresh.WithChanges(ch)
	if err == nil {
		r.wrote(expected, nil)
		return nil
	}
	var now autotask.Record
	landed := r.settleLost(ctx, err, "the change", func(ctx context.Context) (bool, error) {
		var gerr error
		if now, gerr = r.deps.Client.Get(ctx, entity, r.w.ID); gerr != nil {
			return false, gerr
		}
		return withoutNoOps(md, now, ch).IsEmpty(), nil
	})
	if !landed {
		return err
	}
	r.wrote(expected, now)
	return nil
}
