package tools

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/internal/sanitize"
)

// What create_entity and update_entity share: which entities they write, how a record is named to
// the person, and the fields a create must carry.

// ownWriteTools are the entities written only through their own tools, which keep contracts a
// generic write would break: a ticket is changed only by a PUT of the whole fresh ticket, a note
// only through its ticket's route, a time entry with the acting resource and its role.
var ownWriteTools = map[string]string{
	"tickets":     "create_ticket and update_ticket (or resolve_ticket)",
	"ticketnotes": "add_ticket_note",
	"timeentries": "log_time",
}

// genericEntity looks up the entity a generic write names, refusing those with their own tools.
func genericEntity(name string) (autotask.Entity, error) {
	if strings.TrimSpace(name) == "" {
		return autotask.Entity{}, badArgs("entity is required: the API name of the records, e.g. Contacts, ConfigurationItems (describe_fields lists an entity's fields)")
	}
	e, err := lookupEntity(name)
	if err != nil {
		return autotask.Entity{}, err
	}
	if tool, ok := ownWriteTools[strings.ToLower(e.Name)]; ok {
		return autotask.Entity{}, badArgs("%s are written with %s, which keep their rules; create_entity and update_entity do not write them", e.Name, tool)
	}
	return e, nil
}

// updateMethod is how an entity's records are changed: PATCH, with only the changed fields, where
// the API offers it on the entity or a route of its parent; otherwise a PUT of the whole fresh
// record. ok is false when the API changes the entity neither way.
func updateMethod(e autotask.Entity) (method string, ok bool) {
	can := func(c func(autotask.Capabilities) bool) bool {
		if c(e.Capabilities) {
			return true
		}
		for _, r := range autotask.ChildRoutes() {
			if r.Entity == e.Name && c(r.Capabilities) {
				return true
			}
		}
		return false
	}
	switch {
	case can(func(c autotask.Capabilities) bool { return c.Patch }):
		return "PATCH", true
	case can(func(c autotask.Capabilities) bool { return c.Put }):
		return "PUT", true
	}
	return "", false
}

// parentField is the field by which a child record names its parent (a contact's companyID), when
// the entity's metadata has it: the route's parent id is also sent in the body, as the API's own
// child-route examples do, and an update through the route needs it.
func parentField(md *autotask.Metadata, parent string) (string, bool) {
	e, err := autotask.LookupEntity(parent)
	if err != nil {
		return "", false
	}
	model := e.Model
	if model == "" {
		model = e.Name
	}
	f, ok := md.Field(strings.ToLower(model[:1]) + model[1:] + "ID")
	return f.Name, ok
}

// parentRefOf is the parent route and id through which a record of e is written, when the API
// writes it only through its parent (Contacts under Companies): the route's reference field and its
// value on the record.
func parentRefOf(md *autotask.Metadata, e autotask.Entity, rec autotask.Record) map[string]any {
	out := map[string]any{}
	for _, r := range autotask.ChildRoutes() {
		if r.Entity != e.Name {
			continue
		}
		if f, ok := parentField(md, r.Parent); ok {
			if v, has := rec[f]; has && v != nil {
				out[f] = v
			}
		}
	}
	return out
}

// missingRequired fills the required fields the tenant gives a default, and names those it does
// not: on a create, a required field left out is refused before any request.
func missingRequired(md *autotask.Metadata, ch autotask.Changes, given map[string]bool) (defaults []string, err error) {
	defaults, missing := fillRequiredDefaults(md, ch, func(field string) bool { return strings.EqualFold(field, "id") || given[field] })
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, badArgs("fields: missing required field(s) of %s with no tenant default: %s (describe_fields with entity %q shows them)", md.Entity, strings.Join(missing, ", "), md.Entity)
	}
	return defaults, nil
}

// entityRecordName is how a generic write names a record to the assistant and the person: entity,
// id, and the record's own name where it has one.
func entityRecordName(entity string, id int64, rec autotask.Record) string {
	name := fmt.Sprintf("%s %d", entity, id)
	for _, f := range []string{"name", "companyName", "projectName", "title", "referenceTitle", "opportunityName"} {
		if s := rec.String(f); s != "" {
			return name + " " + describeValue(truncateRunes(sanitize.Text(s), writeSummaryRunes))
		}
	}
	if first, last := rec.String("firstName"), rec.String("lastName"); first != "" || last != "" {
		return name + " " + describeValue(truncateRunes(sanitize.Text(strings.TrimSpace(first+" "+last)), writeSummaryRunes))
	}
	return name
}

// entityConfirmMessage is what the person sees before a generic write: what is written where, and
// every field it sets, old value beside the new one on an update.
func entityConfirmMessage(head string, changes []changeView, update bool) string {
	var b strings.Builder
	b.WriteString(head + ":")
	for _, c := range changes {
		if update {
			fmt.Fprintf(&b, "\n- %s: %s -> %s", c.Field, describeValue(c.Before), describeValue(c.After))
		} else {
			fmt.Fprintf(&b, "\n- %s: %s", c.Field, describeValue(c.After))
		}
	}
	return b.String()
}

// sentDiffers lists the fields of body the record read back does not hold as sent: the write's
// result is told as it is, never as it was meant.
func sentDiffers(md *autotask.Metadata, body, got autotask.Record) []string {
	var out []string
	for _, name := range sortedKeys(body) {
		if name == "id" || name == "userDefinedFields" {
			continue
		}
		f, _ := md.Field(name)
		if !sameValue(f.DataType, got[name], body[name]) {
			out = append(out, name)
		}
	}
	return out
}

// readWritten reads the record a generic write created or changed, once, for its id's name and to
// tell what the API holds; ok is false when the read failed.
func (r *writeRun) readWritten(ctx context.Context, entity string, id int64) (autotask.Record, bool) {
	i := r.step("read back", fmt.Sprintf("GET %s/%d", entity, id), stepDone, "")
	rec, err := r.deps.Client.Get(ctx, entity, id)
	if err != nil {
		r.failStep(i, "not read: get_entity shows it")
		r.log.Warn("read of a written record failed", "tool", r.w.Tool, "entity", entity, "id", id, "err", err)
		return nil, false
	}
	return rec, true
}

// genericWritable lists the entities a generic tool writes, for the allow list: a server whose
// allow list names Contacts offers create_entity, which then writes contacts only.
func genericWritable(can func(autotask.Capabilities) bool) []string {
	seen := map[string]bool{}
	var out []string
	add := func(name string) {
		if _, own := ownWriteTools[strings.ToLower(name)]; !own && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	for _, e := range autotask.Entities() {
		if can(e.Capabilities) {
			add(e.Name)
		}
	}
	for _, r := range autotask.ChildRoutes() {
		if can(r.Capabilities) {
			add(r.Entity)
		}
	}
	sort.Strings(out)
	return out
}
