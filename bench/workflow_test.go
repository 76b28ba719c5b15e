package bench

import (
	"cmp"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// zoneLatency is what one request to a real Autotask zone takes: hundreds of milliseconds.
// The sandbox answers in microseconds, so without it no benchmark sees the round trips.
const zoneLatency = 250 * time.Millisecond

// expectedCriticalPath is, for each workflow, the round trips that must wait on each other in
// what the code does today. A change that runs requests side by side, caches one or adds one
// updates this table; TestWorkflowCriticalPaths fails until it does.
var expectedCriticalPath = map[string]int{
	// the ticket beside the Tickets metadata's entity and fields; then its UDFs; then the
	// names of the company, contact and resource the ticket refers to, side by side
	"get_ticket, first after start": 3,
	// the ticket; then notes, time entries, company and contact side by side
	"get_ticket, every include": 2,
	"query_entity, 25 rows":     1,
	"add_ticket_note":           3, // GET, POST note, read-back GET
	"resolve_ticket, confirmed": 5, // GET beside the time entry count, note, PUT resolution, PUT status, read-back GET
	"log_time":                  3, // GET, POST time entry, read-back GET
}

// workflow is one thing an assistant does, measured at zoneLatency.
type workflow struct {
	name string
	// fresh: the call is the first of a new process, caches cold, at zoneLatency from the start.
	// Otherwise setup runs (at no latency) on a stack whose caches it warms, and only the
	// call it returns is measured.
	fresh bool
	setup func(tb testing.TB, st *stack) (tool string, args map[string]any)
}

var workflows = []workflow{
	{name: "get_ticket, first after start", fresh: true, setup: func(tb testing.TB, st *stack) (string, map[string]any) {
		return "get_ticket", map[string]any{"ticket_id": openTicketWithoutTime(tb, st.sb)}
	}},
	{name: "get_ticket, every include", setup: func(tb testing.TB, st *stack) (string, map[string]any) {
		args := map[string]any{"ticket_id": ticketWithEverything(tb, st.sb), "include": []string{"notes", "time_entries", "company", "contact"}}
		call(tb, st.mcp, "get_ticket", args)
		return "get_ticket", args
	}},
	{name: "query_entity, 25 rows", setup: func(tb testing.TB, st *stack) (string, map[string]any) {
		args := map[string]any{"entity": "Tickets", "limit": 25}
		call(tb, st.mcp, "query_entity", args)
		return "query_entity", args
	}},
	{name: "add_ticket_note", setup: func(tb testing.TB, st *stack) (string, map[string]any) {
		return secondWrite(tb, st, "add_ticket_note", func(id int64) map[string]any {
			return map[string]any{"ticket_id": id, "title": "Called", "description": "Left a voicemail."}
		})
	}},
	{name: "resolve_ticket, confirmed", setup: func(tb testing.TB, st *stack) (string, map[string]any) {
		return secondWrite(tb, st, "resolve_ticket", func(id int64) map[string]any {
			args := map[string]any{"ticket_id": id, "resolution": "Replaced the toner.", "note": "Toner replaced on site."}
			args["confirm"] = confirmationToken(tb, call(tb, st.mcp, "resolve_ticket", args))
			return args
		})
	}},
	{name: "log_time", setup: func(tb testing.TB, st *stack) (string, map[string]any) {
		return secondWrite(tb, st, "log_time", func(id int64) map[string]any {
			return map[string]any{"ticket_id": id, "hours": 1, "summary": "Checked the backups."}
		})
	}},
}

// secondWrite warms the write tool's caches with one write on an open ticket, then returns the
// same write on another open ticket, to be measured; each ticket is read with get_ticket first,
// as the guard requires, and args(id) builds the write's arguments once it has been.
func secondWrite(tb testing.TB, st *stack, tool string, args func(id int64) map[string]any) (string, map[string]any) {
	tb.Helper()
	readThen := func(id int64) map[string]any {
		call(tb, st.mcp, "get_ticket", map[string]any{"ticket_id": id})
		return args(id)
	}
	warm := openTicketWithoutTime(tb, st.sb)
	call(tb, st.mcp, tool, readThen(warm))
	return tool, readThen(openTicketWithoutTime(tb, st.sb, warm))
}

// workflowRun is what one workflow took.
type workflowRun struct {
	name     string
	wall     time.Duration
	requests int
	observed int // the critical path in the sandbox's request log
	expected int // expectedCriticalPath's
}

// ratio is the wall time over the time its critical path must take: 1 means the server adds
// nothing but the round trips that wait on each other.
func (w workflowRun) ratio() float64 {
	if w.observed == 0 {
		return 0
	}
	return float64(w.wall) / float64(time.Duration(w.observed)*zoneLatency)
}

// measureWorkflows runs every workflow runs times at zoneLatency (without jitter, so the
// ratio is the server's alone) and keeps the run with the median wall time: about 7 s of
// round trips a time. Every run's critical path must agree, so the kept run's is reported.
func measureWorkflows(tb testing.TB, runs int) []workflowRun {
	tb.Helper()
	var warm *stack
	rec := &requestRecorder{}
	out := make([]workflowRun, 0, len(workflows))
	for _, wf := range workflows {
		var tries []workflowRun
		for range runs {
			st := warm
			if wf.fresh {
				st = newStack(tb, sandbox.Options{Latency: zoneLatency, RequestLog: rec.record})
			} else if st == nil {
				warm = newStack(tb, sandbox.Options{RequestLog: rec.record})
				st = warm
			}
			st.sb.SetLatency(0, 0)
			tool, args := wf.setup(tb, st)
			st.sb.SetLatency(zoneLatency, 0)
			st.sb.ResetStats()
			rec.reset()
			start := time.Now()
			call(tb, st.mcp, tool, args)
			wall := time.Since(start)
			st.sb.SetLatency(0, 0)
			tries = append(tries, workflowRun{
				name: wf.name, wall: wall, requests: st.sb.Stats().Requests,
				observed: criticalPath(rec.requests()), expected: expectedCriticalPath[wf.name],
			})
		}
		for _, try := range tries[1:] {
			if try.observed != tries[0].observed {
				tb.Errorf("%s: the critical path differs between runs: %d, then %d", wf.name, tries[0].observed, try.observed)
			}
		}
		slices.SortFunc(tries, func(a, b workflowRun) int { return cmp.Compare(a.wall, b.wall) })
		out = append(out, tries[len(tries)/2])
	}
	return out
}

// ticketWithEverything is a ticket with notes, time entries, a company and a contact, so every
// include of get_ticket has something to read.
func ticketWithEverything(tb testing.TB, sb *sandbox.Sandbox) int64 {
	tb.Helper()
	notes, timed := ticketsWith(sb, "TicketNotes"), ticketsWith(sb, "TimeEntries")
	for _, id := range sb.IDs("Tickets") {
		rec, _ := sb.Record("Tickets", id)
		if notes[id] && timed[id] && rec["contactID"] != nil && rec["companyID"] != nil {
			return id
		}
	}
	tb.Fatal("the sandbox has no ticket with notes, time entries, a company and a contact")
	return 0
}

// TestWorkflowCriticalPaths: the round trips each workflow makes wait on each other, derived
// from when the sandbox saw each request, are the ones expectedCriticalPath says the code
// implies. Sequential requests chain whatever the machine's speed; requests sent side by side
// overlap for the sandbox's 250 ms latency. No timing is asserted.
func TestWorkflowCriticalPaths(t *testing.T) {
	t.Parallel()
	runs := measureWorkflows(t, 2)
	require.Len(t, runs, len(expectedCriticalPath), "expectedCriticalPath has a row for each workflow, and only those")
	for _, run := range runs {
		assert.Equal(t, run.expected, run.observed, "%s: critical path observed in the request log (%d requests in all)", run.name, run.requests)
		t.Logf("%s: %d requests, critical path %d, wall %s, ratio %.2f", run.name, run.requests, run.observed, run.wall.Round(time.Millisecond), run.ratio())
	}
}

// BenchmarkWorkflows reports, for each workflow at 250 ms a request, the wall time, the API
// requests, the critical path observed (round trips that waited on each other) beside the one
// the code implies, and ratio = wall ÷ (critical path × 250 ms); the median of three runs (run
// with -benchtime 1x: about 25 s); ns/op is meaningless and reported as 0.
//
// Target: ratio ≤ 1.15 for each workflow, i.e. the server adds at most 15% to the round trips
// it cannot avoid; the critical paths agree (asserted by TestWorkflowCriticalPaths too).
func BenchmarkWorkflows(b *testing.B) {
	runs := measureWorkflows(b, 3)
	for _, run := range runs {
		if run.observed != run.expected {
			b.Errorf("%s: critical path observed %d, expectedCriticalPath says %d", run.name, run.observed, run.expected)
		}
		b.Run(metricName(run.name), func(b *testing.B) {
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(float64(run.wall)/float64(time.Millisecond), "wall-ms")
			b.ReportMetric(float64(run.requests), "requests")
			b.ReportMetric(float64(run.observed), "critical-path")
			b.ReportMetric(float64(run.expected), "critical-path-expected")
			b.ReportMetric(run.ratio(), "ratio")
		})
	}
	b.Run("session_20_calls", func(b *testing.B) {
		b.ReportMetric(0, "ns/op")
		b.ReportMetric(float64(sessionRequests(b)), "requests")
	})
}

// sessionCall is one step of a scripted assistant session.
type sessionCall struct {
	tool string
	args func(ids sessionTickets) map[string]any // nil: the previous call's, confirmed
}

// sessionTickets are the tickets a session works on.
type sessionTickets struct{ noted, resolved, other int64 }

// assistantSession is twenty calls an assistant makes helping a technician through a morning:
// look at the queue, open tickets, note, resolve, log time, look things up.
var assistantSession = []sessionCall{
	{"query_entity", func(sessionTickets) map[string]any {
		return map[string]any{"entity": "Tickets", "filter": []any{map[string]any{"field": "status", "op": "eq", "value": "New"}}, "limit": 10}
	}},
	{"get_ticket", func(t sessionTickets) map[string]any { return map[string]any{"ticket_id": t.noted} }},
	{"get_ticket", func(t sessionTickets) map[string]any {
		return map[string]any{"ticket_id": t.noted, "include": []string{"notes", "time_entries"}}
	}},
	{"add_ticket_note", func(t sessionTickets) map[string]any {
		return map[string]any{"ticket_id": t.noted, "title": "Called", "description": "Left a voicemail."}
	}},
	{"log_time", func(t sessionTickets) map[string]any {
		return map[string]any{"ticket_id": t.noted, "hours": 0.25, "summary": "Called the customer."}
	}},
	{"describe_fields", func(sessionTickets) map[string]any { return map[string]any{"entity": "Tickets", "field": "priority"} }},
	{"query_entity", func(sessionTickets) map[string]any {
		return map[string]any{"entity": "Tickets", "filter": []any{map[string]any{"field": "priority", "op": "eq", "value": "High"}}, "limit": 25}
	}},
	{"get_ticket", func(t sessionTickets) map[string]any {
		return map[string]any{"ticket_id": t.resolved, "include": []string{"company", "contact"}}
	}},
	{"add_ticket_note", func(t sessionTickets) map[string]any {
		return map[string]any{"ticket_id": t.resolved, "title": "Toner", "description": "Ordered a new toner cartridge."}
	}},
	{"resolve_ticket", func(t sessionTickets) map[string]any {
		return map[string]any{"ticket_id": t.resolved, "resolution": "Replaced the toner.", "note": "Toner replaced on site."}
	}},
	{"resolve_ticket", nil}, // no args: the call before, confirmed with the token it asked for
	{"log_time", func(t sessionTickets) map[string]any {
		return map[string]any{"ticket_id": t.resolved, "hours": 0.5, "summary": "Replaced the toner."}
	}},
	{"query_entity", func(sessionTickets) map[string]any {
		return map[string]any{"entity": "Companies", "filter": []any{map[string]any{"field": "companyName", "op": "contains", "value": "Bakery"}}, "limit": 5}
	}},
	{"get_entity", func(sessionTickets) map[string]any { return map[string]any{"entity": "Companies", "id": 174} }},
	{"query_entity", func(t sessionTickets) map[string]any {
		return map[string]any{"entity": "TimeEntries", "filter": []any{map[string]any{"field": "ticketID", "op": "eq", "value": t.noted}}}
	}},
	{"get_ticket", func(t sessionTickets) map[string]any { return map[string]any{"ticket_id": t.other} }},
	{"add_ticket_note", func(t sessionTickets) map[string]any {
		return map[string]any{"ticket_id": t.other, "title": "Update", "description": "Waiting on the vendor."}
	}},
	{"query_entity", func(sessionTickets) map[string]any {
		return map[string]any{"entity": "Tickets", "filter": []any{map[string]any{"field": "status", "op": "eq", "value": "New"}}, "limit": 10}
	}},
	{"get_ticket", func(t sessionTickets) map[string]any { return map[string]any{"ticket_id": t.noted} }},
	{"log_time", func(t sessionTickets) map[string]any {
		return map[string]any{"ticket_id": t.other, "hours": 0.25, "summary": "Chased the vendor."}
	}},
}

// sessionRequests runs assistantSession on a new process's stack (cold caches) and returns
// the API requests the sandbox counted.
func sessionRequests(tb testing.TB) int {
	tb.Helper()
	st := newStack(tb, sandbox.Options{})
	noted := openTicketWithoutTime(tb, st.sb)
	resolved := openTicketWithoutTime(tb, st.sb, noted)
	ids := sessionTickets{noted: noted, resolved: resolved, other: openTicketWithoutTime(tb, st.sb, noted, resolved)}
	st.sb.ResetStats()
	var prevArgs map[string]any
	var prevResult *mcp.CallToolResult
	for _, sc := range assistantSession {
		var args map[string]any
		if sc.args != nil {
			args = sc.args(ids)
		} else {
			args = maps.Clone(prevArgs)
			args["confirm"] = confirmationToken(tb, prevResult)
		}
		prevArgs, prevResult = args, call(tb, st.mcp, sc.tool, args)
	}
	return st.sb.Stats().Requests
}

// TestAssistantSessionRequests pins the API requests of the scripted twenty-call session: every
// request spends the tenant's shared hourly budget, so one more is a reviewed diff.
func TestAssistantSessionRequests(t *testing.T) {
	t.Parallel()
	require.Len(t, assistantSession, 20)
	assert.Equal(t, sessionRequestsWant, sessionRequests(t), "API requests of the scripted twenty-call session, caches cold at its start")
}

// sessionRequestsWant is what the twenty calls cost today (caches cold at the start: the
// metadata of each entity and the names, each read once); update it when a change adds or
// saves a request.
const sessionRequestsWant = 75
