package main

import (
	"context"
	"fmt"
	"time"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/internal/server"
)

// runSandbox serves the simulated Autotask REST API on a port, for any Autotask
// client (this server included, through AUTOTASK_API_URL) to develop against.
func runSandbox(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("sandbox")
	def := sandbox.DefaultCredentials
	addr := fs.String("addr", "127.0.0.1:8085", "listen `host:port`")
	username := fs.String("username", def.Username, "API user name the sandbox accepts")
	secret := fs.String("secret", def.Secret, "API secret the sandbox accepts")
	code := fs.String("integration-code", def.IntegrationCode, "API integration code the sandbox accepts")
	seed := fs.Int64("seed", 1, "data seed: the same seed gives the same tenant, latencies and faults")
	tickets := fs.Int("tickets", 500, "number of tickets to generate")
	level := levelValue{}
	fs.Var(&level, "log-level", "log level on stderr: `debug|info|warn|error`")
	knobs := addSandboxKnobs(fs, "")
	positional, err := parseFlags(fs, args, nil, false, std.out)
	if err != nil {
		return err
	}
	if len(positional) > 0 {
		return usageErrorf("sandbox: unexpected argument %q (see autotask-mcp sandbox -h)", positional[0])
	}
	if err := validateListenAddr(*addr); err != nil {
		return usageErrorf("sandbox --addr: %v", err)
	}
	if *tickets < 0 {
		return usageErrorf("sandbox --tickets must not be negative, got %d", *tickets)
	}
	if err := knobs.validate(func(name string) string { return "sandbox --" + name }); err != nil {
		return err
	}
	logger := newLogger(std.err, level.level)
	if !server.IsLoopbackAddr(*addr) {
		logger.Warn("the sandbox accepts its published credentials from any machine that can reach it", "addr", *addr)
	}

	creds := sandbox.Credentials{Username: *username, Secret: *secret, IntegrationCode: *code}
	sb, err := startLocalSandbox(*addr, knobs.apply(sandbox.Options{Seed: *seed, Tickets: *tickets, Credentials: creds}, std.err), logger)
	if err != nil {
		return err
	}
	start := time.Now()
	sb.Tenant() // seed now, so the first client does not wait
	logger.Debug("sandbox seeded", "tickets", *tickets, "took", time.Since(start))

	// The sandbox's credentials are public test values, so printing them is the point.
	fmt.Fprintf(std.out, "Autotask sandbox tenant serving at %s\n", sb.APIURL())
	fmt.Fprintf(std.out, "  AUTOTASK_API_URL=%s\n", sb.BaseURL())
	fmt.Fprintf(std.out, "  AUTOTASK_USERNAME=%s\n", creds.Username)
	fmt.Fprintf(std.out, "  AUTOTASK_SECRET=%s\n", creds.Secret)
	fmt.Fprintf(std.out, "  AUTOTASK_INTEGRATION_CODE=%s\n", creds.IntegrationCode)
	fmt.Fprintf(std.out, "Press Ctrl-C to stop.\n")

	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), server.ShutdownTimeout)
	defer cancel()
	if err := sb.Close(shutdownCtx); err != nil {
		return fmt.Errorf("sandbox shutdown: %w", err)
	}
	return nil
}
