package tools

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/invopop/jsonschema"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/internal/sanitize"
	"github.com/autotask-mcp/autotask-mcp/schema"
)

type describeFieldsInput struct {
	Entity           string `json:"entity,omitempty" jsonschema_description:"Entity, e.g. Tickets; none for the catalog."`
	Field            string `json:"field,omitempty" jsonschema_description:"One field (or UDF), with all its values."`
	IncludePicklists bool   `json:"include_picklists,omitempty" jsonschema_description:"Add picklist values (25 a field at most)."`
}

type describeFieldsOutput struct {
	Entities map[string]string `json:"entities,omitempty" jsonschema_description:"Entity -> what it allows (see legend)."`
	Legend   string            `json:"legend,omitempty" jsonschema_description:"The letters."`
	Entity   string            `json:"entity,omitempty" jsonschema_description:"Canonical name."`
	Allows   string            `json:"allows,omitempty" jsonschema_description:"query, get, create, update, delete."`
	Parents  []string          `json:"parents,omitempty" jsonschema_description:"Parent routes, e.g. Tickets/{id}/Notes (creates go through them)."`
	Fields   []fieldInfo       `json:"fields,omitempty" jsonschema_description:"Standard fields."`
	UDFs     []udfInfo         `json:"udfs,omitempty" jsonschema_description:"User-defined fields, as fields (filter with udf: true)."`
}

type fieldInfo struct {
	Name           string          `json:"name" jsonschema:"required" jsonschema_description:"As filters and writes take it."`
	Type           string          `json:"type,omitempty" jsonschema_description:"Data type."`
	Length         int             `json:"length,omitempty" jsonschema_description:"Max string length."`
	Required       bool            `json:"required,omitempty" jsonschema_description:"A create must set it."`
	ReadOnly       bool            `json:"read_only,omitempty" jsonschema_description:"Set by Autotask."`
	NotQueryable   bool            `json:"not_queryable,omitempty" jsonschema_description:"Not usable in a filter."`
	References     string          `json:"references,omitempty" jsonschema_description:"Entity whose id it holds."`
	Picklist       bool            `json:"picklist,omitempty" jsonschema_description:"A picklist; labels accepted."`
	PicklistParent string          `json:"picklist_parent,omitempty" jsonschema_description:"Field selecting which values apply."`
	PicklistSize   int             `json:"picklist_size,omitempty" jsonschema_description:"Active values."`
	Values         []picklistEntry `json:"values,omitempty" jsonschema_description:"[{id, label, parent, default}], active, in display order; no id when it is the label."`
}

// udfInfo is a user-defined field, described as a standard field is: its schema is fields' own,
// not repeated.
type udfInfo fieldInfo

func (udfInfo) JSONSchema() *jsonschema.Schema { return &jsonschema.Schema{Type: "object"} }

// picklistEntry is one picklist value; its schema is the values property's description.
type picklistEntry struct {
	ID      string `json:"id,omitempty"`
	Label   string `json:"label"`
	Parent  string `json:"parent,omitempty"`
	Default bool   `json:"default,omitempty"`
}

func (picklistEntry) JSONSchema() *jsonschema.Schema { return &jsonschema.Schema{Type: "object"} }

// picklistShown is how many values a picklist shows unless its field is asked for by name.
const picklistShown = 25

const describeFieldsDescription = `Autotask's data model: with no entity, every entity and what it allows; with one, its fields and UDFs (type, required, read-only, reference, picklist). include_picklists or field adds the values.`

func describeFieldsTool(deps Deps) Tool {
	return newTool(deps, definition{
		name:        "describe_fields",
		title:       "Describe entities and fields",
		description: describeFieldsDescription,
		input:       schema.Input[describeFieldsInput](),
		output:      schema.Output[describeFieldsOutput](),
		idempotent:  true,
	}, func(ctx context.Context, _ mcp.CallToolRequest, in describeFieldsInput) (*mcp.CallToolResult, error) {
		out, err := describeFields(ctx, deps, in)
		if err != nil {
			return nil, err
		}
		return structuredResult(out)
	})
}

func describeFields(ctx context.Context, deps Deps, in describeFieldsInput) (describeFieldsOutput, error) {
	if strings.TrimSpace(in.Entity) == "" {
		if in.Field != "" || in.IncludePicklists {
			return describeFieldsOutput{}, badArgs("field and include_picklists need an entity")
		}
		return catalog(), nil
	}
	entity, err := lookupEntity(in.Entity)
	if err != nil {
		return describeFieldsOutput{}, err
	}
	out := describeFieldsOutput{Entity: entity.Name, Allows: capabilityWords(entity.Capabilities), Parents: parentRoutes(entity.Name)}
	if !entity.Capabilities.EntityInfo {
		return out, badArgs("Autotask publishes no field information for %s (it allows: %s)", entity.Name, out.Allows)
	}
	md, err := deps.Client.Metadata(ctx, entity.Name)
	if err != nil {
		return out, fmt.Errorf("metadata of %s: %w", entity.Name, err)
	}
	if name := strings.TrimSpace(in.Field); name != "" {
		if f, ok := md.Field(name); ok {
			out.Fields = []fieldInfo{describeField(f, md, true, 0)}
			return out, nil
		}
		if f, ok := md.UDF(name); ok {
			out.UDFs = []udfInfo{udfInfo(describeField(f, md, true, 0))}
			return out, nil
		}
		return out, unknownFieldError("field", entity.Name, name, md)
	}
	limit := -1 // no values
	if in.IncludePicklists {
		limit = picklistShown
	}
	for _, f := range md.Fields {
		out.Fields = append(out.Fields, describeField(f, md, in.IncludePicklists, limit))
	}
	for _, f := range md.UDFs {
		out.UDFs = append(out.UDFs, udfInfo(describeField(f, md, in.IncludePicklists, limit)))
	}
	return out, nil
}

// catalog lists every entity with what it allows, as letters to keep 200+ entities small.
func catalog() describeFieldsOutput {
	out := describeFieldsOutput{Entities: map[string]string{}, Legend: capabilityLegend + "; a letter missing = not allowed. describe_fields with entity shows its fields and parent routes."}
	for _, e := range autotask.Entities() {
		out.Entities[e.Name] = capabilityLetters(e.Capabilities)
	}
	return out
}

func parentRoutes(entity string) []string {
	var routes []string
	for _, r := range autotask.ChildRoutes() {
		if r.Entity == entity {
			routes = append(routes, fmt.Sprintf("%s/{id}/%s (%s)", r.Parent, r.Segment, capabilityWords(r.Capabilities)))
		}
	}
	return routes
}

// describeField renders one field; limit is how many picklist values to show (0 = all, -1 = none).
func describeField(f autotask.Field, md *autotask.Metadata, withValues bool, limit int) fieldInfo {
	fi := fieldInfo{
		Name:         f.Name,
		Type:         f.DataType,
		Required:     f.IsRequired,
		ReadOnly:     f.IsReadOnly,
		NotQueryable: !f.IsQueryable && queryableKnown(md),
		Picklist:     f.IsPickList,
	}
	if strings.EqualFold(f.DataType, "string") && f.Length > 0 {
		fi.Length = f.Length
	}
	if f.IsReference {
		fi.References = entityForModel(f.ReferenceEntityType)
	}
	if !f.IsPickList {
		return fi
	}
	fi.PicklistParent = f.PicklistParentValueField
	values := f.PicklistValues
	if p, ok := md.Picklist(f.Name); ok && len(p.Values) > 0 && !isUDF(md, f.Name) {
		values = p.Values
	}
	active := make([]autotask.PicklistValue, 0, len(values))
	for _, v := range values {
		if v.IsActive {
			active = append(active, v)
		}
	}
	if len(active) == 0 {
		active = values // a tenant that does not send isActive: show what there is
	}
	slices.SortStableFunc(active, func(a, b autotask.PicklistValue) int { return a.SortOrder - b.SortOrder })
	fi.PicklistSize = len(active)
	if !withValues || limit < 0 {
		return fi
	}
	if limit > 0 && len(active) > limit {
		active = active[:limit]
	}
	for _, v := range active {
		e := picklistEntry{ID: v.Value, Label: sanitize.Text(v.Label), Parent: v.ParentValue, Default: v.IsDefaultValue}
		if e.ID == e.Label {
			e.ID = ""
		}
		fi.Values = append(fi.Values, e)
	}
	return fi
}

func isUDF(md *autotask.Metadata, name string) bool {
	_, isField := md.Field(name)
	_, isUDF := md.UDF(name)
	return isUDF && !isField
}

// queryableKnown tells whether the metadata carries isQueryable at all: if no field is queryable the
// tenant (or simulator) did not send the flag, and calling every field "not queryable" would mislead.
func queryableKnown(md *autotask.Metadata) bool {
	for _, f := range md.Fields {
		if f.IsQueryable {
			return true
		}
	}
	return false
}

// sortedEntities is the catalog, copied and sorted once: entityForModel runs for every reference
// field of every describe_fields call, and autotask.Entities copies and sorts on each call.
var sortedEntities = sync.OnceValue(autotask.Entities)

// entityForModel names a referenced entity the way every tool takes it: the metadata gives the
// singular model ("Company"), the tools take the entity ("Companies").
func entityForModel(model string) string {
	for _, e := range sortedEntities() {
		if strings.EqualFold(e.Model, model) || strings.EqualFold(e.Name, model) {
			return e.Name
		}
	}
	return model
}
