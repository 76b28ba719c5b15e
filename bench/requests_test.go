package bench

import (
	"encoding/json"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// requestCount is what the sandbox counted for one tool call, with the client's caches warm (the
// steady state: metadata, and the names of the records the result refers to) and cold (the first
// call of a process, or after the caches' TTL).
type requestCount struct {
	name       string
	warm, cold int
	target     int // at most; for resolve_ticket the fewest the ticket contract allows
	// readBack is what the guard adds beyond target: the GET after a write tool's last write that
	// tells the session's next write the version its own write produced (the API answers a write
	// with the id alone). README.md's table reports the target as not met because of it.
	readBack int
	warmBy   map[string]int
	coldBy   map[string]int
}

// Status 5 is the sandbox's "Complete" (autotask/sandbox/picklists.go): a resolved ticket.
const statusComplete = 5

// measureRequests runs each scenario on a fresh tenant, so the counts are the sandbox's alone.
// Writes run on open tickets without time entries: resolve_ticket then completes the ticket, the
// contract's longest road.
func measureRequests(tb testing.TB) []requestCount {
	tb.Helper()
	type scenario struct {
		name     string
		target   int
		readBack int
		// prepare runs before the counted call (reads the guard needs, a resolve's preview);
		// run is the counted call.
		prepare func(st *stack, id int64) map[string]any
		tool    string
		// read: the warm-up is the same call (a read's names are then cached too); a write warms
		// up on another ticket, which it must not write twice.
		read bool
	}
	ticketArgs := func(_ *stack, id int64) map[string]any { return map[string]any{"ticket_id": id} }
	readFirst := func(st *stack, id int64) {
		call(tb, st.mcp, "get_ticket", map[string]any{"ticket_id": id})
	}
	resolveArgs := func(id int64) map[string]any {
		return map[string]any{"ticket_id": id, "resolution": "Replaced the toner.", "note": "Toner replaced on site."}
	}
	scenarios := []scenario{
		{"get_ticket by id", 1, 0, ticketArgs, "get_ticket", true},
		{"get_ticket by number", 1, 0, func(st *stack, id int64) map[string]any {
			rec, _ := st.sb.Record("Tickets", id)
			return map[string]any{"ticket_number": rec["ticketNumber"]}
		}, "get_ticket", true},
		{"query_entity one page", 1, 0, func(*stack, int64) map[string]any {
			return map[string]any{"entity": "Tickets", "limit": 25}
		}, "query_entity", true},
		{"add_ticket_note", 2, 1, func(st *stack, id int64) map[string]any {
			readFirst(st, id)
			return map[string]any{"ticket_id": id, "title": "Called", "description": "Left a voicemail."}
		}, "add_ticket_note", false},
		// By number: the query that finds the ticket returns it whole, and the guard checks that
		// instead of a GET (a note adds to the ticket, nothing PUTs it): no more than by id.
		{"add_ticket_note by number", 2, 1, func(st *stack, id int64) map[string]any {
			readFirst(st, id)
			rec, _ := st.sb.Record("Tickets", id)
			return map[string]any{"ticket_number": rec["ticketNumber"], "title": "Called", "description": "Left a voicemail."}
		}, "add_ticket_note", false},
		// GET, POST. Cold, the client also reads the TimeEntries metadata, the API user's
		// resource, its service-desk roles and the tenant's roles, each once an hour.
		{"log_time", 2, 1, func(st *stack, id int64) map[string]any {
			readFirst(st, id)
			return map[string]any{"ticket_id": id, "hours": 1, "summary": "Checked the backups."}
		}, "log_time", false},
		// The token path: the preview (GET, time entry count) asks for the confirmation; the
		// counted call is the confirmed one. The fewest the ticket contract (package autotask)
		// allows: GET, time entry count, note, PUT of the resolution, PUT of status 5.
		{"resolve_ticket with note, no time entries", 5, 1, func(st *stack, id int64) map[string]any {
			readFirst(st, id)
			res := call(tb, st.mcp, "resolve_ticket", resolveArgs(id))
			a := resolveArgs(id)
			a["confirm"] = confirmationToken(tb, res)
			return a
		}, "resolve_ticket", false},
	}
	out := make([]requestCount, 0, len(scenarios))
	for _, sc := range scenarios {
		rc := requestCount{name: sc.name, target: sc.target, readBack: sc.readBack}
		for _, cold := range []bool{false, true} {
			st := newStack(tb, sandbox.Options{})
			id := openTicketWithoutTime(tb, st.sb)
			// Warm: the same kind of call once fills the caches.
			warmID := id
			if !sc.read {
				warmID = openTicketWithoutTime(tb, st.sb, id)
			}
			call(tb, st.mcp, sc.tool, sc.prepare(st, warmID))
			args := sc.prepare(st, id)
			if cold {
				st.client.RefreshMetadata("")
				st.client.RefreshNames()
			}
			st.sb.ResetStats()
			call(tb, st.mcp, sc.tool, args)
			stats := st.sb.Stats()
			if cold {
				rc.cold, rc.coldBy = stats.Requests, stats.ByEndpoint
			} else {
				rc.warm, rc.warmBy = stats.Requests, stats.ByEndpoint
			}
		}
		out = append(out, rc)
	}
	return out
}

// openTicketWithoutTime is an open ticket (not Complete) with no time entries, other than skip.
func openTicketWithoutTime(tb testing.TB, sb *sandbox.Sandbox, skip ...int64) int64 {
	tb.Helper()
	timed := ticketsWith(sb, "TimeEntries")
next:
	for _, id := range sb.IDs("Tickets") {
		for _, s := range skip {
			if id == s {
				continue next
			}
		}
		rec, _ := sb.Record("Tickets", id)
		if rec["status"] != int64(statusComplete) && !timed[id] {
			return id
		}
	}
	tb.Fatal("the sandbox has no open ticket without time entries")
	return 0
}

// ticketsWith is the set of tickets that records of entity (TicketNotes, TimeEntries) belong to.
func ticketsWith(sb *sandbox.Sandbox, entity string) map[int64]bool {
	tickets := map[int64]bool{}
	for _, id := range sb.IDs(entity) {
		rec, _ := sb.Record(entity, id)
		if tid, ok := rec["ticketID"].(int64); ok {
			tickets[tid] = true
		}
	}
	return tickets
}

func confirmationToken(tb testing.TB, res *mcp.CallToolResult) string {
	tb.Helper()
	var out struct {
		Outcome      string `json:"outcome"`
		Confirmation struct {
			Token string `json:"token"`
		} `json:"confirmation"`
	}
	if err := json.Unmarshal(structured(tb, res), &out); err != nil || out.Outcome != "confirmation_required" || out.Confirmation.Token == "" {
		tb.Fatalf("want a confirmation token: %v %s", err, resultText(res))
	}
	return out.Confirmation.Token
}

// Request counts are deterministic, so they are asserted, with warm metadata (every request spends
// the tenant's shared hourly budget): get_ticket by id 1, by
// number 1, query_entity one page 1, add_ticket_note <= 2 (3 by number), log_time 2, resolve_ticket
// with a note and no time entries at the fewest the ticket contract allows, the writes each plus the
// guard's read-back. The exact
// endpoints are pinned too, so a change that adds a request (or drops one the contract needs) is a
// reviewed diff.
func TestRequestsPerCall(t *testing.T) {
	t.Parallel()
	exact := map[string]map[string]int{
		"get_ticket by id":          {"GET Tickets/{id}": 1},
		"get_ticket by number":      {"POST Tickets/query": 1},
		"query_entity one page":     {"POST Tickets/query": 1},
		"add_ticket_note":           {"GET Tickets/{id}": 2, "POST Tickets/{id}/Notes": 1},
		"add_ticket_note by number": {"POST Tickets/query": 1, "GET Tickets/{id}": 1, "POST Tickets/{id}/Notes": 1},
		"log_time":                  {"GET Tickets/{id}": 2, "POST TimeEntries": 1},
		"resolve_ticket with note, no time entries": {
			"GET Tickets/{id}":             2,
			"POST TimeEntries/query/count": 1,
			"POST Tickets/{id}/Notes":      1,
			"PUT Tickets":                  2,
		},
	}
	counts := measureRequests(t)
	require.Len(t, counts, len(exact))
	for _, rc := range counts {
		assert.LessOrEqual(t, rc.warm, rc.target+rc.readBack, "%s, warm: %v", rc.name, rc.warmBy)
		assert.Equal(t, exact[rc.name], rc.warmBy, rc.name)
		assert.GreaterOrEqual(t, rc.cold, rc.warm, "%s, cold: %v", rc.name, rc.coldBy)
		t.Logf("%s: warm %d %v; cold %d %v", rc.name, rc.warm, rc.warmBy, rc.cold, rc.coldBy)
	}
}

// BenchmarkRequests reports the same counts as metrics, for scripts/bench's table (one
// measurement, reported by one sub-benchmark per scenario; their ns/op is meaningless and hidden).
//
// Targets (asserted by TestRequestsPerCall): get_ticket by id 1, by number 1, query_entity one
// page 1, add_ticket_note <= 2 (3 by number), log_time 2, resolve_ticket (note, no time entries) = 5,
// the fewest the ticket contract allows.
func BenchmarkRequests(b *testing.B) {
	for _, rc := range measureRequests(b) {
		b.Run(metricName(rc.name), func(b *testing.B) {
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(float64(rc.warm), "req-warm")
			b.ReportMetric(float64(rc.cold), "req-cold")
			b.ReportMetric(float64(rc.target), "req-target")
		})
	}
}

// metricName makes a benchmark name of a scenario: no spaces or commas.
func metricName(s string) string {
	out := []byte(s)
	for i, c := range out {
		if c == ' ' || c == ',' {
			out[i] = '_'
		}
	}
	return string(out)
}
