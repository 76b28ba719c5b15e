package tools_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Tickets' default row, as chosen by hand (read_default_fields.go).
var ticketDefaultRow = []string{"id", "ticketNumber", "title", "status", "priority", "companyID", "assignedResourceID", "dueDateTime"}

func TestDefaultRows(t *testing.T) {
	env := newEnv(t)

	t.Run("no fields: the default set, and a note on the rest", func(t *testing.T) {
		out := ok(t, env.Call(t, "query_entity", args("entity", "Tickets", "limit", 25)))
		rows := items(t, out)
		require.Len(t, rows, 25)
		for _, row := range rows {
			for k := range row {
				assert.Contains(t, ticketDefaultRow, k)
			}
		}
		assert.Contains(t, out["more_fields"], "67 more fields")
		assert.Contains(t, out["more_fields"], `["*"]`)

		next := ok(t, env.Call(t, "query_entity", args("entity", "Tickets", "cursor", out["next_cursor"])))
		for _, row := range items(t, next) {
			for k := range row {
				assert.Contains(t, ticketDefaultRow, k, "the next page keeps the default set")
			}
		}
	})

	t.Run(`["*"]: every field, user-defined ones too`, func(t *testing.T) {
		out := ok(t, env.Call(t, "query_entity", args("entity", "Tickets", "fields", []any{"*"}, "limit", 25)))
		assert.NotContains(t, out, "more_fields")
		keys := map[string]bool{}
		for _, row := range items(t, out) {
			for k := range row {
				keys[k] = true
			}
		}
		for _, k := range []string{"description", "createDate", "source", "contactID", "lastActivityDate", "creatorResourceID", "udfs"} {
			assert.True(t, keys[k], "%s comes with every field", k)
		}
	})

	t.Run("named fields: those, no note", func(t *testing.T) {
		out := ok(t, env.Call(t, "query_entity", args("entity", "Companies", "fields", []any{"companyName"}, "limit", 3)))
		assert.NotContains(t, out, "more_fields")
		for _, row := range items(t, out) {
			assert.ElementsMatch(t, []string{"id", "companyName"}, keysOf(row))
		}
	})

	t.Run(`["*"] goes alone`, func(t *testing.T) {
		failed(t, env.Call(t, "query_entity", args("entity", "Tickets", "fields", []any{"*", "title"})), `"*" alone asks for every field`)
	})

	t.Run("long text shortened in a default row, whole when asked for", func(t *testing.T) {
		note := env.Sandbox.IDs("TicketNotes")[0]
		long := strings.Repeat("The printer on the third floor jams on every duplex job. ", 10)
		require.NoError(t, env.Sandbox.Modify("TicketNotes", note, map[string]any{"description": long}))
		filter := []any{args("field", "id", "op", "eq", "value", note)}
		short := items(t, ok(t, env.Call(t, "query_entity", args("entity", "TicketNotes", "filter", filter))))
		full := items(t, ok(t, env.Call(t, "query_entity", args("entity", "TicketNotes", "filter", filter, "fields", []any{"description"}))))
		require.Len(t, short, 1)
		require.Len(t, full, 1)
		s := short[0]["description"].(string)
		assert.Equal(t, strings.TrimSpace(long), full[0]["description"])
		assert.LessOrEqual(t, utf8.RuneCountInString(s), 200+len("… [+999 chars]"))
		assert.Contains(t, s, "… [+", "a shortened text says how much was left out")
		assert.True(t, strings.HasPrefix(long, s[:strings.Index(s, "…")]))
	})

	t.Run("an eq condition's value once for the page", func(t *testing.T) {
		out := ok(t, env.Call(t, "query_entity", args("entity", "Tickets", "filter", []any{args("field", "status", "op", "eq", "value", "New")})))
		assert.Equal(t, map[string]any{"status": "New (1)"}, out["common"])
		require.Greater(t, len(items(t, out)), 1)
		for _, row := range items(t, out) {
			assert.NotContains(t, row, "status")
		}
	})
}

func keysOf(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
