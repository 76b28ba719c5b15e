package tools_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
	"github.com/autotask-mcp/autotask-mcp/tools"
)

// writeCase is how the guard tests drive one write tool: a call that writes to an existing ticket,
// and a call that tries to change the ticket's status. Every registered write tool must have one,
// so a new write tool cannot slip past these tests.
type writeCase struct {
	write func(id int64) map[string]any
	// status tries to change the status; nil when the tool has no way to (its result is then checked
	// to have left the status alone).
	status func(id int64) map[string]any
	// badValue is a call whose arguments decode but hold a value the tool refuses once the call is a
	// write (a misspelt field, an unknown picklist label, blank text).
	badValue func(id int64) map[string]any
	// noExistingRecord: the tool creates a record, so there is nothing to have read or to have
	// changed concurrently; the guard's policy and audit still apply (see TestCreateTicket*).
	noExistingRecord bool
	// entityTool: the tool writes entities other than tickets, and refuses tickets. The ticket-based
	// tables below skip it; entity_writes_test.go tests the same properties (no write without a
	// read, none after a concurrent change, none without the person's confirmation, one audit
	// line) on each entity it writes.
	entityTool bool
}

var writeCases = map[string]writeCase{
	"create_entity": {
		entityTool: true, noExistingRecord: true,
		write: func(int64) map[string]any {
			return args("entity", "Companies", "fields", args("companyName", "Northwind Annex", "phone", "555-0100", "ownerResourceID", 29682890))
		},
		badValue: func(int64) map[string]any {
			return args("entity", "Companies", "fields", args("companyName", "Northwind Annex", "phone", "555-0100", "ownerResourceID", 29682890, "companyTyp", "Customer"))
		},
	},
	"update_entity": {
		entityTool: true,
		write: func(int64) map[string]any {
			return args("entity", "Companies", "id", 194, "changes", args("webAddress", "https://example.com"))
		},
		badValue: func(int64) map[string]any {
			return args("entity", "Companies", "id", 194, "changes", args("webAdress", "https://example.com"))
		},
	},
	"add_ticket_note": {
		write: func(id int64) map[string]any {
			return args("ticket_id", id, "title", "Called the customer", "description", "Left a voicemail.")
		},
		badValue: func(id int64) map[string]any {
			return args("ticket_id", id, "title", "Called the customer", "description", "Left a voicemail.", "note_type", "Carrier pigeon")
		},
	},
	"resolve_ticket": {
		write: func(id int64) map[string]any {
			return args("ticket_id", id, "resolution", "Replaced the toner.", "complete", false)
		},
		status:   func(id int64) map[string]any { return args("ticket_id", id, "resolution", "Replaced the toner.") },
		badValue: func(id int64) map[string]any { return args("ticket_id", id, "resolution", "  ") },
	},
	"update_ticket": {
		write: func(id int64) map[string]any {
			return args("ticket_id", id, "changes", args("priority", "Low"))
		},
		status: func(id int64) map[string]any {
			return args("ticket_id", id, "changes", args("status", "Waiting Customer"))
		},
		badValue: func(id int64) map[string]any {
			return args("ticket_id", id, "changes", args("priorty", "Low"))
		},
	},
	"log_time": {
		write: func(id int64) map[string]any {
			return args("ticket_id", id, "hours", 0.5, "summary", "Checked the backups.")
		},
		badValue: func(id int64) map[string]any {
			return args("ticket_id", id, "hours", 0.5, "summary", "Checked the backups.", "role", "Astronaut")
		},
	},
	"create_ticket": {
		noExistingRecord: true,
		write: func(int64) map[string]any {
			return args("company", 194, "title", "Printer offline", "description", "Floor 2 printer is offline.")
		},
		status: func(int64) map[string]any {
			return args("company", 194, "title", "Printer offline", "description", "x", "status", "Complete")
		},
		badValue: func(int64) map[string]any {
			return args("company", 194, "title", "Printer offline", "description", "x", "fields", args("sorce", "Phone"))
		},
	},
}

func TestEveryWriteToolHasAGuardCase(t *testing.T) {
	names := map[string]bool{}
	for _, tl := range writeTools(tools.Deps{}) {
		names[tl.Def.Name] = true
		_, found := writeCases[tl.Def.Name]
		assert.True(t, found, "write tool %s needs a case in writeCases", tl.Def.Name)
	}
	assert.Len(t, names, 7, "add_ticket_note, resolve_ticket, update_ticket, create_ticket, log_time, create_entity, update_entity")
}

func TestWriteToolsRefuseWithoutPriorRead(t *testing.T) {
	env := writeEnv(t, nil, guard.Options{})
	ids := openTickets(t, env.Sandbox, false)
	for i, tl := range writeTools(env.Deps) {
		c := writeCases[tl.Def.Name]
		t.Run(tl.Def.Name, func(t *testing.T) {
			if c.entityTool {
				t.Skip("writes other entities than tickets: entity_writes_test.go")
			}
			if c.noExistingRecord {
				// There is no existing record to read first. What it creates counts as read by this
				// session (and only this one), so the assistant can go on writing to it.
				out := ok(t, env.Call(t, tl.Def.Name, c.write(0)))
				created := asInt(t, out["ticket_id"])
				ok(t, env.Call(t, "add_ticket_note", writeCases["add_ticket_note"].write(created)))
				other := env.NewSession(t)
				failed(t, testenv.CallOn(t, other, "add_ticket_note", writeCases["add_ticket_note"].write(created), nil), "had not read")
				return
			}
			id := ids[i]
			before := ticketRecord(t, env.Sandbox, id)
			writes := env.Sandbox.Stats().Writes

			// Another session's read does not count for this one: the blind write is refused.
			readFirst(t, env.NewSession(t), id)
			text := failed(t, env.Call(t, tl.Def.Name, c.write(id)), "had not read", "nothing was written")
			assert.Equal(t, writes, env.Sandbox.Stats().Writes, "no write reached the sandbox")
			assert.Equal(t, before, ticketRecord(t, env.Sandbox, id))

			// The refusal showed the ticket, fenced as record text, and that counts as this
			// session's read: the same call now goes through, with no get_ticket between.
			assert.Contains(t, text, "<untrusted>")
			assert.Contains(t, text, before["ticketNumber"])
			assert.Contains(t, text, "counts as reading it")
			ok(t, env.Call(t, tl.Def.Name, c.write(id)))
			assert.Greater(t, env.Sandbox.Stats().Writes, writes, "after the refusal showed the ticket, the same write goes through")
		})
	}
}

// What a refusal showed one session is that session's read only: another session that writes
// blind is refused too, and its refusal writes nothing.
func TestRefusalShowsTheRecordToThatSessionOnly(t *testing.T) {
	env := writeEnv(t, nil, guard.Options{})
	id := openTickets(t, env.Sandbox, false)[0]
	note := writeCases["add_ticket_note"].write(id)
	notes := len(notesOf(env.Sandbox, id))
	failed(t, env.Call(t, "add_ticket_note", note), "had not read")

	other := env.NewSession(t)
	writes := env.Sandbox.Stats().Writes
	failed(t, testenv.CallOn(t, other, "add_ticket_note", note, nil), "had not read", "nothing was written")
	assert.Equal(t, writes, env.Sandbox.Stats().Writes)
	ok(t, env.Call(t, "add_ticket_note", note))
	assert.Len(t, notesOf(env.Sandbox, id), notes+1, "only the session the ticket was shown to wrote, once")
}

// A refused write that shows the record changed since the read counts as reading it anew: the
// next call writes on the new values, and a further change before it is refused again.
func TestRefusalAfterAConcurrentChangeShowsTheNewRecord(t *testing.T) {
	env := writeEnv(t, nil, guard.Options{})
	id := openTickets(t, env.Sandbox, false)[0]
	call := args("ticket_id", id, "changes", args("priority", "Low"))
	readFirst(t, env.MCP, id)
	require.NoError(t, env.Sandbox.Modify("Tickets", id, map[string]any{"title": "Changed by a colleague"}))

	text := failed(t, env.Call(t, "update_ticket", call), "changed since", "Changed by a colleague", "nothing was written", "counts as reading it")
	assert.Contains(t, text, `"title":"Changed by a colleague"`, "the record as it now is")

	require.NoError(t, env.Sandbox.Modify("Tickets", id, map[string]any{"title": "Changed again"}))
	failed(t, env.Call(t, "update_ticket", call), "changed since", "Changed again")
	ok(t, env.Call(t, "update_ticket", call))
	rec := ticketRecord(t, env.Sandbox, id)
	assert.Equal(t, "Changed again", rec["title"], "the colleague's change is kept")
	assert.Equal(t, int64(3), rec["priority"])
}

func TestWriteToolsRefuseOnConcurrentChange(t *testing.T) {
	env := writeEnv(t, nil, guard.Options{})
	ids := openTickets(t, env.Sandbox, false)
	for i, tl := range writeTools(env.Deps) {
		c := writeCases[tl.Def.Name]
		t.Run(tl.Def.Name, func(t *testing.T) {
			if c.entityTool {
				t.Skip("writes other entities than tickets: entity_writes_test.go")
			}
			if c.noExistingRecord {
				t.Skip("creates a record: nobody can have changed it in between")
			}
			id := ids[i]
			// By number too: a tool that adds to the ticket checks the look-up's record, not a GET.
			for _, args := range []map[string]any{c.write(id), byTicketNumber(t, env.Sandbox, c.write(id))} {
				readFirst(t, env.MCP, id)
				require.NoError(t, env.Sandbox.Modify("Tickets", id, map[string]any{"title": fmt.Sprintf("Changed by a colleague %v", args["ticket_number"])}))
				before := ticketRecord(t, env.Sandbox, id)
				writes := env.Sandbox.Stats().Writes

				text := failed(t, env.Call(t, tl.Def.Name, args), "changed since", "title", "nothing was written")
				assert.Contains(t, text, "Changed by a colleague", "the refusal shows what changed")
				assert.Equal(t, writes, env.Sandbox.Stats().Writes)
				assert.Equal(t, before, ticketRecord(t, env.Sandbox, id), "the colleague's change is not overwritten")

				// A note someone else adds moves only lastActivityDate; that is a change too.
				readFirst(t, env.MCP, id)
				_, err := env.Sandbox.Insert("TicketNotes", map[string]any{"ticketID": id, "title": "Colleague", "description": "Called them.", "noteType": 13, "publish": 1})
				require.NoError(t, err)
				failed(t, env.Call(t, tl.Def.Name, args), "changed since")
			}
		})
	}
}

// byTicketNumber is a write's arguments with the ticket named by its number instead of its id.
func byTicketNumber(t *testing.T, sb *sandbox.Sandbox, args map[string]any) map[string]any {
	t.Helper()
	id, ok := args["ticket_id"].(int64)
	require.True(t, ok, "the write names its ticket by id: %v", args)
	out := maps.Clone(args)
	delete(out, "ticket_id")
	out["ticket_number"] = ticketRecord(t, sb, id)["ticketNumber"]
	return out
}

// Without a client that can ask the person, a status change never happens in one call.
func TestWriteToolsCannotChangeStatusWithoutConfirmation(t *testing.T) {
	env := writeEnv(t, nil, guard.Options{})
	ids := openTickets(t, env.Sandbox, false)
	for i, tl := range writeTools(env.Deps) {
		c := writeCases[tl.Def.Name]
		t.Run(tl.Def.Name, func(t *testing.T) {
			if c.entityTool {
				t.Skip("no status: entity_writes_test.go shows every generic write waits for the person")
			}
			id := ids[i]
			readFirst(t, env.MCP, id)
			before := ticketRecord(t, env.Sandbox, id)
			writes := env.Sandbox.Stats().Writes
			switch {
			case c.noExistingRecord:
				// Creating straight into Complete would stamp a ticket resolved unconfirmed.
				failed(t, env.Call(t, tl.Def.Name, c.status(id)), "Complete is refused", "resolve_ticket")
			case c.status == nil:
				// No argument can carry a status; the write it does make leaves the status alone.
				failed(t, env.Call(t, tl.Def.Name, merge(c.write(id), "status", "Complete")), `unknown argument "status"`)
				ok(t, env.Call(t, tl.Def.Name, c.write(id)))
				assert.Equal(t, before["status"], ticketRecord(t, env.Sandbox, id)["status"])
				return
			default:
				res := env.Call(t, tl.Def.Name, c.status(id))
				assert.Equal(t, "confirmation_required", outcomeOf(t, res))
				assert.Equal(t, false, testenv.Structured(t, res)["written"])
				assert.Equal(t, before, ticketRecord(t, env.Sandbox, id))
			}
			assert.Equal(t, writes, env.Sandbox.Stats().Writes, "nothing reached the sandbox")
		})
	}
}

func merge(m map[string]any, kv ...any) map[string]any {
	for k, v := range args(kv...) {
		m[k] = v
	}
	return m
}

func TestReadOnlyModeOffersAndSendsNoWrites(t *testing.T) {
	env := writeEnv(t, nil, guard.Options{ReadOnly: true})
	id := openTickets(t, env.Sandbox, false)[0]

	list, err := env.MCP.ListTools(context.Background(), mcp.ListToolsRequest{})
	require.NoError(t, err)
	for _, tl := range list.Tools {
		_, isWrite := writeCases[tl.Name]
		assert.False(t, isWrite, "read-only server lists %s", tl.Name)
	}

	readFirst(t, env.MCP, id)
	env.Sandbox.ResetStats()
	// The handlers refuse too, called directly (as a server that listed them by mistake would).
	for _, tl := range writeTools(env.Deps) {
		t.Run(tl.Def.Name, func(t *testing.T) {
			for _, call := range []map[string]any{writeCases[tl.Def.Name].write(id), merge(writeCases[tl.Def.Name].write(id), "dry_run", true)} {
				req := mcp.CallToolRequest{}
				req.Params.Name = tl.Def.Name
				req.Params.Arguments = call
				res, err := tl.Handler(context.Background(), req)
				require.NoError(t, err)
				failed(t, res, "read-only")
			}
		})
	}
	stats := env.Sandbox.Stats()
	assert.Zero(t, stats.Writes)
	assert.Zero(t, stats.Requests, "a refused write costs no request at all: %v", stats.ByEndpoint)
}

// An allow list names tools and/or the entities they write. What it allows is listed and may write;
// everything else is neither listed nor, called anyway, allowed.
func TestAllowListLimitsWriteTools(t *testing.T) {
	tests := []struct {
		allow   []string
		allowed []string
	}{
		{[]string{"add_ticket_note"}, []string{"add_ticket_note"}},
		{[]string{"TicketNotes"}, []string{"add_ticket_note"}},
		{[]string{"tickets"}, []string{"add_ticket_note", "create_ticket", "resolve_ticket", "update_ticket", "log_time"}},
		{[]string{"update_ticket", "Companies"}, []string{"update_ticket", "create_entity", "update_entity"}},
		{[]string{"Contacts"}, []string{"create_entity", "update_entity"}},
		{[]string{"TimeEntries"}, []string{"log_time"}},
		{[]string{"log_time"}, []string{"log_time"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.allow, ","), func(t *testing.T) {
			env := writeEnv(t, nil, guard.Options{AllowWrites: tt.allow})
			list, err := env.MCP.ListTools(context.Background(), mcp.ListToolsRequest{})
			require.NoError(t, err)
			var listed []string
			for _, tl := range list.Tools {
				if _, isWrite := writeCases[tl.Name]; isWrite {
					listed = append(listed, tl.Name)
				}
			}
			assert.ElementsMatch(t, tt.allowed, listed, "the write tools offered")

			id := openTickets(t, env.Sandbox, false)[0]
			readFirst(t, env.MCP, id)
			for _, tl := range writeTools(env.Deps) {
				call := merge(writeCases[tl.Def.Name].write(id), "dry_run", true)
				if slices.Contains(tt.allowed, tl.Def.Name) {
					res := env.Call(t, tl.Def.Name, call)
					if writeCases[tl.Def.Name].entityTool && !slices.Contains(tt.allow, "Companies") {
						// Allowed for Contacts only: a company is refused.
						failed(t, res, "does not allow")
						continue
					}
					if writeCases[tl.Def.Name].entityTool && res.IsError {
						// The company was not read first; the allow list let the call through.
						failed(t, res, "had not read")
						continue
					}
					assert.Equal(t, "dry_run", outcomeOf(t, res))
					continue
				}
				// Not listed; its handler, called directly (as a server that listed it by mistake
				// would), refuses too.
				req := mcp.CallToolRequest{}
				req.Params.Name, req.Params.Arguments = tl.Def.Name, call
				res, err := tl.Handler(context.Background(), req)
				require.NoError(t, err)
				failed(t, res, "does not allow")
			}
		})
	}
}

// auditLines parses the audit lines the server's goroutines wrote to b.
func auditLines(t *testing.T, b *testenv.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m), line)
		out = append(out, m)
	}
	return out
}

// Every attempt, allowed or refused, is one audit line, and the confirmation token never is.
func TestWriteAttemptsAreAudited(t *testing.T) {
	audit := &testenv.Buffer{}
	env := writeEnv(t, nil, guard.Options{Audit: audit})
	id := openTickets(t, env.Sandbox, false)[0]

	failed(t, env.Call(t, "update_ticket", args("ticket_id", id, "changes", args("priority", "Low"))))
	readFirst(t, env.MCP, id)
	ok(t, env.Call(t, "update_ticket", args("ticket_id", id, "changes", args("priority", "Low"), "dry_run", true)))
	ok(t, env.Call(t, "update_ticket", args("ticket_id", id, "changes", args("priority", "Low"))))
	tok := tokenOf(t, env.Call(t, "update_ticket", args("ticket_id", id, "changes", args("status", "Waiting Customer"))))
	ok(t, env.Call(t, "update_ticket", args("ticket_id", id, "changes", args("status", "Waiting Customer"), "confirm", tok)))

	lines := auditLines(t, audit)
	var outcomes []string
	for _, l := range lines {
		outcomes = append(outcomes, l["outcome"].(string))
		assert.Equal(t, "update_ticket", l["tool"])
		assert.EqualValues(t, id, l["id"])
	}
	assert.Equal(t, []string{"refused", "dry_run", "applied", "confirmation_required", "applied"}, outcomes)
	applied := lines[2]["changes"].([]any)[0].(map[string]any)
	assert.Equal(t, "priority", applied["field"])
	assert.EqualValues(t, 3, applied["after"])
	all, _ := json.Marshal(lines)
	assert.NotContains(t, string(all), tok, "the token never reaches the audit log")
}
