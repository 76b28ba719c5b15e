package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/internal/server"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

// The end-to-end suite runs the real binary against its built-in sandbox tenant and
// drives it with mcp-go's client over every transport: initialize, list and check
// every tool, call every tool on success and on each error path, read every resource.
// --validate-output makes the server check each structured result against the tool's
// output schema, so a result that breaks its schema fails the success cases.

// readTools are the tools every configuration offers. The write tools are called when
// the server lists them (successCases has their cases).
var readTools = testenv.ReadToolNames()

type mcpTransport struct {
	name    string
	connect func(t *testing.T) *client.Client
}

func e2eTransports() []mcpTransport {
	return []mcpTransport{
		{name: "stdio", connect: func(t *testing.T) *client.Client {
			c, _ := stdioClient(t, testEnv(t), "--validate-output")
			return c
		}},
		{name: "streamable-http", connect: func(t *testing.T) *client.Client {
			srv := startHTTPServer(t, testEnv(t), "http", "--validate-output")
			c, err := client.NewStreamableHttpClient(srv.URL)
			require.NoError(t, err)
			startClient(t, c)
			return c
		}},
		{name: "sse", connect: func(t *testing.T) *client.Client {
			srv := startHTTPServer(t, testEnv(t), "sse", "--validate-output")
			c, err := client.NewSSEMCPClient(srv.Base + server.SSEPath)
			require.NoError(t, err)
			startClient(t, c)
			return c
		}},
	}
}

func startClient(t *testing.T, c *client.Client) {
	t.Helper()
	// The SSE client keeps its stream on Start's context: it must outlive the test's calls.
	require.NoError(t, c.Start(context.Background()))
	t.Cleanup(func() { _ = c.Close() })
}

func callCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestE2E(t *testing.T) {
	for _, tr := range e2eTransports() {
		t.Run(tr.name, func(t *testing.T) {
			t.Parallel()
			c := tr.connect(t)
			initialize(t, c)
			tools := listTools(t, c)
			fx := discoverFixtures(t, c)

			t.Run("success", func(t *testing.T) { callSuccessCases(t, c, tools, fx) })
			t.Run("errors", func(t *testing.T) { callErrorCases(t, c, tools) })
			t.Run("resources", func(t *testing.T) { readResources(t, c, fx) })
		})
	}
}

// initialize lets the client negotiate as it likes: it offers the stateless protocol
// first, is refused, and must settle on the newest revision with sessions.
func initialize(t *testing.T, c *client.Client) {
	t.Helper()
	res, err := c.Initialize(callCtx(t), mcp.InitializeRequest{Params: mcp.InitializeParams{
		ClientInfo: mcp.Implementation{Name: "e2e", Version: "1"},
	}})
	require.NoError(t, err)
	assert.Equal(t, mcp.LATEST_LEGACY_PROTOCOL_VERSION, res.ProtocolVersion)
	assert.Equal(t, server.Name, res.ServerInfo.Name)
	assert.NotEmpty(t, res.ServerInfo.Version)
	assert.NotEmpty(t, strings.TrimSpace(res.Instructions), "server instructions")
	assert.NotNil(t, res.Capabilities.Tools, "tools capability")
	assert.NotNil(t, res.Capabilities.Resources, "resources capability")
}

func listTools(t *testing.T, c *client.Client) map[string]mcp.Tool {
	t.Helper()
	list, err := c.ListTools(callCtx(t), mcp.ListToolsRequest{})
	require.NoError(t, err)
	tools := map[string]mcp.Tool{}
	for _, tool := range list.Tools {
		tools[tool.Name] = tool
		t.Run("schema/"+tool.Name, func(t *testing.T) {
			assert.NotEmpty(t, tool.Description)
			assert.Equal(t, "object", tool.InputSchema.Type, "input schema")
			assert.Equal(t, "object", tool.OutputSchema.Type, "output schema")
			assert.NotEmpty(t, tool.OutputSchema.Properties, "output schema properties")
			for _, name := range tool.InputSchema.Required {
				assert.Contains(t, tool.InputSchema.Properties, name, "required input %s", name)
			}
			// readOnlyHint is given for the read tools; absent, it means false (a write).
			readOnly := tool.Annotations.ReadOnlyHint != nil && *tool.Annotations.ReadOnlyHint
			assert.Equal(t, slices.Contains(readTools, tool.Name), readOnly, "readOnlyHint")
		})
	}
	for _, name := range readTools {
		assert.Contains(t, tools, name)
	}
	return tools
}

// fixtures are records of the sandbox tenant the cases refer to, found through the tools.
type fixtures struct {
	TicketID     int64
	TicketNumber string
	CompanyID    int64
	// OpenTicketID is a ticket not yet Complete and without time entries: resolving
	// it changes its status, which needs the person's confirmation.
	OpenTicketID int64
}

func discoverFixtures(t *testing.T, c *client.Client) fixtures {
	t.Helper()
	res := callTool(t, c, "query_entity", map[string]any{"entity": "Tickets", "limit": 1})
	require.False(t, res.IsError, "query_entity Tickets: %s", resultText(res))
	out := structured(t, res)
	items, _ := out["items"].([]any)
	require.NotEmpty(t, items, "the sandbox has tickets")
	ticket, _ := items[0].(map[string]any)
	fx := fixtures{TicketID: intValue(ticket["id"]), TicketNumber: fmt.Sprint(ticket["ticketNumber"]), CompanyID: intValue(ticket["companyID"])}
	require.Positive(t, fx.TicketID, "ticket id in %v", ticket)
	require.NotEmpty(t, fx.TicketNumber)
	require.Positive(t, fx.CompanyID, "company id in %v", ticket)

	res = callTool(t, c, "query_entity", map[string]any{"entity": "Tickets", "limit": 50, "fields": []string{"id"},
		"filter": []any{map[string]any{"field": "status", "op": "noteq", "value": "Complete"}}})
	require.False(t, res.IsError, "open tickets: %s", resultText(res))
	open, _ := structured(t, res)["items"].([]any)
	for _, item := range open {
		id := intValue(item)
		res := callTool(t, c, "get_ticket", map[string]any{"ticket_id": id, "include": []string{"time_entries"}})
		require.False(t, res.IsError, resultText(res))
		entries, _ := structured(t, res)["time_entries"].(map[string]any)
		if id != fx.TicketID && intValue(entries["total"]) == 0 {
			fx.OpenTicketID = id
			break
		}
	}
	require.Positive(t, fx.OpenTicketID, "an open ticket without time entries among %d", len(open))
	return fx
}

// successCase is one call that must succeed; check looks at its structured result.
type successCase struct {
	name  string
	tool  string
	args  map[string]any
	check func(t *testing.T, out map[string]any)
	// confirm: a write whose first call may ask for confirmation; the case then
	// repeats it with the token, as an assistant does once the person agreed.
	confirm          bool
	wantConfirmation bool // the first call must ask for confirmation
}

func successCases(fx fixtures) []successCase {
	hasTicket := func(t *testing.T, out map[string]any) {
		ticket, _ := out["ticket"].(map[string]any)
		require.NotNil(t, ticket, "ticket in result")
		assert.EqualValues(t, fx.TicketID, intValue(ticket["id"]))
		assert.NotEmpty(t, out["version"])
	}
	return []successCase{
		{name: "by id", tool: "get_ticket", args: map[string]any{"ticket_id": fx.TicketID}, check: hasTicket},
		{name: "by number", tool: "get_ticket", args: map[string]any{"ticket_number": fx.TicketNumber}, check: hasTicket},
		{name: "with includes", tool: "get_ticket", args: map[string]any{"ticket_id": fx.TicketID, "include": []string{"notes", "time_entries", "company", "contact"}}, check: hasTicket},
		{name: "page", tool: "query_entity", args: map[string]any{"entity": "tickets", "limit": 5}, check: func(t *testing.T, out map[string]any) {
			assert.Equal(t, "Tickets", out["entity"])
			items, _ := out["items"].([]any)
			assert.Len(t, items, 5)
			assert.NotEmpty(t, out["next_cursor"])
		}},
		{name: "picklist label filter", tool: "query_entity", args: map[string]any{"entity": "Tickets", "limit": 3,
			"filter": []any{map[string]any{"field": "companyID", "op": "eq", "value": fx.CompanyID}}}, check: func(t *testing.T, out map[string]any) {
			items, _ := out["items"].([]any)
			assert.NotEmpty(t, items)
		}},
		{name: "count only", tool: "query_entity", args: map[string]any{"entity": "Companies", "count_only": true}, check: func(t *testing.T, out map[string]any) {
			assert.Positive(t, intValue(out["total"]))
		}},
		{name: "company", tool: "get_entity", args: map[string]any{"entity": "Companies", "id": fx.CompanyID}, check: nil},
		{name: "ticket", tool: "get_entity", args: map[string]any{"entity": "Tickets", "id": fx.TicketID}, check: nil},
		{name: "catalog", tool: "describe_fields", args: map[string]any{}, check: nil},
		{name: "ticket fields", tool: "describe_fields", args: map[string]any{"entity": "Tickets"}, check: nil},
		{name: "status picklist", tool: "describe_fields", args: map[string]any{"entity": "Tickets", "field": "status", "include_picklists": true}, check: nil},

		// Writes, each after a fresh read in this session, as the guard requires.
		{name: "read before note", tool: "get_ticket", args: map[string]any{"ticket_id": fx.TicketID}, check: hasTicket},
		{name: "note", tool: "add_ticket_note", args: map[string]any{"ticket_id": fx.TicketID, "title": "e2e", "description": "Added by the end-to-end test."}, check: applied},
		{name: "read before logging time", tool: "get_ticket", args: map[string]any{"ticket_id": fx.TicketID}, check: hasTicket},
		{name: "on a ticket by number", tool: "log_time", args: map[string]any{"ticket_number": fx.TicketNumber, "hours": 0.5, "summary": "Logged by the end-to-end test."},
			check: func(t *testing.T, out map[string]any) {
				applied(t, out)
				assert.Positive(t, intValue(out["time_entry_id"]))
			}},
		{name: "read before update", tool: "get_ticket", args: map[string]any{"ticket_id": fx.TicketID}, check: hasTicket},
		{name: "title", tool: "update_ticket", args: map[string]any{"ticket_id": fx.TicketID, "changes": map[string]any{"title": "Updated by the end-to-end test"}}, check: applied, confirm: true},
		{name: "read before resolve", tool: "get_ticket", args: map[string]any{"ticket_id": fx.TicketID}, check: hasTicket},
		{name: "confirmed with token", tool: "resolve_ticket", args: map[string]any{"ticket_id": fx.TicketID, "resolution": "Resolved by the end-to-end test."}, check: applied, confirm: true},
		{name: "read before completing", tool: "get_ticket", args: map[string]any{"ticket_id": fx.OpenTicketID}},
		{name: "completes after confirmation", tool: "resolve_ticket", args: map[string]any{"ticket_id": fx.OpenTicketID, "resolution": "Resolved by the end-to-end test."},
			check: applied, confirm: true, wantConfirmation: true},
		{name: "by company id", tool: "create_ticket", args: map[string]any{"company": fx.CompanyID, "title": "Created by the end-to-end test", "description": "e2e"}, check: applied, confirm: true},
		{name: "read the company", tool: "get_entity", args: map[string]any{"entity": "Companies", "id": fx.CompanyID}},
		{name: "a contact under the company", tool: "create_entity", args: map[string]any{"entity": "Contacts", "parent": "Companies", "parent_id": fx.CompanyID,
			"fields": map[string]any{"firstName": "End", "lastName": "To-End", "isActive": 1}},
			check: func(t *testing.T, out map[string]any) {
				applied(t, out)
				assert.Positive(t, intValue(out["record_id"]))
			}, confirm: true, wantConfirmation: true},
		{name: "read the company again", tool: "get_entity", args: map[string]any{"entity": "Companies", "id": fx.CompanyID}},
		{name: "the company's web address", tool: "update_entity", args: map[string]any{"entity": "Companies", "id": fx.CompanyID,
			"changes": map[string]any{"webAddress": "https://e2e.example.com"}}, check: applied, confirm: true, wantConfirmation: true},
	}
}

// applied: a write went through (or had nothing to change).
func applied(t *testing.T, out map[string]any) {
	assert.Contains(t, []any{"applied", "unchanged"}, out["outcome"], "outcome of %v", out)
}

func callSuccessCases(t *testing.T, c *client.Client, tools map[string]mcp.Tool, fx fixtures) {
	covered := map[string]bool{}
	for _, tc := range successCases(fx) {
		if _, offered := tools[tc.tool]; !offered {
			continue
		}
		covered[tc.tool] = true
		t.Run(tc.tool+"/"+tc.name, func(t *testing.T) {
			res := callTool(t, c, tc.tool, tc.args)
			require.False(t, res.IsError, "isError: %s", resultText(res))
			assert.NotEmpty(t, resultText(res), "text twin")
			out := structured(t, res)
			if tc.wantConfirmation {
				require.Equal(t, "confirmation_required", out["outcome"], "a status change is confirmed first")
			}
			if tc.confirm && out["outcome"] == "confirmation_required" {
				confirmation, _ := out["confirmation"].(map[string]any)
				token, _ := confirmation["token"].(string)
				require.NotEmpty(t, token, "confirmation_required carries a token")
				args := maps.Clone(tc.args)
				args["confirm"] = token
				res = callTool(t, c, tc.tool, args)
				require.False(t, res.IsError, "confirmed call: %s", resultText(res))
				out = structured(t, res)
			}
			if tc.check != nil {
				tc.check(t, out)
			}
		})
	}
	for name := range tools {
		assert.True(t, covered[name], "tool %s has no success case: add one to successCases in cmd/autotask-mcp/e2e_test.go", name)
	}
}

// errorCase is a bad call: it must come back as a tool result with isError, never a
// protocol error, with a short message (never the bad input echoed back whole).
type errorCase struct {
	name string
	tool string
	args map[string]any
}

// oversized is a string argument past twice the tools' 64 KiB argument limit: every string
// argument of every tool is tried with it. One call per transport (specificErrorCases) sends
// twoMB, to show a message that large crosses each transport and is refused the same way;
// sending 2 MB for every argument cost minutes under -race and proved nothing more.
var (
	oversized = strings.Repeat("x", 128<<10)
	twoMB     = strings.Repeat("x", 2<<20)
)

// errorCasesFor builds the argument-error cases from a tool's input schema, so a new
// tool is covered the moment it is listed: required arguments missing, every argument
// of the wrong type, every string past the argument limit, every integer negative, and an unknown
// entity wherever an entity is named.
func errorCasesFor(tool mcp.Tool) []errorCase {
	var cases []errorCase
	if len(tool.InputSchema.Required) > 0 {
		cases = append(cases, errorCase{name: "missing required", tool: tool.Name, args: map[string]any{}})
	}
	props := tool.InputSchema.Properties
	names := make([]string, 0, len(props))
	for name := range props {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		schema, _ := props[name].(map[string]any)
		typ, _ := schema["type"].(string)
		var wrong any
		switch typ {
		case "string":
			wrong = 12345
			cases = append(cases, errorCase{name: name + " 128KiB", tool: tool.Name, args: withValid(tool, name, oversized)})
			if name == "entity" {
				cases = append(cases, errorCase{name: "entity unknown", tool: tool.Name, args: withValid(tool, name, "NoSuchEntity")})
			}
		case "integer", "number":
			wrong = "not a number"
			cases = append(cases, errorCase{name: name + " negative", tool: tool.Name, args: withValid(tool, name, -5)})
		case "boolean":
			wrong = "yes please"
		case "array":
			wrong = "not an array"
		case "object":
			wrong = 7
		default:
			continue
		}
		cases = append(cases, errorCase{name: name + " wrong type", tool: tool.Name, args: withValid(tool, name, wrong)})
	}
	return cases
}

// withValid returns arguments where name is bad and every other required argument is
// plausible, so the call fails because of name alone.
func withValid(tool mcp.Tool, name string, bad any) map[string]any {
	args := map[string]any{}
	for _, req := range tool.InputSchema.Required {
		if req == "entity" {
			args[req] = "Tickets"
		}
	}
	args[name] = bad
	return args
}

// specificErrorCases are the error paths a schema cannot derive.
func specificErrorCases() []errorCase {
	return []errorCase{
		{name: "neither id nor number", tool: "get_ticket", args: map[string]any{}},
		{name: "both id and number", tool: "get_ticket", args: map[string]any{"ticket_id": 1, "ticket_number": "T20240101.0001"}},
		{name: "unknown ticket id", tool: "get_ticket", args: map[string]any{"ticket_id": 999999999}},
		{name: "malformed ticket number", tool: "get_ticket", args: map[string]any{"ticket_number": "not-a-ticket"}},
		{name: "ticket number 2MB", tool: "get_ticket", args: map[string]any{"ticket_number": twoMB}},
		{name: "unknown include", tool: "get_ticket", args: map[string]any{"ticket_id": 1, "include": []string{"everything"}}},
		{name: "unknown entity", tool: "get_entity", args: map[string]any{"entity": "NoSuchEntity", "id": 1}},
		{name: "unknown id", tool: "get_entity", args: map[string]any{"entity": "Companies", "id": 999999999}},
		{name: "unknown field", tool: "query_entity", args: map[string]any{"entity": "Tickets", "filter": []any{map[string]any{"field": "accountID", "op": "eq", "value": 1}}}},
		{name: "unknown op", tool: "query_entity", args: map[string]any{"entity": "Tickets", "filter": []any{map[string]any{"field": "id", "op": "like", "value": 1}}}},
		{name: "limit over 500", tool: "query_entity", args: map[string]any{"entity": "Tickets", "limit": 501}},
		{name: "bad cursor", tool: "query_entity", args: map[string]any{"entity": "Tickets", "cursor": "garbage"}},
		{name: "unknown entity", tool: "describe_fields", args: map[string]any{"entity": "NoSuchEntity"}},
		{name: "unknown field", tool: "describe_fields", args: map[string]any{"entity": "Tickets", "field": "noSuchField"}},
	}
}

func callErrorCases(t *testing.T, c *client.Client, tools map[string]mcp.Tool) {
	cases := specificErrorCases()
	names := make([]string, 0, len(tools))
	for name := range tools {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		cases = append(cases, errorCasesFor(tools[name])...)
	}
	for _, tc := range cases {
		if _, offered := tools[tc.tool]; !offered {
			continue
		}
		t.Run(tc.tool+"/"+tc.name, func(t *testing.T) {
			res := callTool(t, c, tc.tool, tc.args)
			text := resultText(res)
			assert.True(t, res.IsError, "want isError, got: %.300s", text)
			assert.NotEmpty(t, strings.TrimSpace(text), "error says what to change")
			assert.Less(t, len(text), 4096, "error text is short")
		})
	}
}

// readResources reads every listed resource and every template with its variables
// filled from the fixtures.
func readResources(t *testing.T, c *client.Client, fx fixtures) {
	ctx := callCtx(t)
	list, err := c.ListResources(ctx, mcp.ListResourcesRequest{})
	require.NoError(t, err)
	var uris []string
	for _, r := range list.Resources {
		uris = append(uris, r.URI)
	}
	assert.Contains(t, uris, "autotask://entities")

	templates, err := c.ListResourceTemplates(ctx, mcp.ListResourceTemplatesRequest{})
	require.NoError(t, err)
	values := map[string]string{
		"entity": "Tickets",
		"id":     fmt.Sprint(fx.TicketID),
		"number": fx.TicketNumber,
	}
	var patterns []string
	for _, tmpl := range templates.ResourceTemplates {
		pattern := tmpl.URITemplate.Raw()
		patterns = append(patterns, pattern)
		uri := templateVar.ReplaceAllStringFunc(pattern, func(v string) string {
			name := strings.Trim(v, "{}")
			value, ok := values[name]
			assert.True(t, ok, "no fixture for template variable %s in %s", name, pattern)
			return value
		})
		uris = append(uris, uri)
	}
	for _, want := range []string{"autotask://entities/{entity}/fields", "autotask://tickets/{id}", "autotask://tickets/by-number/{number}"} {
		assert.Contains(t, patterns, want)
	}

	for _, uri := range uris {
		t.Run(uri, func(t *testing.T) {
			res, err := c.ReadResource(callCtx(t), mcp.ReadResourceRequest{Params: mcp.ReadResourceParams{URI: uri}})
			require.NoError(t, err)
			require.NotEmpty(t, res.Contents)
			text, ok := res.Contents[0].(mcp.TextResourceContents)
			require.True(t, ok, "text contents, got %T", res.Contents[0])
			assert.NotEmpty(t, text.Text)
			assert.True(t, json.Valid([]byte(text.Text)) || text.MIMEType != "application/json", "application/json resource is JSON")
		})
	}
}

var templateVar = regexp.MustCompile(`\{[^}]+\}`)

func callTool(t *testing.T, c *client.Client, name string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	res, err := c.CallTool(callCtx(t), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: name, Arguments: args}})
	require.NoError(t, err, "a tool call never ends in a protocol error")
	require.NotNil(t, res)
	return res
}

func resultText(res *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if text, ok := c.(mcp.TextContent); ok {
			b.WriteString(text.Text)
		}
	}
	return b.String()
}

func structured(t *testing.T, res *mcp.CallToolResult) map[string]any {
	t.Helper()
	raw := res.RawStructuredContent
	if raw == nil {
		var err error
		raw, err = json.Marshal(res.StructuredContent)
		require.NoError(t, err)
	}
	var out map[string]any
	require.NoError(t, json.Unmarshal(raw, &out), "structuredContent is a JSON object")
	require.NotNil(t, out, "structuredContent present")
	return out
}

// intValue reads an id that may be a number, a numeric string or an {"id": ...} object.
func intValue(v any) int64 {
	switch x := v.(type) {
	case float64:
		return int64(x)
	case json.Number:
		n, _ := x.Int64()
		return n
	case string:
		// A reference reads "Name (id)", as a picklist reads "Label (id)".
		if i := strings.LastIndex(x, "("); i >= 0 && strings.HasSuffix(x, ")") {
			x = x[i+1 : len(x)-1]
		}
		var n int64
		_, _ = fmt.Sscan(x, &n)
		return n
	case map[string]any:
		return intValue(x["id"])
	}
	return 0
}
