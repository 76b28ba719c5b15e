package tools

import (
	"slices"
	"strings"

	"github.com/autotask-mcp/autotask-mcp/autotask"
)

// A query that names no fields gets a short default set: what a person scanning a list needs to
// tell the records apart and pick one, with names beside the references. A ticket has ~75 fields
// and a configuration item ~120; a page of every field costs the assistant ten times the context
// of a page of these, and it can always ask for more (fields, or ["*"] for everything).

// allFields is the fields value that asks for every field.
const allFields = "*"

// defaultFieldSets are chosen by hand for the entities an MSP lists most. Fields a tenant's
// metadata does not have are left out.
var defaultFieldSets = map[string][]string{
	"Tickets":            {"ticketNumber", "title", "status", "priority", "companyID", "assignedResourceID", "dueDateTime"},
	"Companies":          {"companyName", "companyType", "phone", "city", "isActive", "ownerResourceID"},
	"Contacts":           {"firstName", "lastName", "companyID", "title", "emailAddress", "phone", "isActive"},
	"Resources":          {"firstName", "lastName", "title", "email", "isActive"},
	"Projects":           {"projectNumber", "projectName", "companyID", "status", "projectLeadResourceID", "endDateTime"},
	"Tasks":              {"taskNumber", "title", "projectID", "status", "assignedResourceID", "endDateTime"},
	"TimeEntries":        {"dateWorked", "resourceID", "ticketID", "taskID", "hoursWorked", "summaryNotes"},
	"ConfigurationItems": {"referenceTitle", "companyID", "configurationItemType", "serialNumber", "isActive"},
	"Opportunities":      {"title", "companyID", "stage", "status", "amount", "projectedCloseDate", "ownerResourceID"},
	"Contracts":          {"contractName", "companyID", "contractType", "status", "startDate", "endDate"},
	"TicketNotes":        {"ticketID", "title", "noteType", "publish", "createDateTime", "creatorResourceID", "description"},
}

// derivedFieldsMax bounds a default set derived from metadata, id aside.
const derivedFieldsMax = 8

// defaultTextRunes is how much of a long text field (a note's description) a default row shows;
// naming the field in fields returns all of it.
const defaultTextRunes = 200

// defaultFields is the default field set of an entity, in the metadata's spelling, id first.
func defaultFields(md *autotask.Metadata) []string {
	names, chosen := defaultFieldSets[md.Entity]
	if !chosen {
		names = derivedDefaultFields(md)
	}
	out := []string{"id"}
	for _, n := range names {
		if f, ok := md.Field(n); ok && !slices.Contains(out, f.Name) {
			out = append(out, f.Name)
		}
	}
	return out
}

// derivedDefaultFields picks, for an entity not chosen by hand: the fields that name a record,
// then status-like ones (status, stage, isActive), then required ones, then writable references,
// up to derivedFieldsMax. Long text is left out: it is what makes a row long.
func derivedDefaultFields(md *autotask.Metadata) []string {
	out := slices.Clone(autotask.NameFields(md))
	add := func(keep func(autotask.Field) bool) {
		for _, f := range md.Fields {
			if len(out) >= derivedFieldsMax {
				return
			}
			if keep(f) && f.Name != "id" && !slices.Contains(out, f.Name) && f.Length <= 255 {
				out = append(out, f.Name)
			}
		}
	}
	add(func(f autotask.Field) bool {
		l := strings.ToLower(f.Name)
		return l == "status" || l == "stage" || l == "isactive" || strings.HasSuffix(l, "status")
	})
	add(func(f autotask.Field) bool { return f.IsRequired && !f.IsReadOnly })
	// Read-only references are the API's bookkeeping (who created it, who impersonated whom).
	add(func(f autotask.Field) bool { _, ok := referenceTarget(f); return ok && !f.IsReadOnly })
	return out
}

// isDefaultSet says whether fields is md's default set (on every page of a query that asked for
// no fields: the cursor carries the set, not how it was chosen).
func isDefaultSet(md *autotask.Metadata, fields []string) bool {
	return len(fields) > 0 && slices.Equal(fields, defaultFields(md))
}

// shortenText cuts the long free text of a default row; the row's more_fields note says how to
// get all of it.
func shortenText(item map[string]any, md *autotask.Metadata) {
	for k, v := range item {
		s, ok := v.(string)
		if !ok {
			continue
		}
		if f, known := md.Field(k); known && isFreeText(f) {
			item[k] = truncateRunes(s, defaultTextRunes)
		}
	}
}
