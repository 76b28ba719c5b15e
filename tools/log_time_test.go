package tools_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

// Sandbox facts (autotask/sandbox/seed_roles.go): the API user holds "Service Desk Technician" as
// its service-desk and its department role; the project manager holds it as its service-desk role
// and "Project Manager" as its department role; tasks carry the work type "Project Work".

// namedID is the id of the seeded record of entity whose field is value.
func namedID(t *testing.T, sb *sandbox.Sandbox, entity, field, value string) int64 {
	t.Helper()
	for _, id := range sb.IDs(entity) {
		if rec, _ := sb.Record(entity, id); rec[field] == value {
			return id
		}
	}
	t.Fatalf("no %s with %s %q", entity, field, value)
	return 0
}

// projectManager is the seeded project manager's resource id; every sandbox seeds the same ids.
func projectManager(t *testing.T) int64 {
	return namedID(t, sandbox.New(sandbox.Options{}), "Resources", "title", "Project Manager")
}

// timeEntries are the time entries of a ticket (ticketID) or task (taskID).
func timeEntries(sb *sandbox.Sandbox, field string, id int64) []map[string]any {
	var out []map[string]any
	for _, te := range sb.IDs("TimeEntries") {
		if rec, _ := sb.Record("TimeEntries", te); rec[field] == id {
			out = append(out, rec)
		}
	}
	return out
}

// readTask is the read a write to a task needs: get_entity Tasks in the session.
func readTask(t *testing.T, env *testenv.Env, id int64) {
	t.Helper()
	ok(t, env.Call(t, "get_entity", args("entity", "Tasks", "id", id)))
}

// assertSent checks that the time entry holds every field the dry run showed would be sent, as
// the API keeps it (dates as the API writes them, numbers as numbers).
func assertSent(t *testing.T, sent map[string]any, got map[string]any) {
	t.Helper()
	for field, want := range sent {
		switch field {
		case "dateWorked", "startDateTime", "endDateTime":
			w, _ := time.Parse(time.RFC3339, want.(string))
			g, err := time.Parse("2006-01-02T15:04:05", got[field].(string))
			if err != nil {
				g, err = time.Parse(time.RFC3339, got[field].(string))
			}
			require.NoError(t, err, field)
			assert.True(t, w.Equal(g), "%s: sent %v, holds %v", field, want, got[field])
		default:
			assert.EqualValues(t, asFloatOr(want), asFloatOr(got[field]), "%s: sent %v, holds %v", field, want, got[field])
		}
	}
}

// asFloatOr makes JSON numbers and Go numbers comparable; anything else is left as it is.
func asFloatOr(v any) any {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	case interface{ Float64() (float64, error) }:
		f, _ := x.Float64()
		return f
	}
	return v
}

// dryBody is the time entry a dry run of the call would send.
func dryBody(t *testing.T, env *testenv.Env, call map[string]any) map[string]any {
	t.Helper()
	out := ok(t, env.Call(t, "log_time", withArgs(call, "dry_run", true)))
	require.Equal(t, "dry_run", out["outcome"])
	reqs := out["requests"].([]any)
	require.Len(t, reqs, 1)
	req := reqs[0].(map[string]any)
	require.Equal(t, "POST", req["method"])
	require.Equal(t, "TimeEntries", req["path"])
	return req["body"].(map[string]any)
}

func TestLogTimeOnATicket(t *testing.T) {
	env := writeEnv(t, nil, guard.Options{})
	id := openTickets(t, env.Sandbox, false)[0]
	readFirst(t, env.MCP, id)
	call := args("ticket_id", id, "hours", 1.5, "summary", "Replaced the toner and cleaned the rollers.", "internal_notes", "Toner from stock.")

	env.Sandbox.ResetStats()
	sent := dryBody(t, env, call)
	assert.Zero(t, env.Sandbox.Stats().Writes, "a dry run writes nothing")
	day := time.Now().UTC().Format(time.DateOnly)
	out := ok(t, env.Call(t, "log_time", call))
	dayAfter := time.Now().UTC().Format(time.DateOnly)

	assert.Equal(t, "applied", out["outcome"])
	assert.Equal(t, true, out["written"])
	entryID := asInt(t, out["time_entry_id"])
	assert.Contains(t, out["summary"], "Logged 1.5 h on ticket ")
	assert.Contains(t, out["summary"], "as Service Desk Technician (")
	assert.Contains(t, out["summary"], "work type: none (the ticket has none", "the sandbox's tickets carry no work type")
	assert.Contains(t, out["notes"].([]any)[0], "resolve_ticket will leave its status as it is")

	entries := timeEntries(env.Sandbox, "ticketID", id)
	require.Len(t, entries, 1)
	te := entries[0]
	assert.Equal(t, entryID, te["id"])
	assertSent(t, sent, te)
	assert.Equal(t, env.Sandbox.APIResourceID(), te["resourceID"], "without impersonation, the API user's own time")
	assert.Equal(t, namedID(t, env.Sandbox, "Roles", "name", "Service Desk Technician"), te["roleID"], "its default service-desk role")
	assert.Contains(t, []string{day + "T00:00:00", dayAfter + "T00:00:00"}, te["dateWorked"], "today, UTC")
	assert.Equal(t, 1.5, te["hoursWorked"])

	// What the result said holds: resolving now leaves the status alone.
	before := ticketRecord(t, env.Sandbox, id)["status"]
	res := ok(t, env.Call(t, "resolve_ticket", args("ticket_id", id, "resolution", "Toner replaced.")))
	assert.Equal(t, "applied", res["outcome"], "no status change, so nothing to confirm")
	assert.Equal(t, before, ticketRecord(t, env.Sandbox, id)["status"])
}

func TestLogTimeWithAWindowByNumber(t *testing.T) {
	env := writeEnv(t, nil, guard.Options{})
	id := openTickets(t, env.Sandbox, true)[0]
	number := ticketRecord(t, env.Sandbox, id)["ticketNumber"].(string)
	readFirst(t, env.MCP, id)
	had := len(timeEntries(env.Sandbox, "ticketID", id))
	call := args("ticket_number", number, "start", "2026-11-20T09:00:00Z", "end", "2026-11-20T10:45:00Z",
		"summary", "On site: swapped the switch.", "billable", false, "work_type", "onsite support")

	sent := dryBody(t, env, call)
	assert.NotContains(t, sent, "hoursWorked", "the window gives the hours")
	out := ok(t, env.Call(t, "log_time", call))
	assert.Contains(t, out["summary"], "1.75 h")
	assert.Contains(t, out["summary"], "non-billable")
	te, _ := env.Sandbox.Record("TimeEntries", asInt(t, out["time_entry_id"]))
	assertSent(t, sent, te)
	assert.Equal(t, 1.75, te["hoursWorked"])
	assert.Equal(t, true, te["isNonBillable"])
	assert.Equal(t, namedID(t, env.Sandbox, "BillingCodes", "name", "Onsite Support"), te["billingCodeID"], "a work type by name")
	assert.Len(t, timeEntries(env.Sandbox, "ticketID", id), had+1)
}

func TestLogTimeOnATask(t *testing.T) {
	env := writeEnv(t, nil, guard.Options{})
	task := env.Sandbox.IDs("Tasks")[0]
	taskRec, _ := env.Sandbox.Record("Tasks", task)
	call := args("task_id", task, "hours", 2, "date", "2026-11-19", "summary", "Migrated the file shares.")

	// Not read in this session: refused, with the task shown, which counts as the read.
	writes := env.Sandbox.Stats().Writes
	text := failed(t, env.Call(t, "log_time", call), "had not read task", "Nothing was written", "<untrusted>", "counts as reading it")
	assert.Contains(t, text, taskRec["taskNumber"])
	assert.Equal(t, writes, env.Sandbox.Stats().Writes)

	sent := dryBody(t, env, call)
	out := ok(t, env.Call(t, "log_time", call))
	assert.EqualValues(t, task, asInt(t, out["task_id"]))
	assert.Nil(t, out["ticket_id"])
	assert.Nil(t, out["notes"], "resolve_ticket's rule is about tickets")
	te, _ := env.Sandbox.Record("TimeEntries", asInt(t, out["time_entry_id"]))
	assertSent(t, sent, te)
	assert.Equal(t, task, te["taskID"])
	assert.Nil(t, te["ticketID"])
	assert.Equal(t, int64(6), te["timeEntryType"])
	assert.Equal(t, taskRec["billingCodeID"], te["billingCodeID"], "the task's own work type")
	assert.Contains(t, out["summary"], "work type: Project Work (")

	// The read-back after the entry knows the task's new version: the next entry needs no read.
	ok(t, env.Call(t, "log_time", withArgs(call, "summary", "Checked the migrated permissions.")))
	readTask(t, env, task)
	require.NoError(t, env.Sandbox.Modify("Tasks", task, map[string]any{"title": "Renamed by a colleague"}))
	failed(t, env.Call(t, "log_time", call), "changed since", "Renamed by a colleague")
}

// The resource is the impersonated one when the server impersonates; its role is its default
// service-desk role on a ticket and its default department role on a task, unless role names one
// it holds, by name or id.
func TestLogTimeResourceAndRole(t *testing.T) {
	pm := projectManager(t)
	env := testenv.New(t, testenv.Options{Client: func(c *autotask.Config) { c.ResourceID = pm }})
	desk := namedID(t, env.Sandbox, "Roles", "name", "Service Desk Technician")
	pmRole := namedID(t, env.Sandbox, "Roles", "name", "Project Manager")
	ticket := openTickets(t, env.Sandbox, false)[0]
	task := env.Sandbox.IDs("Tasks")[0]
	readFirst(t, env.MCP, ticket)
	readTask(t, env, task)

	tests := []struct {
		name     string
		call     map[string]any
		wantRole int64
	}{
		{"ticket: the default service-desk role", args("ticket_id", ticket, "hours", 0.5, "summary", "a"), desk},
		{"task: the default department role", args("task_id", task, "hours", 0.5, "summary", "b"), pmRole},
		{"task: a role by name, any case", args("task_id", task, "hours", 0.5, "summary", "c", "role", "project MANAGER"), pmRole},
		{"ticket: a role by id", args("ticket_id", ticket, "hours", 0.5, "summary", "d", "role", desk), desk},
		{"ticket: a role as results show it", args("ticket_id", ticket, "hours", 0.5, "summary", "e", "role", fmt.Sprintf("Service Desk Technician (%d)", desk)), desk},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := ok(t, env.Call(t, "log_time", tt.call))
			te, _ := env.Sandbox.Record("TimeEntries", asInt(t, out["time_entry_id"]))
			assert.Equal(t, pm, te["resourceID"], "the impersonated resource's time")
			assert.Equal(t, tt.wantRole, te["roleID"])
			assert.Equal(t, pm, te["creatorUserID"], "recorded as made by the impersonated resource")
		})
	}
}

// A role or work type the call cannot use, and a call without a resource to act as, are refused
// before anything is sent, saying what to give instead.
func TestLogTimeRefusesWhatItCannotLog(t *testing.T) {
	env := writeEnv(t, nil, guard.Options{})
	ticket := openTickets(t, env.Sandbox, false)[0]
	task := env.Sandbox.IDs("Tasks")[0]
	readFirst(t, env.MCP, ticket)
	readTask(t, env, task)
	log := func(kv ...any) map[string]any {
		return withArgs(args("ticket_id", ticket, "hours", 1, "summary", "Checked the backups."), kv...)
	}
	tests := []struct {
		name string
		call map[string]any
		want []string
	}{
		{"a role not held", log("role", "Senior Engineer"), []string{`"Senior Engineer" is a role of this tenant, but not one of resource`, "service-desk roles", "Service Desk Technician ("}},
		{"a role id not held", log("role", 1), []string{"role 1 is not one of resource"}},
		{"no such role", log("role", "Astronaut"), []string{`no role is named "Astronaut"`, "service-desk roles are: Service Desk Technician"}},
		{"an inactive work type", log("work_type", "Legacy Labour"), []string{"Legacy Labour", "is inactive", "Remote Support ("}},
		{"no such work type", log("work_type", "Gardening"), []string{`no work type "Gardening"`, "choose one of"}},
		{"hours and a window", log("start", "2026-11-20T09:00:00Z", "end", "2026-11-20T10:00:00Z"), []string{"hours, or start and end, not both"}},
		{"no hours", args("ticket_id", ticket, "summary", "x"), []string{"give hours"}},
		{"no hours at all", log("hours", 0), []string{"hours must be more than 0"}},
		{"more than a day", log("hours", 25), []string{"at most 24"}},
		{"an end before the start", args("ticket_id", ticket, "summary", "x", "start", "2026-11-20T10:00:00Z", "end", "2026-11-20T09:00:00Z"), []string{"must be after start"}},
		{"half a window", args("ticket_id", ticket, "summary", "x", "start", "2026-11-20T10:00:00Z"), []string{"start and end together"}},
		{"a date that is not the start's", args("ticket_id", ticket, "summary", "x", "start", "2026-11-20T09:00:00Z", "end", "2026-11-20T10:00:00Z", "date", "2026-11-21"),
			[]string{"is not the day of start"}},
		{"a date that is no date", log("date", "yesterday"), []string{"date must be a day"}},
		{"a blank summary", log("summary", " "), []string{"summary is required"}},
		{"a ticket and a task", log("task_id", task), []string{"not both"}},
		{"neither", args("hours", 1, "summary", "x"), []string{"give the ticket (ticket_id or ticket_number) or the task (task_id)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env.Sandbox.ResetStats()
			failed(t, env.Call(t, "log_time", tt.call), append(tt.want, "Nothing was written")...)
			stats := env.Sandbox.Stats()
			assert.Zero(t, stats.Writes)
			assert.Zero(t, stats.ByEndpoint["POST TimeEntries"], "nothing was sent to be refused by the API")
		})
	}

	t.Run("no resource to act as", func(t *testing.T) {
		require.NoError(t, env.Sandbox.Modify("Resources", env.Sandbox.APIResourceID(), map[string]any{"userName": "someone", "email": "someone@example.com"}))
		env.Client.RefreshMetadata("") // forget the API user's resource
		env.Sandbox.ResetStats()
		failed(t, env.Call(t, "log_time", log()), "no resource to log the time as", "AUTOTASK_RESOURCE_ID", "Nothing was written")
		assert.Zero(t, env.Sandbox.Stats().Writes)
	})
}

// An allow list naming the entity time is logged on allows time there only.
func TestLogTimeAllowListByTarget(t *testing.T) {
	env := writeEnv(t, nil, guard.Options{AllowWrites: []string{"Tasks"}})
	list, err := env.MCP.ListTools(context.Background(), mcp.ListToolsRequest{})
	require.NoError(t, err)
	var listed []string
	for _, tl := range list.Tools {
		if _, isWrite := writeCases[tl.Name]; isWrite {
			listed = append(listed, tl.Name)
		}
	}
	// create_entity and update_entity write tasks too (under their projects); each call is then held
	// to the entity it writes.
	assert.ElementsMatch(t, []string{"create_entity", "log_time", "update_entity"}, listed)

	ticket := openTickets(t, env.Sandbox, false)[0]
	task := env.Sandbox.IDs("Tasks")[0]
	readFirst(t, env.MCP, ticket)
	readTask(t, env, task)
	failed(t, env.Call(t, "log_time", args("ticket_id", ticket, "hours", 1, "summary", "x")), "does not allow", "Nothing was written")
	ok(t, env.Call(t, "log_time", args("task_id", task, "hours", 1, "summary", "x")))
}

// The requests log_time sends, as the sandbox counts them: cold, it reads the metadata, the acting
// resource, its roles and the tenant's roles once; warm, the fresh GET, the POST and the read-back
// that tells the session's next write the ticket's new version. Counts, not timings.
func TestLogTimeRequestCount(t *testing.T) {
	env := writeEnv(t, nil, guard.Options{})
	ids := openTickets(t, env.Sandbox, false)
	readFirst(t, env.MCP, ids[0])
	readFirst(t, env.MCP, ids[1])
	call := func(id int64) map[string]any {
		return args("ticket_id", id, "hours", 1, "summary", "Checked the backups.")
	}

	env.Sandbox.ResetStats()
	ok(t, env.Call(t, "log_time", call(ids[0])))
	cold := env.Sandbox.Stats()
	assert.Equal(t, map[string]int{
		"GET TimeEntries/entityInformation": 1, "GET TimeEntries/entityInformation/fields": 1,
		"POST Resources/query": 1, "POST ResourceServiceDeskRoles/query": 1, "POST Roles/query": 1,
		"GET Tickets/{id}": 2, "POST TimeEntries": 1,
	}, cold.ByEndpoint)

	env.Sandbox.ResetStats()
	ok(t, env.Call(t, "log_time", call(ids[1])))
	warm := env.Sandbox.Stats()
	assert.Equal(t, map[string]int{"GET Tickets/{id}": 2, "POST TimeEntries": 1}, warm.ByEndpoint)
	t.Logf("log_time on a ticket: cold %d requests, warm %d", cold.Requests, warm.Requests)
}
