package server

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"
	mcpserver "github.com/mark3labs/mcp-go/server"
)

// sessionProtocolVersions are the MCP revisions this server speaks: those with an
// initialize handshake and sessions. The guard keys what each client has read on the
// MCP session, and asks for confirmations with server-to-client elicitation requests;
// the stateless 2026-07-28 core has neither (every request is its own session, and
// server requests became multi round-trip results). Until the guard has another key,
// a client offering that revision is refused and falls back to initialize, which
// mcp-go's client and every client that predates it do on their own.
var sessionProtocolVersions = []string{
	mcp.ProtocolVersion20251125,
	mcp.ProtocolVersion20250618,
	mcp.ProtocolVersion20250326,
	mcp.ProtocolVersion20241105,
}

// requestHooks checks every request before the server handles it: a request of the
// stateless protocol core is refused, on every transport, and anything but initialize
// and ping waits until the tools and resources are registered, beginning the registration
// if initialize has not.
func requestHooks(reg *Registration) *mcpserver.Hooks {
	hooks := &mcpserver.Hooks{}
	hooks.AddAfterInitialize(func(context.Context, any, *mcp.InitializeRequest, *mcp.InitializeResult) {
		reg.begin()
	})
	hooks.AddOnRequestInitialization(func(ctx context.Context, _ any, message any) error {
		raw, _ := message.(json.RawMessage)
		var req struct {
			Method mcp.MCPMethod `json:"method"`
			Params struct {
				Meta *mcp.Meta `json:"_meta"`
			} `json:"params"`
		}
		_ = json.Unmarshal(raw, &req) // a malformed message is the method's own decoding to report
		if v := req.Params.Meta.ProtocolVersion(); mcp.IsModernProtocol(v) {
			return fmt.Errorf("protocol version %s is not supported: this server keeps per-session state; initialize with %s", v, mcp.LATEST_LEGACY_PROTOCOL_VERSION)
		}
		if req.Method == mcp.MethodInitialize || req.Method == mcp.MethodPing {
			return nil
		}
		reg.begin()
		select {
		case <-reg.done:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	return hooks
}
