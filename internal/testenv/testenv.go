// Package testenv builds the whole stack for tests, for real: the sandbox tenant behind an
// httptest server, the REST client pointed at it, the guard, the MCP server as internal/server
// builds it for the binary (with output schema validation on), and mcp-go's in-process client
// talking to it. No part is faked.
package testenv

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	mcpserver "github.com/mark3labs/mcp-go/server"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/internal/server"
	"github.com/autotask-mcp/autotask-mcp/tools"
)

// Options shape an Env; the zero value is a default sandbox with every tool registered.
type Options struct {
	Sandbox sandbox.Options
	Guard   guard.Options
	// Client adjusts the REST client's configuration after the defaults are set.
	Client func(*autotask.Config)
	// ServerOptions are added after the MCP server's own; output schema validation is always on,
	// so a result that does not match its tool's schema fails the test as an isError result.
	ServerOptions []mcpserver.ServerOption
	// MCPClientOptions configure the in-process MCP client (e.g. client.WithElicitationHandler).
	MCPClientOptions []client.ClientOption
	// Register adds the tools, resources and prompts; nil registers what the binary does (see
	// server.Config.Register).
	Register func(s *mcpserver.MCPServer, deps tools.Deps)
	// GuardProbe adds GuardProbeTool, answering from the sandbox's current records.
	GuardProbe bool
	Logger     *slog.Logger
	// WrapAPI, when set, wraps the sandbox's handler before it is served (e.g. Overlap.Wrap), to
	// watch or hold the requests the client sends.
	WrapAPI func(http.Handler) http.Handler
}

// Env is one running stack.
type Env struct {
	Sandbox *sandbox.Sandbox
	API     *httptest.Server // the sandbox over HTTP
	Client  *autotask.Client
	Guard   *guard.Guard
	Server  *mcpserver.MCPServer
	Deps    tools.Deps     // Deps.Server is Server
	MCP     *client.Client // an initialised in-process session

	opts Options
}

// New starts a stack and stops it when the test ends.
func New(t testing.TB, opts Options) *Env {
	t.Helper()
	sb := sandbox.New(opts.Sandbox)
	var handler http.Handler = sb
	if opts.WrapAPI != nil {
		handler = opts.WrapAPI(sb)
	}
	api := httptest.NewServer(handler)
	t.Cleanup(api.Close)

	creds := opts.Sandbox.Credentials
	if creds == (sandbox.Credentials{}) {
		creds = sandbox.DefaultCredentials
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	cfg := autotask.Config{
		APIURL:          api.URL + "/ATServicesRest/V1.0/",
		Username:        creds.Username,
		Secret:          creds.Secret,
		IntegrationCode: creds.IntegrationCode,
		RetryBaseDelay:  time.Millisecond,
		CacheDir:        t.TempDir(),
		Logger:          logger,
		// Tests pace themselves: the hourly budget would otherwise hold a 500-ticket sweep to
		// 2.8 requests a second, and a background threshold poll would skew request counts.
		HourlyBudget:      100_000_000,
		ThresholdInterval: -1,
	}
	if opts.Client != nil {
		opts.Client(&cfg)
	}
	c, err := autotask.New(cfg)
	if err != nil {
		t.Fatalf("testenv: autotask client: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })

	g, err := guard.New(opts.Guard)
	if err != nil {
		t.Fatalf("testenv: guard: %v", err)
	}

	deps := tools.Deps{Client: c, Guard: g, Logger: logger}
	s := server.New(server.Config{
		Version:        "test",
		Deps:           deps,
		ValidateOutput: true,
		Register:       opts.Register,
		Options:        opts.ServerOptions,
	})
	deps.Server = s
	if opts.GuardProbe {
		RegisterGuardProbe(s, deps, func(entity string, id int64) map[string]any {
			rec, _ := sb.Record(entity, id)
			return rec
		})
	}

	e := &Env{Sandbox: sb, API: api, Client: c, Guard: g, Server: s, Deps: deps, opts: opts}
	e.MCP = e.NewSession(t)
	return e
}

// NewSession opens another initialised MCP session on the same server (a second assistant).
func (e *Env) NewSession(t testing.TB) *client.Client {
	t.Helper()
	mc, err := client.NewInProcessClientWithOptions(e.Server, e.opts.MCPClientOptions...)
	if err != nil {
		t.Fatalf("testenv: mcp client: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := mc.Start(ctx); err != nil {
		t.Fatalf("testenv: start mcp client: %v", err)
	}
	t.Cleanup(func() { _ = mc.Close() })
	_, err = mc.Initialize(ctx, mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: mcp.LATEST_LEGACY_PROTOCOL_VERSION,
		ClientInfo:      mcp.Implementation{Name: "testenv", Version: "test"},
	}})
	if err != nil {
		t.Fatalf("testenv: initialize: %v", err)
	}
	return mc
}

// Call runs a tool on the default session. args may be a map, a struct or json.RawMessage.
// A protocol error fails the test: every bad call must come back as a tool result.
func (e *Env) Call(t testing.TB, name string, args any) *mcp.CallToolResult {
	t.Helper()
	return CallOn(t, e.MCP, name, args, nil)
}

// CallOn runs a tool on the given session, with request _meta when meta is not nil (e.g. a
// progressToken).
func CallOn(t testing.TB, mc *client.Client, name string, args any, meta *mcp.Meta) *mcp.CallToolResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	req.Params.Meta = meta
	res, err := mc.CallTool(ctx, req)
	if err != nil {
		t.Fatalf("%s: protocol error (a bad call must be a tool result): %v", name, err)
	}
	requireDeclaredProperties(t, mc, name, res)
	return res
}

// Read reads a resource on the default session.
func (e *Env) Read(t testing.TB, uri string) (*mcp.ReadResourceResult, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req := mcp.ReadResourceRequest{}
	req.Params.URI = uri
	return e.MCP.ReadResource(ctx, req)
}

// Text joins the text contents of a result.
func Text(res *mcp.CallToolResult) string {
	var s string
	for _, c := range res.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			s += tc.Text
		}
	}
	return s
}

// Structured decodes a result's structuredContent into a generic map.
func Structured(t testing.TB, res *mcp.CallToolResult) map[string]any {
	t.Helper()
	raw, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatalf("marshal structured content: %v", err)
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("structured content is not an object: %s", raw)
	}
	return m
}

// NewSessionOn opens an initialised in-process MCP session on another server, for tests that
// build their own server (e.g. with different options) but want this package's plumbing.
func (e *Env) NewSessionOn(t testing.TB, s *mcpserver.MCPServer) *client.Client {
	t.Helper()
	other := *e
	other.Server = s
	return other.NewSession(t)
}
