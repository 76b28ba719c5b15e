package tools_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

func TestQueryEntity(t *testing.T) {
	env := newEnv(t)
	tests := []struct {
		name  string
		args  map[string]any
		check func(t *testing.T, out map[string]any)
	}{
		{"default page", args("entity", "Tickets"), func(t *testing.T, out map[string]any) {
			assert.Equal(t, "Tickets", out["entity"])
			assert.Len(t, items(t, out), 25, "default limit")
			assert.NotEmpty(t, out["next_cursor"], "500 tickets: more to come")
		}},
		{"entity case-insensitive", args("entity", "tickets", "limit", 3), func(t *testing.T, out map[string]any) {
			assert.Equal(t, "Tickets", out["entity"])
			assert.Len(t, items(t, out), 3)
		}},
		{"fields keep only what was asked, plus id", args("entity", "Tickets", "fields", []any{"TITLE", "status"}, "limit", 5), func(t *testing.T, out map[string]any) {
			for _, it := range items(t, out) {
				for k := range it {
					assert.Contains(t, []string{"id", "title", "status"}, k)
				}
				assert.Contains(t, it, "id")
			}
		}},
		{"picklist label as value", args("entity", "Tickets", "filter", []any{args("field", "status", "op", "eq", "value", "In Progress")}, "limit", 50), func(t *testing.T, out map[string]any) {
			got := items(t, out)
			require.NotEmpty(t, got, "the sandbox has tickets in progress")
			for _, it := range got {
				assert.Equal(t, "In Progress (10)", valueOf(out, it, "status"))
			}
		}},
		{"labels in an in-list, case-insensitive", args("entity", "Tickets", "filter", []any{args("field", "priority", "op", "in", "value", []any{"high", "Critical"})}, "fields", []any{"priority"}, "limit", 100), func(t *testing.T, out map[string]any) {
			require.NotEmpty(t, items(t, out))
			for _, it := range items(t, out) {
				assert.Contains(t, []any{"High (1)", "Critical (4)"}, it["priority"])
			}
		}},
		{"our own \"Label (id)\" form as value", args("entity", "Tickets", "filter", []any{args("field", "status", "op", "eq", "value", "In Progress (10)")}, "fields", []any{"status"}, "limit", 5), func(t *testing.T, out map[string]any) {
			require.NotEmpty(t, items(t, out))
			for _, it := range items(t, out) {
				assert.Equal(t, "In Progress (10)", valueOf(out, it, "status"))
			}
		}},
		{"or group", args("entity", "Tickets", "filter", []any{args("op", "or", "items", []any{
			args("field", "status", "op", "eq", "value", "New"),
			args("field", "status", "op", "eq", "value", 10),
		})}, "fields", []any{"status"}, "limit", 100), func(t *testing.T, out map[string]any) {
			require.NotEmpty(t, items(t, out))
			for _, it := range items(t, out) {
				assert.Contains(t, []any{"New (1)", "In Progress (10)"}, it["status"])
			}
		}},
		{"values converted to the field's type", args("entity", "Tickets", "filter", []any{
			args("field", "id", "op", "gte", "value", "1"),
			args("field", "createDate", "op", "gt", "value", "2000-01-01"),
			args("field", "title", "op", "exist"),
		}, "count_only", true), func(t *testing.T, out map[string]any) {
			assert.EqualValues(t, env.Sandbox.Count("Tickets"), asInt(t, out["total"]), "every ticket matches")
		}},
		{"count_only", args("entity", "Tickets", "count_only", true), func(t *testing.T, out map[string]any) {
			assert.EqualValues(t, env.Sandbox.Count("Tickets"), asInt(t, out["total"]))
			assert.NotContains(t, out, "items")
		}},
		{"count_only with filter", args("entity", "Tickets", "count_only", true, "filter", []any{args("field", "status", "op", "eq", "value", "In Progress")}), func(t *testing.T, out map[string]any) {
			n := asInt(t, out["total"])
			assert.Greater(t, n, int64(0))
			assert.Less(t, n, int64(env.Sandbox.Count("Tickets")))
		}},
		{"no match", args("entity", "Companies", "filter", []any{args("field", "companyName", "op", "eq", "value", "No Such Company Anywhere")}), func(t *testing.T, out map[string]any) {
			assert.EqualValues(t, 0, asInt(t, out["returned"]))
			assert.NotContains(t, out, "next_cursor")
		}},
		{"records are compact", args("entity", "Tickets", "limit", 50), func(t *testing.T, out map[string]any) {
			for _, it := range items(t, out) {
				assertCompact(t, it)
			}
			assert.Equal(t, []any{"items"}, out["untrusted"], "free text is marked")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, ok(t, env.Call(t, "query_entity", tt.args)))
		})
	}
}

// assertCompact checks the compact-record rules on one record.
func assertCompact(t *testing.T, rec map[string]any) {
	t.Helper()
	for k, v := range rec {
		assert.NotNil(t, v, "%s: no nulls", k)
		if s, isString := v.(string); isString {
			assert.NotEmpty(t, strings.TrimSpace(s), "%s: no empty strings", k)
		}
		assert.NotEqual(t, "userDefinedFields", k, "UDFs come as udfs{name: value}")
	}
	if udfs, has := rec["udfs"]; has {
		m := udfs.(map[string]any)
		assert.NotEmpty(t, m, "no empty udfs object")
		for k, v := range m {
			assert.NotNil(t, v, "udf %s: no nulls", k)
			assert.NotEqual(t, "", v, "udf %s: no empty values", k)
		}
	}
}

func TestQueryEntityCursorPagesThroughEverything(t *testing.T) {
	env := newEnv(t)
	// One page of 500 is the reference: paging must return exactly the same records.
	want := len(items(t, ok(t, env.Call(t, "query_entity", args("entity", "Companies", "fields", []any{"companyName"}, "limit", 500)))))
	require.Greater(t, want, 7, "enough companies for several pages")
	seen := map[int64]bool{}
	res := env.Call(t, "query_entity", args("entity", "Companies", "fields", []any{"companyName"}, "limit", 7))
	for pages := 0; ; pages++ {
		require.Less(t, pages, 100, "paging terminates")
		out := ok(t, res)
		for _, it := range items(t, out) {
			id := asInt(t, it["id"])
			assert.False(t, seen[id], "id %d returned twice", id)
			seen[id] = true
			assert.Len(t, it, 2, "fields survive the cursor: %v", it)
		}
		cursor, more := out["next_cursor"].(string)
		if !more {
			break
		}
		res = env.Call(t, "query_entity", args("entity", "Companies", "cursor", cursor))
	}
	assert.Len(t, seen, want, "every company exactly once")
}

func TestQueryEntityErrors(t *testing.T) {
	env := newEnv(t)
	env.Sandbox.ResetStats()
	tests := []struct {
		name      string
		args      any
		fragments []string
	}{
		{"missing entity", args(), []string{"entity is required"}},
		{"unknown entity", args("entity", "Tikets"), []string{`unknown entity "Tikets"`, `"Tickets"`}},
		{"entity wrong type", args("entity", 5), []string{`"entity" must be a string`}},
		{"unknown field with suggestion", args("entity", "Tickets", "filter", []any{args("field", "statsu", "op", "eq", "value", 1)}), []string{`no field "statsu"`, `"status"`, "describe_fields"}},
		{"unknown op with suggestion", args("entity", "Tickets", "filter", []any{args("field", "status", "op", "equals", "value", 1)}), []string{`unknown op "equals"`, "eq"}},
		{"missing op", args("entity", "Tickets", "filter", []any{args("field", "status", "value", 1)}), []string{"op is required"}},
		{"missing value", args("entity", "Tickets", "filter", []any{args("field", "status", "op", "eq")}), []string{"needs a value"}},
		{"list for eq", args("entity", "Tickets", "filter", []any{args("field", "status", "op", "eq", "value", []any{1, 2})}), []string{"in/notIn"}},
		{"unknown picklist label", args("entity", "Tickets", "filter", []any{args("field", "status", "op", "eq", "value", "Almost Done")}), []string{`"Almost Done" is not a value of Tickets.status`, "In Progress (10)"}},
		{"empty group", args("entity", "Tickets", "filter", []any{args("op", "and")}), []string{"needs items"}},
		// A value the API cannot convert to the field's type is a bare 500 there (found by FuzzFilterDecoding).
		{"text for an integer field", args("entity", "Tickets", "filter", []any{args("field", "id", "op", "eq", "value", "Acme")}), []string{"filter[0].value", "id is an integer field", `"Acme"`}},
		// A reference field takes a name instead (read_filter_names_test.go): one that names nothing says so.
		{"text for a reference field", args("entity", "Tickets", "filter", []any{args("field", "companyID", "op", "eq", "value", "Acme")}), []string{"filter[0].value", "no Companies record is named", `"Acme"`}},
		{"fraction for an integer field", args("entity", "Tickets", "filter", []any{args("field", "id", "op", "in", "value", []any{1, 2.5})}), []string{"filter[0].value[1]", "integer", "2.5"}},
		{"not a date", args("entity", "Tickets", "filter", []any{args("field", "createDate", "op", "gt", "value", "yesterday")}), []string{"createDate is a date and time", "ISO 8601"}},
		{"date past year 9999 in UTC", args("entity", "Tickets", "filter", []any{args("field", "createDate", "op", "lt", "value", "9999-12-31T23:00:00-05:00")}), []string{"createDate is a date and time"}},
		{"NaN for a number field", args("entity", "TimeEntries", "filter", []any{args("field", "hoursWorked", "op", "gt", "value", "NaN")}), []string{"hoursWorked is a number field"}},
		{"not a boolean", args("entity", "TimeEntries", "filter", []any{args("field", "isNonBillable", "op", "eq", "value", "maybe")}), []string{"isNonBillable is true or false"}},
		{"udf flag on a standard field", args("entity", "Tickets", "filter", []any{args("field", "status", "op", "eq", "value", 1, "udf", true)}), []string{"standard field"}},
		{"two udf filters", args("entity", "Tickets", "filter", []any{
			args("field", "Root Cause", "op", "exist", "udf", true),
			args("field", "Billing Reference", "op", "exist", "udf", true),
		}), []string{"one"}},
		{"unknown field in fields", args("entity", "Tickets", "fields", []any{"titel"}), []string{`no field "titel"`, `"title"`}},
		{"negative limit", args("entity", "Tickets", "limit", -1), []string{"limit must be between 1 and 500"}},
		{"zero limit", args("entity", "Tickets", "limit", 0), []string{"limit must be between 1 and 500"}},
		{"limit too big", args("entity", "Tickets", "limit", 501), []string{"limit must be between 1 and 500"}},
		{"limit not an integer", args("entity", "Tickets", "limit", "ten"), []string{`"limit" must be an integer`}},
		{"limit fractional", args("entity", "Tickets", "limit", 2.5), []string{`"limit" must be an integer`}},
		{"unknown argument", args("entity", "Tickets", "where", "x"), []string{`unknown argument "where"`, "filter"}},
		{"garbage cursor", args("entity", "Tickets", "cursor", "not-a-cursor"), []string{"cursor is not one this server issued"}},
		{"cursor with filter", args("entity", "Tickets", "cursor", "abc", "filter", []any{args("field", "id", "op", "exist")}), []string{"pass only entity and cursor"}},
		{"2 MB string", args("entity", strings.Repeat("T", 2<<20)), []string{"limit is 64 KB"}},
		{"arguments not an object", []any{1, 2}, []string{"must be a JSON object"}},
		{"not queryable entity", args("entity", "TicketChecklistLibraries"), []string{"cannot be queried"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			failed(t, env.Call(t, "query_entity", tt.args), tt.fragments...)
		})
	}
	assert.Zero(t, env.Sandbox.Stats().ByEndpoint["POST Tickets/query"], "bad filters are refused before any query is sent")
}

// A cursor comes back from the assistant, so it may have been edited: its next page URL must not
// make a read POST anywhere but to a page of the same query (found by FuzzToolArguments).
func TestQueryEntityRefusesForgedCursor(t *testing.T) {
	env := newEnv(t)
	forge := func(next string) string {
		raw, err := json.Marshal(map[string]any{"e": "Tickets", "f": []any{args("op", "exist", "field", "id")}, "m": 2, "n": next})
		require.NoError(t, err)
		return base64.RawURLEncoding.EncodeToString(raw)
	}
	for _, next := range []string{
		"Tickets", "Tickets/10001/Notes", "Companies/query/next?paging=x", "Tickets/query/next/../../Companies",
		"https://evil.example.com/ATServicesRest/V1.0/Tickets/query/next?paging=x",
	} {
		t.Run(next, func(t *testing.T) {
			env.Sandbox.ResetStats()
			failed(t, env.Call(t, "query_entity", args("entity", "Tickets", "cursor", forge(next))), "cursor is not one this server issued")
			for endpoint := range env.Sandbox.Stats().ByEndpoint {
				assert.False(t, strings.HasPrefix(endpoint, "POST "), "refused before anything was POSTed: %s", endpoint)
			}
		})
	}
}

func TestQueryEntityCursorForOtherEntity(t *testing.T) {
	env := newEnv(t)
	out := ok(t, env.Call(t, "query_entity", args("entity", "Tickets", "limit", 2)))
	failed(t, env.Call(t, "query_entity", args("entity", "Companies", "cursor", out["next_cursor"])), "continues a query of Tickets")
}

func TestQueryEntityReportsProgress(t *testing.T) {
	env := newEnv(t)
	var mu sync.Mutex
	var tokens []any
	env.MCP.OnNotification(func(n mcp.JSONRPCNotification) {
		if n.Method == string(mcp.MethodNotificationProgress) {
			mu.Lock()
			defer mu.Unlock()
			tokens = append(tokens, n.Params.AdditionalFields["progressToken"])
		}
	})
	received := func() []any {
		mu.Lock()
		defer mu.Unlock()
		return append([]any(nil), tokens...)
	}

	ok(t, env.Call(t, "query_entity", args("entity", "Tickets", "limit", 5)))
	ok(t, testenv.CallOn(t, env.MCP, "query_entity", args("entity", "Tickets", "limit", 200), &mcp.Meta{ProgressToken: "q-1"}))
	require.Eventually(t, func() bool { return len(received()) > 0 }, 2*time.Second, 10*time.Millisecond, "a progress notification arrives")
	for _, tok := range received() {
		assert.Equal(t, "q-1", tok, "only the call that asked for progress gets it")
	}
}
