package server

import (
	"context"
	"log/slog"
	"net"
	"net/http/httptest"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	mcpserver "github.com/mark3labs/mcp-go/server"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/tools"
)

const (
	testToken      = "test-token-0123456789abcdef"
	initializeBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`
)

// sandboxDeps are the tools' dependencies against a sandbox tenant behind an httptest
// server, built as internal/testenv builds them (testenv imports this package, so a test
// inside it cannot use testenv).
func sandboxDeps(t testing.TB) tools.Deps {
	t.Helper()
	return sandboxDepsOn(t, sandbox.New(sandbox.Options{}), guard.Options{})
}

// sandboxDepsOn are the tools' dependencies against sb, with a guard built from opts.
func sandboxDepsOn(t testing.TB, sb *sandbox.Sandbox, opts guard.Options) tools.Deps {
	t.Helper()
	api := httptest.NewServer(sb)
	t.Cleanup(api.Close)
	logger := slog.New(slog.DiscardHandler)
	creds := sandbox.DefaultCredentials
	c, err := autotask.New(autotask.Config{
		APIURL:          api.URL + "/ATServicesRest/V1.0/",
		Username:        creds.Username,
		Secret:          creds.Secret,
		IntegrationCode: creds.IntegrationCode,
		CacheDir:        t.TempDir(),
		Logger:          logger,
		// A background ThresholdInformation poll is a goroutine the leak test would count.
		ThresholdInterval: -1,
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	opts.Logger = logger
	g, err := guard.New(opts)
	require.NoError(t, err)
	return tools.Deps{Client: c, Guard: g, Logger: logger}
}

// inProcessClient connects an initialized in-process MCP client to s.
func inProcessClient(t *testing.T, s *mcpserver.MCPServer) *client.Client {
	t.Helper()
	c, err := client.NewInProcessClient(s)
	require.NoError(t, err)
	require.NoError(t, c.Start(context.Background()))
	t.Cleanup(func() { _ = c.Close() })
	_, err = c.Initialize(context.Background(), mcp.InitializeRequest{Params: mcp.InitializeParams{ClientInfo: mcp.Implementation{Name: "test", Version: "1"}}})
	require.NoError(t, err)
	return c
}

// inProcessHTTP is ServeHTTP over a sandbox tenant, in this process, on 127.0.0.1.
type inProcessHTTP struct {
	URL    string // the MCP endpoint, http://127.0.0.1:PORT/mcp (or /sse)
	Addr   string // 127.0.0.1:PORT
	Server *mcpserver.MCPServer
}

// startInProcessHTTP serves Streamable HTTP with cfg (its transport and address filled
// in here) until the test ends, then requires a graceful shutdown.
func startInProcessHTTP(t *testing.T, cfg HTTPConfig) *inProcessHTTP {
	t.Helper()
	return startHTTPWith(t, cfg, sandboxDeps(t))
}

// startHTTPWith is startInProcessHTTP over the tools' dependencies deps.
func startHTTPWith(t *testing.T, cfg HTTPConfig, deps tools.Deps) *inProcessHTTP {
	t.Helper()
	return serveInProcessHTTP(t, New(Config{Deps: deps, ValidateOutput: true}), cfg)
}

// serveInProcessHTTP is startInProcessHTTP for a server the test built itself.
func serveInProcessHTTP(t *testing.T, s *mcpserver.MCPServer, cfg HTTPConfig) *inProcessHTTP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	if cfg.Transport == "" {
		cfg.Transport = "http"
	}
	cfg.Addr, cfg.listener = ln.Addr().String(), ln
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ServeHTTP(ctx, s, cfg, slog.New(slog.DiscardHandler)) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done, "graceful shutdown")
	})
	endpoint := MCPPath
	if cfg.Transport == "sse" {
		endpoint = SSEPath
	}
	return &inProcessHTTP{URL: "http://" + cfg.Addr + endpoint, Addr: cfg.Addr, Server: s}
}
