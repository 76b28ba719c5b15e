package tools_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

// someoneElsesNote is a colleague's note added through the API itself (POST Tickets/{id}/Notes),
// outside this server's sessions: it moves the ticket's lastActivityDate and nothing else.
func someoneElsesNote(t *testing.T, env *testenv.Env, id int64, text string) {
	t.Helper()
	_, err := env.Client.AddTicketNote(context.Background(), id, autotask.Record{
		"title": "Colleague", "description": text, "noteType": 13, "publish": 1,
	})
	require.NoError(t, err)
}

// After the session's own write, a change it did not make is refused like any other, a note
// included; its own next write, with nothing changed in between, goes through.
func TestOwnWriteThenSomeoneElsesNote(t *testing.T) {
	ownNote := func(id int64) map[string]any {
		return args("ticket_id", id, "title", "Called the customer", "description", "They confirm it works again.")
	}
	resolve := func(id int64) map[string]any {
		return args("ticket_id", id, "resolution", "fixed", "complete", false)
	}
	update := func(id int64) map[string]any {
		return args("ticket_id", id, "changes", args("priority", "Low"))
	}
	tests := []struct {
		name string
		// own is the session's first write, next its second; with outside set, someone else adds
		// a note between them.
		own, next func(id int64) map[string]any
		ownTool   string
		nextTool  string
		outside   bool
	}{
		{"own note, outside note, resolve", ownNote, resolve, "add_ticket_note", "resolve_ticket", true},
		{"own note, outside note, update", ownNote, update, "add_ticket_note", "update_ticket", true},
		{"own update, outside note, resolve", update, resolve, "update_ticket", "resolve_ticket", true},
		{"own resolve, outside note, update", resolve, update, "resolve_ticket", "update_ticket", true},
		{"own note, then own resolve", ownNote, resolve, "add_ticket_note", "resolve_ticket", false},
		{"own note, then own update", ownNote, update, "add_ticket_note", "update_ticket", false},
		{"own update, then own resolve", update, resolve, "update_ticket", "resolve_ticket", false},
		{"own note, then own second note", ownNote, ownNote, "add_ticket_note", "add_ticket_note", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := writeEnv(t, nil, guard.Options{})
			id := openTickets(t, env.Sandbox, false)[0]
			readFirst(t, env.MCP, id)
			require.Equal(t, "applied", outcomeOf(t, env.Call(t, tt.ownTool, tt.own(id))))
			if !tt.outside {
				require.Equal(t, "applied", outcomeOf(t, env.Call(t, tt.nextTool, tt.next(id))), "no false refusal of the session's own second write")
				return
			}
			someoneElsesNote(t, env, id, "STOP - it is NOT fixed")
			before := ticketRecord(t, env.Sandbox, id)
			writes := env.Sandbox.Stats().Writes
			failed(t, env.Call(t, tt.nextTool, tt.next(id)), "changed since", "lastActivityDate", "nothing was written")
			assert.Equal(t, writes, env.Sandbox.Stats().Writes, "no write reached the tenant")
			assert.Equal(t, before, ticketRecord(t, env.Sandbox, id))

			// A second outside note after a fresh read is refused too.
			readFirst(t, env.MCP, id)
			someoneElsesNote(t, env, id, "Still not fixed.")
			failed(t, env.Call(t, "update_ticket", update(id)), "changed since", "lastActivityDate")

			// Reading again is what lets the session go on.
			readFirst(t, env.MCP, id)
			assert.Equal(t, "applied", outcomeOf(t, env.Call(t, tt.nextTool, tt.next(id))))
		})
	}
}

// Without an own write first, the same outside note is refused: the base case the own-write path
// must not be weaker than.
func TestSomeoneElsesNoteWithoutOwnWrite(t *testing.T) {
	env := writeEnv(t, nil, guard.Options{})
	id := openTickets(t, env.Sandbox, false)[0]
	readFirst(t, env.MCP, id)
	someoneElsesNote(t, env, id, "STOP - it is NOT fixed")
	failed(t, env.Call(t, "resolve_ticket", args("ticket_id", id, "resolution", "fixed", "complete", false)), "changed since", "lastActivityDate")
}

// When the read-back after the session's own write fails, the session does not know the version its
// write produced: its next write is refused until it reads the ticket again, and the write's result
// says so.
func TestOwnWriteWithoutReadBackNeedsARead(t *testing.T) {
	// The sandbox, behind a handler that breaks the first GET of a ticket after a note was posted
	// to it: the read-back. The hourly limit is not retried, so one scripted fault is enough.
	var sb *sandbox.Sandbox
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/Notes") {
			ticket := strings.TrimSuffix(r.URL.Path[strings.Index(r.URL.Path, "Tickets/"):], "/Notes")
			sb.Faults().Script(http.MethodGet, ticket, 1, sandbox.Fault{Kind: sandbox.FaultStatus, Status: http.StatusTooManyRequests, RetryAfter: 40 * time.Minute})
		}
		sb.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	env := testenv.New(t, testenv.Options{Client: func(c *autotask.Config) { c.APIURL = front.URL + "/ATServicesRest/V1.0/" }})
	sb = env.Sandbox

	id := openTickets(t, env.Sandbox, false)[0]
	readFirst(t, env.MCP, id)
	env.Sandbox.ResetStats()
	out := ok(t, env.Call(t, "add_ticket_note", args("ticket_id", id, "title", "Called", "description", "Left a voicemail.")))
	assert.Equal(t, "applied", out["outcome"])
	assert.Contains(t, out["notes"], "The ticket could not be read back after this write: read it again (get_ticket) before changing it again.")
	assert.Equal(t, 2, env.Sandbox.Stats().ByEndpoint["GET Tickets/{id}"], "the fresh GET and the read-back, which was refused")

	// The refusal shows the ticket as it now is, and that counts as reading it again.
	failed(t, env.Call(t, "update_ticket", args("ticket_id", id, "changes", args("priority", "Low"))), "could not be read back", "counts as reading it")
	assert.Equal(t, "applied", outcomeOf(t, env.Call(t, "update_ticket", args("ticket_id", id, "changes", args("priority", "Low")))))
}
