package bench

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// A question is what a person asks the assistant, and the one tool call that answers it. Its cost
// is what the answer puts in the assistant's context (structuredContent, and the text twin a
// text-only client shows instead) and what it spends of the tenant's hourly budget: warm (the
// client has the metadata and the names), with the names cold (metadata warm: a name not seen
// within NameTTL), and cold (a new process).
type question struct {
	name  string
	tool  string
	args  map[string]any
	check func(tb testing.TB, out map[string]any) // the call answers the question
}

type questionCost struct {
	name                       string
	calls                      int
	structured, text           int
	warm, namesCold, cold      int
	warmBy, namesColdBy, colds map[string]int
}

// The week "my tickets due this week" asks about: the last full week of the sandbox's history.
var (
	weekStart = time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)
	weekEnd   = weekStart.AddDate(0, 0, 7)
)

// busiestThisWeek is the technician with the most open tickets due in the week: "me" in the
// question, as the impersonated resource (AUTOTASK_RESOURCE_ID).
func busiestThisWeek(sb *sandbox.Sandbox) int64 {
	count := map[int64]int{}
	for _, id := range sb.IDs("Tickets") {
		rec, _ := sb.Record("Tickets", id)
		due, _ := rec["dueDateTime"].(string)
		at, _ := time.Parse(time.RFC3339, due)
		tech, _ := rec["assignedResourceID"].(int64)
		if tech != 0 && rec["status"] != int64(statusComplete) && !at.Before(weekStart) && at.Before(weekEnd) {
			count[tech]++
		}
	}
	var best int64
	for tech, n := range count {
		if n > count[best] || n == count[best] && tech < best {
			best = tech
		}
	}
	return best
}

// ticketWithNotes is the first ticket with at least n notes.
func ticketWithNotes(sb *sandbox.Sandbox, n int) (int64, string) {
	notes := map[int64]int{}
	for _, id := range sb.IDs("TicketNotes") {
		rec, _ := sb.Record("TicketNotes", id)
		tid, _ := rec["ticketID"].(int64)
		notes[tid]++
	}
	for _, id := range sb.IDs("Tickets") {
		if notes[id] >= n {
			rec, _ := sb.Record("Tickets", id)
			return id, rec["ticketNumber"].(string)
		}
	}
	return 0, ""
}

func questions(sb *sandbox.Sandbox, me int64) []question {
	_, number := ticketWithNotes(sb, 3)
	notComplete := map[string]any{"field": "status", "op": "noteq", "value": "Complete"}
	return []question{
		{"open tickets for Contoso, with who has them", "query_entity", map[string]any{"entity": "Tickets",
			"filter": []any{map[string]any{"field": "companyID", "op": "eq", "value": "Contoso"}, notComplete}},
			func(tb testing.TB, out map[string]any) {
				common, _ := out["common"].(map[string]any)
				require.Regexp(tb, `^Contoso \(\d+\)$`, common["companyID"], "every row is Contoso's, named once")
				assigned := 0
				for _, it := range out["items"].([]any) {
					if _, ok := it.(map[string]any)["assignedResourceID"].(string); ok {
						assigned++
					}
				}
				require.Positive(tb, assigned, "who has them, by name")
			}},
		{"ticket " + number + " with its notes", "get_ticket", map[string]any{"ticket_number": number, "include": []string{"notes"}},
			func(tb testing.TB, out map[string]any) {
				notes, _ := out["notes"].(map[string]any)
				require.GreaterOrEqual(tb, len(notes["items"].([]any)), 3)
			}},
		{"my tickets due this week", "query_entity", map[string]any{"entity": "Tickets", "filter": []any{
			map[string]any{"field": "assignedResourceID", "op": "eq", "value": "me"},
			map[string]any{"field": "dueDateTime", "op": "gte", "value": weekStart.Format(time.RFC3339)},
			map[string]any{"field": "dueDateTime", "op": "lt", "value": weekEnd.Format(time.RFC3339)},
			notComplete,
		}}, func(tb testing.TB, out map[string]any) {
			common, _ := out["common"].(map[string]any)
			require.Contains(tb, common["assignedResourceID"], fmt.Sprintf("(%d)", me))
			require.GreaterOrEqual(tb, len(out["items"].([]any)), 2)
		}},
		{"the 19 New tickets", "query_entity", map[string]any{"entity": "Tickets",
			"filter": []any{map[string]any{"field": "status", "op": "eq", "value": "New"}}},
			func(tb testing.TB, out map[string]any) {
				require.Len(tb, out["items"], 19)
				require.Empty(tb, out["next_cursor"], "all of them in one page")
			}},
	}
}

// measureQuestions asks each question on a fresh tenant whose client acts as the technician with
// the most tickets due this week.
func measureQuestions(tb testing.TB) []questionCost {
	tb.Helper()
	me := busiestThisWeek(sandbox.New(sandbox.Options{}))
	require.NotZero(tb, me)
	st := newStackWith(tb, sandbox.Options{}, func(c *autotask.Config) { c.ResourceID = me })
	var out []questionCost
	for _, q := range questions(st.sb, me) {
		qc := questionCost{name: q.name, calls: 1}
		ask := func() *mcp.CallToolResult {
			st.sb.ResetStats()
			return call(tb, st.mcp, q.tool, q.args)
		}
		ask() // warm-up
		res := ask()
		qc.warm, qc.warmBy = st.sb.Stats().Requests, st.sb.Stats().ByEndpoint
		var answer map[string]any
		require.NoError(tb, json.Unmarshal(structured(tb, res), &answer))
		q.check(tb, answer)
		qc.structured, qc.text = resultSizes(tb, res)

		st.client.RefreshNames()
		ask()
		qc.namesCold, qc.namesColdBy = st.sb.Stats().Requests, st.sb.Stats().ByEndpoint

		st.client.RefreshNames()
		st.client.RefreshMetadata("")
		ask()
		qc.cold, qc.colds = st.sb.Stats().Requests, st.sb.Stats().ByEndpoint
		out = append(out, qc)
	}
	return out
}

// referencedEntities is how many entities a result's names came from: the name queries the
// sandbox counted (POST {Entity}/query other than the question's own).
func referencedEntities(by map[string]int, own string) int {
	n := 0
	for ep := range by {
		if strings.HasPrefix(ep, "POST ") && strings.HasSuffix(ep, "/query") && ep != own {
			n++
		}
	}
	return n
}

// Asserted, since bytes and requests are deterministic: each question is one tool call; the 19
// New tickets, names included, fit in 4 KB (structuredContent and text twin); a page of tickets
// with names costs at most 1 + the entities it names requests with the names cold, and 1 warm.
func TestQuestions(t *testing.T) {
	t.Parallel()
	for _, qc := range measureQuestions(t) {
		t.Logf("%s: %d call, %d B structured, %d B text; requests warm %d %v, names cold %d %v, cold %d %v",
			qc.name, qc.calls, qc.structured, qc.text, qc.warm, qc.warmBy, qc.namesCold, qc.namesColdBy, qc.cold, qc.colds)
		assert.Equal(t, 1, qc.calls)
		if strings.HasPrefix(qc.name, "ticket ") {
			assert.Equal(t, map[string]int{"POST Tickets/query": 1, "POST TicketNotes/query": 1}, qc.warmBy, qc.name)
			continue
		}
		assert.Equal(t, map[string]int{"POST Tickets/query": 1}, qc.warmBy, "%s: warm, the page alone", qc.name)
		assert.LessOrEqual(t, qc.namesCold, 1+referencedEntities(qc.namesColdBy, "POST Tickets/query"), "%s: %v", qc.name, qc.namesColdBy)
		for ep, n := range qc.namesColdBy {
			assert.Equal(t, 1, n, "%s: %s once, never once a row", qc.name, ep)
		}
		if qc.name == "the 19 New tickets" {
			assert.LessOrEqual(t, qc.structured, 4096, "structuredContent")
			assert.LessOrEqual(t, qc.text, 4096, "text twin")
		}
	}
}

// BenchmarkQuestions reports the same figures as metrics, for scripts/bench's table (one
// measurement, one sub-benchmark per question; their ns/op is meaningless and hidden).
//
// Targets (asserted by TestQuestions): 1 tool call each; the 19 New tickets <= 4 KB with names;
// a page with names <= 1 + referenced entities requests with the names cold, 1 warm.
func BenchmarkQuestions(b *testing.B) {
	costs := measureQuestions(b)
	for i, qc := range costs {
		b.Run(fmt.Sprintf("q%d", i+1), func(b *testing.B) {
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(float64(qc.calls), "calls")
			b.ReportMetric(float64(qc.structured), "struct-B")
			b.ReportMetric(float64(qc.text), "text-B")
			b.ReportMetric(float64(qc.warm), "req-warm")
			b.ReportMetric(float64(qc.namesCold), "req-names-cold")
			b.ReportMetric(float64(qc.cold), "req-cold")
		})
	}
}
