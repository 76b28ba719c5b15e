package tools

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/schema"
)

type getEntityInput struct {
	Entity   string `json:"entity" jsonschema:"required" jsonschema_description:"Entity, e.g. Companies, Contacts, TicketNotes."`
	ID       *int64 `json:"id" jsonschema:"required,minimum=0" jsonschema_description:"Record id (0: the tenant's own company)."`
	Parent   string `json:"parent,omitempty" jsonschema_description:"A child entity's parent entity, e.g. Tickets."`
	ParentID *int64 `json:"parent_id,omitempty" jsonschema:"minimum=0" jsonschema_description:"The parent's id."`
}

type getEntityOutput struct {
	Entity    string            `json:"entity" jsonschema:"required" jsonschema_description:"Canonical name."`
	ID        int64             `json:"id" jsonschema:"required" jsonschema_description:"Record id."`
	Version   string            `json:"version" jsonschema:"required" jsonschema_description:"The version read; a write is refused once it changed since."`
	Record    map[string]any    `json:"record" jsonschema:"required" jsonschema_description:"The record, compact; UDFs under udfs."`
	Untrusted untrustedSections `json:"untrusted,omitempty"`
}

func (o getEntityOutput) marker() untrustedSections { return o.Untrusted }
func (o getEntityOutput) withoutMarker() any        { o.Untrusted = nil; return o }

const getEntityDescription = `Read one record of any entity by id: compact, with labels, names and its version. A child entity (describe_fields shows its parents) may need parent and parent_id. Tickets: get_ticket.`

func getEntityTool(deps Deps) Tool {
	return newTool(deps, definition{
		name:        "get_entity",
		title:       "Get a record",
		description: getEntityDescription,
		input:       schema.Input[getEntityInput](),
		output:      schema.Output[getEntityOutput](),
		idempotent:  true,
	}, func(ctx context.Context, _ mcp.CallToolRequest, in getEntityInput) (*mcp.CallToolResult, error) {
		return getEntity(ctx, deps, in)
	})
}

func getEntity(ctx context.Context, deps Deps, in getEntityInput) (*mcp.CallToolResult, error) {
	entity, err := lookupEntity(in.Entity)
	if err != nil {
		return nil, err
	}
	if in.ID == nil {
		return nil, badArgs("id is required: the record's numeric id (find it with query_entity)")
	}
	if *in.ID < 0 {
		return nil, badArgs("id must not be negative (got %d)", *in.ID)
	}
	rec, err := fetchEntity(ctx, deps, entity, *in.ID, in.Parent, in.ParentID)
	if err != nil {
		if errors.Is(err, autotask.ErrNotFound) {
			return nil, badArgs("no %s with id %d; find records with query_entity", entity.Name, *in.ID)
		}
		return nil, err
	}
	var md *autotask.Metadata
	if entity.Capabilities.EntityInfo {
		if md, err = deps.Client.Metadata(ctx, entity.Name); err != nil {
			return nil, fmt.Errorf("metadata of %s: %w", entity.Name, err)
		}
	}
	version := recordRead(ctx, deps, entity.Name, *in.ID, rec)
	record, hasText := compactRecord(rec, md)
	out := getEntityOutput{Entity: entity.Name, ID: *in.ID, Version: version, Record: record}
	out.Untrusted.add("record", hasText)
	var names referenceNamer
	names.add("record", record, md)
	for _, section := range names.name(ctx, deps) {
		out.Untrusted.add(section, true)
	}
	return structuredResult(out)
}

// fetchEntity reads a record by the cheapest route the API offers for it: a GET by id, a query on
// id where there is no GET, or the parent's child route when the caller names a parent.
func fetchEntity(ctx context.Context, deps Deps, entity autotask.Entity, id int64, parent string, parentID *int64) (autotask.Record, error) {
	if parent != "" || parentID != nil {
		return fetchChild(ctx, deps, entity, id, parent, parentID)
	}
	switch {
	case entity.Capabilities.Get:
		rec, err := deps.Client.Get(ctx, entity.Name, id)
		if err != nil {
			return nil, fmt.Errorf("get %s %d: %w", entity.Name, id, err)
		}
		return rec, nil
	case entity.Capabilities.Query:
		page, err := deps.Client.Query(ctx, entity.Name, autotask.Query{Filter: []autotask.Filter{autotask.Eq("id", id)}, MaxRecords: 1})
		if err != nil {
			return nil, fmt.Errorf("query %s %d: %w", entity.Name, id, err)
		}
		if len(page.Items) == 0 {
			return nil, fmt.Errorf("%s %d: %w", entity.Name, id, autotask.ErrNotFound)
		}
		return page.Items[0], nil
	}
	return nil, badArgs("%s records cannot be read by id (Autotask allows: %s)%s", entity.Name, capabilityWords(entity.Capabilities), childRouteHint(entity.Name))
}

func fetchChild(ctx context.Context, deps Deps, entity autotask.Entity, id int64, parent string, parentID *int64) (autotask.Record, error) {
	if parent == "" || parentID == nil {
		return nil, badArgs("parent and parent_id go together: the parent entity (e.g. Tickets) and its record id")
	}
	if *parentID < 0 {
		return nil, badArgs("parent_id must not be negative (got %d)", *parentID)
	}
	p, err := lookupEntity(parent)
	if err != nil {
		return nil, err
	}
	var route autotask.ChildRoute
	var segments []string
	for _, r := range autotask.ChildRoutesOf(p.Name) {
		segments = append(segments, r.Entity)
		if r.Entity == entity.Name {
			route = r
		}
	}
	if route.Segment == "" {
		return nil, badArgs("%s records are not reached through %s%s", entity.Name, p.Name, childList(p.Name, segments))
	}
	if !route.Capabilities.Get {
		return nil, badArgs("Autotask cannot read a single %s through %s/{id}/%s", entity.Name, p.Name, route.Segment)
	}
	rec, err := deps.Client.GetChild(ctx, p.Name, *parentID, route.Segment, id)
	if err != nil {
		return nil, fmt.Errorf("get %s/%d/%s/%d: %w", p.Name, *parentID, route.Segment, id, err)
	}
	return rec, nil
}

func childList(parent string, entities []string) string {
	if len(entities) == 0 {
		return "; " + parent + " has no child routes"
	}
	return "; its children are " + strings.Join(entities, ", ")
}
