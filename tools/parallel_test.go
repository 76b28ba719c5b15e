package tools_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

// Independent requests of one call go out together. Each test holds the requests it expects at a
// barrier (testenv.Overlap) until all of them have arrived: sent one after another they never would,
// and the peak stays below the number expected.

// overlapEnv is a stack whose sandbox holds the requests match picks at a barrier once armed.
func overlapEnv(t *testing.T, match func(*http.Request) bool) (*testenv.Env, *testenv.Overlap) {
	t.Helper()
	o := &testenv.Overlap{Match: match}
	return testenv.New(t, testenv.Options{WrapAPI: o.Wrap}), o
}

// requestTo matches requests by method and by their path after V1.0/.
func requestTo(method string, path *regexp.Regexp) func(*http.Request) bool {
	return func(r *http.Request) bool {
		_, rest, _ := strings.Cut(r.URL.Path, "/V1.0/")
		return r.Method == method && path.MatchString(rest)
	}
}

func anyOf(matchers ...func(*http.Request) bool) func(*http.Request) bool {
	return func(r *http.Request) bool {
		for _, m := range matchers {
			if m(r) {
				return true
			}
		}
		return false
	}
}

// assertWithinThreadLimit checks the API's limit of 3 requests in flight per endpoint family.
func assertWithinThreadLimit(t *testing.T, sb *sandbox.Sandbox) {
	t.Helper()
	for family, peak := range sb.Stats().PeakInFlight {
		assert.LessOrEqual(t, peak, 3, "in flight at once on %s", family)
	}
}

func TestGetTicketReadsIncludesAtOnce(t *testing.T) {
	env, overlap := overlapEnv(t, anyOf(
		requestTo("POST", regexp.MustCompile(`^(TicketNotes|TimeEntries)/query$`)),
		requestTo("GET", regexp.MustCompile(`^(Companies|Contacts)/\d+$`)),
	))
	id := ticketWith(t, env)
	call := args("ticket_id", id, "include", []any{"notes", "time_entries", "company", "contact"})
	ok(t, env.Call(t, "get_ticket", call)) // metadata and names warm: only the includes are left

	overlap.Arm(4)
	out := ok(t, env.Call(t, "get_ticket", call))
	assert.Equal(t, 4, overlap.Peak(), "notes, time entries, company and contact in flight at once")
	assert.NotContains(t, out, "include_errors")
	for _, inc := range []string{"notes", "time_entries", "company", "contact"} {
		assert.Contains(t, out, inc)
	}
	assertWithinThreadLimit(t, env.Sandbox)
}

func TestNamesAreReadAtOnce(t *testing.T) {
	env, overlap := overlapEnv(t, requestTo("POST", regexp.MustCompile(`^(Companies|Contacts|Resources)/query$`)))
	ok(t, env.Call(t, "query_entity", args("entity", "Tickets", "limit", 1, "fields", []any{"title"}))) // metadata warm

	overlap.Arm(3)
	out := ok(t, env.Call(t, "query_entity", args("entity", "Tickets", "fields", []any{"companyID", "contactID", "assignedResourceID"}, "limit", 25)))
	assert.Equal(t, 3, overlap.Peak(), "one names query per referenced entity, all in flight at once")
	rows := items(t, out)
	require.NotEmpty(t, rows)
	assert.Regexp(t, `^.+ \(\d+\)$`, valueOf(out, rows[0], "companyID"), "the names arrived")
	assertWithinThreadLimit(t, env.Sandbox)
}

var (
	ticketGET  = requestTo("GET", regexp.MustCompile(`^Tickets/\d+$`))
	countQuery = requestTo("POST", regexp.MustCompile(`^TimeEntries/query/count$`))
)

func TestResolveTicketReadsAndCountsAtOnce(t *testing.T) {
	env, overlap := overlapEnv(t, anyOf(ticketGET, countQuery))
	id := openTickets(t, env.Sandbox, false)[0]
	readFirst(t, env.MCP, id)

	overlap.Arm(2)
	res := env.Call(t, "resolve_ticket", args("ticket_id", id, "resolution", "Fixed."))
	assert.Equal(t, "confirmation_required", outcomeOf(t, res))
	assert.Equal(t, 2, overlap.Peak(), "the fresh GET and the time entry count in flight at once")
	assertWithinThreadLimit(t, env.Sandbox)

	token := tokenOf(t, res)
	ok(t, env.Call(t, "resolve_ticket", args("ticket_id", id, "resolution", "Fixed.", "confirm", token)))
	assert.Equal(t, int64(statusComplete), ticketRecord(t, env.Sandbox, id)["status"], "the count came back 0: the ticket is Complete")
}

// The first failure cancels the other request: the sandbox holds the other one until the client
// goes away, so only the cancellation lets the call return before its deadline.
func TestResolveTicketFirstFailureCancelsTheOther(t *testing.T) {
	tests := []struct {
		name         string
		fail, hang   [2]string // method, path prefix
		wantFragment string
	}{
		{"the count fails, the GET is cancelled", [2]string{"POST", "TimeEntries/query/count"}, [2]string{"GET", "Tickets/{id}"}, "refused: TimeEntries/query/count"},
		{"the GET fails, the count is cancelled", [2]string{"GET", "Tickets/{id}"}, [2]string{"POST", "TimeEntries/query/count"}, "refused: Tickets/{id}"},
	}
	// Longer than the call's deadline below: the client does not give up the held request by itself.
	env := testenv.New(t, testenv.Options{Client: func(c *autotask.Config) { c.AttemptTimeout = 2 * time.Minute }})
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := openTickets(t, env.Sandbox, false)[i]
			readFirst(t, env.MCP, id)
			path := func(p string) string { return strings.ReplaceAll(p, "{id}", strconv.FormatInt(id, 10)) }
			t.Cleanup(env.Sandbox.Faults().Clear)
			env.Sandbox.Faults().Script(tt.fail[0], path(tt.fail[1]), 10, sandbox.Fault{Kind: sandbox.FaultStatus, Status: http.StatusBadRequest,
				Body: `{"errors":["refused: ` + tt.fail[1] + `"]}`})
			env.Sandbox.Faults().Script(tt.hang[0], path(tt.hang[1]), 10, sandbox.Fault{Kind: sandbox.FaultHang})
			before := ticketRecord(t, env.Sandbox, id)

			// A generous deadline: it only bounds a regression, which then fails instead of hanging.
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			req := mcp.CallToolRequest{}
			req.Params.Name = "resolve_ticket"
			req.Params.Arguments = args("ticket_id", id, "resolution", "Fixed.")
			res, err := env.MCP.CallTool(ctx, req)
			require.NoError(t, ctx.Err(), "the call returned by itself, not because its deadline cancelled the held request")
			require.NoError(t, err)
			failed(t, res, tt.wantFragment, "nothing was written")
			assert.Equal(t, before, ticketRecord(t, env.Sandbox, id))
		})
	}
}

// A process that has not read the Tickets metadata yet fetches it while the ticket is on its way:
// the ticket, the entity's information and its fields, all at once (the UDFs wait on whether the
// information says there are any).
func TestFirstGetTicketReadsTicketAndMetadataAtOnce(t *testing.T) {
	env, overlap := overlapEnv(t, requestTo("GET", regexp.MustCompile(`^Tickets/(\d+|entityInformation|entityInformation/fields)$`)))
	id := env.Sandbox.IDs("Tickets")[0]

	overlap.Arm(3)
	out := ok(t, env.Call(t, "get_ticket", args("ticket_id", id)))
	assert.Equal(t, 3, overlap.Peak(), "the ticket, the Tickets entity information and its fields in flight at once")
	ticket, _ := out["ticket"].(map[string]any)
	assert.Equal(t, strconv.FormatInt(id, 10), fmt.Sprint(ticket["id"]), "the ticket, labelled with the metadata read beside it")
	assert.NotEmpty(t, ticket["status"])
	assertWithinThreadLimit(t, env.Sandbox)
}
