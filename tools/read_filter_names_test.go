package tools_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

// companyNamed is the sandbox's company of that exact name.
func companyNamed(t *testing.T, sb *sandbox.Sandbox, name string) int64 {
	t.Helper()
	for _, id := range sb.IDs("Companies") {
		if rec, _ := sb.Record("Companies", id); rec["companyName"] == name {
			return id
		}
	}
	t.Fatalf("no company %q in the sandbox", name)
	return 0
}

// ticketsWhere counts the sandbox's tickets whose field holds one of ids.
func ticketsWhere(sb *sandbox.Sandbox, field string, ids ...int64) int {
	n := 0
	for _, id := range sb.IDs("Tickets") {
		rec, _ := sb.Record("Tickets", id)
		for _, want := range ids {
			if rec[field] == want {
				n++
			}
		}
	}
	return n
}

func countOf(t *testing.T, env *testenv.Env, filter ...any) int64 {
	t.Helper()
	return asInt(t, ok(t, env.Call(t, "query_entity", args("entity", "Tickets", "filter", filter, "count_only", true)))["total"])
}

func TestFilterByName(t *testing.T) {
	env := newEnv(t)
	sb := env.Sandbox
	contoso := companyNamed(t, sb, "Contoso")
	fabrikam := companyNamed(t, sb, "Fabrikam")
	contact := sb.IDs("Contacts")[7]
	contactRec, _ := sb.Record("Contacts", contact)
	contactName := fmt.Sprintf("%s %s", contactRec["firstName"], contactRec["lastName"])

	tests := []struct {
		name   string
		filter map[string]any
		want   int
	}{
		{"company by exact name", args("field", "companyID", "op", "eq", "value", "Contoso"), ticketsWhere(sb, "companyID", contoso)},
		{"any case and spacing", args("field", "companyID", "op", "eq", "value", "  cONTOSO "), ticketsWhere(sb, "companyID", contoso)},
		{"names in a list", args("field", "companyID", "op", "in", "value", []any{"Contoso", "fabrikam"}), ticketsWhere(sb, "companyID", contoso, fabrikam)},
		{"not the company", args("field", "companyID", "op", "noteq", "value", "Contoso"), sb.Count("Tickets") - ticketsWhere(sb, "companyID", contoso)},
		{"as results show it", args("field", "companyID", "op", "eq", "value", fmt.Sprintf("Contoso (%d)", contoso)), ticketsWhere(sb, "companyID", contoso)},
		{"a contact by first and last name", args("field", "contactID", "op", "eq", "value", contactName), ticketsWhere(sb, "contactID", contact)},
		{"an id still works", args("field", "companyID", "op", "eq", "value", fmt.Sprint(contoso)), ticketsWhere(sb, "companyID", contoso)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Positive(t, tt.want, "the sandbox has such tickets")
			assert.EqualValues(t, tt.want, countOf(t, env, tt.filter))
		})
	}

	t.Run("rows of one company show its name", func(t *testing.T) {
		out := ok(t, env.Call(t, "query_entity", args("entity", "Tickets", "filter", []any{args("field", "companyID", "op", "eq", "value", "Contoso")}, "fields", []any{"companyID"})))
		require.NotEmpty(t, items(t, out))
		for _, row := range items(t, out) {
			assert.Equal(t, fmt.Sprintf("Contoso (%d)", contoso), valueOf(out, row, "companyID"))
		}
	})

	t.Run("a name asked again costs no request", func(t *testing.T) {
		countOf(t, env, args("field", "companyID", "op", "eq", "value", "Fabrikam"))
		sb.ResetStats()
		countOf(t, env, args("field", "companyID", "op", "eq", "value", "fabrikam"))
		assert.Equal(t, map[string]int{"POST Tickets/query/count": 1}, sb.Stats().ByEndpoint)
	})
}

func TestFilterByNameRefusals(t *testing.T) {
	env := newEnv(t)
	sb := env.Sandbox
	northwind := companyNamed(t, sb, "Northwind Traders")
	var twins []int64
	for i := range autotask.NameMatchLimit + 1 {
		id, err := sb.Insert("Companies", map[string]any{"companyName": "Twin Harbor", "companyType": 1, "phone": fmt.Sprint(i), "ownerResourceID": sb.APIResourceID()})
		require.NoError(t, err)
		twins = append(twins, id)
	}

	tests := []struct {
		name      string
		filter    map[string]any
		fragments []string
	}{
		{"nothing named so: the nearest, with ids", args("field", "companyID", "op", "eq", "value", "Northwind"),
			[]string{`no Companies record is named exactly "Northwind"`, fmt.Sprintf("Northwind Traders (%d)", northwind), "give the id"}},
		{"nothing near either", args("field", "companyID", "op", "eq", "value", "Qqqqzzzz"),
			[]string{`no Companies record is named "Qqqqzzzz"`, "query_entity"}},
		{"several named so: five of them, with ids", args("field", "companyID", "op", "in", "value", []any{"Twin Harbor"}),
			[]string{"filter[0].value[0]", `several Companies records are named "Twin Harbor"`, fmt.Sprintf("Twin Harbor (%d)", twins[0]), fmt.Sprintf("Twin Harbor (%d)", twins[4]), "and more", "Give the id"}},
		{"the name of another record", args("field", "companyID", "op", "eq", "value", fmt.Sprintf("Contoso (%d)", northwind)),
			[]string{fmt.Sprintf("Companies %d is \"Northwind Traders\", not \"Contoso\"", northwind)}},
		{"me is a resource", args("field", "companyID", "op", "eq", "value", "me"),
			[]string{`"me" means the resource you act as`, "companyID refers to Companies"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := failed(t, env.Call(t, "query_entity", args("entity", "Tickets", "filter", []any{tt.filter})), tt.fragments...)
			if tt.name == "several named so: five of them, with ids" {
				assert.NotContains(t, text, fmt.Sprint(twins[5]), "at most five are listed")
			}
		})
	}
}

func TestFilterByMe(t *testing.T) {
	t.Run("the API user's own resource", func(t *testing.T) {
		env := newEnv(t)
		sb := env.Sandbox
		mine := sb.IDs("Tickets")[3]
		require.NoError(t, sb.Modify("Tickets", mine, map[string]any{"assignedResourceID": sb.APIResourceID()}))
		out := ok(t, env.Call(t, "query_entity", args("entity", "Tickets", "filter", []any{args("field", "assignedResourceID", "op", "eq", "value", "me")}, "fields", []any{"assignedResourceID"})))
		rows := items(t, out)
		require.Len(t, rows, ticketsWhere(sb, "assignedResourceID", sb.APIResourceID()))
		assert.EqualValues(t, mine, asInt(t, rows[0]["id"]))
	})
	t.Run("the impersonated resource", func(t *testing.T) {
		tech := sandbox.New(sandbox.Options{}).IDs("Resources")[2] // a technician: the seed is the same in every sandbox
		env := testenv.New(t, testenv.Options{Client: func(c *autotask.Config) { c.ResourceID = tech }})
		want := ticketsWhere(env.Sandbox, "assignedResourceID", tech)
		require.Positive(t, want, "the technician has tickets")
		env.Sandbox.ResetStats()
		assert.EqualValues(t, want, countOf(t, env, args("field", "assignedResourceID", "op", "eq", "value", "ME")))
		assert.Equal(t, map[string]int{"POST Tickets/query/count": 1, "GET Tickets/entityInformation": 1, "GET Tickets/entityInformation/fields": 1, "GET Tickets/entityInformation/userDefinedFields": 1},
			env.Sandbox.Stats().ByEndpoint, "the impersonated resource is known without a lookup")
	})
}
