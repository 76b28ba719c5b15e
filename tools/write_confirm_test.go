package tools_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"unicode"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

// A client that declared elicitation is asked directly, and its answer decides.
func TestStatusChangeByElicitation(t *testing.T) {
	calls := []struct {
		tool      string
		call      func(id int64) map[string]any
		newStatus int64
		newLabel  string
	}{
		{"resolve_ticket", func(id int64) map[string]any {
			return args("ticket_id", id, "resolution", "Replaced the toner.", "note", "Toner replaced on site.")
		}, statusComplete, "Complete (5)"},
		{"update_ticket", func(id int64) map[string]any {
			return args("ticket_id", id, "changes", args("status", "Waiting Customer", "priority", "Low"))
		}, statusWaiting, "Waiting Customer (7)"},
	}
	answers := []struct {
		action  mcp.ElicitationResponseAction
		applied bool
	}{
		{mcp.ElicitationResponseActionAccept, true},
		{mcp.ElicitationResponseActionDecline, false},
		{mcp.ElicitationResponseActionCancel, false},
	}
	for _, c := range calls {
		for _, a := range answers {
			t.Run(c.tool+"/"+string(a.action), func(t *testing.T) {
				person := &elicitor{action: a.action}
				env := writeEnv(t, person, guard.Options{})
				id := openTickets(t, env.Sandbox, false)[0]
				require.NoError(t, env.Sandbox.Modify("Tickets", id, map[string]any{"status": statusInProgress}))
				readFirst(t, env.MCP, id)
				before := ticketRecord(t, env.Sandbox, id)
				notes := len(notesOf(env.Sandbox, id))

				res := env.Call(t, c.tool, c.call(id))
				out := ok(t, res)

				asked := person.questions()
				require.Len(t, asked, 1, "the person is asked once")
				for _, want := range []string{before["ticketNumber"].(string), before["title"].(string), "status", "In Progress (10)", c.newLabel} {
					assert.Contains(t, asked[0], want, "the question shows ticket number, title, old and new status")
				}
				after := ticketRecord(t, env.Sandbox, id)
				if !a.applied {
					assert.Equal(t, "declined", out["outcome"])
					assert.Equal(t, false, out["written"])
					assert.Contains(t, out["summary"], "nothing was changed")
					assert.Equal(t, before, after, "nothing changed")
					assert.Len(t, notesOf(env.Sandbox, id), notes, "no note either")
					assert.Zero(t, env.Sandbox.Stats().Writes)
					return
				}
				assert.Equal(t, "applied", out["outcome"], testenv.Text(res))
				assert.Equal(t, c.newStatus, after["status"])
				if c.newStatus == statusComplete {
					assert.NotNil(t, after["completedDate"], "Complete stamps completedDate")
					assert.NotNil(t, after["resolvedDateTime"])
					assert.Equal(t, "Replaced the toner.", after["resolution"])
					assert.Len(t, notesOf(env.Sandbox, id), notes+1)
				}
			})
		}
	}
}

// A client that declared elicitation but cannot ask gets the token path: still nothing is written
// unconfirmed.
func TestElicitationFailureFallsBackToToken(t *testing.T) {
	env := writeEnv(t, &elicitor{fail: errors.New("no window to show the question in")}, guard.Options{})
	id := openTickets(t, env.Sandbox, false)[0]
	readFirst(t, env.MCP, id)
	before := ticketRecord(t, env.Sandbox, id)
	call := args("ticket_id", id, "changes", args("status", "On Hold"))
	res := env.Call(t, "update_ticket", call)
	token := tokenOf(t, res)
	assert.Contains(t, testenv.Text(res), "could not ask the person directly")
	assert.Equal(t, before, ticketRecord(t, env.Sandbox, id))
	ok(t, env.Call(t, "update_ticket", merge(call, "confirm", token)))
	assert.Equal(t, int64(16), ticketRecord(t, env.Sandbox, id)["status"])
}

// A change that needs no confirmation does not bother the person.
func TestNoElicitationWithoutSensitiveChange(t *testing.T) {
	person := &elicitor{action: mcp.ElicitationResponseActionDecline}
	env := writeEnv(t, person, guard.Options{})
	id := openTickets(t, env.Sandbox, false)[0]
	readFirst(t, env.MCP, id)
	ok(t, env.Call(t, "update_ticket", args("ticket_id", id, "changes", args("priority", "Low"))))
	ok(t, env.Call(t, "resolve_ticket", args("ticket_id", id, "resolution", "Done.", "complete", false)))
	assert.Empty(t, person.questions())
	assert.EqualValues(t, 3, ticketRecord(t, env.Sandbox, id)["priority"])
}

// A client without elicitation gets a preview and a token; only the token applies the change, once,
// for this session, this ticket, this exact change and this version of the ticket.
func TestStatusChangeByToken(t *testing.T) {
	statusTo := func(id int64, label string) map[string]any {
		return args("ticket_id", id, "changes", args("status", label))
	}
	tests := []struct {
		name string
		// run gets a token for changing id's status to Waiting Customer and returns the second call's
		// result and whether it must have applied the change.
		run func(t *testing.T, env *testenv.Env, id int64, token string) (*mcp.CallToolResult, bool)
		// fragments of the refusal.
		fragments []string
	}{
		{"correct token applies", func(t *testing.T, env *testenv.Env, id int64, token string) (*mcp.CallToolResult, bool) {
			return env.Call(t, "update_ticket", merge(statusTo(id, "Waiting Customer"), "confirm", token)), true
		}, nil},
		{"no token previews again", func(t *testing.T, env *testenv.Env, id int64, _ string) (*mcp.CallToolResult, bool) {
			res := env.Call(t, "update_ticket", statusTo(id, "Waiting Customer"))
			assert.Equal(t, "confirmation_required", outcomeOf(t, res))
			return res, false
		}, nil},
		{"replayed token refused", func(t *testing.T, env *testenv.Env, id int64, token string) (*mcp.CallToolResult, bool) {
			ok(t, env.Call(t, "update_ticket", merge(statusTo(id, "Waiting Customer"), "confirm", token)))
			// A colleague puts the status back; the assistant reads again and replays the token.
			require.NoError(t, env.Sandbox.Modify("Tickets", id, map[string]any{"status": statusInProgress}))
			readFirst(t, env.MCP, id)
			return env.Call(t, "update_ticket", merge(statusTo(id, "Waiting Customer"), "confirm", token)), false
		}, []string{"already used"}},
		{"token for another change refused", func(t *testing.T, env *testenv.Env, id int64, token string) (*mcp.CallToolResult, bool) {
			return env.Call(t, "update_ticket", merge(statusTo(id, "On Hold"), "confirm", token)), false
		}, []string{"token", "does not match"}},
		{"tampered token refused", func(t *testing.T, env *testenv.Env, id int64, token string) (*mcp.CallToolResult, bool) {
			b := []byte(token)
			b[len(b)/2] ^= 1
			return env.Call(t, "update_ticket", merge(statusTo(id, "Waiting Customer"), "confirm", string(b))), false
		}, []string{"token", "does not match"}},
		{"token from another session refused", func(t *testing.T, env *testenv.Env, id int64, token string) (*mcp.CallToolResult, bool) {
			other := env.NewSession(t)
			readFirst(t, other, id)
			return testenv.CallOn(t, other, "update_ticket", merge(statusTo(id, "Waiting Customer"), "confirm", token), nil), false
		}, []string{"token", "does not match"}},
		{"token for another tool refused", func(t *testing.T, env *testenv.Env, id int64, token string) (*mcp.CallToolResult, bool) {
			return env.Call(t, "resolve_ticket", args("ticket_id", id, "resolution", "x", "confirm", token)), false
		}, []string{"token", "does not match"}},
		{"stale token refused", func(t *testing.T, env *testenv.Env, id int64, token string) (*mcp.CallToolResult, bool) {
			require.NoError(t, env.Sandbox.Modify("Tickets", id, map[string]any{"priority": 1}))
			readFirst(t, env.MCP, id)
			return env.Call(t, "update_ticket", merge(statusTo(id, "Waiting Customer"), "confirm", token)), false
		}, []string{"changed since the confirmation"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := writeEnv(t, nil, guard.Options{})
			id := openTickets(t, env.Sandbox, false)[0]
			require.NoError(t, env.Sandbox.Modify("Tickets", id, map[string]any{"status": statusInProgress}))
			readFirst(t, env.MCP, id)
			before := ticketRecord(t, env.Sandbox, id)

			preview := env.Call(t, "update_ticket", statusTo(id, "Waiting Customer"))
			token := tokenOf(t, preview)
			conf := ok(t, preview)["confirmation"].(map[string]any)
			assert.Contains(t, conf["message"], before["ticketNumber"])
			assert.Contains(t, conf["message"], "In Progress (10)")
			assert.Contains(t, conf["message"], "Waiting Customer (7)")
			assert.Equal(t, before, ticketRecord(t, env.Sandbox, id), "a preview writes nothing")
			assert.Zero(t, env.Sandbox.Stats().Writes)

			res, applies := tt.run(t, env, id, token)
			status := ticketRecord(t, env.Sandbox, id)["status"]
			if applies {
				assert.Equal(t, "applied", outcomeOf(t, res))
				assert.Equal(t, int64(statusWaiting), status)
				return
			}
			if len(tt.fragments) > 0 {
				failed(t, res, append(tt.fragments, "nothing was written")...)
			}
			assert.NotEqual(t, int64(statusWaiting), status, "the status did not move to what the token confirmed")
		})
	}
}

// resolve_ticket's token covers the whole resolve: note, resolution and status together.
func TestResolveTokenBindsNoteAndResolution(t *testing.T) {
	env := writeEnv(t, nil, guard.Options{})
	id := openTickets(t, env.Sandbox, false)[0]
	readFirst(t, env.MCP, id)
	notes := len(notesOf(env.Sandbox, id))
	call := args("ticket_id", id, "resolution", "Replaced the toner.", "note", "On site visit.")
	token := tokenOf(t, env.Call(t, "resolve_ticket", call))

	failed(t, env.Call(t, "resolve_ticket", merge(args("ticket_id", id, "resolution", "Something else.", "note", "On site visit."), "confirm", token)), "does not match")
	failed(t, env.Call(t, "resolve_ticket", merge(args("ticket_id", id, "resolution", "Replaced the toner.", "note", "Another note."), "confirm", token)), "does not match")
	assert.Len(t, notesOf(env.Sandbox, id), notes, "no note was added")
	assert.Zero(t, env.Sandbox.Stats().Writes, "refused tokens write nothing")

	out := ok(t, env.Call(t, "resolve_ticket", merge(call, "confirm", token)))
	assert.Equal(t, "applied", out["outcome"])
	rec := ticketRecord(t, env.Sandbox, id)
	assert.Equal(t, int64(statusComplete), rec["status"])
	assert.Equal(t, "Replaced the toner.", rec["resolution"])
	assert.Len(t, notesOf(env.Sandbox, id), notes+1)
}

// hostileTitle hides what a person would not see in a ticket title: zero-width characters, a bidi
// override that makes ".exe" read as ".pdf", Unicode tag characters (invisible ASCII look-alikes
// some models read as text) and markup.
const hostileTitle = "Printer\u200b offline \u202efdp.exe\u202c \U000E0041\U000E0042\U000E0043 <script>alert('xss')</script><b>now</b>"

// assertCleanQuestion checks what the person is asked: the title is there, as plain visible text,
// with no format character (Cf: zero-width, bidi controls, tag characters), no markup and no
// quoted escape standing in for an invisible character.
func assertCleanQuestion(t *testing.T, msg string) {
	t.Helper()
	assert.Contains(t, msg, "Printer offline", "the question names the ticket by its visible title")
	for _, r := range msg {
		if unicode.Is(unicode.Cf, r) || (r >= 0xE0000 && r <= 0xE007F) {
			t.Errorf("format or tag character %U in the question: %q", r, msg)
		}
	}
	assert.NotRegexp(t, `(?i)<\s*/?\s*(script|b)\b`, msg, "no markup in the question")
	assert.NotRegexp(t, `\\[uUx][0-9a-fA-F]{2}`, msg, "no escaped invisible character in the question")
}

// A hostile ticket title reaches the person asked to confirm a change only as the text they would
// see: on the token road in confirmation.message (and the rest of the result), on the elicitation
// road in the question the client is sent.
func TestConfirmationQuestionSanitisesTitle(t *testing.T) {
	calls := []struct {
		tool string
		call func(id int64) map[string]any
	}{
		{"update_ticket", func(id int64) map[string]any {
			return args("ticket_id", id, "changes", args("status", "Waiting Customer"))
		}},
		{"resolve_ticket", func(id int64) map[string]any {
			return args("ticket_id", id, "resolution", "Replaced the toner.", "note", "Toner replaced.")
		}},
	}
	for _, c := range calls {
		t.Run(c.tool+"/token", func(t *testing.T) {
			env := writeEnv(t, nil, guard.Options{})
			id := openTickets(t, env.Sandbox, false)[0]
			require.NoError(t, env.Sandbox.Modify("Tickets", id, map[string]any{"title": hostileTitle, "status": statusInProgress}))
			require.Equal(t, hostileTitle, ticketRecord(t, env.Sandbox, id)["title"], "the tenant holds the title as written")
			readFirst(t, env.MCP, id)

			res := env.Call(t, c.tool, c.call(id))
			tokenOf(t, res)
			conf := ok(t, res)["confirmation"].(map[string]any)
			msg, _ := conf["message"].(string)
			assertCleanQuestion(t, msg)
			assertClean(t, res)
		})
		t.Run(c.tool+"/elicitation", func(t *testing.T) {
			person := &elicitor{action: mcp.ElicitationResponseActionDecline}
			env := writeEnv(t, person, guard.Options{})
			id := openTickets(t, env.Sandbox, false)[0]
			require.NoError(t, env.Sandbox.Modify("Tickets", id, map[string]any{"title": hostileTitle, "status": statusInProgress}))
			require.Equal(t, hostileTitle, ticketRecord(t, env.Sandbox, id)["title"], "the tenant holds the title as written")
			readFirst(t, env.MCP, id)

			res := env.Call(t, c.tool, c.call(id))
			assert.Equal(t, "declined", outcomeOf(t, res))
			asked := person.questions()
			require.Len(t, asked, 1, "the person is asked once")
			assertCleanQuestion(t, asked[0])
			assertClean(t, res)
		})
	}
}

// colleagueWhileAsked is a person who takes their time: while the question is open, meanwhile
// runs (a colleague changes the ticket in Autotask), then the person accepts.
type colleagueWhileAsked struct {
	mu        sync.Mutex
	meanwhile func() error
	errs      []error
	asked     int
}

func (c *colleagueWhileAsked) Elicit(context.Context, mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.asked++
	if err := c.meanwhile(); err != nil {
		c.errs = append(c.errs, err)
	}
	return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: mcp.ElicitationResponseActionAccept}}, nil
}

// A person may take minutes to answer. What a colleague changed on the ticket meanwhile survives
// the accepted write: the write either keeps it or is refused as a conflict, never PUTs the ticket
// as it was before the question.
func TestAcceptedChangeKeepsWhatChangedWhileAsking(t *testing.T) {
	const outsidePriority, outsideDescription = int64(4), "Colleague: the customer called back, it is the fuser."
	calls := []struct {
		tool      string
		call      func(id int64) map[string]any
		newStatus int64
	}{
		{"update_ticket", func(id int64) map[string]any {
			return args("ticket_id", id, "changes", args("status", "Waiting Customer"))
		}, statusWaiting},
		{"resolve_ticket", func(id int64) map[string]any {
			return args("ticket_id", id, "resolution", "Replaced the toner.", "note", "Toner replaced on site.")
		}, statusComplete},
	}
	for _, c := range calls {
		t.Run(c.tool, func(t *testing.T) {
			person := &colleagueWhileAsked{}
			env := testenv.New(t, testenv.Options{MCPClientOptions: []client.ClientOption{client.WithElicitationHandler(person)}})
			id := openTickets(t, env.Sandbox, false)[0]
			require.NoError(t, env.Sandbox.Modify("Tickets", id, map[string]any{"status": statusInProgress, "priority": 2}))
			person.meanwhile = func() error {
				return env.Sandbox.Modify("Tickets", id, map[string]any{"priority": outsidePriority, "description": outsideDescription})
			}
			readFirst(t, env.MCP, id)
			notes := len(notesOf(env.Sandbox, id))

			res := env.Call(t, c.tool, c.call(id))

			require.Equal(t, 1, person.asked, "the person is asked once")
			require.Empty(t, person.errs, "the colleague's change was made")
			after := ticketRecord(t, env.Sandbox, id)
			assert.Equal(t, outsidePriority, after["priority"], "the colleague's priority survives: %s", testenv.Text(res))
			assert.Equal(t, outsideDescription, after["description"], "the colleague's description survives")
			if res.IsError {
				failed(t, res, "changed since", "nothing was written")
				assert.Equal(t, int64(statusInProgress), after["status"], "a refused write leaves the status")
				assert.Len(t, notesOf(env.Sandbox, id), notes, "a refused resolve adds no note")
				return
			}
			assert.Equal(t, c.newStatus, after["status"], "the accepted change is applied")
		})
	}
}
