package main

import (
	"context"
	"fmt"
	"os"

	"github.com/autotask-mcp/autotask-mcp/internal/server"
)

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
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), server.ShutdownTimeout)
		defer cancel()
		if err := a.Close(closeCtx); err != nil {
			logger.Warn("closing", "err", err)
		}
	}()
	logger.Debug("starting", "version", version(), "transport", cfg.Transport,
		"sandbox", a.Tenant.Sandbox != nil, "read_only", cfg.ReadOnly)

	switch cfg.Transport {
	case "http", "sse":
		httpCfg := server.HTTPConfig{
			Transport:  cfg.Transport,
			Addr:       cfg.Addr,
			Token:      cfg.Token,
			SessionTTL: cfg.SessionTTL,
		}
		if cfg.UsersFile != "" {
			httpCfg.Users = server.NewUsers(cfg.Users)
			stop := reloadUsersOnHangup(ctx, cfg.UsersFile, httpCfg.Users, logger)
			defer stop()
		}
		return server.ServeHTTP(ctx, a.Server, httpCfg, logger)
	default:
		if std.terminal {
			fmt.Fprint(std.err, terminalNotice)
		}
		return server.ServeStdio(ctx, a.Server, std.in, std.out, logger)
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
