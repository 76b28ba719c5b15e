package tools_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

func TestGetEntity(t *testing.T) {
	env := newEnv(t)
	company := env.Sandbox.IDs("Companies")[0]
	note := env.Sandbox.IDs("TicketNotes")[0]
	noteRec, _ := env.Sandbox.Record("TicketNotes", note)
	noteTicket := toInt(noteRec["ticketID"])
	contact := env.Sandbox.IDs("Contacts")[0]
	contactRec, _ := env.Sandbox.Record("Contacts", contact)
	contactCompany := toInt(contactRec["companyID"])

	tests := []struct {
		name  string
		args  map[string]any
		check func(t *testing.T, out map[string]any)
	}{
		{"company", args("entity", "companies", "id", company), func(t *testing.T, out map[string]any) {
			assert.Equal(t, "Companies", out["entity"])
			rec := out["record"].(map[string]any)
			assert.NotEmpty(t, rec["companyName"])
			assertCompact(t, rec)
			assert.Equal(t, []any{"record"}, out["untrusted"])
		}},
		{"ticket note", args("entity", "TicketNotes", "id", note), func(t *testing.T, out map[string]any) {
			rec := out["record"].(map[string]any)
			assert.Regexp(t, `^.+ \(\d+\)$`, rec["noteType"], "picklists as \"Label (id)\"")
		}},
		{"ticket note through its ticket", args("entity", "TicketNotes", "id", note, "parent", "tickets", "parent_id", noteTicket), func(t *testing.T, out map[string]any) {
			assert.EqualValues(t, note, asInt(t, out["record"].(map[string]any)["id"]))
		}},
		{"contact through its company", args("entity", "Contacts", "id", contact, "parent", "Companies", "parent_id", contactCompany), func(t *testing.T, out map[string]any) {
			assert.EqualValues(t, contact, asInt(t, out["id"]))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := env.Call(t, "get_entity", tt.args)
			out := ok(t, res)
			assert.NotEmpty(t, out["version"])
			tt.check(t, out)
		})
	}

	// The read is recorded for this session.
	res := env.Call(t, testenv.GuardProbeTool, args("entity", "Companies", "id", company))
	require.False(t, res.IsError, testenv.Text(res))
}

func TestGetEntityErrors(t *testing.T) {
	env := newEnv(t)
	company := env.Sandbox.IDs("Companies")[0]
	tests := []struct {
		name      string
		args      map[string]any
		fragments []string
	}{
		{"missing id", args("entity", "Companies"), []string{"id is required"}},
		{"missing entity", args("id", company), []string{"entity is required"}},
		{"unknown entity", args("entity", "Compny", "id", 1), []string{`unknown entity "Compny"`}},
		{"negative id", args("entity", "Companies", "id", -1), []string{"must not be negative"}},
		{"not found", args("entity", "Companies", "id", 999999999), []string{"no Companies with id 999999999"}},
		{"parent without parent_id", args("entity", "TicketNotes", "id", 1, "parent", "Tickets"), []string{"parent and parent_id go together"}},
		{"wrong parent", args("entity", "TicketNotes", "id", 1, "parent", "Companies", "parent_id", company), []string{"not reached through Companies"}},
		{"id as string", args("entity", "Companies", "id", "174"), []string{`"id" must be an integer`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			failed(t, env.Call(t, "get_entity", tt.args), tt.fragments...)
		})
	}
	res := env.Call(t, testenv.GuardProbeTool, args("entity", "Companies", "id", company))
	require.True(t, res.IsError, "failed reads record nothing")
}
