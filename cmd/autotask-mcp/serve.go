package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
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
		return serveStdio(ctx, a.Server, std, logger)
	}
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
