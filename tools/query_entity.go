package tools

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/schema"
)

const (
	defaultLimit = 25
	maxLimit     = 500 // the API's own page maximum
)

type queryEntityInput struct {
	Entity    string      `json:"entity" jsonschema:"required" jsonschema_description:"Entity, e.g. Tickets, Companies, Contacts, TimeEntries (describe_fields lists all)."`
	Filter    []filterArg `json:"filter,omitempty" jsonschema_description:"Conditions that must all hold; none matches every record. E.g. [{\"field\":\"status\",\"op\":\"eq\",\"value\":\"New\"},{\"field\":\"companyID\",\"op\":\"eq\",\"value\":\"Contoso\"}]."`
	Fields    []string    `json:"fields,omitempty" jsonschema_description:"Fields to return; [\"*\"] for all, with UDFs. Default: a short set per entity."`
	Limit     *int        `json:"limit,omitempty" jsonschema:"minimum=1,maximum=500,default=25" jsonschema_description:"Records per page (default 25)."`
	Cursor    string      `json:"cursor,omitempty" jsonschema_description:"next_cursor of the previous page; pass only entity with it."`
	CountOnly bool        `json:"count_only,omitempty" jsonschema_description:"Only count the matches."`
	GroupBy   string      `json:"group_by,omitempty" jsonschema_description:"With count_only: a picklist or reference field to count by."`
}

type queryEntityOutput struct {
	Entity      string            `json:"entity" jsonschema:"required" jsonschema_description:"Canonical name."`
	Total       *int              `json:"total,omitempty" jsonschema_description:"count_only: the matches."`
	GroupBy     string            `json:"group_by,omitempty" jsonschema_description:"The field counted by."`
	Groups      []groupCount      `json:"groups,omitempty" jsonschema_description:"With group_by: [{value, count}], largest first; value as \"Label (id)\", \"Name (id)\" or \"(empty)\"."`
	OtherGroups *groupRest        `json:"other_groups,omitempty" jsonschema_description:"With group_by: {groups, count} beyond those listed."`
	Requests    *int              `json:"requests,omitempty" jsonschema_description:"group_by: the API requests the count cost."`
	Returned    *int              `json:"returned,omitempty" jsonschema_description:"Rows in this page."`
	Common      map[string]any    `json:"common,omitempty" jsonschema_description:"Values every row shares (the filter's eq conditions), given once."`
	Items       []map[string]any  `json:"items,omitempty" jsonschema_description:"Compact rows; UDFs under udfs."`
	NextCursor  string            `json:"next_cursor,omitempty" jsonschema_description:"For the next page; absent on the last."`
	MoreFields  string            `json:"more_fields,omitempty" jsonschema_description:"Fields not shown, and how to get them."`
	Untrusted   untrustedSections `json:"untrusted,omitempty"`
}

func (o queryEntityOutput) marker() untrustedSections { return o.Untrusted }
func (o queryEntityOutput) withoutMarker() any        { o.Untrusted = nil; return o }

const queryEntityDescription = `Find records of any Autotask entity: one page of compact rows (a short default set of fields: fields for others, ["*"] all; picklists "Label (id)", references "Name (id)") and a cursor. Filter items are {field, op, value} or {op: "and"|"or", items}. count_only counts; group_by counts per value. get_ticket reads one ticket with its notes.`

func queryEntityTool(deps Deps) Tool {
	return newTool(deps, definition{
		name:        "query_entity",
		title:       "Query Autotask records",
		description: queryEntityDescription,
		input:       schema.Input[queryEntityInput](),
		output:      schema.Output[queryEntityOutput](),
		idempotent:  true,
	}, func(ctx context.Context, req mcp.CallToolRequest, in queryEntityInput) (*mcp.CallToolResult, error) {
		return queryEntity(ctx, deps, req, in)
	})
}

func queryEntity(ctx context.Context, deps Deps, req mcp.CallToolRequest, in queryEntityInput) (*mcp.CallToolResult, error) {
	entity, err := lookupEntity(in.Entity)
	if err != nil {
		return nil, err
	}
	if !entity.Capabilities.Query {
		return nil, badArgs("%s cannot be queried (Autotask allows: %s)%s", entity.Name, capabilityWords(entity.Capabilities), childRouteHint(entity.Name))
	}
	if in.Cursor != "" {
		return continueQuery(ctx, deps, req, entity, in)
	}
	// A group count states what it cost: every request from here on, metadata and names included.
	spent := func() int { return 0 }
	if in.GroupBy != "" {
		ctx, spent = autotask.WithRequestTally(ctx)
	}
	limit := defaultLimit
	if in.Limit != nil {
		limit = *in.Limit
	}
	if limit < 1 || limit > maxLimit {
		return nil, badArgs("limit must be between 1 and %d (got %d); page with next_cursor for more", maxLimit, limit)
	}
	md, err := deps.Client.Metadata(ctx, entity.Name)
	if err != nil {
		return nil, fmt.Errorf("metadata of %s: %w", entity.Name, err)
	}
	resolver := filterResolver{entity: entity.Name, md: md, client: deps.Client}
	filter, err := resolver.resolve(ctx, in.Filter)
	if err != nil {
		return nil, err
	}
	if len(filter) == 0 {
		filter = []autotask.Filter{autotask.MatchAll()}
	}
	if in.GroupBy != "" {
		if !in.CountOnly {
			return nil, badArgs("group_by goes with count_only: true (it counts the records per value; to list them, filter on the value instead)")
		}
		out := queryEntityOutput{Entity: entity.Name}
		if err := groupCounts(ctx, deps, md, filter, in.GroupBy, &out); err != nil {
			return nil, err
		}
		n := spent()
		out.Requests = &n
		return structuredResult(out)
	}
	if in.CountOnly {
		n, err := deps.Client.Count(ctx, entity.Name, filter)
		if err != nil {
			return nil, fmt.Errorf("count %s: %w", entity.Name, err)
		}
		return structuredResult(queryEntityOutput{Entity: entity.Name, Total: &n})
	}
	fields, err := includeFields(entity.Name, md, in.Fields)
	if err != nil {
		return nil, err
	}
	q := autotask.Query{Filter: filter, IncludeFields: fields, MaxRecords: limit}
	page, err := deps.Client.Query(ctx, entity.Name, q)
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", entity.Name, err)
	}
	out, err := finishPage(ctx, deps, newProgress(deps, req), entity.Name, md, q, page)
	if err != nil {
		return nil, err
	}
	if len(in.Fields) == 0 {
		out.MoreFields = moreFieldsNote(md, fields)
	}
	return structuredResult(out)
}

// moreFieldsNote tells the assistant that a default page is not the whole record.
func moreFieldsNote(md *autotask.Metadata, shown []string) string {
	return fmt.Sprintf("%d more fields: name them in fields, or [\"*\"] for all; long text is shortened.", max(0, len(md.Fields)-len(shown)))
}

func continueQuery(ctx context.Context, deps Deps, req mcp.CallToolRequest, entity autotask.Entity, in queryEntityInput) (*mcp.CallToolResult, error) {
	if len(in.Filter) > 0 || len(in.Fields) > 0 || in.CountOnly || in.GroupBy != "" || in.Limit != nil {
		return nil, badArgs("a cursor continues its own query: pass only entity and cursor (filter, fields, limit and count_only come from the first call)")
	}
	c, err := decodeCursor(in.Cursor)
	if err != nil {
		return nil, err
	}
	if !strings.EqualFold(c.Entity, entity.Name) {
		return nil, badArgs("this cursor continues a query of %s, not %s", c.Entity, entity.Name)
	}
	md, err := deps.Client.Metadata(ctx, entity.Name)
	if err != nil {
		return nil, fmt.Errorf("metadata of %s: %w", entity.Name, err)
	}
	base, err := deps.Client.BaseURL(ctx)
	if err != nil {
		return nil, err
	}
	q := autotask.Query{Filter: c.Filter, IncludeFields: c.Fields, MaxRecords: c.Max}
	page, err := deps.Client.QueryNext(ctx, entity.Name, q, absoluteNext(base, c.Next))
	var api *autotask.APIError
	if errors.Is(err, autotask.ErrValidation) && !errors.As(err, &api) {
		// Refused before anything was sent (another host, or not a page of this query): the cursor
		// is not ours, whatever it decodes to, and Autotask never saw it.
		return nil, errBadCursor
	}
	if err != nil {
		return nil, fmt.Errorf("next page of %s: %w", entity.Name, err)
	}
	out, err := finishPage(ctx, deps, newProgress(deps, req), entity.Name, md, q, page)
	if err != nil {
		return nil, err
	}
	return structuredResult(out)
}

// finishPage fills the page up to the query's limit when the API returned less than asked while
// saying there is more (it may cap pages below maxRecords), then compacts the records. Whole pages
// only: a cursor cannot point into the middle of a page, so a page is never cut and nothing is lost.
func finishPage(ctx context.Context, deps Deps, prog *progress, entity string, md *autotask.Metadata, q autotask.Query, page *autotask.Page) (queryEntityOutput, error) {
	records := page.Items
	prog.report(ctx, float64(len(records)), float64(q.MaxRecords), entity)
	for len(records) < q.MaxRecords && page.Details.NextPageURL != "" && len(page.Items) > 0 {
		next, err := deps.Client.QueryNext(ctx, entity, q, page.Details.NextPageURL)
		if err != nil {
			return queryEntityOutput{}, fmt.Errorf("next page of %s: %w", entity, err)
		}
		page = next
		records = append(records, page.Items...)
		prog.report(ctx, float64(len(records)), float64(q.MaxRecords), entity)
	}
	out := queryEntityOutput{Entity: entity, Items: make([]map[string]any, 0, len(records))}
	var names referenceNamer
	short := isDefaultSet(md, q.IncludeFields)
	for _, rec := range records {
		item, hasText := compactRecord(rec, md)
		if short {
			shortenText(item, md)
		}
		names.add("items", item, md)
		out.Items = append(out.Items, item)
		out.Untrusted.add("items", hasText)
	}
	for _, section := range names.name(ctx, deps) {
		out.Untrusted.add(section, true)
	}
	out.Common = commonValues(out.Items, q.Filter)
	for name := range out.Common {
		f, _ := md.Field(name)
		_, isRef := referenceTarget(f)
		out.Untrusted.add("common", isRef || isFreeText(f))
	}
	n := len(out.Items)
	out.Returned = &n
	if page.Details.NextPageURL != "" {
		base, err := deps.Client.BaseURL(ctx)
		if err != nil {
			return queryEntityOutput{}, err
		}
		cur, err := encodeCursor(cursorState{Entity: entity, Filter: q.Filter, Fields: q.IncludeFields, Max: q.MaxRecords, Next: relativeNext(base, page.Details.NextPageURL)})
		if err != nil {
			return queryEntityOutput{}, err
		}
		out.NextCursor = cur
	}
	return out, nil
}

// includeFields checks requested field names and adds id, which every record must carry. None is
// the entity's default set; ["*"] is every field (nil: the API's default).
func includeFields(entity string, md *autotask.Metadata, names []string) ([]string, error) {
	if len(names) == 0 {
		return defaultFields(md), nil
	}
	if slices.Contains(names, allFields) {
		if len(names) > 1 {
			return nil, badArgs("fields: %q alone asks for every field; give it alone, or list the fields you need", allFields)
		}
		return nil, nil
	}
	out := []string{"id"}
	seen := map[string]bool{"id": true}
	for i, name := range names {
		f, ok := md.Field(strings.TrimSpace(name))
		if !ok {
			if _, isUDF := md.UDF(name); isUDF {
				return nil, badArgs("fields[%d]: %q is a user-defined field; user-defined fields come with fields [\"*\"]", i, clip(name))
			}
			return nil, unknownFieldError(fmt.Sprintf("fields[%d]", i), entity, name, md)
		}
		if !seen[f.Name] {
			seen[f.Name] = true
			out = append(out, f.Name)
		}
	}
	return out, nil
}

// commonValues moves out of the items the fields a top-level eq condition pins: "status eq New"
// would otherwise repeat "New (1)" in every row. Only a value every item holds identically moves
// (text compares case-insensitively in the API, so two rows may still spell it differently), and
// only on a page of two or more.
func commonValues(items []map[string]any, filter []autotask.Filter) map[string]any {
	if len(items) < 2 {
		return nil
	}
	var common map[string]any
	for _, f := range filter {
		if f.Op != autotask.OpEq || f.UDF || f.Field == "" || f.Field == "id" {
			continue
		}
		first, ok := items[0][f.Field]
		same := ok
		for _, it := range items[1:] {
			if v, ok := it[f.Field]; !ok || !reflect.DeepEqual(v, first) {
				same = false
				break
			}
		}
		if !same {
			continue
		}
		if common == nil {
			common = map[string]any{}
		}
		common[f.Field] = first
		for _, it := range items {
			delete(it, f.Field)
		}
	}
	return common
}
