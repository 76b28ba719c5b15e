package tools_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/guard"
)

// The same write made twice, as assistants do after an error or a lost turn, must not leave the
// tenant holding it twice when the second was not meant to happen.
func TestRepeatedWrites(t *testing.T) {
	t.Run("a read-back does not take an earlier identical create for the lost one", func(t *testing.T) {
		env := writeEnv(t, nil, guard.Options{})
		company := env.Sandbox.IDs("Companies")[1]
		call := args("company", company, "title", "Monitor flickers", "description", "Second screen flickers when docked.")
		first := ok(t, env.Call(t, "create_ticket", call))
		count := env.Sandbox.Count("Tickets")

		env.Sandbox.Faults().Script("POST", "Tickets", 1, sandbox.Fault{Kind: sandbox.FaultHTML})
		text := failed(t, env.Call(t, "create_ticket", call), "MAY HAVE BEEN APPLIED", "most likely not")
		assert.NotContains(t, text, fmt.Sprint(first["ticket_id"]), "the first call's ticket is not reported as this one's")
		assert.Equal(t, count, env.Sandbox.Count("Tickets"))
	})
	t.Run("resolve repeated with its used token adds its note once", func(t *testing.T) {
		env := writeEnv(t, nil, guard.Options{})
		id := openTickets(t, env.Sandbox, false)[0]
		readFirst(t, env.MCP, id)
		call := args("ticket_id", id, "resolution", "Reseated the RAM.", "note", "Reseated both DIMMs; memtest clean.")
		call["confirm"] = tokenOf(t, env.Call(t, "resolve_ticket", call))
		require.Equal(t, "applied", outcomeOf(t, env.Call(t, "resolve_ticket", call)))
		notes := len(notesOf(env.Sandbox, id))

		out := ok(t, env.Call(t, "resolve_ticket", call))
		assert.Equal(t, "unchanged", out["outcome"])
		assert.Contains(t, fmt.Sprint(out["notes"]), "already has this resolution note")
		assert.Len(t, notesOf(env.Sandbox, id), notes, "the note is not added a second time")
	})
}
