package tools_test

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
	"github.com/autotask-mcp/autotask-mcp/resources"
	"github.com/autotask-mcp/autotask-mcp/tools"
)

// The changes README.md's "What needs the person's confirmation" table lists, each on every tool
// the table names: asked for, nothing written until confirmed, and dry_run says so.

// policyEnv is the real stack with the operator's --complete-status set to completeStatus ("" for
// none) and, with a non-nil elicitor, a client that declares elicitation.
func policyEnv(t *testing.T, completeStatus string, e *elicitor) *testenv.Env {
	t.Helper()
	opts := testenv.Options{Register: func(s *server.MCPServer, deps tools.Deps) {
		deps.CompleteStatus = completeStatus
		tools.Register(s, deps)
		resources.Register(s, deps)
	}}
	if e != nil {
		opts.MCPClientOptions = []client.ClientOption{client.WithElicitationHandler(e)}
	}
	return testenv.New(t, opts)
}

// A status other than the tenant's default for new tickets (New) is a status decision: create_ticket
// asks for it, whichever status the operator named Complete, and creates nothing until confirmed.
func TestCreateTicketNonDefaultStatusNeedsConfirmation(t *testing.T) {
	tests := []struct {
		completeStatus string
		status         any
		want           int64
	}{
		{"", "Completed", 8},     // an ordinary status when Complete is 5
		{"8", 5, statusComplete}, // the status that stamps the resolution dates, when the operator named 8
		{"8", "Complete", statusComplete},
		{"", "Waiting Customer", statusWaiting},
		{"8", "Waiting Customer", statusWaiting},
	}
	for _, tt := range tests {
		t.Run("complete-status="+tt.completeStatus+"/"+scalar(tt.status), func(t *testing.T) {
			env := policyEnv(t, tt.completeStatus, nil)
			company := env.Sandbox.IDs("Companies")[1]
			title := "Create with status " + scalar(tt.status)
			call := args("company", company, "title", title, "description", "d", "status", tt.status)

			dry := ok(t, env.Call(t, "create_ticket", withArgs(call, "dry_run", true)))
			assert.Equal(t, true, dry["needs_confirmation"], "dry_run reports it")
			assert.Contains(t, dry["summary"], "needs the person's confirmation (a status change)")

			res := env.Call(t, "create_ticket", call)
			token := tokenOf(t, res)
			out := ok(t, res)
			assert.Equal(t, false, out["written"])
			assert.Contains(t, out["confirmation"].(map[string]any)["message"], "New (1)", "the person sees the default beside the status asked for")
			assert.Zero(t, ticketsTitled(env.Sandbox, title), "nothing created before the confirmation")
			assert.Zero(t, env.Sandbox.Stats().Writes)

			// The token is bound to the exact values: another title is another create.
			failed(t, env.Call(t, "create_ticket", merge(args("company", company, "title", title+" (edited)", "description", "d", "status", tt.status), "confirm", token)), "does not match")
			assert.Zero(t, env.Sandbox.Stats().Writes)

			created := ok(t, env.Call(t, "create_ticket", merge(call, "confirm", token)))
			require.Equal(t, "applied", created["outcome"])
			assert.Equal(t, tt.want, ticketRecord(t, env.Sandbox, asInt(t, created["ticket_id"]))["status"])

			failed(t, env.Call(t, "create_ticket", merge(call, "confirm", token)), "already used")
			assert.Equal(t, 1, ticketsTitled(env.Sandbox, title), "a token creates once")
		})
	}
}

// The tenant's default status, given or left out, is no decision: created without asking.
func TestCreateTicketDefaultStatusCreatesWithoutAsking(t *testing.T) {
	for _, completeStatus := range []string{"", "8"} {
		for _, status := range []any{nil, "New", 1} {
			t.Run("complete-status="+completeStatus+"/"+scalar(status), func(t *testing.T) {
				person := &elicitor{action: mcp.ElicitationResponseActionDecline}
				env := policyEnv(t, completeStatus, person)
				call := args("company", env.Sandbox.IDs("Companies")[1], "title", "Printer offline", "description", "d")
				if status != nil {
					call["status"] = status
				}
				dry := ok(t, env.Call(t, "create_ticket", withArgs(call, "dry_run", true)))
				assert.Nil(t, dry["needs_confirmation"], "dry_run: no confirmation needed")
				out := ok(t, env.Call(t, "create_ticket", call))
				assert.Equal(t, "applied", out["outcome"])
				assert.Equal(t, int64(statusNew), ticketRecord(t, env.Sandbox, asInt(t, out["ticket_id"]))["status"])
				assert.Empty(t, person.questions(), "the person was not asked")
			})
		}
	}
}

// With a client that can ask, the person is asked once; their answer decides.
func TestCreateTicketStatusByElicitation(t *testing.T) {
	for _, action := range []mcp.ElicitationResponseAction{mcp.ElicitationResponseActionAccept, mcp.ElicitationResponseActionDecline} {
		t.Run(string(action), func(t *testing.T) {
			person := &elicitor{action: action}
			env := policyEnv(t, "8", person)
			title := "Created as Complete"
			out := ok(t, env.Call(t, "create_ticket", args("company", env.Sandbox.IDs("Companies")[1], "title", title, "description", "d", "status", 5)))
			asked := person.questions()
			require.Len(t, asked, 1)
			for _, want := range []string{"Create a ticket", title, "status", "Complete (5)", "New (1)"} {
				assert.Contains(t, asked[0], want)
			}
			if action != mcp.ElicitationResponseActionAccept {
				assert.Equal(t, "declined", out["outcome"])
				assert.Zero(t, ticketsTitled(env.Sandbox, title))
				assert.Zero(t, env.Sandbox.Stats().Writes)
				return
			}
			assert.Equal(t, "applied", out["outcome"])
			rec := ticketRecord(t, env.Sandbox, asInt(t, out["ticket_id"]))
			assert.Equal(t, int64(statusComplete), rec["status"])
			assert.NotNil(t, rec["completedDate"], "the person agreed to what Complete stamps")
		})
	}
}

// A note visible beyond the tenant's default (Internal Only) may reach the customer: add_ticket_note
// asks first. The default, given or left out, is not asked about; nor is resolve_ticket's note, which
// always takes it.
func TestNoteVisibleBeyondDefaultNeedsConfirmation(t *testing.T) {
	tests := []struct {
		publish any
		want    int64
		asks    bool
	}{
		{nil, 1, false},
		{"Internal Only", 1, false},
		{1, 1, false},
		{"Internal & Co-managed", 2, true},
		{"All (Internal & Customer)", 3, true},
		{3, 3, true},
	}
	for _, tt := range tests {
		t.Run(scalar(tt.publish), func(t *testing.T) {
			env := writeEnv(t, nil, guard.Options{})
			id := openTickets(t, env.Sandbox, false)[0]
			readFirst(t, env.MCP, id)
			notes := len(notesOf(env.Sandbox, id))
			call := args("ticket_id", id, "title", "Update for you", "description", "We replaced the toner.")
			if tt.publish != nil {
				call["publish"] = tt.publish
			}

			dry := ok(t, env.Call(t, "add_ticket_note", withArgs(call, "dry_run", true)))
			if tt.asks {
				assert.Equal(t, true, dry["needs_confirmation"])
				assert.Contains(t, dry["summary"], "the customer may see it")
			} else {
				assert.Nil(t, dry["needs_confirmation"])
			}

			res := env.Call(t, "add_ticket_note", call)
			if tt.asks {
				token := tokenOf(t, res)
				msg := ok(t, res)["confirmation"].(map[string]any)["message"]
				assert.Contains(t, msg, "Internal Only (1)", "the person sees the default beside the visibility asked for")
				assert.Contains(t, msg, "We replaced the toner.")
				assert.Len(t, notesOf(env.Sandbox, id), notes, "nothing added before the confirmation")
				assert.Zero(t, env.Sandbox.Stats().Writes)
				failed(t, env.Call(t, "add_ticket_note", merge(args("ticket_id", id, "title", "Update for you", "description", "Another text.", "publish", tt.publish), "confirm", token)), "does not match")
				res = env.Call(t, "add_ticket_note", merge(call, "confirm", token))
			}
			out := ok(t, res)
			require.Equal(t, "applied", out["outcome"], testenv.Text(res))
			note, found := env.Sandbox.Record("TicketNotes", asInt(t, out["note_id"]))
			require.True(t, found)
			assert.Equal(t, tt.want, note["publish"])
			assert.Len(t, notesOf(env.Sandbox, id), notes+1)
		})
	}

	t.Run("resolve_ticket's note", func(t *testing.T) {
		person := &elicitor{action: mcp.ElicitationResponseActionDecline}
		env := writeEnv(t, person, guard.Options{})
		id := openTickets(t, env.Sandbox, false)[0]
		readFirst(t, env.MCP, id)
		dry := ok(t, env.Call(t, "resolve_ticket", args("ticket_id", id, "resolution", "Fixed.", "note", "Toner replaced.", "complete", false, "dry_run", true)))
		assert.Nil(t, dry["needs_confirmation"])
		out := ok(t, env.Call(t, "resolve_ticket", args("ticket_id", id, "resolution", "Fixed.", "note", "Toner replaced.", "complete", false)))
		assert.Equal(t, "applied", out["outcome"])
		assert.Empty(t, person.questions())
		note, _ := env.Sandbox.Record("TicketNotes", asInt(t, out["note_id"]))
		assert.Equal(t, int64(1), note["publish"], "the tenant's default: internal")
	})
}

// Fields the tenant's workflow rules act on, or that reach people outside the tenant, need the
// person on update_ticket; routine triage does not.
func TestApprovalAndComanagedFieldsNeedConfirmation(t *testing.T) {
	tests := []struct {
		field string
		value any
		asks  bool
	}{
		{"changeApprovalStatus", 2, true},
		{"changeApprovalType", 1, true},
		{"changeApprovalBoard", 3, true},
		{"isVisibleToComanaged", true, true},
		{"isAssignedToComanaged", true, true},
		{"priority", "Low", false},
		{"assignedResourceID", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			env := writeEnv(t, nil, guard.Options{})
			id := openTickets(t, env.Sandbox, false)[0]
			value := tt.value
			if tt.field == "assignedResourceID" {
				value = env.Sandbox.IDs("Resources")[0]
			}
			readFirst(t, env.MCP, id)
			call := args("ticket_id", id, "changes", args(tt.field, value))

			dry := ok(t, env.Call(t, "update_ticket", withArgs(call, "dry_run", true)))
			res := env.Call(t, "update_ticket", call)
			if !tt.asks {
				assert.Nil(t, dry["needs_confirmation"])
				assert.Equal(t, "applied", outcomeOf(t, res))
				return
			}
			assert.Equal(t, true, dry["needs_confirmation"])
			assert.Contains(t, dry["summary"], "a change to "+tt.field)
			token := tokenOf(t, res)
			assert.Zero(t, env.Sandbox.Stats().Writes, "nothing written before the confirmation")
			out := ok(t, env.Call(t, "update_ticket", merge(call, "confirm", token)))
			require.Equal(t, "applied", out["outcome"])
			assert.EqualValues(t, value, ticketRecord(t, env.Sandbox, id)[tt.field])
		})
	}

	t.Run("on create_ticket too", func(t *testing.T) {
		env := writeEnv(t, nil, guard.Options{})
		call := args("company", env.Sandbox.IDs("Companies")[1], "title", "Needs approval", "description", "d", "fields", args("changeApprovalStatus", 1))
		tokenOf(t, env.Call(t, "create_ticket", call))
		assert.Zero(t, ticketsTitled(env.Sandbox, "Needs approval"))
	})
}

// README.md's table is the single list of what needs the person: the fields it names are the
// guard's, and the tools it names are write tools.
func TestConfirmationTableIsTheGuardsList(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	const heading = "## What needs the person's confirmation\n"
	i := strings.Index(string(readme), heading)
	require.GreaterOrEqual(t, i, 0, "README.md has the section")
	section := string(readme[i+len(heading):])
	if j := strings.Index(section, "\n## "); j >= 0 {
		section = section[:j]
	}

	code := regexp.MustCompile("`([^`]+)`")
	writeToolNames := map[string]bool{}
	for _, tl := range writeTools(tools.Deps{}) {
		writeToolNames[tl.Def.Name] = true
	}
	var fields []string
	rows := 0
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if !strings.HasPrefix(line, "| ") || len(cells) != 3 || cells[0] == "change" {
			continue
		}
		rows++
		for _, m := range code.FindAllStringSubmatch(cells[0], -1) {
			if !slices.Contains(fields, m[1]) {
				fields = append(fields, m[1])
			}
		}
		for _, m := range code.FindAllStringSubmatch(cells[1], -1) {
			assert.True(t, writeToolNames[m[1]], "the table names %q, which is not a write tool", m[1])
		}
	}
	require.NotZero(t, rows, "the section has the table")
	assert.ElementsMatch(t, guard.DefaultSensitiveFields, fields, "README.md's table and guard.DefaultSensitiveFields name the same fields")
}

func scalar(v any) string {
	if v == nil {
		return "default"
	}
	return fmt.Sprint(v)
}
