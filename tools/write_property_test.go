package tools_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

// propertyTickets is how many sandbox tickets the property test writes to.
const propertyTickets = 300

// apiSetFields are the fields the API sets by itself on a write: the guard's list of them.
func apiSetFields() map[string]bool {
	set := map[string]bool{}
	for _, f := range guard.VolatileFields {
		set[f] = true
	}
	return set
}

// updateVariant is one kind of update_ticket call; it returns the changes and the fields (and
// "udfs.<name>") they mean to change.
type updateVariant func(i int, rec map[string]any) (changes map[string]any, intended []string)

var updateVariants = []updateVariant{
	func(_ int, rec map[string]any) (map[string]any, []string) {
		labels := map[int64]string{1: "High", 2: "Medium", 3: "Low", 4: "Critical"}
		next := rec["priority"].(int64)%4 + 1
		return args("priority", labels[next]), []string{"priority"}
	},
	func(i int, _ map[string]any) (map[string]any, []string) {
		return args("title", fmt.Sprintf("Renamed %d", i), "udfs", args("Root Cause", fmt.Sprintf("cause %d", i))),
			[]string{"title", "udfs.Root Cause"}
	},
	func(_ int, rec map[string]any) (map[string]any, []string) {
		status := "Waiting Customer"
		if rec["status"] == int64(statusWaiting) {
			status = "In Progress"
		}
		return args("status", status, "dueDateTime", "2027-03-01T09:30:00Z"), []string{"status", "dueDateTime"}
	},
	func(_ int, rec map[string]any) (map[string]any, []string) {
		impact := "department" // a label in other case: matched to the value "Department"
		if udfMap(rec)["Customer Impact"] == "Department" {
			impact = "Whole Site"
		}
		return args("queueID", "Triage", "estimatedHours", 2.5, "Customer Impact", impact),
			[]string{"queueID", "estimatedHours", "udfs.Customer Impact"}
	},
}

// The property: after resolve_ticket and update_ticket, every field other than the intended
// ones and the ones the API sets itself is exactly as it was, on every ticket tried.
func TestWritesChangeOnlyIntendedFields(t *testing.T) {
	person := &elicitor{action: mcp.ElicitationResponseActionAccept}
	env := writeEnv(t, person, guard.Options{})
	ids := env.Sandbox.IDs("Tickets")
	require.GreaterOrEqual(t, len(ids), propertyTickets)
	timed := ticketsWithTime(env.Sandbox)
	apiSet := apiSetFields()

	for i, id := range ids[:propertyTickets] {
		before := ticketRecord(t, env.Sandbox, id)
		readFirst(t, env.MCP, id)
		var res *mcp.CallToolResult
		var intended []string
		if i%2 == 0 {
			call := args("ticket_id", id, "resolution", fmt.Sprintf("Resolution %d", i))
			if i%4 == 0 {
				call["note"] = fmt.Sprintf("Resolved, %d", i)
			}
			res = env.Call(t, "resolve_ticket", call)
			intended = []string{"resolution", "status"}
		} else {
			var changes map[string]any
			changes, intended = updateVariants[(i/2)%len(updateVariants)](i, before)
			res = env.Call(t, "update_ticket", args("ticket_id", id, "changes", changes))
		}
		if !assert.False(t, res.IsError, "ticket %d: %s", id, testenv.Text(res)) {
			continue
		}
		assert.Equal(t, "applied", testenv.Structured(t, res)["outcome"], "ticket %d: every call here changes something", id)
		after := ticketRecord(t, env.Sandbox, id)
		assertOnlyIntendedChanged(t, id, before, after, intended, apiSet)
		if i%2 == 0 {
			wantStatus := before["status"]
			if timed[id] == 0 {
				wantStatus = int64(statusComplete)
			}
			assert.Equal(t, wantStatus, after["status"], "ticket %d (%d time entries): Complete only without time entries", id, timed[id])
		}
	}
}

func assertOnlyIntendedChanged(t *testing.T, id int64, before, after map[string]any, intended []string, apiSet map[string]bool) {
	t.Helper()
	skip := map[string]bool{}
	for _, f := range intended {
		skip[f] = true
	}
	for k := range mergedKeys(before, after) {
		if skip[k] || apiSet[k] || k == "userDefinedFields" {
			continue
		}
		assert.Equal(t, before[k], after[k], "ticket %d: field %s changed", id, k)
	}
	beforeUDF, afterUDF := udfMap(before), udfMap(after)
	for name := range mergedKeys(beforeUDF, afterUDF) {
		if skip["udfs."+name] {
			continue
		}
		assert.Equal(t, beforeUDF[name], afterUDF[name], "ticket %d: user-defined field %s changed", id, name)
	}
	for _, f := range intended {
		if name, isUDF := strings.CutPrefix(f, "udfs."); isUDF {
			assert.NotEqual(t, beforeUDF[name], afterUDF[name], "ticket %d: %s was meant to change", id, f)
		}
	}
}

func mergedKeys[V any](a, b map[string]V) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

func udfMap(rec map[string]any) map[string]any {
	out := map[string]any{}
	list, _ := rec["userDefinedFields"].([]any)
	for _, item := range list {
		m := item.(map[string]any)
		out[m["name"].(string)] = m["value"]
	}
	return out
}
