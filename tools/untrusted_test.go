package tools_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"unicode"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

// Ticket text is written by anyone who can email the helpdesk. The seeded hostile tickets carry
// zero-width, bidi-override, markup and entity-encoded payloads and a prompt injection in a note.
// Through every read path that shows them: no invisible or direction-changing character and no
// markup reaches the assistant, the text is marked untrusted, and reading it writes nothing.
func TestHostileTextOnEveryReadPath(t *testing.T) {
	env := newEnv(t)
	hostile := env.Sandbox.HostileTicketIDs()
	require.Len(t, hostile, 5, "the sandbox seeds five hostile tickets")
	ids := make([]any, len(hostile))
	for i, id := range hostile {
		ids[i] = id
	}
	var noteIDs []any
	for _, id := range hostile {
		for _, n := range notesOf(env.Sandbox, id) {
			noteIDs = append(noteIDs, n["id"])
		}
	}
	require.NotEmpty(t, noteIDs)

	type call struct {
		name     string
		tool     string
		args     map[string]any
		untrusts string // the section the result marks untrusted
	}
	calls := []call{
		{"query_entity over the tickets", "query_entity", args("entity", "Tickets",
			"filter", []any{args("field", "id", "op", "in", "value", ids)}, "fields", []any{"title", "description"}), "items"},
		{"query_entity over their notes", "query_entity", args("entity", "TicketNotes",
			"filter", []any{args("field", "id", "op", "in", "value", noteIDs)}), "items"},
	}
	for _, id := range hostile {
		calls = append(calls,
			call{fmt.Sprintf("get_ticket %d with notes", id), "get_ticket", args("ticket_id", id, "include", []any{"notes"}), "ticket"},
			call{fmt.Sprintf("get_entity Tickets %d", id), "get_entity", args("entity", "Tickets", "id", id), "record"},
		)
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			res := env.Call(t, c.tool, c.args)
			out := ok(t, res)
			assert.Contains(t, out["untrusted"], c.untrusts, "record text is marked untrusted")
			assertClean(t, res)
		})
	}
	assert.Zero(t, env.Sandbox.Stats().Writes, "reading text that asks for writes writes nothing")
}

// assertClean checks every string of a result, structured and text twin alike.
func assertClean(t *testing.T, res *mcp.CallToolResult) {
	t.Helper()
	raw, err := json.Marshal(res.StructuredContent)
	require.NoError(t, err)
	var decoded any
	require.NoError(t, json.Unmarshal(raw, &decoded))
	check := func(s string) {
		for _, r := range s {
			if unicode.Is(unicode.Cf, r) {
				t.Errorf("format character %U reached the assistant in %q", r, s)
				return
			}
		}
		assert.NotRegexp(t, `(?i)<\s*/?\s*(script|img|iframe|b|p|div|a)\b`, s, "markup reached the assistant")
		assert.NotRegexp(t, `(?i)&(lt|gt|#0*60|#0*62|#x0*3c);`, s, "an entity that decodes to markup reached the assistant")
	}
	walkStrings(decoded, check)
	check(testenv.Text(res))
}
