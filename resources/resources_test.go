package resources_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

func TestResourcesAreListed(t *testing.T) {
	env := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	list, err := env.MCP.ListResources(ctx, mcp.ListResourcesRequest{})
	require.NoError(t, err)
	var uris []string
	for _, r := range list.Resources {
		uris = append(uris, r.URI)
		assert.Equal(t, "application/json", r.MIMEType)
	}
	assert.Equal(t, []string{"autotask://entities"}, uris)

	templates, err := env.MCP.ListResourceTemplates(ctx, mcp.ListResourceTemplatesRequest{})
	require.NoError(t, err)
	var raws []string
	for _, tpl := range templates.ResourceTemplates {
		raws = append(raws, tpl.URITemplate.Raw())
		assert.NotEmpty(t, tpl.Description)
	}
	assert.ElementsMatch(t, []string{
		"autotask://entities/{entity}/fields",
		"autotask://tickets/{id}",
		"autotask://tickets/by-number/{number}",
	}, raws)
}

func readJSON(t *testing.T, env *testenv.Env, uri string) map[string]any {
	t.Helper()
	res, err := env.Read(t, uri)
	require.NoError(t, err, uri)
	require.Len(t, res.Contents, 1)
	text, ok := res.Contents[0].(mcp.TextResourceContents)
	require.True(t, ok, "text contents")
	assert.Equal(t, uri, text.URI)
	assert.Equal(t, "application/json", text.MIMEType)
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(text.Text), &m), text.Text)
	return m
}

func TestReadResources(t *testing.T) {
	env := testenv.New(t, testenv.Options{})
	id := env.Sandbox.IDs("Tickets")[0]
	rec, _ := env.Sandbox.Record("Tickets", id)
	number := rec["ticketNumber"].(string)

	tests := []struct {
		uri   string
		check func(t *testing.T, m map[string]any)
	}{
		{"autotask://entities", func(t *testing.T, m map[string]any) {
			assert.Equal(t, "qgcu", m["entities"].(map[string]any)["Tickets"])
		}},
		{"autotask://entities/Tickets/fields", func(t *testing.T, m map[string]any) {
			assert.Equal(t, "Tickets", m["entity"])
			assert.NotEmpty(t, m["fields"])
		}},
		{"autotask://entities/companies/fields", func(t *testing.T, m map[string]any) {
			assert.Equal(t, "Companies", m["entity"])
		}},
		{fmt.Sprintf("autotask://tickets/%d", id), func(t *testing.T, m map[string]any) {
			assert.EqualValues(t, id, m["ticket"].(map[string]any)["id"])
			assert.NotEmpty(t, m["version"])
		}},
		{"autotask://tickets/by-number/" + number, func(t *testing.T, m map[string]any) {
			assert.EqualValues(t, id, m["ticket"].(map[string]any)["id"])
		}},
	}
	for _, tt := range tests {
		t.Run(tt.uri, func(t *testing.T) {
			tt.check(t, readJSON(t, env, tt.uri))
		})
	}
}

func TestReadResourceErrors(t *testing.T) {
	env := testenv.New(t, testenv.Options{})
	tests := []struct{ uri, fragment string }{
		{"autotask://tickets/abc", "not a ticket id"},
		{"autotask://tickets/999999999", "no ticket with id 999999999"},
		{"autotask://tickets/by-number/T19990101.0001", "no ticket with number"},
		{"autotask://tickets/by-number/nonsense", "not a ticket number"},
		{"autotask://entities/Tikets/fields", `unknown entity "Tikets"`},
		{"autotask://nothing/here", "resource"},
	}
	for _, tt := range tests {
		t.Run(tt.uri, func(t *testing.T) {
			_, err := env.Read(t, tt.uri)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.fragment)
		})
	}
}

// Reading a ticket resource is a read before a write, for the session that read it.
func TestTicketResourceRecordsTheRead(t *testing.T) {
	env := testenv.New(t, testenv.Options{GuardProbe: true})
	id := env.Sandbox.IDs("Tickets")[0]
	probe := map[string]any{"entity": "Tickets", "id": id}
	require.True(t, env.Call(t, testenv.GuardProbeTool, probe).IsError)
	readJSON(t, env, fmt.Sprintf("autotask://tickets/%d", id))
	res := env.Call(t, testenv.GuardProbeTool, probe)
	assert.False(t, res.IsError, testenv.Text(res))
}

// TestResourceNotFoundCodes pins the JSON-RPC codes a missing resource gets. A URI no
// resource or template matches is mcp-go's own resource-not-found (-32002). A template read
// of a missing record is -32603: mcp-go v1.2.1 reports every error a resource handler returns
// as an internal error, even one wrapping server.ErrResourceNotFound (its handlerError in
// server/handler_errors.go), so no handler of ours can give the spec's code. When this test
// fails on an mcp-go upgrade, make the handlers return server.ErrResourceNotFound for a
// missing record and expect the spec's code here.
func TestResourceNotFoundCodes(t *testing.T) {
	env := testenv.New(t, testenv.Options{})
	bare := server.NewMCPServer("bare", "1", server.WithResourceCapabilities(false, false))
	bare.AddResourceTemplate(mcp.NewResourceTemplate("test://records/{id}", "record"),
		func(context.Context, mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			return nil, fmt.Errorf("record 7: %w", server.ErrResourceNotFound)
		})

	tests := []struct {
		name     string
		s        *server.MCPServer
		uri      string
		wantCode int
	}{
		{"no template matches", env.Server, "autotask://nothing/here", mcp.RESOURCE_NOT_FOUND},
		{"missing ticket", env.Server, "autotask://tickets/99999999", mcp.INTERNAL_ERROR},
		{"handler returns ErrResourceNotFound", bare, "test://records/7", mcp.INTERNAL_ERROR},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := fmt.Sprintf(`{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":%q}}`, tt.uri)
			raw, err := json.Marshal(tt.s.HandleMessage(context.Background(), json.RawMessage(msg)))
			require.NoError(t, err)
			var resp struct {
				Error *struct {
					Code    int    `json:"code"`
					Message string `json:"message"`
				} `json:"error"`
			}
			require.NoError(t, json.Unmarshal(raw, &resp), string(raw))
			require.NotNil(t, resp.Error, string(raw))
			assert.Equal(t, tt.wantCode, resp.Error.Code, resp.Error.Message)
		})
	}
}
