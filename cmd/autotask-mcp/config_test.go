package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/internal/server"
	"github.com/autotask-mcp/autotask-mcp/tools"
)

func mapEnv(vars map[string]string) env {
	return func(name string) (string, bool) {
		v, ok := vars[name]
		return v, ok
	}
}

func TestLoadServeConfig(t *testing.T) {
	const token = "0123456789abcdef0123"
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    func(t *testing.T, cfg serveConfig)
		wantErr []string // substrings of the error; nil means success
	}{
		{name: "defaults", want: func(t *testing.T, cfg serveConfig) {
			assert.Equal(t, "stdio", cfg.Transport)
			assert.Equal(t, defaultHTTPAddr, cfg.Addr)
			assert.Equal(t, server.DefaultSessionTTL, cfg.SessionTTL)
			assert.Equal(t, slog.LevelInfo, cfg.LogLevel)
			assert.False(t, cfg.ReadOnly)
			assert.False(t, cfg.Sandbox)
			assert.Nil(t, cfg.GuardKey)
			assert.Empty(t, cfg.AllowWrites, "no allow list: every write allowed")
		}},
		{name: "flags", args: []string{"--transport", "HTTP", "--addr", "localhost:9000", "--read-only", "--sandbox", "--log-level", "debug",
			"--audit-log", "/tmp/a.jsonl", "--complete-status", "5", "--allow-writes", "add_ticket_note,Tickets", "--session-ttl", "5m"},
			want: func(t *testing.T, cfg serveConfig) {
				assert.Equal(t, "http", cfg.Transport)
				assert.Equal(t, "localhost:9000", cfg.Addr)
				assert.True(t, cfg.ReadOnly)
				assert.True(t, cfg.Sandbox)
				assert.Equal(t, slog.LevelDebug, cfg.LogLevel)
				assert.Equal(t, "/tmp/a.jsonl", cfg.AuditLog)
				assert.Equal(t, "5", cfg.CompleteStatus)
				assert.Equal(t, "add_ticket_note,Tickets", cfg.AllowWrites)
				assert.Equal(t, 5*time.Minute, cfg.SessionTTL)
				assert.Empty(t, cfg.Token)
			}},
		{name: "environment", env: map[string]string{
			"AUTOTASK_MCP_TRANSPORT": "sse", "AUTOTASK_MCP_ADDR": "127.0.0.1:9001", "AUTOTASK_MCP_READ_ONLY": "true",
			"AUTOTASK_MCP_LOG_LEVEL": "warn", "AUTOTASK_MCP_AUDIT_LOG": "/var/log/at.jsonl", "AUTOTASK_MCP_COMPLETE_STATUS": "12",
			"AUTOTASK_MCP_ALLOW_WRITES": "add_ticket_note", "AUTOTASK_MCP_SANDBOX": "1", "AUTOTASK_MCP_SESSION_TTL": "90s",
			"AUTOTASK_MCP_GUARD_KEY": "a-shared-key-for-all-replicas", "AUTOTASK_MCP_TOKEN": token,
		}, want: func(t *testing.T, cfg serveConfig) {
			assert.Equal(t, "sse", cfg.Transport)
			assert.Equal(t, "127.0.0.1:9001", cfg.Addr)
			assert.True(t, cfg.ReadOnly)
			assert.True(t, cfg.Sandbox)
			assert.Equal(t, slog.LevelWarn, cfg.LogLevel)
			assert.Equal(t, "/var/log/at.jsonl", cfg.AuditLog)
			assert.Equal(t, "12", cfg.CompleteStatus)
			assert.Equal(t, "add_ticket_note", cfg.AllowWrites)
			assert.Equal(t, 90*time.Second, cfg.SessionTTL)
			assert.Equal(t, []byte("a-shared-key-for-all-replicas"), cfg.GuardKey)
			assert.Equal(t, token, cfg.Token)
		}},
		{name: "command line beats environment", args: []string{"--transport", "stdio", "--read-only=false"},
			env: map[string]string{"AUTOTASK_MCP_TRANSPORT": "http", "AUTOTASK_MCP_READ_ONLY": "true"},
			want: func(t *testing.T, cfg serveConfig) {
				assert.Equal(t, "stdio", cfg.Transport)
				assert.False(t, cfg.ReadOnly)
			}},
		{name: "empty variable is unset", env: map[string]string{"AUTOTASK_MCP_TRANSPORT": ""},
			want: func(t *testing.T, cfg serveConfig) { assert.Equal(t, "stdio", cfg.Transport) }},
		{name: "stdio ignores a remote addr", args: []string{"--addr", "0.0.0.0:80"},
			want: func(t *testing.T, cfg serveConfig) { assert.Empty(t, cfg.Token) }},
		{name: "remote addr with token", args: []string{"--transport", "http", "--addr", "0.0.0.0:8080"}, env: map[string]string{"AUTOTASK_MCP_TOKEN": token},
			want: func(t *testing.T, cfg serveConfig) { assert.Equal(t, token, cfg.Token) }},
		{name: "allow list in any case", args: []string{"--allow-writes", "tickets, ADD_TICKET_NOTE"},
			want: func(t *testing.T, cfg serveConfig) { assert.Equal(t, "tickets, ADD_TICKET_NOTE", cfg.AllowWrites) }},
		{name: "allow list on the command line beats an empty variable", args: []string{"--allow-writes", "TicketNotes"},
			env:  map[string]string{"AUTOTASK_MCP_ALLOW_WRITES": ""},
			want: func(t *testing.T, cfg serveConfig) { assert.Equal(t, "TicketNotes", cfg.AllowWrites) }},
		{name: "flags after nothing else", args: []string{"--transport=http"},
			want: func(t *testing.T, cfg serveConfig) { assert.Equal(t, "http", cfg.Transport) }},

		{name: "bad transport flag", args: []string{"--transport", "websocket"}, wantErr: []string{"-transport", "stdio, http, sse"}},
		{name: "bad transport variable", env: map[string]string{"AUTOTASK_MCP_TRANSPORT": "ws"}, wantErr: []string{"AUTOTASK_MCP_TRANSPORT", "stdio, http, sse"}},
		{name: "bad boolean variable", env: map[string]string{"AUTOTASK_MCP_READ_ONLY": "maybe"}, wantErr: []string{"AUTOTASK_MCP_READ_ONLY", "true or false"}},
		{name: "bad boolean flag", args: []string{"--read-only=maybe"}, wantErr: []string{"-read-only"}},
		{name: "bad log level", args: []string{"--log-level", "loud"}, wantErr: []string{"-log-level", "debug, info, warn, error"}},
		{name: "bad log level variable", env: map[string]string{"AUTOTASK_MCP_LOG_LEVEL": "verbose"}, wantErr: []string{"AUTOTASK_MCP_LOG_LEVEL"}},
		{name: "every bad variable reported", env: map[string]string{"AUTOTASK_MCP_LOG_LEVEL": "verbose", "AUTOTASK_MCP_TRANSPORT": "ws"},
			wantErr: []string{"AUTOTASK_MCP_LOG_LEVEL", "AUTOTASK_MCP_TRANSPORT"}},
		{name: "unknown flag", args: []string{"--verbose"}, wantErr: []string{"-verbose", "autotask-mcp serve -h"}},
		{name: "unexpected argument", args: []string{"now"}, wantErr: []string{`"now"`}},
		{name: "bad addr", args: []string{"--transport", "http", "--addr", "8080"}, wantErr: []string{"--addr", "AUTOTASK_MCP_ADDR", "host:port"}},
		{name: "bad port", args: []string{"--transport", "http", "--addr", "127.0.0.1:http"}, wantErr: []string{"--addr", "port"}},
		{name: "remote addr without token", args: []string{"--transport", "http", "--addr", "0.0.0.0:8080"}, wantErr: []string{"AUTOTASK_MCP_TOKEN", "0.0.0.0:8080"}},
		{name: "all interfaces without token", args: []string{"--transport", "sse", "--addr", ":8080"}, wantErr: []string{"AUTOTASK_MCP_TOKEN"}},
		{name: "short token", args: []string{"--transport", "http"}, env: map[string]string{"AUTOTASK_MCP_TOKEN": "short"}, wantErr: []string{"AUTOTASK_MCP_TOKEN", "16"}},
		{name: "bad complete status", args: []string{"--complete-status", "Complete"}, wantErr: []string{"--complete-status", "AUTOTASK_MCP_COMPLETE_STATUS"}},
		{name: "short guard key", env: map[string]string{"AUTOTASK_MCP_GUARD_KEY": "abc"}, wantErr: []string{"AUTOTASK_MCP_GUARD_KEY", "16"}},
		{name: "bad session ttl", env: map[string]string{"AUTOTASK_MCP_SESSION_TTL": "forever"}, wantErr: []string{"AUTOTASK_MCP_SESSION_TTL"}},
		{name: "allow list typo", args: []string{"--allow-writes", "Tickts"},
			wantErr: []string{"--allow-writes", "AUTOTASK_MCP_ALLOW_WRITES", `"Tickts"`, `did you mean "Tickets"`, "add_ticket_note", "TicketNotes"}},
		{name: "allow list typo in variable", env: map[string]string{"AUTOTASK_MCP_ALLOW_WRITES": "TicketNotes,add_tiket_note"},
			wantErr: []string{"AUTOTASK_MCP_ALLOW_WRITES", `"add_tiket_note"`, `did you mean "add_ticket_note"`}},
		{name: "allow list every unknown name", args: []string{"--allow-writes", "Contactz,Tickts"}, wantErr: []string{`"Contactz"`, `"Tickts"`}},
		{name: "allow list empty flag", args: []string{"--allow-writes", ""}, wantErr: []string{"--allow-writes", "empty", "Tickets", "--read-only"}},
		{name: "allow list of separators", args: []string{"--allow-writes", " , "}, wantErr: []string{"--allow-writes", "empty"}},
		{name: "allow list empty variable", env: map[string]string{"AUTOTASK_MCP_ALLOW_WRITES": ""}, wantErr: []string{"AUTOTASK_MCP_ALLOW_WRITES", "empty"}},
		{name: "negative session ttl", args: []string{"--session-ttl", "-1s"}, wantErr: []string{"--session-ttl", "positive"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := loadServeConfig(tc.args, mapEnv(tc.env), stdio{out: io.Discard, err: io.Discard})
			if tc.wantErr != nil {
				requireUsageError(t, err, tc.wantErr...)
				return
			}
			require.NoError(t, err)
			tc.want(t, cfg)
		})
	}
}

func TestRunExitStatus(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantOut    string
		wantErrOut string
	}{
		{name: "version", args: []string{"version"}, wantCode: exitOK, wantOut: "autotask-mcp "},
		{name: "help", args: []string{"help"}, wantCode: exitOK, wantOut: "Usage:"},
		{name: "serve help", args: []string{"serve", "-h"}, wantCode: exitOK, wantOut: "AUTOTASK_MCP_READ_ONLY"},
		{name: "flags without command mean serve", args: []string{"-h"}, wantCode: exitOK, wantOut: "--transport"},
		{name: "unknown command", args: []string{"frobnicate"}, wantCode: exitUsage, wantErrOut: `unknown command "frobnicate"`},
		{name: "bad flag", args: []string{"--transport", "carrier-pigeon"}, wantCode: exitUsage, wantErrOut: "-transport"},
		{name: "version with arguments", args: []string{"version", "now"}, wantCode: exitUsage, wantErrOut: "no arguments"},
		{name: "call without tool", args: []string{"call"}, wantCode: exitUsage, wantErrOut: "TOOL"},
		{name: "call with bad JSON", args: []string{"call", "get_ticket", "{nope"}, wantCode: exitUsage, wantErrOut: "JSON object"},
		{name: "call with a JSON array", args: []string{"call", "get_ticket", "[1]"}, wantCode: exitUsage, wantErrOut: "JSON object"},
		{name: "sandbox with bad addr", args: []string{"sandbox", "--addr", "nowhere"}, wantCode: exitUsage, wantErrOut: "--addr"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), tc.args, mapEnv(nil), stdio{in: bytes.NewReader(nil), out: &out, err: &errOut})
			assert.Equal(t, tc.wantCode, code, "stderr: %s", errOut.String())
			assert.Contains(t, out.String(), tc.wantOut)
			assert.Contains(t, errOut.String(), tc.wantErrOut)
		})
	}
}

// TestAllowListErrorNamesEveryWrite: the error for an unknown name lists every name an
// allow list may use, each write tool and each entity one writes.
func TestAllowListErrorNamesEveryWrite(t *testing.T) {
	_, err := loadServeConfig([]string{"--allow-writes", "nothing-like-it"}, mapEnv(nil), stdio{out: io.Discard, err: io.Discard})
	require.Error(t, err)
	writes := 0
	for _, tool := range tools.All(tools.Deps{}) {
		if !tool.Write {
			continue
		}
		writes++
		assert.Contains(t, err.Error(), tool.Def.Name)
		for _, entity := range tool.Writes {
			assert.Contains(t, err.Error(), entity)
		}
	}
	require.NotZero(t, writes, "there are write tools to name")
}

// requireUsageError requires err to be a usage error (exit 2) whose message holds every want.
func requireUsageError(t *testing.T, err error, wants ...string) {
	t.Helper()
	var usage *usageError
	require.ErrorAs(t, err, &usage, "a configuration mistake is a usage error (exit 2)")
	for _, want := range wants {
		assert.Contains(t, err.Error(), want)
	}
}
