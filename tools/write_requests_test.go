package tools_test

import (
	"context"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

// The requests of a completed resolve_ticket (no time entries, with a note), as the sandbox counts
// them. The ticket contract (package autotask) allows no fewer than five: GET (every write starts from a fresh ticket), the time
// entry count (it decides the status), the note, the resolution PUT and the status PUT. The guard
// adds one: the read-back after the last write, which tells the session's next write the version
// its own writes produced (the API answers a write with the id alone). A count, not a timing:
// asserting it exactly is safe.
func TestResolveRequestCount(t *testing.T) {
	minimum := map[string]int{
		"GET Tickets/{id}":             2,
		"POST TimeEntries/query/count": 1,
		"POST Tickets/{id}/Notes":      1,
		"PUT Tickets":                  2,
	}
	resolve := func(id int64) map[string]any {
		return args("ticket_id", id, "resolution", "Replaced the toner.", "note", "Toner replaced on site.")
	}

	t.Run("token path, warm metadata", func(t *testing.T) {
		env := writeEnv(t, nil, guard.Options{})
		id := openTickets(t, env.Sandbox, false)[0]
		readFirst(t, env.MCP, id)
		warmNoteMetadata(t, env)

		env.Sandbox.ResetStats()
		token := tokenOf(t, env.Call(t, "resolve_ticket", resolve(id)))
		preview := env.Sandbox.Stats()
		assert.Equal(t, map[string]int{"GET Tickets/{id}": 1, "POST TimeEntries/query/count": 1}, preview.ByEndpoint, "the preview reads, and writes nothing")

		env.Sandbox.ResetStats()
		out := ok(t, env.Call(t, "resolve_ticket", merge(resolve(id), "confirm", token)))
		require.Equal(t, "applied", out["outcome"])
		stats := env.Sandbox.Stats()
		assert.Equal(t, minimum, stats.ByEndpoint)
		assert.Equal(t, 6, stats.Requests)
		assert.Equal(t, 3, stats.Writes)
		t.Logf("resolve_ticket, token path: preview %d requests, confirmed call %d requests %v", preview.Requests, stats.Requests, stats.ByEndpoint)
	})

	t.Run("elicitation, warm metadata", func(t *testing.T) {
		env := writeEnv(t, &elicitor{action: mcp.ElicitationResponseActionAccept}, guard.Options{})
		id := openTickets(t, env.Sandbox, false)[0]
		readFirst(t, env.MCP, id)
		warmNoteMetadata(t, env)

		env.Sandbox.ResetStats()
		ok(t, env.Call(t, "resolve_ticket", resolve(id)))
		stats := env.Sandbox.Stats()
		// One GET more than the minimum, on purpose: the person may take minutes to answer, and the
		// PUTs must be built from the ticket as it is after the answer, not before.
		want := map[string]int{}
		for k, v := range minimum {
			want[k] = v
		}
		want["GET Tickets/{id}"]++
		assert.Equal(t, want, stats.ByEndpoint)
		assert.Equal(t, 7, stats.Requests)
		t.Logf("resolve_ticket, elicitation: %d requests %v", stats.Requests, stats.ByEndpoint)
	})

	t.Run("token path, cold metadata", func(t *testing.T) {
		env := writeEnv(t, nil, guard.Options{})
		id := openTickets(t, env.Sandbox, false)[0]
		readFirst(t, env.MCP, id)
		token := tokenOf(t, env.Call(t, "resolve_ticket", resolve(id)))
		env.Client.RefreshMetadata("")

		env.Sandbox.ResetStats()
		ok(t, env.Call(t, "resolve_ticket", merge(resolve(id), "confirm", token)))
		stats := env.Sandbox.Stats()
		metadata := stats.Requests - 6
		for k, v := range minimum {
			assert.Equal(t, v, stats.ByEndpoint[k], k)
		}
		// Tickets: entityInformation, fields, userDefinedFields; TicketNotes: entityInformation, fields.
		assert.Equal(t, 5, metadata, "%v", stats.ByEndpoint)
		t.Logf("resolve_ticket, token path, cold metadata: %d requests (%d metadata) %v", stats.Requests, metadata, stats.ByEndpoint)
	})
}

func TestAddNoteRequestCount(t *testing.T) {
	env := writeEnv(t, nil, guard.Options{})
	id := openTickets(t, env.Sandbox, false)[0]
	readFirst(t, env.MCP, id)
	note := args("ticket_id", id, "title", "Called", "description", "Left a voicemail.")

	env.Client.RefreshMetadata("")
	env.Sandbox.ResetStats()
	ok(t, env.Call(t, "add_ticket_note", note))
	cold := env.Sandbox.Stats()

	env.Sandbox.ResetStats()
	ok(t, env.Call(t, "add_ticket_note", note))
	warm := env.Sandbox.Stats()
	assert.Equal(t, map[string]int{"GET Tickets/{id}": 2, "POST Tickets/{id}/Notes": 1}, warm.ByEndpoint,
		"a fresh GET for the guard, the POST, and the read-back that tells the next write this note's version; the second note needs no re-read after the session's own first")
	assert.Equal(t, 3+2, cold.Requests, "cold: TicketNotes entityInformation and fields too: %v", cold.ByEndpoint)
	t.Logf("add_ticket_note: warm %d requests %v; cold %d requests %v", warm.Requests, warm.ByEndpoint, cold.Requests, cold.ByEndpoint)
}

func warmNoteMetadata(t *testing.T, env *testenv.Env) {
	t.Helper()
	_, err := env.Client.Metadata(context.Background(), "TicketNotes")
	require.NoError(t, err)
}
