package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/internal/docexample"
	"github.com/autotask-mcp/autotask-mcp/internal/server"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

// userToken is the bearer token of a user of these tests; it and its hash must never be
// written anywhere but the users file (the hash) and the client's header (the token).
func userToken(name string) string { return "TEAMTOKEN-" + name + "-kept-private-7Qx" }

func userHash(name string) string {
	sum := sha256.Sum256([]byte(userToken(name)))
	return hex.EncodeToString(sum[:])
}

// usersJSON is a users file with an entry per spec: name, resource, then optional
// "read_only" or an allow list.
func usersJSON(t *testing.T, entries ...map[string]any) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"users": entries})
	require.NoError(t, err)
	return string(b)
}

func userEntry(name string, resource int64, extra ...any) map[string]any {
	e := map[string]any{"name": name, "token_sha256": userHash(name), "resource_id": resource}
	for i := 0; i+1 < len(extra); i += 2 {
		e[extra[i].(string)] = extra[i+1]
	}
	return e
}

func writeUsersFile(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
}

// assertNoUserSecrets fails for every spelling (secrets_test.go's encodings) of a test
// user's token or token hash found in blob.
func assertNoUserSecrets(t *testing.T, where, blob string, names ...string) {
	t.Helper()
	for _, name := range names {
		for _, value := range []string{userToken(name), userHash(name), strings.ToUpper(userHash(name))} {
			for _, form := range encodings(value) {
				if i := strings.Index(blob, form.text); i >= 0 {
					t.Errorf("LEAK in %s: %s's token or hash, %s, at byte %d", where, name, form.name, i)
				}
			}
		}
	}
}

func TestParseUsers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		file    string
		want    []server.User
		wantErr []string
	}{
		{name: "a team", file: usersJSON(t,
			userEntry("priya", 101),
			userEntry("omar", 102, "read_only", true),
			userEntry("lena", 103, "allow_writes", "add_ticket_note, TimeEntries")),
			want: []server.User{
				{Name: "priya", ResourceID: 101},
				{Name: "omar", ResourceID: 102, ReadOnly: true},
				{Name: "lena", ResourceID: 103, AllowWrites: []string{"add_ticket_note", "TimeEntries"}},
			}},
		{name: "empty file", file: "", wantErr: []string{"empty"}},
		{name: "no users", file: `{"users": []}`, wantErr: []string{"no users"}},
		{name: "not JSON", file: `{"users": [`, wantErr: []string{"not valid JSON"}},
		{name: "two values", file: `{"users": []} {}`, wantErr: []string{"more than one JSON value"}},
		{name: "no name", file: usersJSON(t, userEntry(" ", 101)), wantErr: []string{"user 1 (no name)", "name is missing"}},
		{name: "token instead of its hash", file: usersJSON(t, userEntry("priya", 101, "token_sha256", userToken("priya"))),
			wantErr: []string{`user 1 ("priya")`, "token_sha256 must be the SHA-256", "64 hex digits"}},
		{name: "hash too short", file: usersJSON(t, userEntry("priya", 101, "token_sha256", userHash("priya")[:62])), wantErr: []string{"64 hex digits"}},
		{name: "hash as a number", file: `{"users": [{"name": "priya", "token_sha256": 1234567890123, "resource_id": 101}]}`,
			wantErr: []string{"token_sha256 must be a JSON string"}},
		{name: "no resource", file: usersJSON(t, userEntry("priya", 0)), wantErr: []string{"resource_id must be the positive id"}},
		{name: "same name twice", file: usersJSON(t, userEntry("priya", 101), userEntry("Priya", 102, "token_sha256", userHash("omar"))),
			wantErr: []string{`"Priya" is used twice`}},
		{name: "same token twice", file: usersJSON(t, userEntry("priya", 101), userEntry("omar", 102, "token_sha256", userHash("priya"))),
			wantErr: []string{`users "priya" and "omar" have the same token_sha256`}},
		{name: "read-only with an allow list", file: usersJSON(t, userEntry("priya", 101, "read_only", true, "allow_writes", "log_time")),
			wantErr: []string{"read_only and allow_writes exclude each other"}},
		{name: "unknown write", file: usersJSON(t, userEntry("priya", 101, "allow_writes", "log_tme")),
			wantErr: []string{"allow_writes", `"log_tme"`, `did you mean "log_time"`}},
		{name: "empty allow list is every write", file: usersJSON(t, userEntry("priya", 101, "allow_writes", " ")),
			want: []server.User{{Name: "priya", ResourceID: 101}}},
		{name: "misspelt field", file: usersJSON(t, userEntry("priya", 101, "readonly", true)),
			wantErr: []string{`unknown field readonly`, "read_only"}},
		{name: "a token as a field name", file: usersJSON(t, userEntry("priya", 101, userToken("priya"), true)),
			wantErr: []string{"unknown field (not shown)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseUsers([]byte(tt.file))
			if tt.wantErr != nil {
				require.Error(t, err)
				for _, want := range tt.wantErr {
					assert.Contains(t, err.Error(), want)
				}
				assertNoUserSecrets(t, "the error", err.Error(), "priya", "omar")
				assert.NotContains(t, err.Error(), "1234567890123")
				return
			}
			require.NoError(t, err)
			require.Len(t, got, len(tt.want))
			for i, want := range tt.want {
				want.TokenSHA256 = sha256.Sum256([]byte(userToken(want.Name)))
				assert.Equal(t, want, got[i])
			}
		})
	}
}

func TestLoadServeConfigUsers(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "users.json")
	writeUsersFile(t, path, usersJSON(t, userEntry("priya", 101), userEntry("omar", 102)))
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr []string
	}{
		{name: "http on any address", args: []string{"--transport", "http", "--addr", "0.0.0.0:8080", "--users", path}},
		{name: "from the environment", args: []string{"--transport", "http"}, env: map[string]string{"AUTOTASK_MCP_USERS": path}},
		{name: "stdio", args: []string{"--users", path}, wantErr: []string{"--users (AUTOTASK_MCP_USERS) needs --transport http", "no bearer token"}},
		{name: "sse", args: []string{"--transport", "sse", "--users", path}},
		{name: "with a single token", args: []string{"--transport", "http", "--users", path}, env: map[string]string{envToken: "0123456789abcdef0123"},
			wantErr: []string{"AUTOTASK_MCP_TOKEN exclude each other", "unset AUTOTASK_MCP_TOKEN"}},
		{name: "missing file", args: []string{"--transport", "http", "--users", path + ".missing"}, wantErr: []string{"--users", "no such file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := loadServeConfig(tt.args, mapEnv(tt.env), stdio{out: new(strings.Builder)})
			if tt.wantErr != nil {
				requireUsageError(t, err, tt.wantErr...)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, path, cfg.UsersFile)
			require.Len(t, cfg.Users, 2)
			assert.Equal(t, "omar", cfg.Users[1].Name)
		})
	}
}

// reloadUsers, what SIGHUP runs: a good file replaces the team, a bad one keeps it, and the
// log says which and why, without a token or hash.
func TestReloadUsers(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "users.json")
	users := server.NewUsers(nil)
	logs := &testenv.Buffer{}
	logger := newLogger(logs, -8)

	writeUsersFile(t, path, usersJSON(t, userEntry("priya", 101), userEntry("omar", 102)))
	require.True(t, reloadUsers(path, users, logger))
	assert.Equal(t, 2, users.Len())

	writeUsersFile(t, path, usersJSON(t, userEntry("priya", 101)))
	require.True(t, reloadUsers(path, users, logger))
	assert.Equal(t, 1, users.Len(), "omar was removed")

	writeUsersFile(t, path, usersJSON(t, userEntry("priya", 101), userEntry("omar", 102, "token_sha256", userHash("priya"))))
	require.False(t, reloadUsers(path, users, logger))
	assert.Equal(t, 1, users.Len(), "a bad file keeps the team as it was")
	assert.Contains(t, logs.String(), "users file not reloaded; keeping the previous users")
	assert.Contains(t, logs.String(), "have the same token_sha256")

	assertNoUserSecrets(t, "the log", logs.String(), "priya", "omar")
}

// The binary serves a team: each user in their own session, writes recorded as theirs in the
// audit log, a user removed from the file and reloaded with SIGHUP refused, a broken file
// ignored, and no token or hash in its logs or audit log.
func TestTeamServerBinary(t *testing.T) {
	t.Parallel()
	sb := sandbox.New(sandbox.Options{}) // the binary's own sandbox is seeded alike
	var techs []int64
	for _, id := range sb.IDs("Resources") {
		if rec, _ := sb.Record("Resources", id); rec["isActive"] == true && id != sb.APIResourceID() {
			techs = append(techs, id)
		}
	}
	require.GreaterOrEqual(t, len(techs), 2)
	ticket := sb.IDs("Tickets")[4]

	dir := t.TempDir()
	usersPath, auditPath := filepath.Join(dir, "users.json"), filepath.Join(dir, "audit.jsonl")
	writeUsersFile(t, usersPath, usersJSON(t, userEntry("priya", techs[0]), userEntry("omar", techs[1])))
	srv := startHTTPServer(t, testEnv(t), "http", "--users", usersPath, "--audit-log", auditPath, "--log-level", "debug")

	connect := func(name string) *client.Client {
		c, err := client.NewStreamableHttpClient(srv.URL, transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer " + userToken(name)}))
		require.NoError(t, err)
		startClient(t, c)
		_, err = c.Initialize(callCtx(t), mcp.InitializeRequest{Params: mcp.InitializeParams{ClientInfo: mcp.Implementation{Name: name, Version: "1"}}})
		require.NoError(t, err)
		return c
	}
	callOK := func(c *client.Client, tool string, args map[string]any) {
		res, err := c.CallTool(callCtx(t), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: tool, Arguments: args}})
		require.NoError(t, err)
		require.False(t, res.IsError, "%s: %v", tool, res.Content)
	}
	for _, name := range []string{"priya", "omar"} {
		c := connect(name)
		callOK(c, "get_ticket", map[string]any{"ticket_id": ticket})
		callOK(c, "add_ticket_note", map[string]any{"ticket_id": ticket, "title": "Seen by " + name, "description": "Checked"})
	}

	status := func(name string) int {
		resp, _ := post(t, srv.URL, strings.NewReader(initializeBody), map[string]string{"Authorization": "Bearer " + userToken(name)})
		return resp.StatusCode
	}
	hangup := func(wantLog string) {
		before := strings.Count(srv.Stderr.String(), wantLog)
		require.NoError(t, srv.cmd.Process.Signal(syscall.SIGHUP))
		require.Eventually(t, func() bool { return strings.Count(srv.Stderr.String(), wantLog) > before },
			time.Minute, 20*time.Millisecond, "the server logs %q after SIGHUP:\n%s", wantLog, srv.Stderr)
	}

	writeUsersFile(t, usersPath, usersJSON(t, userEntry("priya", techs[0])))
	hangup("users file reloaded")
	assert.Equal(t, http.StatusUnauthorized, status("omar"), "omar was removed")
	assert.Equal(t, http.StatusOK, status("priya"))

	writeUsersFile(t, usersPath, `{"users": [{"name": "omar", "token_sha256": "`+userHash("omar")+`", "resource_id": 0}]}`)
	hangup("users file not reloaded")
	assert.Equal(t, http.StatusOK, status("priya"), "a bad file keeps the team")
	assert.Equal(t, http.StatusUnauthorized, status("omar"))

	// Each audit line is written whole as the write ends, so the file is complete now.
	audit, err := os.ReadFile(auditPath)
	require.NoError(t, err)
	var users []string
	for _, line := range strings.Split(strings.TrimSpace(string(audit)), "\n") {
		var entry struct{ User, Tool string }
		require.NoError(t, json.Unmarshal([]byte(line), &entry))
		users = append(users, fmt.Sprintf("%s %s", entry.User, entry.Tool))
	}
	assert.Equal(t, []string{"priya add_ticket_note", "omar add_ticket_note"}, users, "audit lines name the user")
	assertNoUserSecrets(t, "stderr", srv.Stderr.String(), "priya", "omar")
	assertNoUserSecrets(t, "the audit log", string(audit), "priya", "omar")
}

// The example users file in README.md's Team server subsection is one the server loads.
func TestREADMEUsersFileExample(t *testing.T) {
	t.Parallel()
	raw := readREADME(t)
	var examples []string
	for _, b := range docexample.Blocks(raw) {
		if b.Lang == "json" && strings.Contains(b.Text, `"users"`) {
			examples = append(examples, b.Text)
		}
	}
	require.Len(t, examples, 1, "README.md shows one example users file")
	users, err := parseUsers([]byte(examples[0]))
	require.NoError(t, err)
	require.Len(t, users, 3)
	assert.True(t, users[1].ReadOnly)
	assert.Equal(t, []string{"add_ticket_note", "log_time"}, users[2].AllowWrites)
}
