package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/tools"
)

// inProcess wires a server like `serve` does, against the built-in sandbox, and
// connects an initialized in-process client to it.
func inProcess(t *testing.T, cfg serverConfig) (*app, *client.Client) {
	t.Helper()
	cfg.Sandbox = true
	a, err := openApp(cfg, mapEnv(nil), slog.New(slog.DiscardHandler), nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = a.Close(context.Background()) })
	c, err := client.NewInProcessClient(a.Server)
	require.NoError(t, err)
	require.NoError(t, c.Start(context.Background()))
	t.Cleanup(func() { _ = c.Close() })
	_, err = c.Initialize(context.Background(), mcp.InitializeRequest{Params: mcp.InitializeParams{ClientInfo: mcp.Implementation{Name: "test", Version: "1"}}})
	require.NoError(t, err)
	return a, c
}

func TestServerPolicyDecidesWriteTools(t *testing.T) {
	tests := []struct {
		name      string
		cfg       serverConfig
		wantWrite func(name string) bool
	}{
		{name: "default offers every tool", cfg: serverConfig{}, wantWrite: func(string) bool { return true }},
		{name: "read-only offers no write tool", cfg: serverConfig{ReadOnly: true}, wantWrite: func(string) bool { return false }},
		{name: "allow list offers only what it names", cfg: serverConfig{AllowWrites: "add_ticket_note"},
			wantWrite: func(name string) bool { return name == "add_ticket_note" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, c := inProcess(t, tc.cfg)
			list, err := c.ListTools(context.Background(), mcp.ListToolsRequest{})
			require.NoError(t, err)
			var listed []string
			for _, tool := range list.Tools {
				listed = append(listed, tool.Name)
			}
			for _, name := range readTools {
				assert.Contains(t, listed, name, "read tools are always offered")
			}
			for _, tool := range tools.All(tools.Deps{Client: a.Tenant.Client, Guard: a.Guard}) {
				if !tool.Write {
					continue
				}
				assert.Equal(t, tc.wantWrite(tool.Def.Name), slices.Contains(listed, tool.Def.Name), tool.Def.Name)
			}
			assert.Equal(t, tc.cfg.ReadOnly, a.Guard.ReadOnly())
		})
	}
}

// TestServerRefusesStatelessProtocol: the guard keys its ledger on the MCP session,
// which the 2026-07-28 core does not have, so the server must refuse that revision
// on every transport (the hook runs inside HandleMessage) and a client must fall back.
func TestServerRefusesStatelessProtocol(t *testing.T) {
	a, c := inProcess(t, serverConfig{})
	assert.Equal(t, mcp.LATEST_LEGACY_PROTOCOL_VERSION, c.ProtocolVersion(), "the client fell back to a session revision")

	tests := []struct {
		name      string
		message   string
		wantError bool
	}{
		{name: "discover", message: `{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}`, wantError: true},
		{name: "stateless tool call", message: `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"describe_fields","arguments":{},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}`, wantError: true},
		{name: "session tool call", message: `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"describe_fields","arguments":{}}}`, wantError: false},
		{name: "ping", message: `{"jsonrpc":"2.0","id":4,"method":"ping"}`, wantError: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := json.Marshal(a.Server.HandleMessage(context.Background(), json.RawMessage(tc.message)))
			require.NoError(t, err)
			var resp struct {
				Error *struct {
					Message string `json:"message"`
				} `json:"error"`
			}
			require.NoError(t, json.Unmarshal(raw, &resp))
			if tc.wantError {
				require.NotNil(t, resp.Error, string(raw))
				assert.Contains(t, resp.Error.Message, "2025-11-25")
			} else {
				assert.Nil(t, resp.Error, string(raw))
			}
		})
	}
}

// TestNewServer: newServer returns with every tool and resource already registered.
func TestNewServer(t *testing.T) {
	a, _ := inProcess(t, serverConfig{})
	s := newServer(tools.Deps{Client: a.Tenant.Client, Guard: a.Guard})
	for _, name := range readTools {
		assert.NotNil(t, s.GetTool(name), name)
	}
	assert.Contains(t, s.ListResources(), "autotask://entities")
}
