// Package resources exposes Autotask data as MCP resources: the entity catalog, an entity's fields
// and single tickets. Each resource is the structured result of the matching read tool, so a
// resource and a tool call never disagree; reading a ticket resource counts as a read for the
// guard, exactly like get_ticket.
package resources

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/autotask-mcp/autotask-mcp/tools"
)

// The resource and the resource templates, as resources/list and resources/templates/list
// give them (completions are asked for by template).
const (
	CatalogURI           = "autotask://entities"
	FieldsTemplate       = "autotask://entities/{entity}/fields"
	TicketTemplate       = "autotask://tickets/{id}"
	TicketNumberTemplate = "autotask://tickets/by-number/{number}"
)

const jsonMIME = "application/json"

// Register adds the resources and resource templates to s.
func Register(s *server.MCPServer, deps tools.Deps) {
	handlers := make(map[string]server.ToolHandlerFunc)
	for _, t := range tools.All(deps) {
		if !t.Write {
			handlers[t.Def.Name] = t.Handler
		}
	}
	r := reader{tools: handlers}

	s.AddResource(mcp.NewResource(CatalogURI, "Autotask entities",
		mcp.WithResourceDescription("Every Autotask entity and what it allows (q=query g=get c=create u=update d=delete)."),
		mcp.WithMIMEType(jsonMIME),
	), r.catalog)
	s.AddResourceTemplate(mcp.NewResourceTemplate(FieldsTemplate, "Fields of an Autotask entity",
		mcp.WithTemplateDescription("An entity's fields and user-defined fields: type, required, read-only, reference, picklist values (long lists cut to 25)."),
		mcp.WithTemplateMIMEType(jsonMIME),
	), r.fields)
	s.AddResourceTemplate(mcp.NewResourceTemplate(TicketTemplate, "Autotask ticket by id",
		mcp.WithTemplateDescription("One ticket, compact, with picklist labels and the version read (counts as a read before a write)."),
		mcp.WithTemplateMIMEType(jsonMIME),
	), r.ticketByID)
	s.AddResourceTemplate(mcp.NewResourceTemplate(TicketNumberTemplate, "Autotask ticket by number",
		mcp.WithTemplateDescription("One ticket by its number, e.g. T20261122.0042 (counts as a read before a write)."),
		mcp.WithTemplateMIMEType(jsonMIME),
	), r.ticketByNumber)
}

type reader struct {
	tools map[string]server.ToolHandlerFunc
}

func (r reader) catalog(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
	return r.fromTool(ctx, req.Params.URI, "describe_fields", map[string]any{})
}

func (r reader) fields(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
	entity, err := segment(req.Params.URI, "autotask://entities/", "/fields")
	if err != nil {
		return nil, err
	}
	return r.fromTool(ctx, req.Params.URI, "describe_fields", map[string]any{"entity": entity, "include_picklists": true})
}

func (r reader) ticketByID(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
	raw, err := segment(req.Params.URI, "autotask://tickets/", "")
	if err != nil {
		return nil, err
	}
	if number, ok := strings.CutPrefix(raw, "by-number/"); ok {
		// Both templates can match a URI; route by the URI itself, not by which template won.
		return r.fromTool(ctx, req.Params.URI, "get_ticket", map[string]any{"ticket_number": number})
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 1 {
		return nil, fmt.Errorf("%s: %q is not a ticket id; use autotask://tickets/{id} with a numeric id or autotask://tickets/by-number/{number}", req.Params.URI, raw)
	}
	return r.fromTool(ctx, req.Params.URI, "get_ticket", map[string]any{"ticket_id": id})
}

func (r reader) ticketByNumber(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
	number, err := segment(req.Params.URI, "autotask://tickets/by-number/", "")
	if err != nil {
		return nil, err
	}
	return r.fromTool(ctx, req.Params.URI, "get_ticket", map[string]any{"ticket_number": number})
}

// segment extracts the variable part of uri between prefix and suffix, percent-decoded, refusing
// anything with further path segments.
func segment(uri, prefix, suffix string) (string, error) {
	rest, ok := strings.CutPrefix(uri, prefix)
	if ok {
		rest, ok = strings.CutSuffix(rest, suffix)
	}
	if !ok || rest == "" {
		return "", fmt.Errorf("%s: not a resource of this server", uri)
	}
	v, err := url.PathUnescape(rest)
	if err != nil {
		return "", fmt.Errorf("%s: %w", uri, err)
	}
	if strings.Count(v, "/") > 0 && !strings.HasPrefix(v, "by-number/") {
		return "", fmt.Errorf("%s: not a resource of this server", uri)
	}
	return v, nil
}

// fromTool runs a read tool and returns its structured result as the resource's JSON. A tool error
// becomes the resource error, with the same wording the assistant would get from the tool.
func (r reader) fromTool(ctx context.Context, uri, tool string, args map[string]any) ([]mcp.ResourceContents, error) {
	h, ok := r.tools[tool]
	if !ok {
		return nil, fmt.Errorf("%s: tool %s is not available", uri, tool)
	}
	req := mcp.CallToolRequest{}
	req.Params.Name = tool
	req.Params.Arguments = args
	res, err := h(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uri, err)
	}
	if res.IsError {
		return nil, fmt.Errorf("%s: %s", uri, resultText(res))
	}
	raw, err := json.Marshal(res.StructuredContent)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uri, err)
	}
	return []mcp.ResourceContents{mcp.TextResourceContents{URI: uri, MIMEType: jsonMIME, Text: string(raw)}}, nil
}

func resultText(res *mcp.CallToolResult) string {
	var parts []string
	for _, c := range res.Content {
		if t, ok := c.(mcp.TextContent); ok {
			parts = append(parts, t.Text)
		}
	}
	if len(parts) == 0 {
		return "the read failed"
	}
	return strings.Join(parts, " ")
}
