package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
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

// stack is the whole server in this process: the sandbox over loopback HTTP (behind a timing
// middleware), the REST client, the guard, the MCP server as internal/server builds it for the
// binary, and mcp-go's in-process client. internal/testenv builds the same stack but has no place
// for the middleware, and it always validates output schemas, which the binary does not by default.
type stack struct {
	sb     *sandbox.Sandbox
	api    *httptest.Server
	timer  *handlerTimer
	client *autotask.Client
	server *mcpserver.MCPServer
	mcp    *client.Client
}

// unlimited lifts the sandbox's hourly limit: benchmarks send more than a tenant's hour.
const unlimited = 1 << 30

func newStack(tb testing.TB, opts sandbox.Options) *stack {
	tb.Helper()
	return newStackWith(tb, opts, nil)
}

// newStackWith is newStack with the REST client's configuration adjusted by client (nil: as is).
func newStackWith(tb testing.TB, opts sandbox.Options, client func(*autotask.Config)) *stack {
	tb.Helper()
	if opts.HourlyLimit == 0 {
		opts.HourlyLimit = unlimited
	}
	sb := sandbox.New(opts)
	timer := &handlerTimer{next: sb}
	api := httptest.NewServer(timer)
	tb.Cleanup(api.Close)

	creds := sandbox.DefaultCredentials
	discard := slog.New(slog.DiscardHandler)
	cfg := autotask.Config{
		APIURL:          api.URL + "/ATServicesRest/V1.0/",
		Username:        creds.Username,
		Secret:          creds.Secret,
		IntegrationCode: creds.IntegrationCode,
		CacheDir:        tb.TempDir(),
		Logger:          discard,
		RetryBaseDelay:  time.Millisecond,
		// The client paces itself to the tenant's hour; a benchmark measures the path, not the pace.
		HourlyBudget: 100_000_000,
		// A background ThresholdInformation poll would add a request to some call's count.
		ThresholdInterval: -1,
	}
	if client != nil {
		client(&cfg)
	}
	c, err := autotask.New(cfg)
	if err != nil {
		tb.Fatalf("autotask client: %v", err)
	}
	tb.Cleanup(func() { _ = c.Close() })
	g, err := guard.New(guard.Options{Logger: discard})
	if err != nil {
		tb.Fatalf("guard: %v", err)
	}
	// The binary's server, its defaults included: no output schema validation.
	s := server.New(server.Config{Version: "bench", Deps: tools.Deps{Client: c, Guard: g, Logger: discard}})

	st := &stack{sb: sb, api: api, timer: timer, client: c, server: s}
	st.mcp = st.session(tb)
	return st
}

// session opens another initialised in-process MCP session (another assistant).
func (st *stack) session(tb testing.TB) *client.Client {
	tb.Helper()
	mc, err := client.NewInProcessClient(st.server)
	if err != nil {
		tb.Fatalf("mcp client: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := mc.Start(ctx); err != nil {
		tb.Fatalf("start mcp client: %v", err)
	}
	tb.Cleanup(func() { _ = mc.Close() })
	if _, err := mc.Initialize(ctx, initializeRequest()); err != nil {
		tb.Fatalf("initialize: %v", err)
	}
	return mc
}

func initializeRequest() mcp.InitializeRequest {
	return mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: mcp.LATEST_LEGACY_PROTOCOL_VERSION, // the binary speaks the session revisions
		ClientInfo:      mcp.Implementation{Name: "autotask-mcp-bench", Version: "bench"},
	}}
}

// call runs one tool and fails on a protocol error or an isError result: a benchmark of a
// failing call measures the wrong thing.
func call(tb testing.TB, mc *client.Client, name string, args map[string]any) *mcp.CallToolResult {
	tb.Helper()
	res, err := callTool(context.Background(), mc, name, args)
	if err != nil {
		tb.Fatalf("%s %v: %v", name, args, err)
	}
	return res
}

func callTool(ctx context.Context, mc *client.Client, name string, args map[string]any) (*mcp.CallToolResult, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	res, err := mc.CallTool(ctx, req)
	if err != nil {
		return nil, err
	}
	if res.IsError {
		return nil, &toolError{text: resultText(res)}
	}
	return res, nil
}

type toolError struct{ text string }

func (e *toolError) Error() string { return "tool error: " + e.text }

func resultText(res *mcp.CallToolResult) string {
	var s string
	for _, c := range res.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			s += tc.Text
		}
	}
	return s
}

// structured is a result's structuredContent as the wire carries it.
func structured(tb testing.TB, res *mcp.CallToolResult) []byte {
	tb.Helper()
	raw, err := json.Marshal(res.StructuredContent)
	if err != nil {
		tb.Fatalf("marshal structured content: %v", err)
	}
	return raw
}

// handlerTimer adds up the time spent inside the sandbox's handler: what a real tenant would
// spend, which is not the server's own cost.
type handlerTimer struct {
	next http.Handler
	ns   atomic.Int64
	n    atomic.Int64
}

func (h *handlerTimer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	h.next.ServeHTTP(w, r)
	h.ns.Add(int64(time.Since(start)))
	h.n.Add(1)
}

func (h *handlerTimer) reset() { h.ns.Store(0); h.n.Store(0) }

// wireSession registers an initialised session for wireCall, as a transport would.
func (st *stack) wireSession(tb testing.TB) context.Context {
	tb.Helper()
	session := mcpserver.NewInProcessSession("bench-wire", nil)
	if err := st.server.RegisterSession(context.Background(), session); err != nil {
		tb.Fatalf("register session: %v", err)
	}
	ctx := st.server.WithContext(context.Background(), session)
	init := `{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"` +
		mcp.LATEST_LEGACY_PROTOCOL_VERSION + `","capabilities":{},"clientInfo":{"name":"bench","version":"bench"}}}`
	if _, err := json.Marshal(st.server.HandleMessage(ctx, []byte(init))); err != nil {
		tb.Fatalf("initialize: %v", err)
	}
	st.server.HandleMessage(ctx, []byte(`{"jsonrpc":"2.0","method":"notifications/initialized"}`))
	return ctx
}

// wireCall is one tools/call as the stdio transport handles it: a request line in, the response
// marshalled out. It fails on anything but a successful tool result.
func (st *stack) wireCall(tb testing.TB, ctx context.Context, tool string, args map[string]any) []byte {
	tb.Helper()
	params, err := json.Marshal(map[string]any{"name": tool, "arguments": args})
	if err != nil {
		tb.Fatal(err)
	}
	req := append(append([]byte(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":`), params...), '}')
	out, err := json.Marshal(st.server.HandleMessage(ctx, req))
	if err != nil {
		tb.Fatalf("marshal response: %v", err)
	}
	if !bytes.Contains(out, []byte(`"result"`)) || bytes.Contains(out, []byte(`"isError":true`)) {
		tb.Fatalf("%s: %.300s", tool, out)
	}
	return out
}
