package tools_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/guard"
)

// refName is how a result shows a reference to a sandbox record: "Name (id)", the name read from
// the sandbox itself by the naming rule of its entity.
func refName(t *testing.T, sb *sandbox.Sandbox, entity string, id int64) string {
	t.Helper()
	rec, ok := sb.Record(entity, id)
	require.True(t, ok, "%s %d", entity, id)
	var name string
	switch entity {
	case "Companies":
		name = rec["companyName"].(string)
	case "Contacts", "Resources":
		name = fmt.Sprintf("%s %s", rec["firstName"], rec["lastName"])
	case "ConfigurationItems":
		name = rec["referenceTitle"].(string)
	case "Contracts":
		name = rec["contractName"].(string)
	default:
		t.Fatalf("no naming rule for %s in this test", entity)
	}
	return fmt.Sprintf("%s (%d)", name, id)
}

// The reference fields of a ticket and the entities they name.
var ticketReferences = map[string]string{
	"companyID": "Companies", "contactID": "Contacts", "assignedResourceID": "Resources",
	"configurationItemID": "ConfigurationItems",
}

// assertNamed checks every reference field of a compact record against the sandbox record.
func assertNamed(t *testing.T, sb *sandbox.Sandbox, item map[string]any, raw map[string]any, refs map[string]string) {
	t.Helper()
	for field, entity := range refs {
		id, set := raw[field].(int64)
		if !set {
			assert.NotContains(t, item, field)
			continue
		}
		assert.Equal(t, refName(t, sb, entity, id), item[field], "%s of record %v", field, raw["id"])
	}
}

func TestNamesOnEveryReadPath(t *testing.T) {
	env := newEnv(t)
	sb := env.Sandbox

	t.Run("query_entity", func(t *testing.T) {
		out := ok(t, env.Call(t, "query_entity", args("entity", "Tickets", "fields", []any{"companyID", "contactID", "assignedResourceID", "configurationItemID"}, "limit", 25)))
		rows := items(t, out)
		require.Len(t, rows, 25)
		for _, row := range rows {
			raw, _ := sb.Record("Tickets", asInt(t, row["id"]))
			assertNamed(t, sb, row, raw, ticketReferences)
		}
		assert.Contains(t, out["untrusted"], "items", "names are people's words")
	})

	t.Run("get_entity", func(t *testing.T) {
		id := sb.IDs("Contacts")[5]
		raw, _ := sb.Record("Contacts", id)
		out := ok(t, env.Call(t, "get_entity", args("entity", "Contacts", "id", id)))
		record := out["record"].(map[string]any)
		assertNamed(t, sb, record, raw, map[string]string{"companyID": "Companies"})
		assert.Equal(t, raw["firstName"], record["firstName"], "the record's own fields are as they were")
	})

	t.Run("get_ticket with its includes, one query per referenced entity", func(t *testing.T) {
		id := ticketWhere(t, sb, func(rec map[string]any) bool {
			return rec["assignedResourceID"] != nil && rec["configurationItemID"] != nil && len(notesOf(sb, rec["id"].(int64))) > 0
		})
		raw, _ := sb.Record("Tickets", id)
		sb.ResetStats()
		out := ok(t, env.Call(t, "get_ticket", args("ticket_id", id, "include", []any{"notes", "company", "contact", "time_entries"})))
		assertNamed(t, sb, out["ticket"].(map[string]any), raw, ticketReferences)

		company, _ := sb.Record("Companies", raw["companyID"].(int64))
		assertNamed(t, sb, out["company"].(map[string]any), company, map[string]string{"ownerResourceID": "Resources"})
		contact, _ := sb.Record("Contacts", raw["contactID"].(int64))
		assertNamed(t, sb, out["contact"].(map[string]any), contact, map[string]string{"companyID": "Companies"})
		for _, n := range out["notes"].(map[string]any)["items"].([]any) {
			note := n.(map[string]any)
			rawNote, _ := sb.Record("TicketNotes", asInt(t, note["id"]))
			assertNamed(t, sb, note, rawNote, map[string]string{"creatorResourceID": "Resources", "createdByContactID": "Contacts"})
		}
		for _, endpoint := range []string{"POST Companies/query", "POST Contacts/query", "POST Resources/query", "POST ConfigurationItems/query"} {
			assert.LessOrEqual(t, sb.Stats().ByEndpoint[endpoint], 1, "%s: the ticket's and its includes' references share one query", endpoint)
		}
	})
}

func ticketWhere(t *testing.T, sb *sandbox.Sandbox, pred func(map[string]any) bool) int64 {
	t.Helper()
	for _, id := range sb.IDs("Tickets") {
		if rec, _ := sb.Record("Tickets", id); pred(rec) {
			return id
		}
	}
	t.Fatal("no such ticket in the sandbox")
	return 0
}

// A page names its references with one request per referenced entity, and with none once the
// names are known: never one a row.
func TestNamesCostOneRequestPerReferencedEntity(t *testing.T) {
	env := newEnv(t)
	query := args("entity", "Tickets", "fields", []any{"companyID", "contactID", "assignedResourceID"}, "limit", 25)
	ok(t, env.Call(t, "query_entity", args("entity", "Tickets", "limit", 1, "fields", []any{"title"}))) // metadata warm

	env.Sandbox.ResetStats()
	ok(t, env.Call(t, "query_entity", query))
	assert.Equal(t, map[string]int{"POST Tickets/query": 1, "POST Companies/query": 1, "POST Contacts/query": 1, "POST Resources/query": 1},
		env.Sandbox.Stats().ByEndpoint, "cold names: the page, then one query per referenced entity")

	env.Sandbox.ResetStats()
	ok(t, env.Call(t, "query_entity", query))
	assert.Equal(t, map[string]int{"POST Tickets/query": 1}, env.Sandbox.Stats().ByEndpoint, "warm: the page alone")
}

// A name that cannot be read leaves the id: the read itself succeeded.
func TestNamesUnreadableLeaveTheID(t *testing.T) {
	env := newEnv(t)
	env.Sandbox.Faults().Script("POST", "Companies/query", 10, sandbox.Fault{Kind: sandbox.FaultStatus, Status: 503})
	id := env.Sandbox.IDs("Tickets")[0]
	raw, _ := env.Sandbox.Record("Tickets", id)
	out := ok(t, env.Call(t, "get_ticket", args("ticket_id", id)))
	ticket := out["ticket"].(map[string]any)
	assert.EqualValues(t, raw["companyID"], asInt(t, ticket["companyID"]))
	assert.Equal(t, refName(t, env.Sandbox, "Contacts", raw["contactID"].(int64)), ticket["contactID"], "the other names are there")
}

// Write tools take a reference back as results show it; the name must be the record's.
func TestWritesAcceptNameAndID(t *testing.T) {
	env := writeEnv(t, nil, guard.Options{})
	sb := env.Sandbox
	id := openTickets(t, sb, false)[0]
	var techs []int64 // two technicians, neither assigned to the ticket yet
	for _, r := range sb.IDs("Resources")[1:] {
		if r != ticketRecord(t, sb, id)["assignedResourceID"] && len(techs) < 2 {
			techs = append(techs, r)
		}
	}
	ok(t, env.Call(t, "get_ticket", args("ticket_id", id)))

	t.Run("update_ticket", func(t *testing.T) {
		named := refName(t, sb, "Resources", techs[1])
		out := ok(t, env.Call(t, "update_ticket", args("ticket_id", id, "changes", args("assignedResourceID", named))))
		assert.Equal(t, "applied", out["outcome"])
		assert.Equal(t, techs[1], ticketRecord(t, sb, id)["assignedResourceID"])
	})
	t.Run("update_ticket, the name of another record", func(t *testing.T) {
		ok(t, env.Call(t, "get_ticket", args("ticket_id", id)))
		wrong := fmt.Sprintf("%s (%d)", refName(t, sb, "Resources", techs[0])[:5], techs[1])
		failed(t, env.Call(t, "update_ticket", args("ticket_id", id, "changes", args("assignedResourceID", wrong))),
			fmt.Sprintf("Resources %d is", techs[1]), "give the id alone")
		assert.Equal(t, techs[1], ticketRecord(t, sb, id)["assignedResourceID"], "nothing written")
	})
	t.Run("create_ticket", func(t *testing.T) {
		companyID := sb.IDs("Companies")[4]
		out := ok(t, env.Call(t, "create_ticket", args("company", refName(t, sb, "Companies", companyID), "title", "x", "description", "y")))
		assert.Equal(t, companyID, ticketRecord(t, sb, asInt(t, out["ticket_id"]))["companyID"])
		failed(t, env.Call(t, "create_ticket", args("company", fmt.Sprintf("Someone Else (%d)", companyID), "title", "x", "description", "y")),
			fmt.Sprintf("company %d is", companyID))
	})
}
