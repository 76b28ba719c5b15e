package sandbox_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// TestFilterOperators: one row per operator of the query language (spec QueryModel: eq noteq
// gt gte lt lte beginsWith endsWith contains exist notExist in notIn), each checked against
// the records read directly.
func TestFilterOperators(t *testing.T) {
	tn := newTenant(t, sandbox.Options{Tickets: 120, Companies: 10})
	var tickets []map[string]any
	for _, id := range tn.s.IDs("Tickets") {
		rec, _ := tn.s.Record("Tickets", id)
		tickets = append(tickets, rec)
	}
	first := tickets[0]
	title := first["title"].(string)
	word := strings.Fields(title)[0]
	last := strings.Fields(title)[len(strings.Fields(title))-1]
	i64 := func(v any) int64 { n, _ := v.(int64); return n }

	cases := []struct {
		op     string
		filter string
		want   func(map[string]any) bool
	}{
		{"eq", `{"op":"eq","field":"priority","value":1}`, func(r map[string]any) bool { return i64(r["priority"]) == 1 }},
		{"noteq", `{"op":"noteq","field":"status","value":5}`, func(r map[string]any) bool { return i64(r["status"]) != 5 }},
		{"gt", `{"op":"gt","field":"priority","value":2}`, func(r map[string]any) bool { return i64(r["priority"]) > 2 }},
		{"gte", `{"op":"gte","field":"priority","value":2}`, func(r map[string]any) bool { return i64(r["priority"]) >= 2 }},
		{"lt", `{"op":"lt","field":"id","value":` + itoa(i64(tickets[30]["id"])) + `}`, func(r map[string]any) bool { return i64(r["id"]) < i64(tickets[30]["id"]) }},
		{"lte", `{"op":"lte","field":"createDate","value":"` + tickets[40]["createDate"].(string) + `"}`, func(r map[string]any) bool {
			return r["createDate"].(string) <= tickets[40]["createDate"].(string)
		}},
		{"beginsWith, case-insensitive", `{"op":"beginsWith","field":"title","value":"` + strings.ToUpper(word) + `"}`, func(r map[string]any) bool {
			return strings.HasPrefix(strings.ToLower(r["title"].(string)), strings.ToLower(word))
		}},
		{"endsWith", `{"op":"endsWith","field":"title","value":"` + last + `"}`, func(r map[string]any) bool {
			return strings.HasSuffix(strings.ToLower(r["title"].(string)), strings.ToLower(last))
		}},
		{"contains", `{"op":"contains","field":"description","value":"monitoring"}`, func(r map[string]any) bool {
			d, _ := r["description"].(string)
			return strings.Contains(strings.ToLower(d), "monitoring")
		}},
		{"exist", `{"op":"exist","field":"completedDate"}`, func(r map[string]any) bool { return r["completedDate"] != nil }},
		{"notExist", `{"op":"notExist","field":"assignedResourceID"}`, func(r map[string]any) bool { return r["assignedResourceID"] == nil }},
		{"in", `{"op":"in","field":"status","value":[1,7,8]}`, func(r map[string]any) bool { s := i64(r["status"]); return s == 1 || s == 7 || s == 8 }},
		{"notIn", `{"op":"notIn","field":"queueID","value":[8,29682834]}`, func(r map[string]any) bool {
			q := i64(r["queueID"])
			return r["queueID"] != nil && q != 8 && q != 29682834
		}},
		{"or group", `{"op":"or","items":[{"op":"eq","field":"priority","value":4},{"op":"eq","field":"status","value":1}]}`, func(r map[string]any) bool {
			return i64(r["priority"]) == 4 || i64(r["status"]) == 1
		}},
		{"and inside or", `{"op":"or","items":[{"op":"and","items":[{"op":"eq","field":"priority","value":1},{"op":"eq","field":"status","value":5}]},{"op":"eq","field":"status","value":8}]}`, func(r map[string]any) bool {
			return (i64(r["priority"]) == 1 && i64(r["status"]) == 5) || i64(r["status"]) == 8
		}},
		{"udf eq", `{"op":"eq","field":"Customer Impact","udf":true,"value":"whole site"}`, func(r map[string]any) bool {
			for _, u := range r["userDefinedFields"].([]any) {
				if m := u.(map[string]any); m["name"] == "Customer Impact" {
					return m["value"] == "Whole Site"
				}
			}
			return false
		}},
	}
	for _, tc := range cases {
		t.Run(tc.op, func(t *testing.T) {
			want := 0
			for _, r := range tickets {
				if tc.want(r) {
					want++
				}
			}
			require.Positive(t, want, "the seed must exercise %s", tc.op)
			require.Less(t, want, len(tickets), "the seed must exercise %s", tc.op)
			r := tn.post(t, api+"Tickets/query/count", `{"filter":[`+tc.filter+`]}`)
			require.Equal(t, 200, r.status, "body: %s", r.raw)
			assert.Equal(t, int64(want), num(t, r.json(t)["queryCount"]))
			page := tn.post(t, api+"Tickets/query", `{"filter":[`+tc.filter+`]}`)
			assert.Len(t, items(t, page), want, "query and count agree")
		})
	}
}
