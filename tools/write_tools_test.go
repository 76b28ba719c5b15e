package tools_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

func TestWriteToolDefinitions(t *testing.T) {
	env := writeEnv(t, nil, guard.Options{})
	list, err := env.MCP.ListTools(context.Background(), mcp.ListToolsRequest{})
	require.NoError(t, err)
	byName := map[string]mcp.Tool{}
	for _, tl := range list.Tools {
		byName[tl.Name] = tl
	}
	destructive := map[string]bool{"add_ticket_note": false, "create_ticket": false, "resolve_ticket": true, "update_ticket": true}
	for name, want := range destructive {
		t.Run(name, func(t *testing.T) {
			tl, found := byName[name]
			require.True(t, found, "%s is listed", name)
			assert.NotEmpty(t, tl.Description)
			assert.NotEmpty(t, tl.Title)
			// An absent hint means the protocol's default (read-only false, idempotent false,
			// destructive true), and tools/list leaves defaults out.
			assert.False(t, hintOr(tl.Annotations.ReadOnlyHint, false))
			assert.False(t, hintOr(tl.Annotations.IdempotentHint, false), "a write repeated is another write")
			assert.Equal(t, want, hintOr(tl.Annotations.DestructiveHint, true))

			in := schemaOf(t, tl.RawInputSchema, tl.InputSchema)
			assert.Equal(t, false, in["additionalProperties"])
			props := in["properties"].(map[string]any)
			assert.Contains(t, props, "dry_run", "every write tool has dry_run")
			for prop, p := range props {
				assert.NotEmpty(t, p.(map[string]any)["description"], "argument %s is described", prop)
				assert.Equal(t, strings.ToLower(prop), prop, "arguments are snake_case")
			}
			raw, _ := json.Marshal(in)
			assert.NotContains(t, string(raw), "$ref")
		})
	}
}

// hintOr is a tool annotation's hint as a client reads it: its value, or the protocol's default.
func hintOr(hint *bool, def bool) bool {
	if hint == nil {
		return def
	}
	return *hint
}

func TestAddTicketNote(t *testing.T) {
	env := writeEnv(t, nil, guard.Options{})
	id := openTickets(t, env.Sandbox, false)[0]
	readFirst(t, env.MCP, id)
	tests := []struct {
		name               string
		extra              []any
		wantType, wantPubl int64
		fragments          []string // of an error; none = success
	}{
		{"tenant defaults: internal", nil, 13, 1, nil},
		{"labels", []any{"note_type", "Customer Communication", "publish", "All (Internal & Customer)"}, 14, 3, nil},
		{"ids, as number and text", []any{"note_type", 3, "publish", "2"}, 3, 2, nil},
		{"our own labelled form", []any{"note_type", "Resolution (3)"}, 3, 1, nil},
		{"unknown label", []any{"note_type", "Secret"}, 0, 0, []string{`"Secret" is not a value`, "Internal Note (13)"}},
		{"object refused", []any{"publish", map[string]any{"id": 1}}, 0, 0, []string{`"publish"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(notesOf(env.Sandbox, id))
			call := append([]any{"ticket_id", id, "title", "Call", "description", "Spoke to " + tt.name}, tt.extra...)
			res := env.Call(t, "add_ticket_note", args(call...))
			if tt.fragments != nil {
				failed(t, res, tt.fragments...)
				assert.Len(t, notesOf(env.Sandbox, id), before)
				return
			}
			if tt.wantPubl != 1 {
				// Visible beyond the default (internal): the person confirms first.
				token := tokenOf(t, res)
				assert.Len(t, notesOf(env.Sandbox, id), before, "nothing added before the confirmation")
				res = env.Call(t, "add_ticket_note", args(append(call, "confirm", token)...))
			}
			out := ok(t, res)
			noteID := asInt(t, out["note_id"])
			note, found := env.Sandbox.Record("TicketNotes", noteID)
			require.True(t, found)
			assert.Equal(t, id, note["ticketID"])
			assert.Equal(t, "Spoke to "+tt.name, note["description"])
			assert.Equal(t, tt.wantType, note["noteType"])
			assert.Equal(t, tt.wantPubl, note["publish"])
		})
	}
	failed(t, env.Call(t, "add_ticket_note", args("ticket_id", id, "title", " ", "description", "x")), "title is required")
	failed(t, env.Call(t, "add_ticket_note", args("ticket_id", 999999, "title", "x", "description", "x")), "no ticket with id 999999")
}

// A note whose answer was lost is read back: found, the call succeeds and says so; not found, it
// may still have landed, and the assistant is told not to resend blindly. Either way it was sent once.
func TestAddTicketNoteOutcomeUnknown(t *testing.T) {
	tests := []struct {
		name        string
		fault       sandbox.Fault
		wantAdded   int
		wantAudit   string
		wantErrText []string // nil: success
	}{
		{"applied, then the connection dropped", sandbox.Fault{Kind: sandbox.FaultResetAfterApply}, 1, "applied", nil},
		{"dropped before it was applied", sandbox.Fault{Kind: sandbox.FaultReset}, 0, "outcome_unknown",
			[]string{"MAY HAVE BEEN APPLIED", "do not resend", "most likely not applied"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			audit := &testenv.Buffer{}
			env := writeEnv(t, nil, guard.Options{Audit: audit})
			id := openTickets(t, env.Sandbox, false)[0]
			readFirst(t, env.MCP, id)
			notes := len(notesOf(env.Sandbox, id))
			env.Sandbox.Faults().Script("POST", fmt.Sprintf("Tickets/%d/Notes", id), 1, tt.fault)

			res := env.Call(t, "add_ticket_note", writeCases["add_ticket_note"].write(id))
			if tt.wantErrText != nil {
				failed(t, res, tt.wantErrText...)
			} else {
				out := ok(t, res)
				assert.Contains(t, fmt.Sprint(out["notes"]), "reading it back showed it was applied")
				assert.NotZero(t, out["note_id"], "the note found is named")
			}
			assert.Len(t, notesOf(env.Sandbox, id), notes+tt.wantAdded, "sent once: never retried")
			assert.Equal(t, 1, env.Sandbox.Stats().ByEndpoint["POST Tickets/{id}/Notes"])
			lines := auditLines(t, audit)
			assert.Equal(t, tt.wantAudit, lines[len(lines)-1]["outcome"])
		})
	}
}

func TestResolveTicket(t *testing.T) {
	env := writeEnv(t, &elicitor{action: mcp.ElicitationResponseActionAccept}, guard.Options{})

	t.Run("with time entries the status stays", func(t *testing.T) {
		id := openTickets(t, env.Sandbox, true)[0]
		readFirst(t, env.MCP, id)
		before := ticketRecord(t, env.Sandbox, id)
		out := ok(t, env.Call(t, "resolve_ticket", args("ticket_id", id, "resolution", "Fixed.")))
		after := ticketRecord(t, env.Sandbox, id)
		assert.Equal(t, before["status"], after["status"])
		assert.Equal(t, "Fixed.", after["resolution"])
		assert.Nil(t, after["completedDate"])
		assert.Contains(t, fmt.Sprint(out["notes"]), "time entries are logged")
	})
	t.Run("complete false writes the resolution only", func(t *testing.T) {
		id := openTickets(t, env.Sandbox, false)[1]
		readFirst(t, env.MCP, id)
		env.Sandbox.ResetStats()
		ok(t, env.Call(t, "resolve_ticket", args("ticket_id", id, "resolution", "Fixed.", "complete", false)))
		assert.Equal(t, map[string]int{"GET Tickets/{id}": 2, "PUT Tickets": 1}, env.Sandbox.Stats().ByEndpoint, "a resolution without a status change: no count, one PUT; the fresh GET before it and the guard's read-back after")
		assert.NotEqual(t, int64(statusComplete), ticketRecord(t, env.Sandbox, id)["status"])
	})
	t.Run("already complete: no count, no status PUT", func(t *testing.T) {
		id := openTickets(t, env.Sandbox, false)[2]
		require.NoError(t, env.Sandbox.Modify("Tickets", id, map[string]any{"status": statusComplete}))
		readFirst(t, env.MCP, id)
		env.Sandbox.ResetStats()
		out := ok(t, env.Call(t, "resolve_ticket", args("ticket_id", id, "resolution", "Fixed.")))
		assert.Equal(t, map[string]int{"GET Tickets/{id}": 2, "PUT Tickets": 1}, env.Sandbox.Stats().ByEndpoint)
		assert.Contains(t, fmt.Sprint(out["notes"]), "already Complete")
	})
	t.Run("Completed is not Complete", func(t *testing.T) {
		id := openTickets(t, env.Sandbox, false)[3]
		require.NoError(t, env.Sandbox.Modify("Tickets", id, map[string]any{"status": 8}))
		readFirst(t, env.MCP, id)
		ok(t, env.Call(t, "resolve_ticket", args("ticket_id", id, "resolution", "Fixed.")))
		rec := ticketRecord(t, env.Sandbox, id)
		assert.Equal(t, int64(statusComplete), rec["status"], "status 8 \"Completed\" is moved on to 5 \"Complete\"")
		assert.NotNil(t, rec["resolvedDateTime"])
	})
	t.Run("same text, no status change: nothing sent", func(t *testing.T) {
		id := openTickets(t, env.Sandbox, false)[4]
		readFirst(t, env.MCP, id)
		ok(t, env.Call(t, "resolve_ticket", args("ticket_id", id, "resolution", "Fixed.", "complete", false)))
		env.Sandbox.ResetStats()
		out := ok(t, env.Call(t, "resolve_ticket", args("ticket_id", id, "resolution", "Fixed.", "complete", false)))
		assert.Equal(t, "unchanged", out["outcome"])
		assert.Zero(t, env.Sandbox.Stats().Writes)
	})
	t.Run("dry run shows the three requests", func(t *testing.T) {
		id := openTickets(t, env.Sandbox, false)[5]
		readFirst(t, env.MCP, id)
		fresh := ticketRecord(t, env.Sandbox, id)
		env.Sandbox.ResetStats()
		out := ok(t, env.Call(t, "resolve_ticket", args("ticket_id", id, "resolution", "Fixed.", "note", "Done", "dry_run", true)))
		assert.Equal(t, "dry_run", out["outcome"])
		assert.Equal(t, true, out["needs_confirmation"])
		assert.Zero(t, env.Sandbox.Stats().Writes)
		reqs := out["requests"].([]any)
		require.Len(t, reqs, 3)
		note, put1, put2 := reqs[0].(map[string]any), reqs[1].(map[string]any), reqs[2].(map[string]any)
		assert.Equal(t, fmt.Sprintf("Tickets/%d/Notes", id), note["path"])
		assert.Equal(t, "PUT", put1["method"])
		body1, body2 := put1["body"].(map[string]any), put2["body"].(map[string]any)
		assert.Equal(t, "Fixed.", body1["resolution"])
		assert.EqualValues(t, fresh["status"], asInt(t, body1["status"]), "the first PUT keeps the status")
		assert.EqualValues(t, statusComplete, asInt(t, body2["status"]))
		assert.Equal(t, "Fixed.", body2["resolution"], "the second PUT is the first with the status changed")
		assert.Equal(t, ticketRecord(t, env.Sandbox, id), fresh)
	})
}

// A failure part-way says exactly what was written and what was not.
func TestResolveTicketPartialFailure(t *testing.T) {
	env := writeEnv(t, nil, guard.Options{})
	id := openTickets(t, env.Sandbox, false)[0]
	readFirst(t, env.MCP, id)
	call := args("ticket_id", id, "resolution", "Fixed.", "note", "Rebooted the router.")
	token := tokenOf(t, env.Call(t, "resolve_ticket", call))
	env.Sandbox.Faults().Script("PUT", "Tickets", 1, sandbox.Fault{Kind: sandbox.FaultStatus, Status: 500,
		Body: `{"errors":["Value for field resolution is not valid."]}`})

	text := failed(t, env.Call(t, "resolve_ticket", merge(call, "confirm", token)),
		`at "write resolution"`, "refused it", "not applied", "Already written: add note", "Not done: set status", "get_ticket")
	assert.NotContains(t, strings.ToLower(text), "nothing was written")
	rec := ticketRecord(t, env.Sandbox, id)
	assert.NotEqual(t, int64(statusComplete), rec["status"])
	assert.NotEqual(t, "Fixed.", rec["resolution"])
	assert.NotEmpty(t, notesOf(env.Sandbox, id))
}

func TestUpdateTicket(t *testing.T) {
	env := writeEnv(t, nil, guard.Options{})
	id := openTickets(t, env.Sandbox, false)[0]
	readFirst(t, env.MCP, id)
	update := func(changes map[string]any) *mcp.CallToolResult {
		return env.Call(t, "update_ticket", args("ticket_id", id, "changes", changes))
	}
	refusals := []struct {
		name      string
		changes   map[string]any
		fragments []string
	}{
		{"unknown field", args("priorty", "High"), []string{`no field or user-defined field "priorty"`, `did you mean "priority"`}},
		{"unknown UDF", args("udfs", args("Root Cause2", "x")), []string{`no user-defined field "Root Cause2"`, "Root Cause"}},
		{"read-only field", args("completedDate", "2026-01-01T00:00:00Z"), []string{"completedDate is read-only"}},
		{"ticket number", args("ticketNumber", "T1"), []string{"read-only"}},
		{"id", args("id", 5), []string{"id cannot be changed"}},
		{"unknown label", args("priority", "Urgent"), []string{`"Urgent" is not a value`, "High (1)"}},
		{"clear a required field", args("title", nil), []string{"title is required"}},
		{"too long", args("title", strings.Repeat("x", 256)), []string{"at most 255"}},
		{"not a date", args("dueDateTime", "next Tuesday"), []string{"ISO 8601"}},
		{"not an integer", args("assignedResourceID", "Bob"), []string{"integer"}},
		{"sub-issue type not under the issue type", args("issueType", "Network", "subIssueType", "Outlook"), []string{"not a subIssueType under issueType 3", "VPN (302)"}},
		{"UDF picklist value", args("Customer Impact", "Everyone"), []string{`"Everyone" is not a value`, "Whole Site"}},
		{"empty", args(), []string{"changes is required"}},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			before := ticketRecord(t, env.Sandbox, id)
			env.Sandbox.ResetStats()
			failed(t, update(tt.changes), tt.fragments...)
			assert.Zero(t, env.Sandbox.Stats().Writes)
			assert.Equal(t, before, ticketRecord(t, env.Sandbox, id))
		})
	}

	t.Run("labels, UDFs by name and grouped, dependent picklist", func(t *testing.T) {
		out := ok(t, update(args("priority", "critical", "issueType", "Network", "subIssueType", "VPN",
			"Root Cause", "Expired certificate", "udfs", args("Customer Impact", "whole site"),
			"dueDateTime", "2027-01-31T17:00:00", "estimatedHours", 1.5)))
		assert.Equal(t, "applied", out["outcome"])
		rec := ticketRecord(t, env.Sandbox, id)
		assert.Equal(t, int64(4), rec["priority"])
		assert.Equal(t, int64(3), rec["issueType"])
		assert.Equal(t, int64(302), rec["subIssueType"])
		assert.Equal(t, 1.5, rec["estimatedHours"])
		assert.Contains(t, rec["dueDateTime"], "2027-01-31T17:00:00")
		udfs := udfMap(rec)
		assert.Equal(t, "Expired certificate", udfs["Root Cause"])
		assert.Equal(t, "Whole Site", udfs["Customer Impact"])
		var changed []string
		for _, c := range out["changes"].([]any) {
			changed = append(changed, c.(map[string]any)["field"].(string))
		}
		assert.ElementsMatch(t, []string{"priority", "issueType", "subIssueType", "dueDateTime", "estimatedHours", "udfs.Root Cause", "udfs.Customer Impact"}, changed)
	})
	t.Run("sub-issue type label under the ticket's own issue type", func(t *testing.T) {
		other := openTickets(t, env.Sandbox, false)[1]
		require.NoError(t, env.Sandbox.Modify("Tickets", other, map[string]any{"issueType": 1, "subIssueType": 101}))
		readFirst(t, env.MCP, other)
		ok(t, env.Call(t, "update_ticket", args("ticket_id", other, "changes", args("subIssueType", "printer / scanner"))))
		assert.Equal(t, int64(102), ticketRecord(t, env.Sandbox, other)["subIssueType"])
	})
	t.Run("a change to the current value sends nothing and asks nothing", func(t *testing.T) {
		rec := ticketRecord(t, env.Sandbox, id)
		env.Sandbox.ResetStats()
		out := ok(t, update(args("priority", rec["priority"], "status", rec["status"])))
		assert.Equal(t, "unchanged", out["outcome"])
		assert.Zero(t, env.Sandbox.Stats().ByEndpoint["PUT Tickets"])
	})
	t.Run("clearing a field", func(t *testing.T) {
		ok(t, update(args("udfs", args("Root Cause", nil), "estimatedHours", nil)))
		rec := ticketRecord(t, env.Sandbox, id)
		assert.Nil(t, rec["estimatedHours"])
		assert.Nil(t, udfMap(rec)["Root Cause"])
	})
	t.Run("dry run is the exact PUT", func(t *testing.T) {
		fresh := ticketRecord(t, env.Sandbox, id)
		require.NotEqual(t, int64(1), fresh["priority"])
		out := ok(t, env.Call(t, "update_ticket", args("ticket_id", id, "changes", args("priority", "High"), "dry_run", true)))
		assert.Equal(t, "dry_run", out["outcome"])
		assert.Nil(t, out["needs_confirmation"], "a priority change needs no confirmation")
		reqs := out["requests"].([]any)
		require.Len(t, reqs, 1)
		body := reqs[0].(map[string]any)["body"].(map[string]any)
		assert.EqualValues(t, 1, asInt(t, body["priority"]))
		raw := rawItem(t, env, "Tickets", id)
		var item struct{ Item map[string]any }
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		dec.UseNumber()
		require.NoError(t, dec.Decode(&item))
		for k, v := range item.Item {
			if k != "priority" {
				assert.Equal(t, v, body[k], "field %s is sent as the fresh GET returned it", k)
			}
		}
		assert.Len(t, body, len(item.Item))
		assert.Equal(t, fresh, ticketRecord(t, env.Sandbox, id), "nothing written")
	})
}

func TestCreateTicket(t *testing.T) {
	env := writeEnv(t, nil, guard.Options{})
	company, _ := env.Sandbox.Record("Companies", env.Sandbox.IDs("Companies")[3])
	name := company["companyName"].(string)
	companyID := company["id"].(int64)

	t.Run("by exact name, with tenant defaults", func(t *testing.T) {
		out := ok(t, env.Call(t, "create_ticket", args("company", strings.ToUpper(name), "title", "Laptop will not boot",
			"description", "Black screen after the update.", "queue", "Triage", "issue_type", "Hardware", "sub_issue_type", "Desktop / Laptop",
			"due_date_time", "2027-02-01T12:00:00Z", "fields", args("source", "Phone", "udfs", args("Customer Impact", "Single User")))))
		assert.Equal(t, "applied", out["outcome"])
		assert.Contains(t, fmt.Sprint(out["notes"]), "priority: Medium")
		rec := ticketRecord(t, env.Sandbox, asInt(t, out["ticket_id"]))
		assert.Equal(t, companyID, rec["companyID"])
		assert.Equal(t, "Laptop will not boot", rec["title"])
		assert.Equal(t, int64(2), rec["priority"], "the tenant's default priority")
		assert.Equal(t, int64(statusNew), rec["status"], "the tenant's default status")
		assert.Equal(t, int64(29682835), rec["queueID"])
		assert.Equal(t, int64(101), rec["subIssueType"])
		assert.Equal(t, int64(1), rec["source"])
		assert.Equal(t, "Single User", udfMap(rec)["Customer Impact"])
		assert.NotEmpty(t, rec["ticketNumber"])
		assert.Equal(t, rec["ticketNumber"], out["ticket_number"], "the number people know it by comes back")
		assert.Contains(t, out["summary"], rec["ticketNumber"])

		// The create counts as this session's read: it can go on without another.
		note := ok(t, env.Call(t, "add_ticket_note", args("ticket_id", rec["id"], "title", "Logged", "description", "Customer called it in.")))
		assert.Equal(t, "applied", note["outcome"])
	})
	t.Run("by id", func(t *testing.T) {
		out := ok(t, env.Call(t, "create_ticket", args("company", companyID, "title", "x", "description", "y", "priority", "High")))
		assert.Equal(t, int64(1), ticketRecord(t, env.Sandbox, asInt(t, out["ticket_id"]))["priority"])
	})
	twin, err := env.Sandbox.Insert("Companies", map[string]any{"companyName": "Twin Peaks Dental", "companyType": 1, "phone": "1", "ownerResourceID": env.Sandbox.APIResourceID()})
	require.NoError(t, err)
	twin2, err := env.Sandbox.Insert("Companies", map[string]any{"companyName": "Twin Peaks Dental", "companyType": 1, "phone": "2", "ownerResourceID": env.Sandbox.APIResourceID()})
	require.NoError(t, err)
	refusals := []struct {
		name      string
		call      map[string]any
		fragments []string
	}{
		{"ambiguous name", args("company", "Twin Peaks Dental", "title", "x", "description", "y"),
			[]string{"2 companies are named", fmt.Sprint(twin), fmt.Sprint(twin2), "give the id"}},
		{"no such name", args("company", "Twin Peaks", "title", "x", "description", "y"),
			[]string{`no company is named exactly "Twin Peaks"`, "Twin Peaks Dental"}},
		{"no such id", args("company", 987654, "title", "x", "description", "y"), []string{"no company with id 987654"}},
		{"Complete on create", args("company", companyID, "title", "x", "description", "y", "status", "Complete"), []string{"Complete is refused", "resolve_ticket"}},
		{"field given twice", args("company", companyID, "title", "x", "description", "y", "fields", args("priority", 1)), []string{"priority argument"}},
		{"unknown field", args("company", companyID, "title", "x", "description", "y", "fields", args("sorce", "Phone")), []string{`did you mean "source"`}},
		{"read-only field", args("company", companyID, "title", "x", "description", "y", "fields", args("ticketNumber", "T1")), []string{"read-only"}},
		{"sub-issue type under another issue type", args("company", companyID, "title", "x", "description", "y", "issue_type", "Network", "sub_issue_type", "Outlook"), []string{"not a subIssueType"}},
		{"no title", args("company", companyID, "title", "", "description", "y"), []string{"title is required"}},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			writes := env.Sandbox.Stats().Writes
			failed(t, env.Call(t, "create_ticket", tt.call), tt.fragments...)
			assert.Equal(t, writes, env.Sandbox.Stats().Writes)
		})
	}
	t.Run("dry run", func(t *testing.T) {
		count := env.Sandbox.Count("Tickets")
		out := ok(t, env.Call(t, "create_ticket", args("company", companyID, "title", "x", "description", "y", "dry_run", true)))
		assert.Equal(t, "dry_run", out["outcome"])
		req := out["requests"].([]any)[0].(map[string]any)
		assert.Equal(t, "POST", req["method"])
		assert.Equal(t, "Tickets", req["path"])
		body := req["body"].(map[string]any)
		assert.EqualValues(t, companyID, asInt(t, body["companyID"]))
		assert.EqualValues(t, 2, asInt(t, body["priority"]))
		assert.Equal(t, count, env.Sandbox.Count("Tickets"))
	})
	t.Run("lost answer, created: read back, never resent", func(t *testing.T) {
		count := env.Sandbox.Count("Tickets")
		env.Sandbox.Faults().Script("POST", "Tickets", 1, sandbox.Fault{Kind: sandbox.FaultResetAfterApply})
		out := ok(t, env.Call(t, "create_ticket", args("company", companyID, "title", "Lost answer", "description", "y")))
		assert.Equal(t, count+1, env.Sandbox.Count("Tickets"), "created once, not retried")
		rec, found := env.Sandbox.Record("Tickets", asInt(t, out["ticket_id"]))
		require.True(t, found, "the id read back is the ticket created")
		assert.Equal(t, "Lost answer", rec["title"])
	})
	t.Run("lost answer, not created: may exist, never resent", func(t *testing.T) {
		count := env.Sandbox.Count("Tickets")
		env.Sandbox.Faults().Script("POST", "Tickets", 1, sandbox.Fault{Kind: sandbox.FaultReset})
		failed(t, env.Call(t, "create_ticket", args("company", companyID, "title", "Lost answer 2", "description", "y")),
			"MAY HAVE BEEN APPLIED", "most likely not", "query_entity", "Lost answer 2")
		assert.Equal(t, count, env.Sandbox.Count("Tickets"), "not created, not retried")
	})
}

// The token path's text twin and structured result both carry the token; the elicitation path's
// question never reaches the assistant's context through the result.
func TestConfirmationPreviewIsMarkedUntrusted(t *testing.T) {
	env := writeEnv(t, nil, guard.Options{})
	hostile := env.Sandbox.HostileTicketIDs()
	require.NotEmpty(t, hostile)
	id := hostile[len(hostile)-1]
	require.NoError(t, env.Sandbox.Modify("Tickets", id, map[string]any{"status": statusInProgress}))
	readFirst(t, env.MCP, id)
	res := env.Call(t, "update_ticket", args("ticket_id", id, "changes", args("status", "On Hold")))
	out := ok(t, res)
	assert.Contains(t, out["untrusted"], "confirmation")
	// The server's own words come first, unfenced; the preview, which quotes the ticket, is fenced.
	own, quoted, found := strings.Cut(testenv.Text(res), "\n<untrusted>\n")
	require.True(t, found, testenv.Text(res))
	assert.True(t, strings.HasPrefix(own, `{"summary":`), own)
	assert.NotContains(t, own, `"message"`)
	assert.Contains(t, quoted, `"confirmation":{"token"`)
}

// A dry run says whether applying it would ask the person: a status change would, a title change
// would not. Either way nothing is written and nobody is asked yet.
func TestUpdateTicketDryRunSaysWhetherConfirmationIsNeeded(t *testing.T) {
	tests := []struct {
		name    string
		changes map[string]any
		needs   bool
	}{
		{"status", args("status", "Waiting Customer"), true},
		{"status with a title", args("status", "Waiting Customer", "title", "Printer offline (dry run)"), true},
		{"title", args("title", "Printer offline (dry run)"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			person := &elicitor{action: mcp.ElicitationResponseActionAccept}
			env := writeEnv(t, person, guard.Options{})
			id := openTickets(t, env.Sandbox, false)[0]
			require.NoError(t, env.Sandbox.Modify("Tickets", id, map[string]any{"status": statusInProgress}))
			readFirst(t, env.MCP, id)
			before := ticketRecord(t, env.Sandbox, id)

			res := env.Call(t, "update_ticket", args("ticket_id", id, "changes", tt.changes, "dry_run", true))
			out := ok(t, res)
			assert.Equal(t, "dry_run", out["outcome"])
			needs, _ := out["needs_confirmation"].(bool)
			assert.Equal(t, tt.needs, needs, "needs_confirmation; summary: %s", out["summary"])
			if tt.needs {
				assert.Contains(t, out["summary"], "needs the person's confirmation")
			} else {
				assert.NotContains(t, out["summary"], "confirmation")
			}
			assert.Empty(t, person.questions(), "a dry run asks nobody")
			assert.Equal(t, before, ticketRecord(t, env.Sandbox, id), "a dry run writes nothing")
		})
	}
}
