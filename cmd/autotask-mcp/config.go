package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/internal/server"
)

// Variables that are never flags: a secret on a command line is visible to every user
// of the machine through the process list.
const (
	envToken    = "AUTOTASK_MCP_TOKEN"     // bearer token for http/sse
	envGuardKey = "AUTOTASK_MCP_GUARD_KEY" // HMAC key for confirmation tokens, shared by replicas
)

const (
	defaultHTTPAddr = "127.0.0.1:8080"
	minTokenLength  = 16
)

// serverConfig is what every command that builds the MCP server needs (serve, call, tools, check).
type serverConfig struct {
	Sandbox        bool
	ReadOnly       bool
	LogLevel       slog.Level
	AuditLog       string
	CompleteStatus string
	AllowWrites    string // raw; parsed by the guard
	GuardKey       []byte // nil: the guard makes a random key per process
	ValidateOutput bool
	// SandboxKnobs shape the built-in sandbox (--sandbox-latency ...); an error with a real tenant.
	SandboxKnobs sandboxKnobs
}

// sandboxKnobPrefix puts the built-in sandbox's knobs apart from the server's own flags.
const sandboxKnobPrefix = "sandbox-"

// serverFlags binds the shared flags to a flag set; finish validates and fills in the rest.
type serverFlags struct {
	sandbox, readOnly bool
	validateOutput    bool
	level             levelValue
	auditLog          string
	completeStatus    string
	allowWrites       allowWritesFlag
	sandboxKnobs      *sandboxKnobs
}

func addServerFlags(fs *flag.FlagSet) *serverFlags {
	f := &serverFlags{level: levelValue{level: slog.LevelInfo}}
	fs.BoolVar(&f.sandbox, "sandbox", false, "serve the built-in sandbox tenant instead of a real one (chosen automatically when no Autotask credentials are configured)")
	fs.BoolVar(&f.readOnly, "read-only", false, "leave write tools out and refuse every write")
	fs.Var(&f.level, "log-level", "log level on stderr: `debug|info|warn|error`")
	fs.StringVar(&f.auditLog, "audit-log", "", "append one JSON line per write attempt to this `file`")
	fs.StringVar(&f.completeStatus, "complete-status", "", "ticket status `id` that means Complete (default: the status labelled exactly \"Complete\")")
	fs.Var(&f.allowWrites, "allow-writes", "comma-separated write tools and/or the entities they write, the only writes offered (default: all; an unknown name is an error)")
	fs.BoolVar(&f.validateOutput, "validate-output", false, "check every structured tool result against the tool's output schema (diagnostics and tests; costs time on each call)")
	f.sandboxKnobs = addSandboxKnobs(fs, sandboxKnobPrefix)
	return f
}

func (f *serverFlags) finish(lookup env) (serverConfig, error) {
	cfg := serverConfig{
		Sandbox:        f.sandbox,
		ReadOnly:       f.readOnly,
		LogLevel:       f.level.level,
		AuditLog:       strings.TrimSpace(f.auditLog),
		CompleteStatus: strings.TrimSpace(f.completeStatus),
		ValidateOutput: f.validateOutput,
		SandboxKnobs:   *f.sandboxKnobs,
	}
	if err := cfg.SandboxKnobs.validate(func(name string) string {
		return fmt.Sprintf("--%s%s (%s)", sandboxKnobPrefix, name, envName(sandboxKnobPrefix+name))
	}); err != nil {
		return cfg, err
	}
	var err error
	if cfg.AllowWrites, err = f.allowWrites.value(lookup); err != nil {
		return cfg, err
	}
	if cfg.CompleteStatus != "" {
		if id, err := strconv.ParseInt(cfg.CompleteStatus, 10, 64); err != nil || id < 0 {
			return cfg, usageErrorf("--complete-status (%s) must be a status id, a whole number such as 5; got %q", envName("complete-status"), cfg.CompleteStatus)
		}
	}
	if key, ok := lookup(envGuardKey); ok && key != "" {
		if len(key) < guard.MinKeyBytes {
			return cfg, usageErrorf("%s must be at least %d characters (e.g. the output of `openssl rand -hex 32`)", envGuardKey, guard.MinKeyBytes)
		}
		cfg.GuardKey = []byte(key)
	}
	return cfg, nil
}

// serveConfig adds the transport settings of the serve command.
type serveConfig struct {
	serverConfig
	Transport  string
	Addr       string
	SessionTTL time.Duration
	Token      string
	// UsersFile serves a team (--users): Users as it held them at start.
	UsersFile string
	Users     []server.User
}

func loadServeConfig(args []string, lookup env, help stdio) (serveConfig, error) {
	fs := newFlagSet("serve")
	shared := addServerFlags(fs)
	transport := newChoice("stdio", "stdio", "http", "sse")
	fs.Var(transport, "transport", "MCP transport: `stdio|http|sse`")
	addr := fs.String("addr", defaultHTTPAddr, "listen `host:port` for http and sse")
	ttl := fs.Duration("session-ttl", server.DefaultSessionTTL, "an HTTP session idle this long is closed")
	usersFile := fs.String("users", "", "serve a team over http or sse: a JSON `file` of users, each with their own token, Autotask resource and writes (reloaded on SIGHUP)")
	positional, err := parseFlags(fs, args, lookup, true, help.out)
	if err != nil {
		return serveConfig{}, err
	}
	if len(positional) > 0 {
		return serveConfig{}, usageErrorf("serve: unexpected argument %q (see autotask-mcp serve -h)", positional[0])
	}
	common, err := shared.finish(lookup)
	if err != nil {
		return serveConfig{}, err
	}
	cfg := serveConfig{serverConfig: common, Transport: transport.value, Addr: strings.TrimSpace(*addr), SessionTTL: *ttl, UsersFile: strings.TrimSpace(*usersFile)}
	if cfg.SessionTTL <= 0 {
		return cfg, usageErrorf("--session-ttl (%s) must be positive, e.g. 30m", envName("session-ttl"))
	}
	if cfg.Transport == "stdio" {
		if cfg.UsersFile != "" {
			return cfg, usageErrorf("--users (%s) needs --transport http (or sse): on stdio there is no bearer token to tell users apart", envName("users"))
		}
		return cfg, nil
	}
	if err := validateListenAddr(cfg.Addr); err != nil {
		return cfg, usageErrorf("--addr (%s): %v", envName("addr"), err)
	}
	cfg.Token, _ = lookup(envToken)
	cfg.Token = strings.TrimSpace(cfg.Token)
	if cfg.UsersFile != "" {
		return cfg, cfg.loadUsers()
	}
	switch {
	case cfg.Token == "" && !server.IsLoopbackAddr(cfg.Addr):
		return cfg, usageErrorf("--addr %s is reachable from other machines: set %s to a bearer token of at least %d characters (e.g. `openssl rand -hex 32`), or listen on 127.0.0.1", cfg.Addr, envToken, minTokenLength)
	case cfg.Token != "" && len(cfg.Token) < minTokenLength:
		return cfg, usageErrorf("%s must be at least %d characters", envToken, minTokenLength)
	}
	return cfg, nil
}

func validateListenAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("want host:port such as 127.0.0.1:8080, got %q", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}
	return nil
}

// loadUsers checks the team settings and reads the users file.
func (cfg *serveConfig) loadUsers() error {
	if cfg.Token != "" {
		return usageErrorf("--users (%s) and %s exclude each other: with a users file every person has their own token; unset %s", envName("users"), envToken, envToken)
	}
	users, err := loadUsersFile(cfg.UsersFile)
	if err != nil {
		return usageErrorf("--users (%s): %v", envName("users"), err)
	}
	cfg.Users = users
	return nil
}
