package server

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	mcpserver "github.com/mark3labs/mcp-go/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/tools"
)

// team is a server with users over a sandbox tenant on loopback.
type team struct {
	*inProcessHTTP
	sb    *sandbox.Sandbox
	users *Users
	audit *lockedBuffer
	// Resource ids the users act as, by name.
	resource  map[string]int64
	transport string
}

// teamToken is the bearer token of the user name in these tests.
func teamToken(name string) string { return "token-of-" + name + "-0123456789abcdef" }

func newTeamUser(name string, resource int64, readOnly bool, allow ...string) User {
	return User{Name: name, TokenSHA256: sha256.Sum256([]byte(teamToken(name))), ResourceID: resource, ReadOnly: readOnly, AllowWrites: allow}
}

// startTeam serves priya and omar (every write, each as a technician of their own), rita
// (read-only) and lena (add_ticket_note only).
func startTeam(t *testing.T) *team { return startTeamOver(t, "http") }

// startTeamOver is startTeam over the transport named ("http" or "sse").
func startTeamOver(t *testing.T, transportName string) *team {
	t.Helper()
	sb := sandbox.New(sandbox.Options{})
	var techs []int64
	for _, id := range sb.IDs("Resources") {
		rec, _ := sb.Record("Resources", id)
		if rec["isActive"] == true && id != sb.APIResourceID() {
			techs = append(techs, id)
		}
	}
	require.GreaterOrEqual(t, len(techs), 4)
	tm := &team{sb: sb, audit: &lockedBuffer{}, resource: map[string]int64{
		"priya": techs[0], "omar": techs[1], "rita": techs[2], "lena": techs[3],
	}}
	tm.users = NewUsers([]User{
		newTeamUser("priya", techs[0], false),
		newTeamUser("omar", techs[1], false),
		newTeamUser("rita", techs[2], true),
		newTeamUser("lena", techs[3], false, "add_ticket_note"),
	})
	deps := sandboxDepsOn(t, sb, guard.Options{Audit: tm.audit})
	tm.inProcessHTTP = startHTTPWith(t, HTTPConfig{Transport: transportName, Users: tm.users}, deps)
	tm.transport = transportName
	return tm
}

// connect is an initialized MCP session of the user name.
func (tm *team) connect(t *testing.T, name string) *client.Client {
	t.Helper()
	auth := map[string]string{"Authorization": "Bearer " + teamToken(name)}
	var c *client.Client
	var err error
	if tm.transport == "sse" {
		c, err = client.NewSSEMCPClient(tm.URL, transport.WithHeaders(auth))
	} else {
		c, err = client.NewStreamableHttpClient(tm.URL, transport.WithHTTPHeaders(auth))
	}
	require.NoError(t, err)
	require.NoError(t, c.Start(context.Background()))
	t.Cleanup(func() { _ = c.Close() })
	_, err = c.Initialize(teamCtx(t), mcp.InitializeRequest{Params: mcp.InitializeParams{ClientInfo: mcp.Implementation{Name: name, Version: "1"}}})
	require.NoError(t, err)
	return c
}

func teamCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// call runs a tool and returns its result's text, requiring the result to be as ok says.
func call(t *testing.T, c *client.Client, tool string, args map[string]any, ok bool) string {
	t.Helper()
	res, err := c.CallTool(teamCtx(t), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: tool, Arguments: args}})
	require.NoError(t, err)
	var text strings.Builder
	for _, c := range res.Content {
		if tc, isText := c.(mcp.TextContent); isText {
			text.WriteString(tc.Text)
		}
	}
	require.Equal(t, !ok, res.IsError, "%s: %s", tool, text.String())
	return text.String()
}

// record is the first record of entity whose field has value.
func (tm *team) record(t *testing.T, entity, field string, value any) map[string]any {
	t.Helper()
	for _, id := range tm.sb.IDs(entity) {
		if rec, _ := tm.sb.Record(entity, id); rec[field] == value {
			return rec
		}
	}
	t.Fatalf("no %s with %s %v", entity, field, value)
	return nil
}

// Every write a user makes reaches the tenant as that user's resource
// (ImpersonationResourceId), and the tenant records it as theirs.
func TestTeamWritesAsEachUser(t *testing.T) {
	for _, transportName := range []string{"http", "sse"} {
		t.Run(transportName, func(t *testing.T) { teamWritesAsEachUser(t, startTeamOver(t, transportName)) })
	}
}

func teamWritesAsEachUser(t *testing.T, tm *team) {
	ticket := tm.sb.IDs("Tickets")[3]
	for _, name := range []string{"priya", "omar"} {
		t.Run(name, func(t *testing.T) {
			c := tm.connect(t, name)
			want := tm.resource[name]
			call(t, c, "get_ticket", map[string]any{"ticket_id": ticket}, true)

			call(t, c, "add_ticket_note", map[string]any{"ticket_id": ticket, "title": "Called " + name, "description": "Left a message"}, true)
			note := tm.record(t, "TicketNotes", "title", "Called "+name)
			assert.Equal(t, want, note["creatorResourceID"], "the note is the user's")
			assert.Equal(t, tm.sb.APIResourceID(), note["impersonatorCreatorResourceID"])

			call(t, c, "get_ticket", map[string]any{"ticket_id": ticket}, true)
			call(t, c, "log_time", map[string]any{"ticket_id": ticket, "hours": 0.5, "summary": "Checked backups for " + name}, true)
			entry := tm.record(t, "TimeEntries", "summaryNotes", "Checked backups for "+name)
			assert.Equal(t, want, entry["resourceID"], "the time is the user's")

			call(t, c, "get_ticket", map[string]any{"ticket_id": ticket}, true)
			call(t, c, "update_ticket", map[string]any{"ticket_id": ticket, "changes": map[string]any{"title": "Printer jam, seen by " + name}}, true)
			updated, _ := tm.sb.Record("Tickets", ticket)
			assert.Equal(t, want, updated["lastActivityResourceID"], "the ticket's last change is the user's")
		})
	}
	lines := strings.Split(strings.TrimSpace(tm.audit.String()), "\n")
	require.Len(t, lines, 6, "one audit line per write")
	for i, line := range lines {
		var entry struct{ User, Outcome string }
		require.NoError(t, json.Unmarshal([]byte(line), &entry))
		assert.Equal(t, []string{"priya", "omar"}[i/3], entry.User, "audit line %d names the user", i)
		assert.Equal(t, guard.OutcomeApplied, entry.Outcome)
	}
}

// One user can neither use another's session, nor write on another's reads, nor redeem
// another's confirmation token.
func TestTeamUsersAreIsolated(t *testing.T) {
	tm := startTeam(t)
	ticket := tm.sb.IDs("Tickets")[5]
	ctx := teamCtx(t)

	// Priya's session, as opened by her client: omar's token on it finds no session.
	priyaSession := openTeamSession(t, ctx, tm.URL, "priya")
	for _, method := range []string{http.MethodPost, http.MethodGet, http.MethodDelete} {
		body := ""
		if method == http.MethodPost {
			body = `{"jsonrpc":"2.0","id":2,"method":"tools/list"}`
		}
		resp := teamRequest(t, ctx, method, tm.URL, priyaSession, body, "omar")
		resp.Body.Close() // unread: a GET that wrongly got through would be an endless stream
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, "%s on priya's session with omar's token", method)
	}
	resp := teamRequest(t, ctx, http.MethodPost, tm.URL, priyaSession, `{"jsonrpc":"2.0","id":2,"method":"tools/list"}`, "priya")
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "priya's own session still works after omar's attempts")

	priya, omar := tm.connect(t, "priya"), tm.connect(t, "omar")
	call(t, priya, "get_ticket", map[string]any{"ticket_id": ticket}, true)
	text := call(t, omar, "update_ticket", map[string]any{"ticket_id": ticket, "changes": map[string]any{"title": "Omar was here"}}, false)
	assert.Contains(t, text, "this session had not read ticket", "priya's read does not count for omar")

	// Priya asks for a status change; the confirmation token is hers.
	call(t, priya, "get_ticket", map[string]any{"ticket_id": ticket}, true)
	resolve := map[string]any{"ticket_id": ticket, "changes": map[string]any{"status": "Waiting Customer"}}
	preview := call(t, priya, "update_ticket", resolve, true)
	token := confirmationToken(t, preview)
	call(t, omar, "get_ticket", map[string]any{"ticket_id": ticket}, true)
	resolve["confirm"] = token
	text = call(t, omar, "update_ticket", resolve, false)
	assert.Contains(t, text, "confirmation token does not match", "omar cannot redeem priya's token")
	call(t, priya, "update_ticket", resolve, true)
}

// confirmationToken finds the token in a confirmation_required result.
func confirmationToken(t *testing.T, text string) string {
	t.Helper()
	m := regexp.MustCompile(`"token":"([A-Za-z0-9_-]+)"`).FindStringSubmatch(text)
	require.NotNil(t, m, "no confirmation token in %s", text)
	return m[1]
}

// teamRequest is mcpRequest with the user name's bearer token.
func teamRequest(t *testing.T, ctx context.Context, method, url, session, body, user string) *http.Response {
	t.Helper()
	req := mcpRequest(t, ctx, method, url, session, body)
	req.Header.Set("Authorization", "Bearer "+teamToken(user))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	return resp
}

// openTeamSession initializes a session as user and completes the handshake.
func openTeamSession(t *testing.T, ctx context.Context, url, user string) string {
	t.Helper()
	resp := teamRequest(t, ctx, http.MethodPost, url, "", initializeBody, user)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	id := resp.Header.Get("Mcp-Session-Id")
	require.NotEmpty(t, id)
	resp = teamRequest(t, ctx, http.MethodPost, url, id, `{"jsonrpc":"2.0","method":"notifications/initialized"}`, user)
	resp.Body.Close()
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	return id
}

// A read-only user is offered no write tool and cannot call one; a user with an allow list
// is offered only the writes it names.
func TestTeamUserSeesOnlyTheirTools(t *testing.T) {
	for _, transportName := range []string{"http", "sse"} {
		t.Run(transportName, func(t *testing.T) { teamUserSeesOnlyTheirTools(t, startTeamOver(t, transportName)) })
	}
}

func teamUserSeesOnlyTheirTools(t *testing.T, tm *team) {
	var reads, writes []string
	for _, tool := range tools.All(tools.Deps{}) {
		if tool.Write {
			writes = append(writes, tool.Def.Name)
		} else {
			reads = append(reads, tool.Def.Name)
		}
	}
	tests := []struct {
		user string
		want []string
	}{
		{"rita", reads},
		{"lena", append(slices.Clone(reads), "add_ticket_note")},
		{"priya", append(slices.Clone(reads), writes...)},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			c := tm.connect(t, tt.user)
			listed, err := c.ListTools(teamCtx(t), mcp.ListToolsRequest{})
			require.NoError(t, err)
			var names []string
			for _, tool := range listed.Tools {
				names = append(names, tool.Name)
			}
			assert.ElementsMatch(t, tt.want, names)
		})
	}
	ticket := tm.sb.IDs("Tickets")[2]
	rita := tm.connect(t, "rita")
	call(t, rita, "get_ticket", map[string]any{"ticket_id": ticket}, true)
	before := len(tm.sb.IDs("TicketNotes"))
	_, err := rita.CallTool(teamCtx(t), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "add_ticket_note",
		Arguments: map[string]any{"ticket_id": ticket, "title": "x", "description": "y"}}})
	require.Error(t, err, "a tool the user is not offered cannot be called")
	assert.Len(t, tm.sb.IDs("TicketNotes"), before, "nothing was written")
}

// A user removed from the team is refused from their next request on, and the rest of the
// team is not disturbed.
func TestTeamRemovedUserRefused(t *testing.T) {
	tm := startTeam(t)
	ctx := teamCtx(t)
	omarSession := openTeamSession(t, ctx, tm.URL, "omar")
	priya := tm.connect(t, "priya")

	tm.users.Replace([]User{newTeamUser("priya", tm.resource["priya"], false)})

	resp := teamRequest(t, ctx, http.MethodPost, tm.URL, omarSession, `{"jsonrpc":"2.0","id":2,"method":"tools/list"}`, "omar")
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "omar's token no longer opens anything")
	resp = teamRequest(t, ctx, http.MethodPost, tm.URL, "", initializeBody, "omar")
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	call(t, priya, "get_ticket", map[string]any{"ticket_id": tm.sb.IDs("Tickets")[0]}, true)
}

// The team's tokens are checked against every user: a wrong token, a token's hash sent as the
// token, or no token at all is a 401.
func TestTeamTokenChecks(t *testing.T) {
	u := NewUsers([]User{newTeamUser("priya", 1, false), newTeamUser("omar", 2, false)})
	hash := sha256.Sum256([]byte(teamToken("omar")))
	tests := []struct {
		token string
		want  string
	}{
		{teamToken("priya"), "priya"},
		{teamToken("omar"), "omar"},
		{teamToken("rita"), ""},
		{fmt.Sprintf("%x", hash), ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := u.authenticate(tt.token)
		assert.Equal(t, tt.want != "", ok, "token %q", tt.token)
		assert.Equal(t, tt.want, got.Name)
	}
}

// lockedBuffer is an audit sink the server writes while the test reads it (internal/testenv
// has one, but imports this package).
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// A team is never served beside a single shared token.
func TestTeamRefusedConfigurations(t *testing.T) {
	users := NewUsers([]User{newTeamUser("priya", 1, false)})
	tests := []struct {
		name string
		cfg  HTTPConfig
		want error
	}{
		{"with a single token", HTTPConfig{Transport: "http", Addr: "127.0.0.1:0", Token: testToken, Users: users}, ErrUsersWithToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Already ended: a configuration let through would shut down at once, without error.
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			err := ServeHTTP(ctx, New(Config{Deps: tools.Deps{}, Register: func(*mcpserver.MCPServer, tools.Deps) {}}), tt.cfg, slog.New(slog.DiscardHandler))
			require.ErrorIs(t, err, tt.want)
		})
	}
}

// Over SSE, a message to a session another user's stream opened is refused.
func TestTeamSSESessionsAreTheirOwn(t *testing.T) {
	tm := startTeamOver(t, "sse")
	ctx, cancel := context.WithCancel(teamCtx(t))
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, tm.URL, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+teamToken("priya"))
	stream, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer stream.Body.Close()
	require.Equal(t, http.StatusOK, stream.StatusCode)
	// The stream's first event names the endpoint the session's messages go to.
	var endpoint string
	lines := bufio.NewScanner(stream.Body)
	for endpoint == "" && lines.Scan() {
		if data, ok := strings.CutPrefix(lines.Text(), "data: "); ok {
			endpoint = data
		}
	}
	require.Contains(t, endpoint, "sessionId=")
	if !strings.HasPrefix(endpoint, "http") {
		endpoint = "http://" + tm.Addr + endpoint
	}
	send := func(user string) int {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(initializeBody))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+teamToken(user))
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusNotFound, send("omar"), "omar cannot post to priya's session")
	assert.Equal(t, http.StatusAccepted, send("priya"))
}
