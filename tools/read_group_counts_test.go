package tools_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

// sandboxGroups is the sandbox's own count of tickets per value of field, over the tickets keep
// accepts, keyed as the stored value's text ("" for none).
func sandboxGroups(sb *sandbox.Sandbox, field string, keep func(map[string]any) bool) map[string]int {
	out := map[string]int{}
	for _, id := range sb.IDs("Tickets") {
		rec, _ := sb.Record("Tickets", id)
		if keep != nil && !keep(rec) {
			continue
		}
		key := ""
		if v, ok := rec[field]; ok && v != nil {
			key = fmt.Sprint(v)
		}
		out[key]++
	}
	return out
}

// resultGroups is a group_by result keyed as sandboxGroups keys it: the id in "Label (id)".
func resultGroups(t *testing.T, out map[string]any) map[string]int {
	t.Helper()
	got := map[string]int{}
	for _, g := range out["groups"].([]any) {
		group := g.(map[string]any)
		key := ""
		if v := group["value"].(string); v != "(empty)" {
			key = fmt.Sprint(idOf(t, v))
		}
		got[key] = int(asInt(t, group["count"]))
	}
	return got
}

func idOf(t *testing.T, labelled string) int64 {
	t.Helper()
	var id int64
	i := len(labelled) - 1
	for i >= 0 && labelled[i] != '(' {
		i--
	}
	_, err := fmt.Sscanf(labelled[i:], "(%d)", &id)
	require.NoError(t, err, "not \"Label (id)\": %q", labelled)
	return id
}

func groupCall(t *testing.T, env *testenv.Env, groupBy string, filter ...any) map[string]any {
	t.Helper()
	a := args("entity", "Tickets", "count_only", true, "group_by", groupBy)
	if len(filter) > 0 {
		a["filter"] = filter
	}
	return ok(t, env.Call(t, "query_entity", a))
}

// Group counts match the sandbox's own totals, by either road, and state their cost exactly.
func TestGroupCounts(t *testing.T) {
	open := func(rec map[string]any) bool { return rec["status"] != int64(statusComplete) }
	t.Run("paging: 500 tickets are one page, cheaper than a count per status", func(t *testing.T) {
		env := newEnv(t)
		sb := env.Sandbox
		env.Sandbox.ResetStats()
		out := groupCall(t, env, "status")
		assert.EqualValues(t, sb.Count("Tickets"), asInt(t, out["total"]))
		assert.Equal(t, sandboxGroups(sb, "status", nil), resultGroups(t, out))
		assert.Equal(t, "status", out["group_by"])
		stats := sb.Stats()
		assert.EqualValues(t, stats.Requests, asInt(t, out["requests"]), "the stated cost is what the API counted, metadata included: %v", stats.ByEndpoint)
		assert.Equal(t, 1, stats.ByEndpoint["POST Tickets/query"], "one page of 500")
		assert.Equal(t, 1, stats.ByEndpoint["POST Tickets/query/count"], "the total")
		raw, err := json.Marshal(out)
		require.NoError(t, err)
		assert.Less(t, len(raw), 1024, "a few hundred bytes: %s", raw)
	})
	t.Run("a reference, with names and the empty group", func(t *testing.T) {
		env := newEnv(t)
		sb := env.Sandbox
		out := groupCall(t, env, "assignedResourceID", args("field", "status", "op", "noteq", "value", "Complete"))
		want := sandboxGroups(sb, "assignedResourceID", open)
		require.Positive(t, want[""], "some open tickets are unassigned")
		assert.Equal(t, want, resultGroups(t, out))
		for _, g := range out["groups"].([]any) {
			v := g.(map[string]any)["value"].(string)
			if v != "(empty)" {
				assert.Equal(t, refName(t, sb, "Resources", idOf(t, v)), v)
			}
		}
		assert.Contains(t, out["untrusted"], "groups", "names are people's words")
	})
	t.Run("per value: 5,000 tickets are ten pages, seven queues are seven counts", func(t *testing.T) {
		env := testenv.New(t, testenv.Options{Sandbox: sandbox.Options{Tickets: 5000}})
		sb := env.Sandbox
		groupCall(t, env, "status", args("field", "id", "op", "eq", "value", 1)) // metadata warm
		sb.ResetStats()
		out := groupCall(t, env, "queueID")
		assert.Equal(t, sandboxGroups(sb, "queueID", nil), resultGroups(t, out))
		assert.Equal(t, map[string]int{"POST Tickets/query/count": 1 + 7}, sb.Stats().ByEndpoint, "the total, then one count per queue")
		assert.EqualValues(t, 8, asInt(t, out["requests"]))
		assert.LessOrEqual(t, sb.Stats().PeakInFlight["Tickets"], 3, "within the API's thread limit")

		sb.ResetStats()
		out = groupCall(t, env, "status", args("field", "status", "op", "noteq", "value", "Complete"))
		assert.Equal(t, sandboxGroups(sb, "status", open), resultGroups(t, out))
	})
	t.Run("too dear: refused with what to do", func(t *testing.T) {
		env := testenv.New(t, testenv.Options{Sandbox: sandbox.Options{Tickets: 26000}})
		env.Sandbox.ResetStats()
		failed(t, env.Call(t, "query_entity", args("entity", "Tickets", "count_only", true, "group_by", "companyID")),
			"would cost 52 requests", "narrow the filter")
		assert.Zero(t, env.Sandbox.Stats().ByEndpoint["POST Tickets/query"], "no page was read")
	})
}

func TestGroupCountRefusals(t *testing.T) {
	env := newEnv(t)
	tests := []struct {
		name      string
		args      map[string]any
		fragments []string
	}{
		{"without count_only", args("entity", "Tickets", "group_by", "status"), []string{"group_by goes with count_only"}},
		{"a text field", args("entity", "Tickets", "count_only", true, "group_by", "title"), []string{"neither a picklist nor a reference"}},
		{"no such field", args("entity", "Tickets", "count_only", true, "group_by", "stauts"), []string{"group_by", `did you mean "status"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { failed(t, env.Call(t, "query_entity", tt.args), tt.fragments...) })
	}
}
