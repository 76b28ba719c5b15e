package sandbox_test

import (
	"maps"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// timeFixture adds what the time-entry rows need to the fixture: a task, the API user's role, and
// the project manager with a service-desk role ({pmdesk}) that is not one of its department roles
// ({pmdept}), a role nobody holds here ({unheld}) and an inactive one ({retired}).
func timeFixture(t *testing.T, tn *tenant, fx fixture) {
	t.Helper()
	s := tn.s
	fx["task"] = itoa(s.IDs("Tasks")[0])
	roles := map[string]int64{}
	for _, id := range s.IDs("Roles") {
		rec, _ := s.Record("Roles", id)
		roles[rec["name"].(string)] = id
	}
	fx["deskrole"] = itoa(roles["Service Desk Technician"])
	fx["pmdesk"] = fx["deskrole"]
	fx["pmdept"] = itoa(roles["Project Manager"])
	fx["unheld"] = itoa(roles["Senior Engineer"])
	fx["retired"] = itoa(roles["Helpdesk (retired)"])
	for _, id := range s.IDs("Resources") {
		if rec, _ := s.Record("Resources", id); rec["title"] == "Project Manager" {
			fx["pm"] = itoa(id)
		}
	}
	for _, k := range []string{"deskrole", "pmdept", "unheld", "retired", "pm"} {
		require.NotEqual(t, "0", fx[k], "fixture %s", k)
		require.NotEmpty(t, fx[k], "fixture %s", k)
	}
	tn.before = mustRecord(t, s, "Tickets", fx["open"])
}

// entry is a time-entry body on the open ticket by the API user, with fields replaced or, given
// as "-", left out.
func entry(kv ...string) string {
	fields := map[string]string{
		"ticketID": "{open}", "resourceID": "{apiuser}", "roleID": "{deskrole}", "summaryNotes": `"Rebooted the print server"`,
		"startDateTime": `"2026-11-20T09:00:00Z"`, "endDateTime": `"2026-11-20T10:30:00Z"`,
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "-" {
			delete(fields, kv[i])
		} else {
			fields[kv[i]] = kv[i+1]
		}
	}
	body := "{"
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		if len(body) > 1 {
			body += ","
		}
		body += `"` + k + `":` + fields[k]
	}
	return body + "}"
}

// refused is a row whose only check is the API's one error text.
func refused(name, source, body, want string) fidelityCase {
	return fidelityCase{
		name: name, source: source, setup: timeFixture,
		method: "POST", path: api + "TimeEntries", body: body, status: 500,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.Equal(t, []string{want}, errorsOf(t, r))
		},
	}
}

const (
	srcRoles     = "reported: \"TimeEntries for Tickets must have a roleID\" and \"Role does not exist or is invalid\" (WYRE-AI/autotask-mcp#298)"
	srcLive      = "API: the time-entry conditions integrators report from live tenants, worded as reported"
	srcPlausible = "sandbox only: the API refuses it, but its wording was not found in any report; this one is plausible"
)

func timeEntryCases() []fidelityCase {
	return []fidelityCase{{
		name: "a ticket time entry with a window gets its hours, date and type", source: "spec POST /V1.0/TimeEntries; API: hoursWorked follows the window",
		setup: timeFixture, method: "POST", path: api + "TimeEntries", body: entry(), status: 200,
		check: func(t *testing.T, tn *tenant, fx fixture, r response) {
			te := mustRecord(t, tn.s, "TimeEntries", itoa(num(t, r.json(t)["itemId"])))
			assert.Equal(t, 1.5, te["hoursWorked"])
			assert.Equal(t, 1.5, te["hoursToBill"])
			assert.Equal(t, "2026-11-20T00:00:00", te["dateWorked"])
			assert.Equal(t, int64(2), te["timeEntryType"], "2: a ticket's time")
			assert.Equal(t, tn.before["contractID"], te["contractID"], "the ticket's contract")
			assert.NotEqual(t, tn.before["lastActivityDate"], mustRecord(t, tn.s, "Tickets", fx["open"])["lastActivityDate"],
				"time logged on a ticket is activity on it")
		},
	}, {
		name: "hours and a date without a window", source: srcLive,
		setup: timeFixture, method: "POST", path: api + "TimeEntries",
		body: entry("startDateTime", "-", "endDateTime", "-", "hoursWorked", "0.75", "dateWorked", `"2026-11-20"`), status: 200,
		check: func(t *testing.T, tn *tenant, _ fixture, r response) {
			te := mustRecord(t, tn.s, "TimeEntries", itoa(num(t, r.json(t)["itemId"])))
			assert.Equal(t, 0.75, te["hoursWorked"])
			assert.Nil(t, te["startDateTime"])
		},
	}, {
		name: "a ticket's work type is the entry's when it names none", source: "API: a time entry without billingCodeID takes its ticket's work type",
		setup: func(t *testing.T, tn *tenant, fx fixture) {
			timeFixture(t, tn, fx)
			fx["worktype"] = itoa(tn.s.IDs("BillingCodes")[1])
			open, err := strconv.ParseInt(fx["open"], 10, 64)
			require.NoError(t, err)
			require.NoError(t, tn.s.Modify("Tickets", open, map[string]any{"billingCodeID": fx["worktype"]}))
		},
		method: "POST", path: api + "TimeEntries", body: entry(), status: 200,
		check: func(t *testing.T, tn *tenant, fx fixture, r response) {
			te := mustRecord(t, tn.s, "TimeEntries", itoa(num(t, r.json(t)["itemId"])))
			assert.Equal(t, fx["worktype"], itoa(te["billingCodeID"].(int64)))
		},
	}, {
		name: "a task time entry takes one of the resource's department roles", source: "API: a task's time is billed at a department role of its resource; timeEntryType 6",
		setup: timeFixture, method: "POST", path: api + "TimeEntries",
		body: entry("ticketID", "-", "taskID", "{task}", "resourceID", "{pm}", "roleID", "{pmdept}"), status: 200,
		check: func(t *testing.T, tn *tenant, fx fixture, r response) {
			te := mustRecord(t, tn.s, "TimeEntries", itoa(num(t, r.json(t)["itemId"])))
			assert.Equal(t, int64(6), te["timeEntryType"])
			task := mustRecord(t, tn.s, "Tasks", fx["task"])
			assert.Equal(t, task["billingCodeID"], te["billingCodeID"], "the task's work type")
		},
	},
		refused("resourceID is required", srcLive, entry("resourceID", "-"), "Value does not exist for the required field resourceID."),
		refused("a ticket and a task at once", "API: only one of ticketID, taskID and internalBillingCodeID; the API's own misspelling",
			entry("taskID", "{task}"), "Only one of ticketID,taskID and InternallAllocationCodeID can be used at once"),
		refused("neither a ticket nor a task nor an allocation code", srcPlausible, entry("ticketID", "-"),
			"A time entry must have one of ticketID, taskID or internalBillingCodeID."),
		refused("no hours and no window", srcLive, entry("startDateTime", "-", "endDateTime", "-", "dateWorked", `"2026-11-20"`),
			"Must have at least one of hoursWorked or startDateTime/endDateTime"),
		refused("hours that are not the window's", srcPlausible, entry("hoursWorked", "2"),
			"hoursWorked must be the time between startDateTime and endDateTime."),
		refused("a window that ends before it starts", srcLive, entry("endDateTime", `"2026-11-20T08:00:00Z"`),
			"hoursWorked greater than 24 hours or less than zero hours"),
		refused("more than a day", srcLive, entry("startDateTime", "-", "endDateTime", "-", "hoursWorked", "25", "dateWorked", `"2026-11-20"`),
			"hoursWorked greater than 24 hours or less than zero hours"),
		refused("half a window", srcPlausible, entry("endDateTime", "-", "hoursWorked", "1"),
			"startDateTime and endDateTime must be given together."),
		refused("no date without a start", srcLive, entry("startDateTime", "-", "endDateTime", "-", "hoursWorked", "1"),
			"dateWorked is required when no value is supplied for startDateTime"),
		refused("a blank summary", srcLive, entry("summaryNotes", `"  "`), "TimeEntry.summaryNotes can not be blank."),
		refused("a ticket's time without a role", srcRoles, entry("roleID", "-"), "TimeEntries for Tickets must have a roleID"),
		refused("a task's time without a role", srcPlausible, entry("ticketID", "-", "taskID", "{task}", "roleID", "-"), "TimeEntries for Tasks must have a roleID"),
		refused("a role that does not exist", srcRoles, entry("roleID", "987654"), "Role does not exist or is invalid"),
		refused("an inactive role", srcRoles, entry("roleID", "{retired}"), "Role does not exist or is invalid"),
		refused("a role the resource does not hold", srcLive, entry("roleID", "{unheld}"),
			"The specified AssignedResourceID and AssignedRoleID combination is not currently defined"),
		refused("a ticket's time at a department role that is no service-desk role", srcLive, entry("resourceID", "{pm}", "roleID", "{pmdept}"),
			"The specified AssignedResourceID and AssignedRoleID combination is not currently defined"),
		refused("a task's time at a service-desk role that is no department role", srcLive,
			entry("ticketID", "-", "taskID", "{task}", "resourceID", "{pm}", "roleID", "{pmdesk}"),
			"The specified AssignedResourceID and AssignedRoleID combination is not currently defined"),
		refused("a task that does not exist", "API: \"This taskID does not reference a valid Task\"",
			entry("ticketID", "-", "taskID", "987654"), "This taskID does not reference a valid Task"),
		{
			name: "an update is held to the same rules", source: srcPlausible,
			setup: timeFixture, method: "PATCH", path: api + "TimeEntries", body: `{"id":{timeentry},"hoursWorked":30}`, status: 500,
			check: func(t *testing.T, _ *tenant, _ fixture, r response) {
				assert.NotEmpty(t, errorsOf(t, r))
			},
		},
	}
}

// The seeded time entries keep the rules: each is on a ticket, by a resource holding its role.
func TestSeededTimeEntriesKeepTheRules(t *testing.T) {
	s := sandbox.New(smallTenant)
	for _, id := range s.IDs("TimeEntries") {
		te, _ := s.Record("TimeEntries", id)
		require.NoError(t, s.Modify("TimeEntries", id, map[string]any{"summaryNotes": te["summaryNotes"].(string) + "."}),
			"a seeded entry passes the rules an update is checked against")
	}
}
