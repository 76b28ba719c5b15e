package tools_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/tools"
)

// Every write tool that takes ticket_id also takes ticket_number, so an assistant that has only the
// number people quote does not spend a turn finding the id. The number costs one query, and the
// guard holds the write to the same ticket as by id.
func TestTicketWritesTakeTheNumber(t *testing.T) {
	for _, tl := range writeTools(tools.Deps{}) {
		c := writeCases[tl.Def.Name]
		if c.noExistingRecord || c.entityTool {
			continue // takes no ticket
		}
		t.Run(tl.Def.Name, func(t *testing.T) {
			env := writeEnv(t, nil, guard.Options{})
			id := openTickets(t, env.Sandbox, false)[0]
			number := ticketRecord(t, env.Sandbox, id)["ticketNumber"].(string)
			byNumber := c.write(id)
			delete(byNumber, "ticket_id")
			byNumber["ticket_number"] = number

			readFirst(t, env.MCP, id)
			dry := ok(t, env.Call(t, tl.Def.Name, withArgs(c.write(id), "dry_run", true)))
			env.Sandbox.ResetStats()
			dryByNumber := ok(t, env.Call(t, tl.Def.Name, withArgs(byNumber, "dry_run", true)))
			assert.Equal(t, dry["requests"], dryByNumber["requests"], "the same requests as by id")
			assert.Equal(t, 1, env.Sandbox.Stats().ByEndpoint["POST Tickets/query"], "one query finds the number")

			out := ok(t, env.Call(t, tl.Def.Name, byNumber))
			assert.Equal(t, "applied", out["outcome"])
			assert.Equal(t, id, asInt(t, out["ticket_id"]))
			assert.Equal(t, number, out["ticket_number"])
		})
	}
}

func TestTicketNumberMistakes(t *testing.T) {
	env := writeEnv(t, nil, guard.Options{})
	id := openTickets(t, env.Sandbox, false)[0]
	number := ticketRecord(t, env.Sandbox, id)["ticketNumber"].(string)
	note := func(kv ...any) map[string]any {
		return merge(args("title", "Called", "description", "Left a voicemail."), kv...)
	}
	tests := []struct {
		name string
		args map[string]any
		want []string
	}{
		{"both", note("ticket_id", id, "ticket_number", number), []string{"ticket_id or ticket_number, not both"}},
		{"neither", note(), []string{"ticket_id or ticket_number is required"}},
		{"not a number", note("ticket_number", "12345"), []string{"is not a ticket number", "ticket_id"}},
		{"no such ticket", note("ticket_number", "T19990101.0001"), []string{"no ticket with number T19990101.0001"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			writes := env.Sandbox.Stats().Writes
			failed(t, env.Call(t, "add_ticket_note", tt.args), append(tt.want, "Nothing was written")...)
			require.Equal(t, writes, env.Sandbox.Stats().Writes)
		})
	}
}
