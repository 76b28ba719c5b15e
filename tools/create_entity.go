package tools

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/schema"
)

type createEntityInput struct {
	Entity   string      `json:"entity" jsonschema:"required" jsonschema_description:"API name, e.g. Contacts, CompanyNotes, Tasks."`
	Parent   string      `json:"parent,omitempty" jsonschema_description:"For a record created under a parent: the parent's entity (a contact: Companies)."`
	ParentID *int64      `json:"parent_id,omitempty" jsonschema:"minimum=1" jsonschema_description:"The parent's id."`
	Fields   fieldValues `json:"fields" jsonschema:"required" jsonschema_description:"By API name (describe_fields marks the required): {\"firstName\": \"Ada\", \"lastName\": \"Lovelace\"}. Picklists by label or id, UDFs by name under udfs, dates ISO 8601 UTC; required picklists left out take the tenant's default."`
	Confirm  string      `json:"confirm,omitempty" jsonschema_description:"Token from confirmation_required, once the person said yes."`
	DryRun   bool        `json:"dry_run,omitempty" jsonschema_description:"Send nothing; return the exact requests."`
}

const createEntityDescription = `Create one record of any entity the API can create (Contacts, CompanyNotes, Tasks, ToDos, Appointments...), at its own URL or under a parent read first with get_entity (a contact under a company, a task under a project). Unknown, read-only and missing required fields are refused before anything is sent. Every create needs the person's confirmation of the exact values. Sent once, never resent: a lost answer is looked up. Tickets, ticket notes and time entries: create_ticket, add_ticket_note, log_time.`

func createEntityTool(deps Deps) Tool {
	return newWriteTool(deps, definition{
		name:         "create_entity",
		title:        "Create a record of any entity",
		description:  createEntityDescription,
		input:        schema.Input[createEntityInput](),
		recordFields: []string{"entity", "record_id", "title"},
		writes:       genericWritable(func(c autotask.Capabilities) bool { return c.Create }),
	}, createEntity)
}

// target: a record created under a parent is checked against the parent, which the session must
// have read and which must not have changed since; a record created at its own URL has nothing to
// have read.
func (in createEntityInput) target() (writeTarget, error) {
	name := strings.TrimSpace(in.Entity)
	hasParent := strings.TrimSpace(in.Parent) != ""
	switch {
	case hasParent && in.ParentID == nil:
		return writeTarget{entity: name}, badArgs("give parent_id with parent: the id of the %s record to create under", clip(in.Parent))
	case !hasParent && in.ParentID != nil:
		return writeTarget{entity: name}, badArgs("give parent (its entity, e.g. Companies) with parent_id")
	case in.ParentID != nil && *in.ParentID < 1:
		return writeTarget{entity: name}, badArgs("parent_id must be a positive integer (got %d)", *in.ParentID)
	case hasParent:
		p, err := lookupEntity(in.Parent)
		if err != nil {
			return writeTarget{entity: name}, badArgs("parent: %s", err)
		}
		return writeTarget{entity: p.Name, id: *in.ParentID}, nil
	}
	if e, err := autotask.LookupEntity(name); err == nil {
		name = e.Name
	}
	return writeTarget{entity: name}, nil
}

// writes: the created entity, beside the parent it is checked against, so that an allow list naming
// Contacts allows creating contacts under any company.
func (in createEntityInput) writes(target string) []string {
	e, err := autotask.LookupEntity(childEntityName(in))
	if err != nil || strings.EqualFold(e.Name, target) {
		return nil
	}
	return []string{e.Name}
}

func createEntity(ctx context.Context, r *writeRun, in createEntityInput) writeEnd {
	e, err := genericEntity(childEntityName(in))
	if err != nil {
		return r.fail(ctx, err)
	}
	path, parent, err := createPath(e, in)
	if err != nil {
		return r.fail(ctx, err)
	}
	ch, err := r.createFields(ctx, e, parent, in)
	if err != nil {
		return r.fail(ctx, err)
	}
	body := autotask.Record{}.WithChanges(ch)
	r.w.Sensitive = true // every generic write is the person's decision (README: what needs confirmation)
	r.w.Changes = guardChanges(ch)
	r.out.Entity = e.Name

	where := "a " + e.Name + " record"
	var fresh autotask.Record
	if parent.Parent != "" {
		if fresh, err = r.readFresh(ctx, "read "+parent.Parent+" "+fmt.Sprint(*in.ParentID)); err != nil {
			return r.fail(ctx, err)
		}
		where += " under " + entityRecordName(parent.Parent, *in.ParentID, fresh)
	} else {
		r.w.Create = true
	}
	// The parent is what was checked; the fields are the new record's, which has no before (in the
	// changes shown and in the audit line).
	r.fresh = nil
	r.out.Changes = r.changeViews(ch)

	if in.DryRun {
		r.planDryRun("create "+e.Name, "POST "+path)
		r.out.Requests = []plannedRequest{{Method: "POST", Path: path, Body: body}}
		return r.finishDryRun(ctx, "Dry run: nothing sent. Would create "+where+".", "Creating")
	}
	fresh, end, stop := r.confirmThen(ctx, fresh, in.Confirm, entityConfirmMessage("Create "+where, r.out.Changes, false))
	if stop {
		return end
	}
	r.fresh = nil // a parent read again after the confirmation is still not the record written
	i := r.plan("create "+e.Name, "POST "+path)
	id, err := r.createEntityRecord(ctx, e.Name, r.md, parent, in.ParentID, body)
	if err != nil {
		if errors.Is(err, autotask.ErrOutcomeUnknown) {
			r.hint = fmt.Sprintf("The %s record may exist now: look for it with query_entity (entity %s) before creating it again.", e.Name, e.Name)
		}
		return r.fail(ctx, err)
	}
	r.done(i, fmt.Sprintf("%s id %d", e.Name, id))
	r.out.RecordID = id
	if fresh != nil {
		// A child moves at most the parent's activity stamps: every field as read keeps its value.
		r.wrote(fresh, nil)
	} else {
		r.setID(id)
	}
	return r.finishCreated(ctx, e.Name, id, body, where)
}

// createFields checks the fields of a create and resolves them, before anything but the entity's
// metadata is read: under a parent the parent's reference field is set from the route (and may not
// say otherwise), and required fields left out take the tenant's default (named in the notes) or
// are refused.
func (r *writeRun) createFields(ctx context.Context, e autotask.Entity, parent autotask.ChildRoute, in createEntityInput) (autotask.Changes, error) {
	if len(in.Fields) == 0 {
		return autotask.Changes{}, badArgs("fields is required: the new %s record's fields, e.g. {\"name\": \"...\"}; describe_fields with entity %q lists them", e.Name, e.Name)
	}
	md, err := r.loadMetadata(ctx, e.Name)
	if err != nil {
		return autotask.Changes{}, err
	}
	ch, err := valueResolver{entity: e.Name, md: md, names: clientNames(ctx, r.deps.Client)}.resolve(in.Fields, nil, "fields")
	if err != nil {
		return autotask.Changes{}, err
	}
	given := map[string]bool{}
	if parent.Parent != "" {
		if f, ok := parentField(md, parent.Parent); ok {
			if v, set := ch.Fields[f]; set && !sameValue("long", v, *in.ParentID) {
				return autotask.Changes{}, badArgs("fields.%s is %s, but the record is created under %s %d; leave %s out", f, describeValue(v), parent.Parent, *in.ParentID, f)
			}
			ch.Fields[f] = *in.ParentID
			given[f] = true
		}
	}
	defaults, err := missingRequired(md, ch, given)
	if err != nil {
		return autotask.Changes{}, err
	}
	if len(defaults) > 0 {
		r.out.Notes = append(r.out.Notes, "Tenant defaults used: "+strings.Join(defaults, ", ")+".")
	}
	return ch, nil
}

// finishCreated reads the new record back once: it then counts as read, so the session can change
// it next, and the summary names it and says where the API holds other values than were sent.
func (r *writeRun) finishCreated(ctx context.Context, entity string, id int64, body autotask.Record, where string) writeEnd {
	created, read := r.readWritten(ctx, entity, id)
	if !read {
		return r.finish(ctx, outcomeApplied, fmt.Sprintf("Created %s id %d (%s). It could not be read back: get_entity shows it.", entity, id, where))
	}
	if err := r.deps.Guard.RecordRead(ctx, r.w.Session, entity, id, map[string]any(created)); err != nil {
		r.log.Warn("guard: new record not recorded as read", "entity", entity, "id", id, "err", err)
	}
	if diff := sentDiffers(r.md, body, created); len(diff) > 0 {
		r.out.Notes = append(r.out.Notes, fmt.Sprintf("Autotask holds other values than were sent for: %s. get_entity shows the record as it is.", strings.Join(diff, ", ")))
	}
	return r.finish(ctx, outcomeApplied, fmt.Sprintf("Created %s (%s).", entityRecordName(entity, id, created), where))
}

// childEntityName is the entity a create names: under a parent, the route's segment may name it
// too (ToDos under Companies are CompanyToDos).
func childEntityName(in createEntityInput) string {
	if strings.TrimSpace(in.Parent) != "" {
		if _, err := autotask.LookupEntity(in.Entity); err != nil {
			if route, err := autotask.LookupChildRoute(in.Parent, in.Entity); err == nil {
				return route.Entity
			}
		}
	}
	return in.Entity
}

// createPath is the URL a create of e goes to: its own, or its parent's route, which must be one
// the API creates through.
func createPath(e autotask.Entity, in createEntityInput) (string, autotask.ChildRoute, error) {
	if strings.TrimSpace(in.Parent) == "" {
		if e.Capabilities.Create {
			return e.Name, autotask.ChildRoute{}, nil
		}
		if via, ok := autotask.CreateRouteFor(e.Name); ok {
			return "", autotask.ChildRoute{}, badArgs("%s are created under their parent: give parent %s and parent_id (the %s record's id)", e.Name, via.Parent, via.Parent)
		}
		return "", autotask.ChildRoute{}, badArgs("the API does not allow creating %s records", e.Name)
	}
	route, err := autotask.LookupChildRoute(in.Parent, e.Name)
	if err != nil {
		return "", autotask.ChildRoute{}, badArgs("parent: %v", err)
	}
	if route.Entity != e.Name || !route.Capabilities.Create {
		return "", autotask.ChildRoute{}, badArgs("the API does not create %s under %s", e.Name, route.Parent)
	}
	return fmt.Sprintf("%s/%d/%s", route.Parent, *in.ParentID, route.Segment), route, nil
}

// createEntityRecord sends the create once and, when its answer is lost, looks for the record among
// those created since just before the call with the same text in its first required text field.
func (r *writeRun) createEntityRecord(ctx context.Context, entity string, md *autotask.Metadata, parent autotask.ChildRoute, parentID *int64, body autotask.Record) (int64, error) {
	send := func(ctx context.Context) (int64, error) {
		if parent.Parent != "" {
			return r.deps.Client.CreateChild(ctx, parent.Parent, *parentID, parent.Segment, body)
		}
		return r.deps.Client.Create(ctx, entity, body)
	}
	created, text := readBackFields(md, body)
	if created == "" || text == "" {
		// Nothing to tell this record from another by: a lost answer stays unknown, and is never resent.
		return send(ctx)
	}
	var match []autotask.Filter
	if parent.Parent != "" {
		if f, ok := parentField(md, parent.Parent); ok {
			match = append(match, autotask.Eq(f, *parentID))
		}
	}
	return r.create(ctx, "the create", entity, created, text, body, send, match...)
}

// readBackFields are the fields a lost create is found by: when the record was created, and a text
// field the body sets.
func readBackFields(md *autotask.Metadata, body autotask.Record) (created, text string) {
	for _, name := range []string{"createDateTime", "createDate", "createdDateTime", "createdDate"} {
		if f, ok := md.Field(name); ok && f.IsQueryable {
			created = f.Name
			break
		}
	}
	for _, name := range sortedKeys(body) {
		f, ok := md.Field(name)
		if ok && !f.IsPickList && !f.IsReference && strings.EqualFold(f.DataType, "string") && f.IsQueryable {
			if _, isText := body[name].(string); isText {
				text = f.Name
				break
			}
		}
	}
	return created, text
}
