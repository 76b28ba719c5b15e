package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	mcpserver "github.com/mark3labs/mcp-go/server"

	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/internal/server"
	"github.com/autotask-mcp/autotask-mcp/tools"
)

// newGuard builds the write policy from the configuration. The returned closer
// closes the audit log (a no-op without one).
func newGuard(cfg serverConfig, logger *slog.Logger) (*guard.Guard, io.Closer, error) {
	opts := guard.Options{
		Key:         cfg.GuardKey,
		ReadOnly:    cfg.ReadOnly,
		AllowWrites: guard.ParseAllowList(cfg.AllowWrites),
		Logger:      logger,
	}
	var closer io.Closer = nopCloser{}
	if cfg.AuditLog != "" {
		audit, err := guard.OpenAuditLog(cfg.AuditLog)
		if err != nil {
			return nil, nil, fmt.Errorf("--audit-log (%s): %w", envName("audit-log"), err)
		}
		opts.Audit, closer = audit, audit
	}
	g, err := guard.New(opts)
	if err != nil {
		_ = closer.Close()
		return nil, nil, fmt.Errorf("guard: %w", err)
	}
	return g, closer, nil
}

type nopCloser struct{}

func (nopCloser) Close() error { return nil }

// app is one configured server: tenant, guard and MCP server, closed together.
type app struct {
	Server *mcpserver.MCPServer
	Tenant *tenant
	Guard  *guard.Guard
	Logger *slog.Logger
	audit  io.Closer
	reg    *server.Registration // of the tools, resources and prompts, begun by the first request
}

// openApp wires a server from its configuration. notice receives the one-line
// message that the sandbox was chosen for lack of credentials (nil: say nothing).
// The server answers initialize at once and registers its tools in the background after it.
func openApp(cfg serverConfig, lookup env, logger *slog.Logger, notice io.Writer) (*app, error) {
	t, err := openTenant(cfg, lookup, logger, notice)
	if err != nil {
		return nil, err
	}
	g, audit, err := newGuard(cfg, logger)
	if err != nil {
		_ = t.Close(context.Background())
		return nil, err
	}
	s, reg := server.Start(server.Config{
		Version: version(),
		Deps: tools.Deps{
			Client:         t.Client,
			Guard:          g,
			Logger:         logger,
			CompleteStatus: cfg.CompleteStatus,
		},
		ValidateOutput: cfg.ValidateOutput,
	})
	return &app{Server: s, Tenant: t, Guard: g, Logger: logger, audit: audit, reg: reg}, nil
}

func (a *app) Close(ctx context.Context) error {
	a.reg.Stop()
	return errors.Join(a.Tenant.Close(ctx), a.audit.Close())
}
