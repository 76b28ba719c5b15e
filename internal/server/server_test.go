package server

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	mcpserver "github.com/mark3labs/mcp-go/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/prompts"
	"github.com/autotask-mcp/autotask-mcp/tools"
)

// TestServerRefusesStatelessProtocol: the guard keys its ledger on the MCP session,
// which the 2026-07-28 core does not have, so the server must refuse that revision
// on every transport (the hook runs inside HandleMessage) and a client must fall back.
func TestServerRefusesStatelessProtocol(t *testing.T) {
	s := New(Config{Deps: sandboxDeps(t)})
	c := inProcessClient(t, s)
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
			e := rpcError(t, context.Background(), s, tc.message)
			if tc.wantError {
				require.NotNil(t, e)
				assert.Contains(t, e.Message, "2025-11-25")
			} else {
				assert.Nil(t, e)
			}
		})
	}
}

// TestNew: New returns with every tool, resource and prompt registered, and answers
// initialize with the server's name, the config's version and every capability the binary
// offers, and no client capability (elicitation is the client's to declare).
func TestNew(t *testing.T) {
	deps := sandboxDeps(t)
	s := New(Config{Deps: deps})
	for _, tool := range tools.All(deps) {
		assert.NotNil(t, s.GetTool(tool.Def.Name), tool.Def.Name)
	}
	assert.Contains(t, s.ListResources(), "autotask://entities")
	for _, p := range prompts.All(prompts.Deps{}) {
		assert.Contains(t, s.ListPrompts(), p.Def.Name)
	}

	tests := []struct {
		name        string
		cfg         Config
		wantVersion string
	}{
		{name: "defaults", cfg: Config{}, wantVersion: "dev"},
		{name: "version", cfg: Config{Version: "v1.2.3"}, wantVersion: "v1.2.3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Deps = deps
			res := initialize(t, New(tc.cfg))
			assert.Equal(t, Name, res.ServerInfo.Name)
			assert.Equal(t, tc.wantVersion, res.ServerInfo.Version)
			assert.NotNil(t, res.Capabilities.Tools)
			assert.NotNil(t, res.Capabilities.Resources)
			assert.NotNil(t, res.Capabilities.Logging)
			assert.NotNil(t, res.Capabilities.Prompts)
			assert.NotNil(t, res.Capabilities.Completions)
			assert.Nil(t, res.Capabilities.Elicitation, "elicitation is a client capability")
			assert.Nil(t, res.Capabilities.Sampling, "sampling is a client capability")
			assert.NotEmpty(t, res.Instructions)
		})
	}
}

// TestNewRegisterAndOptions: a config's Register replaces the default registration, and
// its Options come after the server's own.
func TestNewRegisterAndOptions(t *testing.T) {
	s := New(Config{
		Deps:     sandboxDeps(t),
		Register: func(*mcpserver.MCPServer, tools.Deps) {},
		Options:  []mcpserver.ServerOption{mcpserver.WithInstructions("replaced")},
	})
	assert.Empty(t, s.ListTools())
	assert.Equal(t, "replaced", initialize(t, s).Instructions)
}

// TestValidateOutput: with ValidateOutput a structured result that breaks its tool's
// output schema is an isError result; without it, it reaches the client as it is.
func TestValidateOutput(t *testing.T) {
	for _, validate := range []bool{false, true} {
		t.Run(map[bool]string{false: "off", true: "on"}[validate], func(t *testing.T) {
			s := New(Config{Deps: sandboxDeps(t), ValidateOutput: validate, Register: func(s *mcpserver.MCPServer, _ tools.Deps) {
				s.AddTool(mcp.NewTool("broken", mcp.WithOutputSchema[struct {
					Count int `json:"count"`
				}]()), func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
					return mcp.NewToolResultStructured(map[string]any{"count": "not a number"}, "x"), nil
				})
			}})
			res, err := inProcessClient(t, s).CallTool(context.Background(), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "broken"}})
			require.NoError(t, err)
			assert.Equal(t, validate, res.IsError, "%+v", res.Content)
		})
	}
}

// TestStartAnswersInitializeFirst: Start returns before the tools are registered, and the
// registration begins only once initialize is answered, so initialize never shares the CPU
// with it; initialize and ping are answered at once, and every other request waits for the
// registration (here it gives up when its context ends) rather than seeing a partial tool list.
func TestStartAnswersInitializeFirst(t *testing.T) {
	began, release := make(chan struct{}), make(chan struct{})
	s, reg := Start(Config{Deps: sandboxDeps(t), Register: func(s *mcpserver.MCPServer, deps tools.Deps) {
		close(began)
		<-release
		registerAll(s, deps)
	}})
	t.Cleanup(func() {
		select {
		case <-release:
		default:
			close(release)
		}
		reg.Stop()
	})
	// A request whose context has already ended gets an answer only if it does not wait.
	gaveUp, cancel := context.WithCancel(context.Background())
	cancel()
	assert.Nil(t, rpcError(t, gaveUp, s, initializeBody), "initialize does not wait")
	hang, stop := context.WithTimeout(context.Background(), 30*time.Second)
	defer stop()
	select {
	case <-began:
	case <-hang.Done():
		t.Fatal("initialize did not begin the registration")
	}
	assert.Nil(t, rpcError(t, gaveUp, s, `{"jsonrpc":"2.0","id":2,"method":"ping"}`), "ping does not wait")

	list := `{"jsonrpc":"2.0","id":3,"method":"tools/list"}`
	if e := rpcError(t, gaveUp, s, list); assert.NotNil(t, e, "tools/list waits for the tools") {
		assert.Contains(t, e.Message, context.Canceled.Error())
	}

	close(release)
	reg.Stop()
	assert.Nil(t, rpcError(t, context.Background(), s, list))
	assert.NotEmpty(t, s.ListTools())
}

// TestRegistrationBegunByTheFirstRequest: the registration waits for a request; a client that
// skips initialize still gets the tools, and a server closed before any request never builds them.
func TestRegistrationBegunByTheFirstRequest(t *testing.T) {
	ran := false
	_, reg := Start(Config{Deps: sandboxDeps(t), Register: func(*mcpserver.MCPServer, tools.Deps) { ran = true }})
	reg.Stop()
	assert.False(t, ran, "closed before any request: nothing registered")

	s, reg := Start(Config{Deps: sandboxDeps(t)})
	t.Cleanup(reg.Stop)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	assert.Nil(t, rpcError(t, ctx, s, `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`), "tools/list without initialize")
	assert.NotEmpty(t, s.ListTools())
}

// initialize connects a client to s and returns the server's answer to initialize.
func initialize(t *testing.T, s *mcpserver.MCPServer) *mcp.InitializeResult {
	t.Helper()
	res, err := inProcessClient(t, s).Initialize(context.Background(), mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: mcp.LATEST_LEGACY_PROTOCOL_VERSION,
		ClientInfo:      mcp.Implementation{Name: "test", Version: "1"},
	}})
	require.NoError(t, err)
	return res
}

// rpcError sends one JSON-RPC message to s and returns the error it answers with, if any.
func rpcError(t *testing.T, ctx context.Context, s *mcpserver.MCPServer, message string) *jsonrpcError {
	t.Helper()
	raw, err := json.Marshal(s.HandleMessage(ctx, json.RawMessage(message)))
	require.NoError(t, err)
	var resp struct {
		Error *jsonrpcError `json:"error"`
	}
	require.NoError(t, json.Unmarshal(raw, &resp), string(raw))
	return resp.Error
}

type jsonrpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}
