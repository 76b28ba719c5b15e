package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/mark3labs/mcp-go/server"
)

// shutdownTimeout bounds how long in-flight requests may finish after SIGINT/SIGTERM.
const shutdownTimeout = 10 * time.Second

func runServe(ctx context.Context, args []string, lookup env, std stdio) error {
	cfg, err := loadServeConfig(args, lookup, std)
	if err != nil {
		return err
	}
	logger := newLogger(std.err, cfg.LogLevel)
	a, err := openApp(cfg.serverConfig, lookup, logger, std.err)
	if err != nil {
		return err
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
		defer cancel()
		if err := a.Close(closeCtx); err != nil {
			logger.Warn("closing", "err", err)
		}
	}()
	logger.Debug("starting", "version", version(), "transport", cfg.Transport,
		"sandbox", a.Tenant.Sandbox != nil, "read_only", cfg.ReadOnly)

	switch cfg.Transport {
	case "http", "sse":
		return serveHTTP(ctx, a.Server, cfg, logger, httpOptions{})
	default:
		if std.terminal {
			fmt.Fprint(std.err, terminalNotice)
		}
		return serveStdio(ctx, a.Server, std, logger)
	}
}

// terminalNotice is for a person who ran the server by hand and would otherwise see
// nothing happen: on stdio it waits, silently, for a client to speak MCP.
const terminalNotice = `autotask-mcp is serving MCP on stdin/stdout and waits for an MCP client to speak
(a desktop client starts it this way). To try it by hand instead:
  autotask-mcp tools                                              list the tools and their schemas
  autotask-mcp call query_entity '{"entity":"Tickets","limit":3}'   run one tool
  autotask-mcp -h                                                 every command and flag
Press Ctrl-C to stop.
`

// isTerminal reports whether f is a terminal: a character device other than the null
// device (which scripts use to give a program no input).
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(st, null)
}

// serveStdio speaks MCP on stdin/stdout until stdin closes or ctx ends.
func serveStdio(ctx context.Context, s *server.MCPServer, std stdio, logger *slog.Logger) error {
	stdioServer := server.NewStdioServer(s)
	stdioServer.SetErrorLogger(slog.NewLogLogger(logger.Handler(), slog.LevelError))
	err := stdioServer.Listen(ctx, std.in, std.out)
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, io.EOF) {
		return nil
	}
	return fmt.Errorf("stdio transport: %w", err)
}
