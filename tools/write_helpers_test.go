package tools_test

import (
	"context"
	"sync"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
	"github.com/autotask-mcp/autotask-mcp/tools"
)

// Sandbox facts the write tests rely on (autotask/sandbox/picklists.go): status 5 is "Complete", the
// one that stamps completedDate; 8 "Completed" is an ordinary status; notes default to type 13
// "Internal Note", published 1 "Internal Only".
const (
	statusNew        = 1
	statusComplete   = 5
	statusWaiting    = 7
	statusInProgress = 10
)

// elicitor is a person behind an elicitation-capable client: it answers every request with action
// and remembers what it was asked.
type elicitor struct {
	mu     sync.Mutex
	action mcp.ElicitationResponseAction
	fail   error // the client cannot ask after all
	asked  []string
}

func (e *elicitor) Elicit(_ context.Context, req mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.asked = append(e.asked, req.Params.Message)
	if e.fail != nil {
		return nil, e.fail
	}
	return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: e.action}}, nil
}

func (e *elicitor) questions() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.asked...)
}

// writeEnv is the real stack; with a non-nil elicitor its client declares elicitation.
func writeEnv(t *testing.T, e *elicitor, g guard.Options) *testenv.Env {
	t.Helper()
	opts := testenv.Options{Guard: g}
	if e != nil {
		opts.MCPClientOptions = []client.ClientOption{client.WithElicitationHandler(e)}
	}
	return testenv.New(t, opts)
}

// ticketsWithTime counts the time entries of each ticket, from the sandbox itself.
func ticketsWithTime(sb *sandbox.Sandbox) map[int64]int {
	out := map[int64]int{}
	for _, id := range sb.IDs("TimeEntries") {
		rec, _ := sb.Record("TimeEntries", id)
		if tid, ok := rec["ticketID"].(int64); ok {
			out[tid]++
		}
	}
	return out
}

// openTickets are tickets not in the Complete status, with or without time entries.
func openTickets(t *testing.T, sb *sandbox.Sandbox, withTime bool) []int64 {
	t.Helper()
	timed := ticketsWithTime(sb)
	var out []int64
	for _, id := range sb.IDs("Tickets") {
		rec, _ := sb.Record("Tickets", id)
		if rec["status"] == int64(statusComplete) || (timed[id] > 0) != withTime {
			continue
		}
		out = append(out, id)
	}
	require.NotEmpty(t, out, "the sandbox has open tickets (with time entries: %v)", withTime)
	return out
}

func ticketRecord(t *testing.T, sb *sandbox.Sandbox, id int64) map[string]any {
	t.Helper()
	rec, ok := sb.Record("Tickets", id)
	require.True(t, ok, "ticket %d exists", id)
	return rec
}

// readFirst is the read every write needs: get_ticket in the session.
func readFirst(t *testing.T, mc *client.Client, id int64) {
	t.Helper()
	res := testenv.CallOn(t, mc, "get_ticket", args("ticket_id", id), nil)
	require.False(t, res.IsError, testenv.Text(res))
}

func writeTools(deps tools.Deps) []tools.Tool {
	var out []tools.Tool
	for _, tl := range tools.All(deps) {
		if tl.Write {
			out = append(out, tl)
		}
	}
	return out
}

func notesOf(sb *sandbox.Sandbox, ticketID int64) []map[string]any {
	var out []map[string]any
	for _, id := range sb.IDs("TicketNotes") {
		rec, _ := sb.Record("TicketNotes", id)
		if rec["ticketID"] == ticketID {
			out = append(out, rec)
		}
	}
	return out
}

func outcomeOf(t *testing.T, res *mcp.CallToolResult) string {
	t.Helper()
	out := ok(t, res)
	s, _ := out["outcome"].(string)
	return s
}

func tokenOf(t *testing.T, res *mcp.CallToolResult) string {
	t.Helper()
	out := ok(t, res)
	require.Equal(t, "confirmation_required", out["outcome"], testenv.Text(res))
	c, _ := out["confirmation"].(map[string]any)
	tok, _ := c["token"].(string)
	require.NotEmpty(t, tok)
	return tok
}
