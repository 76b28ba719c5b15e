package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/mark3labs/mcp-go/server"

	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/resources"
	"github.com/autotask-mcp/autotask-mcp/tools"
)

const serverName = "autotask-mcp"

// newServer builds the MCP server with every tool and resource registered. deps.Server
// is set to the new server, which the tools need for elicitation and progress.
func newServer(deps tools.Deps, opts ...server.ServerOption) *server.MCPServer {
	s, ready := startServer(deps, opts...)
	<-ready
	return s
}

// startServer returns the server at once and registers the tools and resources in
// the background; ready closes when they are in. Every request but initialize waits
// for it, so nothing can see a partial tool list. Building the tools' schemas is the
// costliest part of a start, and a client's initialize should not wait for it.
func startServer(deps tools.Deps, opts ...server.ServerOption) (*server.MCPServer, <-chan struct{}) {
	ready := make(chan struct{})
	base := []server.ServerOption{
		server.WithToolCapabilities(false),
		server.WithResourceCapabilities(false, false),
		server.WithInstructions(tools.Instructions),
		server.WithRecovery(),
		server.WithResourceRecovery(),
		server.WithLogging(),
		server.WithElicitation(),
		server.WithHooks(requestHooks(ready)),
	}
	s := server.NewMCPServer(serverName, version(), append(base, opts...)...)
	deps.Server = s
	go func() {
		defer close(ready)
		tools.Register(s, deps)
		resources.Register(s, deps)
	}()
	return s, ready
}

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
	Server *server.MCPServer
	Tenant *tenant
	Guard  *guard.Guard
	Logger *slog.Logger
	audit  io.Closer
	ready  <-chan struct{} // closed once tools and resources are registered
}

// openApp wires a server from its configuration. notice receives the one-line
// message that the sandbox was chosen for lack of credentials (nil: say nothing).
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
	var opts []server.ServerOption
	if cfg.ValidateOutput {
		opts = append(opts, server.WithOutputSchemaValidation())
	}
	s, ready := startServer(tools.Deps{
		Client:         t.Client,
		Guard:          g,
		Logger:         logger,
		CompleteStatus: cfg.CompleteStatus,
	}, opts...)
	return &app{Server: s, Tenant: t, Guard: g, Logger: logger, audit: audit, ready: ready}, nil
}

func (a *app) Close(ctx context.Context) error {
	<-a.ready
	return errors.Join(a.Tenant.Close(ctx), a.audit.Close())
}
