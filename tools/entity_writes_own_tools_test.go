package tools_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

// ownToolCase is one of the entities the generic tools send to their own tools (tickets, ticket
// notes, time entries), held to what entityCases hold the generic ones to: a create with the
// required arguments only that reads back as sent, and no write without a read, after a concurrent
// change, or without the person's yes.
type ownToolCase struct {
	entity string // the record the create makes
	tool   string
	// create is the call with its required arguments only; ticket is a ticket this session read
	// (the parent of a note or a time entry) and company a seeded customer.
	create func(ticket, company int64) map[string]any
	// confirmed is a call on ticket that needs the person's yes; nil where the tool never asks.
	confirmed func(ticket int64) map[string]any
	idKey     string // the result's field carrying the new record's id
}

var ownToolCases = []ownToolCase{
	{entity: "Tickets", tool: "create_ticket", idKey: "ticket_id",
		create: func(_, company int64) map[string]any {
			return args("company", company, "title", "Scanner jams", "description", "Every third page.")
		},
		// A status change waits for the person (update_ticket is the ticket's update).
		confirmed: func(ticket int64) map[string]any {
			return args("ticket_id", ticket, "changes", args("status", "Waiting Customer"))
		}},
	{entity: "TicketNotes", tool: "add_ticket_note", idKey: "note_id",
		create: func(ticket, _ int64) map[string]any {
			return args("ticket_id", ticket, "title", "Called", "description", "Left a voicemail.")
		},
		// A note the customer may see waits for the person.
		confirmed: func(ticket int64) map[string]any {
			return args("ticket_id", ticket, "title", "Update", "description", "Parts ordered.", "publish", "All (Internal & Customer)")
		}},
	{entity: "TimeEntries", tool: "log_time", idKey: "time_entry_id",
		create: func(ticket, _ int64) map[string]any {
			return args("ticket_id", ticket, "hours", 0.75, "summary", "Checked the backups.")
		},
		// No confirmed call: time logged is the technician's own routine record, never asked about
		// (README: what needs the person's confirmation).
	},
}

func TestOwnToolEntityWrites(t *testing.T) {
	for _, c := range ownToolCases {
		t.Run(c.entity, func(t *testing.T) {
			env := writeEnv(t, nil, guard.Options{})
			ticket := openTickets(t, env.Sandbox, false)[0]
			company := seedIDs(env.Sandbox).company
			readFirst(t, env.MCP, ticket)

			plan := ok(t, env.Call(t, c.tool, merge(c.create(ticket, company), "dry_run", true)))
			reqs, _ := plan["requests"].([]any)
			require.NotEmpty(t, reqs)
			body := reqs[len(reqs)-1].(map[string]any)["body"].(map[string]any)
			count := env.Sandbox.Count(c.entity)
			out := ok(t, env.Call(t, c.tool, c.create(ticket, company)))
			require.Equal(t, "applied", out["outcome"], testenv.Text(env.Call(t, "get_ticket", args("ticket_id", ticket))))
			require.Equal(t, count+1, env.Sandbox.Count(c.entity))
			created, found := env.Sandbox.Record(c.entity, asInt(t, out[c.idKey]))
			require.True(t, found)
			for field, want := range body {
				assert.True(t, sameStored(want, created[field]), "%s: sent %v, the record holds %v", field, want, created[field])
			}
			if c.entity == "Tickets" {
				// The update: only the intended field moves, on the ticket just created.
				id := asInt(t, out[c.idKey])
				before := ticketRecord(t, env.Sandbox, id)
				ok(t, env.Call(t, "update_ticket", args("ticket_id", id, "changes", args("priority", "Low"))))
				assertOnlyChanged(t, before, ticketRecord(t, env.Sandbox, id), map[string]any{"priority": 3})
				ticket = id
			}
			write := c.create(ticket, company)
			if c.entity == "Tickets" {
				write = args("ticket_id", ticket, "changes", args("title", "Scanner jams on duplex"))
			}
			tool := map[string]string{"Tickets": "update_ticket"}[c.entity]
			if tool == "" {
				tool = c.tool
			}

			// Without a read: another session has not read the ticket.
			writes := env.Sandbox.Stats().Writes
			failed(t, testenv.CallOn(t, env.NewSession(t), tool, write, nil), "had not read", "nothing was written")
			assert.Equal(t, writes, env.Sandbox.Stats().Writes, "a write without a read writes nothing")

			// Without the person's yes.
			readFirst(t, env.MCP, ticket)
			before := ticketRecord(t, env.Sandbox, ticket)
			count = env.Sandbox.Count(c.entity)
			if c.confirmed != nil {
				res := env.Call(t, tool, c.confirmed(ticket))
				assert.Equal(t, "confirmation_required", outcomeOf(t, res), testenv.Text(res))
				assert.Equal(t, writes, env.Sandbox.Stats().Writes, "a write without confirmation writes nothing")
				assert.Equal(t, before, ticketRecord(t, env.Sandbox, ticket))
				assert.Equal(t, count, env.Sandbox.Count(c.entity))
			}

			// After a concurrent change.
			require.NoError(t, env.Sandbox.Modify("Tickets", ticket, map[string]any{"title": "Changed by a colleague"}))
			before = ticketRecord(t, env.Sandbox, ticket)
			failed(t, env.Call(t, tool, write), "changed since", "nothing was written")
			assert.Equal(t, writes, env.Sandbox.Stats().Writes, "a write after a concurrent change writes nothing")
			assert.Equal(t, before, ticketRecord(t, env.Sandbox, ticket))
			assert.Equal(t, count, env.Sandbox.Count(c.entity))
		})
	}
}
