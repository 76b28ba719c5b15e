package tools_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
	"github.com/autotask-mcp/autotask-mcp/tools"
)

// readTools come from tools.All, like every list of tools in the tests: a new tool is covered, or
// a test fails naming the file to update.
var readTools = testenv.ReadToolNames()

func TestToolDefinitions(t *testing.T) {
	env := newEnv(t)
	list, err := env.MCP.ListTools(context.Background(), mcp.ListToolsRequest{})
	require.NoError(t, err)
	byName := map[string]mcp.Tool{}
	for _, tl := range list.Tools {
		byName[tl.Name] = tl
	}
	for _, name := range readTools {
		t.Run(name, func(t *testing.T) {
			tl, found := byName[name]
			require.True(t, found, "tool %s is registered", name)
			assert.NotEmpty(t, tl.Description)
			assert.NotEmpty(t, tl.Title)
			assert.True(t, hintOr(tl.Annotations.ReadOnlyHint, false))
			assert.True(t, hintOr(tl.Annotations.OpenWorldHint, true))
			assert.True(t, hintOr(tl.Annotations.IdempotentHint, false))

			in := schemaOf(t, tl.RawInputSchema, tl.InputSchema)
			out := schemaOf(t, tl.RawOutputSchema, tl.OutputSchema)
			assert.Equal(t, "object", in["type"])
			assert.Equal(t, false, in["additionalProperties"], "unknown arguments are refused")
			assert.Equal(t, "object", out["type"])
			for _, s := range []map[string]any{in, out} {
				raw, _ := json.Marshal(s)
				assert.NotContains(t, string(raw), "$ref")
				assert.NotContains(t, string(raw), "$defs")
			}
			for prop, p := range in["properties"].(map[string]any) {
				assert.NotEmpty(t, p.(map[string]any)["description"], "argument %s is described", prop)
				assert.Equal(t, strings.ToLower(prop), prop, "arguments are snake_case")
			}
		})
	}
}

// schemaOf decodes a tool's schema as the client received it.
func schemaOf(t *testing.T, raw json.RawMessage, structured any) map[string]any {
	t.Helper()
	if len(raw) == 0 {
		var err error
		raw, err = json.Marshal(structured)
		require.NoError(t, err)
	}
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m))
	return m
}

// mcp-go skips validation silently when a schema does not compile, which would make every
// "result matches its schema" assertion vacuous. This proves each schema compiles: a probe tool
// with the same output schema returns a non-object and must be refused; a call with an unknown
// argument must be refused by input validation.
func TestSchemasCompileInValidator(t *testing.T) {
	notAnObject := func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultStructured([]any{"not an object"}, "x"), nil
	}
	outputs := server.NewMCPServer("probe-out", "test", server.WithOutputSchemaValidation())
	inputs := server.NewMCPServer("probe-in", "test", server.WithInputSchemaValidation())
	for _, tl := range tools.All(tools.Deps{}) {
		outputs.AddTool(tl.Def, notAnObject)
		inputs.AddTool(tl.Def, notAnObject)
	}
	env := testenv.New(t, testenv.Options{Register: func(*server.MCPServer, tools.Deps) {}})
	outClient, inClient := env.NewSessionOn(t, outputs), env.NewSessionOn(t, inputs)
	for _, tl := range tools.All(tools.Deps{}) {
		t.Run(tl.Def.Name, func(t *testing.T) {
			res := testenv.CallOn(t, outClient, tl.Def.Name, map[string]any{}, nil)
			failed(t, res, "output schema validation failed")
			res = testenv.CallOn(t, inClient, tl.Def.Name, map[string]any{"no_such_argument": 1}, nil)
			failed(t, res, "input schema validation failed")
		})
	}
}

func TestAllListsEveryToolOnce(t *testing.T) {
	var names []string
	for _, tl := range tools.All(tools.Deps{}) {
		names = append(names, tl.Def.Name)
		assert.NotNil(t, tl.Handler)
	}
	sorted := slices.Clone(names)
	slices.Sort(sorted)
	assert.Equal(t, len(slices.Compact(sorted)), len(names), "tool names are unique")
	for _, name := range readTools {
		assert.Contains(t, names, name)
	}
}

func TestSessionIDWithoutSession(t *testing.T) {
	assert.Equal(t, "local", tools.SessionID(context.Background()))
}

func TestInstructionsMentionEveryTool(t *testing.T) {
	for _, name := range testenv.ToolNames() {
		assert.Contains(t, tools.Instructions, name, "the server's instructions (tools/instructions.go) say when to use %s", name)
	}
}

// With the server validating arguments against the schemas itself, bad calls are still tool
// errors the assistant can read, never protocol errors.
func TestBadCallsWithServerInputValidation(t *testing.T) {
	env := testenv.New(t, testenv.Options{ServerOptions: []server.ServerOption{server.WithInputSchemaValidation()}})
	tests := []struct {
		tool string
		args any
	}{
		{"query_entity", map[string]any{"entity": "Tickets", "limit": "ten"}},
		{"query_entity", map[string]any{"entity": "Tickets", "filter": []any{map[string]any{"field": "status", "op": "equals"}}}},
		{"query_entity", map[string]any{}},
		{"get_ticket", map[string]any{"ticket_id": 1, "ticket_number": "T20260101.0001"}},
		{"get_ticket", map[string]any{"ticket_number": strings.Repeat("x", 2<<20)}},
		{"get_entity", map[string]any{"entity": "Companies", "id": -5}},
		{"describe_fields", []any{"not", "an", "object"}},
	}
	for _, tt := range tests {
		res := testenv.CallOn(t, env.MCP, tt.tool, tt.args, nil)
		assert.True(t, res.IsError, "%s %v: %s", tt.tool, tt.args, testenv.Text(res))
		assert.NotEmpty(t, testenv.Text(res))
	}
}
