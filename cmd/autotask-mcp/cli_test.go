package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
	"github.com/autotask-mcp/autotask-mcp/tools"
)

// TestCall runs `autotask-mcp call` as a user would on a fresh clone: no credentials.
func TestCall(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	stdout, stderr, code := runBinary(t, env, "", "call", "query_entity", `{"entity":"Tickets","limit":1,"fields":["ticketNumber"]}`)
	require.Equal(t, 0, code, stderr)
	var page struct {
		Items []map[string]any `json:"items"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &page), stdout)
	require.NotEmpty(t, page.Items)
	number, _ := page.Items[0]["ticketNumber"].(string)
	require.NotEmpty(t, number)

	tests := []struct {
		name       string
		args       []string
		stdin      string
		wantCode   int
		wantOut    []string
		wantErrOut []string
	}{
		{name: "get_ticket by number", args: []string{"call", "get_ticket", `{"ticket_number":"` + number + `"}`},
			wantOut: []string{`"ticket"`, number, `"version"`}, wantErrOut: []string{"built-in sandbox tenant"}},
		{name: "arguments from stdin", args: []string{"call", "get_ticket", "-"}, stdin: `{"ticket_number":"` + number + `"}`,
			wantOut: []string{number}},
		{name: "full result with flag after arguments", args: []string{"call", "get_ticket", `{"ticket_number":"` + number + `"}`, "--full"},
			wantOut: []string{`"structuredContent"`, `"content"`}},
		{name: "tool error exits 1", args: []string{"call", "get_ticket", `{"ticket_id":999999999}`},
			wantCode: exitFailure, wantOut: []string{`"isError": true`}},
		{name: "bad arguments exit 1", args: []string{"call", "get_ticket", `{}`},
			wantCode: exitFailure, wantOut: []string{`"isError": true`}},
		{name: "unknown tool", args: []string{"call", "get_tikcet", `{}`},
			wantCode: exitUsage, wantErrOut: []string{`no tool "get_tikcet"`, "get_ticket"}},
		{name: "describe_fields catalog", args: []string{"call", "describe_fields", `{}`},
			wantOut: []string{"Tickets"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runBinary(t, env, tc.stdin, tc.args...)
			assert.Equal(t, tc.wantCode, code, "stderr: %s", stderr)
			if tc.wantCode != exitUsage {
				assert.True(t, json.Valid([]byte(stdout)), "stdout is JSON: %s", stdout)
			}
			for _, want := range tc.wantOut {
				assert.Contains(t, stdout, want)
			}
			for _, want := range tc.wantErrOut {
				assert.Contains(t, stderr, want)
			}
		})
	}
}

// TestSandboxCommandAndCheck serves the sandbox on a port and checks it, with good and
// bad credentials, and with none at all (the built-in sandbox).
func TestSandboxCommandAndCheck(t *testing.T) {
	t.Parallel()
	url := startSandboxCommand(t, []string{"sandbox", "--addr", "127.0.0.1:0", "--tickets", "50", "--secret", "s3cret-for-test"})["AUTOTASK_API_URL"]
	require.NotEmpty(t, url, "the sandbox prints its base URL")

	creds := func(secret string) []string {
		return testEnv(t, "AUTOTASK_API_URL="+url, "AUTOTASK_USERNAME=sandbox@autotask-mcp.local",
			"AUTOTASK_SECRET="+secret, "AUTOTASK_INTEGRATION_CODE=SANDBOX")
	}
	tests := []struct {
		name     string
		env      []string
		args     []string
		wantCode int
		wantOut  []string
	}{
		{name: "check good credentials", env: creds("s3cret-for-test"), args: []string{"check"},
			wantOut: []string{"Autotask tenant", "sandbox@autotask-mcp.local", "requests", "credentials: ok"}},
		{name: "check bad credentials", env: creds("wrong"), args: []string{"check"}, wantCode: exitFailure},
		{name: "check built-in sandbox", env: testEnv(t), args: []string{"check"},
			wantOut: []string{"built-in sandbox tenant", "credentials: ok"}},
		{name: "call against the sandbox on a port", env: creds("s3cret-for-test"),
			args: []string{"call", "query_entity", `{"entity":"Tickets","count_only":true}`}, wantOut: []string{`"total": 50`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runBinary(t, tc.env, "", tc.args...)
			assert.Equal(t, tc.wantCode, code, "stdout: %s\nstderr: %s", out, errOut)
			for _, want := range tc.wantOut {
				assert.Contains(t, out, want)
			}
			for _, secret := range []string{"s3cret-for-test", "sandbox-secret"} {
				assert.NotContains(t, out+errOut, secret, "secrets never printed")
			}
		})
	}
}

// startSandboxCommand runs `autotask-mcp ARGS` (the sandbox subcommand), waits until it
// has printed its settings, returns them (NAME=value lines) and stops it with SIGTERM when
// the test ends, requiring a clean exit.
func startSandboxCommand(t *testing.T, args []string) map[string]string {
	t.Helper()
	cmd := exec.Command(binPath, args...)
	cmd.Env = testEnv(t)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	stderr := &testenv.Buffer{}
	cmd.Stderr = stderr
	require.NoError(t, cmd.Start())

	settings := make(chan map[string]string, 1)
	exited := make(chan error, 1)
	go func() {
		printed := map[string]string{}
		scanner := bufio.NewScanner(stdout)
		for scanner.Scan() {
			line := strings.TrimSpace(scanner.Text())
			if name, value, ok := strings.Cut(line, "="); ok && strings.HasPrefix(name, "AUTOTASK_") {
				printed[name] = value
			}
			if strings.HasPrefix(line, "Press Ctrl-C") { // the last line of its banner
				settings <- printed
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		exited <- cmd.Wait()
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-exited:
			assert.NoError(t, err, "sandbox shuts down cleanly on SIGTERM; stderr:\n%s", stderr)
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
			t.Error("sandbox ignored SIGTERM")
		}
		assert.NotContains(t, stderr.String(), "DATA RACE")
	})
	select {
	case printed := <-settings:
		return printed
	case err := <-exited:
		exited <- err // for the cleanup
		t.Fatalf("sandbox exited before it was ready (%v); stderr:\n%s", err, stderr)
	case <-time.After(30 * time.Second):
		t.Fatalf("sandbox did not print its settings; stderr:\n%s", stderr)
	}
	return nil
}

// TestToolsGolden pins what the assistant sees: any change to a tool's name, description
// or schemas must show up as a reviewed diff of testdata/tools/NAME.json, one file per
// tool so the diff names the tool that changed.
// Regenerate with: go test ./cmd/autotask-mcp -run TestToolsGolden -update
func TestToolsGolden(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := runBinary(t, testEnv(t), "", "tools")
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr, "tools prints nothing on stderr")

	var listed []json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(stdout), &listed))
	dir := filepath.Join("testdata", "tools")
	const regenerate = "review, then go test ./cmd/autotask-mcp -run TestToolsGolden -update"
	seen := map[string]bool{}
	for _, raw := range listed {
		var tool struct {
			Name string `json:"name"`
		}
		require.NoError(t, json.Unmarshal(raw, &tool))
		seen[tool.Name+".json"] = true
		var pretty bytes.Buffer
		require.NoError(t, json.Indent(&pretty, raw, "", "  "))
		pretty.WriteByte('\n')
		golden := filepath.Join(dir, tool.Name+".json")
		if *update {
			require.NoError(t, os.MkdirAll(dir, 0o755))
			require.NoError(t, os.WriteFile(golden, pretty.Bytes(), 0o644))
		}
		want, err := os.ReadFile(golden)
		require.NoError(t, err, "new tool %s: %s", tool.Name, regenerate)
		assert.Equal(t, string(want), pretty.String(), "tool %s changed: %s", tool.Name, regenerate)
	}
	files, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, f := range files {
		if seen[f.Name()] {
			continue
		}
		if *update {
			require.NoError(t, os.Remove(filepath.Join(dir, f.Name())))
			continue
		}
		t.Errorf("%s pins a tool the server no longer lists: %s", filepath.Join(dir, f.Name()), regenerate)
	}
}

// TestToolSchemas checks what the golden file pins: every tool is described and
// titled, both schemas are objects, every property is described and every $ref
// resolves.
func TestToolSchemas(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := runBinary(t, testEnv(t), "", "tools")
	require.Equal(t, 0, code, stderr)

	var listed []struct {
		Name         string         `json:"name"`
		Description  string         `json:"description"`
		InputSchema  map[string]any `json:"inputSchema"`
		OutputSchema map[string]any `json:"outputSchema"`
		Title        string         `json:"title"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &listed))
	require.NotEmpty(t, listed)
	for _, tool := range listed {
		t.Run(tool.Name, func(t *testing.T) {
			assert.NotEmpty(t, tool.Description)
			assert.NotEmpty(t, tool.Title, "title")
			for kind, schema := range map[string]map[string]any{"input": tool.InputSchema, "output": tool.OutputSchema} {
				require.NotNil(t, schema, "%s schema", kind)
				assert.Equal(t, "object", schema["type"], "%s schema type", kind)
				described := ""
				if kind == "output" {
					described = tools.Instructions
				}
				checkSchema(t, kind, schema, schema, 0, described)
			}
		})
	}
}

// checkSchema requires every $ref to resolve, and a description on every property
// down to maxDescribedDepth levels of nesting (an input property, the fields of its
// items); deeper levels repeat a described shape, such as nested filter groups. A
// result property that every write tool shares is described once, in the server's
// instructions (described), rather than in every tool's schema: there it must be
// named as a word.
const maxDescribedDepth = 2

func checkSchema(t *testing.T, path string, root, node map[string]any, depth int, described string) {
	if ref, ok := node["$ref"].(string); ok {
		name, found := strings.CutPrefix(ref, "#/$defs/")
		defs, _ := root["$defs"].(map[string]any)
		assert.True(t, found && defs[name] != nil, "%s: $ref %s does not resolve", path, ref)
	}
	if props, ok := node["properties"].(map[string]any); ok {
		for name, p := range props {
			prop, _ := p.(map[string]any)
			_, hasRef := prop["$ref"]
			desc, _ := prop["description"].(string)
			if depth < maxDescribedDepth {
				elsewhere := depth == 0 && regexp.MustCompile(`\b`+regexp.QuoteMeta(name)+`\b`).MatchString(described)
				assert.True(t, hasRef || strings.TrimSpace(desc) != "" || elsewhere, "%s.%s has no description", path, name)
			}
			checkSchema(t, path+"."+name, root, prop, depth+1, "")
		}
	}
	for _, key := range []string{"items", "additionalProperties"} {
		if child, ok := node[key].(map[string]any); ok {
			checkSchema(t, path+"."+key, root, child, depth, described)
		}
	}
	for _, key := range []string{"anyOf", "oneOf", "allOf"} {
		if list, ok := node[key].([]any); ok {
			for _, c := range list {
				if child, ok := c.(map[string]any); ok {
					checkSchema(t, path+"."+key, root, child, depth, described)
				}
			}
		}
	}
	if defs, ok := node["$defs"].(map[string]any); ok {
		for name, d := range defs {
			if def, ok := d.(map[string]any); ok {
				checkSchema(t, path+".$defs."+name, root, def, 0, "")
			}
		}
	}
}

// TestClaudeDesktopExample keeps the example configuration in step with the binary:
// every server in it starts, and every variable it sets is one the binary reads.
func TestClaudeDesktopExample(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "claude_desktop_config.example.json"))
	require.NoError(t, err)
	var cfg struct {
		MCPServers map[string]struct {
			Command string            `json:"command"`
			Args    []string          `json:"args"`
			Env     map[string]string `json:"env"`
		} `json:"mcpServers"`
	}
	require.NoError(t, json.Unmarshal(raw, &cfg))
	require.Contains(t, cfg.MCPServers, "autotask-sandbox")
	require.Contains(t, cfg.MCPServers, "autotask")
	assert.Empty(t, cfg.MCPServers["autotask-sandbox"].Env, "the sandbox needs no environment")

	known := map[string]bool{envToken: true, envGuardKey: true}
	for _, name := range []string{autotask.EnvUsername, autotask.EnvSecret, autotask.EnvSecretB64, autotask.EnvIntegrationCode,
		autotask.EnvAPIURL, autotask.EnvResourceID, autotask.EnvZoneLookupURL, autotask.EnvCacheDir, autotask.EnvHourlyBudget} {
		known[name] = true
	}
	fs := newFlagSet("serve")
	addServerFlags(fs)
	fs.VisitAll(func(f *flag.Flag) { known[envName(f.Name)] = true })
	for name, server := range cfg.MCPServers {
		assert.True(t, filepath.IsAbs(server.Command), "%s: desktop clients need an absolute command path", name)
		for key := range server.Env {
			assert.True(t, known[key], "%s: unknown variable %s", name, key)
		}
		t.Run(name, func(t *testing.T) {
			// The example's args, with its env, must be a valid configuration.
			vars := map[string]string{}
			for k, v := range server.Env {
				vars[k] = v
			}
			_, err := loadServeConfig(server.Args, mapEnv(vars), stdio{out: io.Discard, err: io.Discard})
			assert.NoError(t, err)
		})
	}
}

// TestHelpListsCommands: -h, --help and help name every command on a line of its own
// with what it does, then the flags of serve, the command run when none is named.
func TestHelpListsCommands(t *testing.T) {
	commands := []string{"serve", "sandbox", "call", "tools", "check", "version"}
	for _, args := range [][]string{{"-h"}, {"--help"}, {"help"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), args, mapEnv(nil), stdio{in: strings.NewReader(""), out: &out, err: &errOut})
			require.Equal(t, exitOK, code, errOut.String())
			for _, name := range commands {
				line := regexp.MustCompile(`(?m)^  autotask-mcp \[?` + name + `\b[^\n]*? {2,}\S`)
				assert.Regexp(t, line, out.String(), "a line for %s with what it does", name)
			}
			assert.Contains(t, out.String(), "--transport", "and the flags of serve")
		})
	}
	for _, name := range commands {
		var out, errOut bytes.Buffer
		run(context.Background(), []string{name, "-h"}, mapEnv(nil), stdio{in: strings.NewReader(""), out: &out, err: &errOut})
		assert.NotContains(t, errOut.String(), "unknown command", "%s is a command", name)
	}
}

// TestServeOnTerminalSaysItWaits: on stdio with a person at the terminal, serve says
// on stderr that it waits for an MCP client and how to try it by hand; with a client
// on a pipe it says nothing of the kind.
func TestServeOnTerminalSaysItWaits(t *testing.T) {
	for _, terminal := range []bool{true, false} {
		t.Run(fmt.Sprintf("terminal=%v", terminal), func(t *testing.T) {
			var out, errOut bytes.Buffer
			std := stdio{in: strings.NewReader(""), out: &out, err: &errOut, terminal: terminal}
			require.Equal(t, exitOK, run(context.Background(), nil, mapEnv(nil), std), errOut.String())
			assert.Empty(t, out.String(), "stdout carries only the protocol")
			for _, want := range []string{"waits for an MCP client", "autotask-mcp call", "autotask-mcp tools"} {
				if terminal {
					assert.Contains(t, errOut.String(), want)
				} else {
					assert.NotContains(t, errOut.String(), want)
				}
			}
		})
	}
}

func TestIsTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	null, err := os.Open(os.DevNull)
	require.NoError(t, err)
	defer null.Close()
	file, err := os.Create(filepath.Join(t.TempDir(), "input"))
	require.NoError(t, err)
	defer file.Close()
	assert.False(t, isTerminal(r), "a pipe is a client")
	assert.False(t, isTerminal(null), "the null device is a script giving no input")
	assert.False(t, isTerminal(file), "a file is input")
}
