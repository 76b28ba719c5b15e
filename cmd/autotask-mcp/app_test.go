package main

import (
	"context"
	"log/slog"
	"slices"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/tools"
)

// inProcess wires a server like `serve` does (openApp), against the built-in sandbox, and
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
