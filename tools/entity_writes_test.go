package tools_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

// entityCase is one entity create_entity and update_entity are tested on: where it is created, its
// required fields only (the sandbox enforces them, autotask/sandbox/fieldrules.go), and a change.
type entityCase struct {
	entity   string // as the assistant names it
	stored   string // the sandbox's entity name
	parent   string // "" for a create at the entity's own URL
	fields   func(f seeded) map[string]any
	change   map[string]any
	conflict map[string]any // a concurrent change made directly on the sandbox
	required string         // a required field of fields with no tenant default
	readOnly map[string]any // a read-only field of the entity, with a value to try to write
	udfs     bool           // the entity has user-defined fields (one more metadata request)
}

// seeded are ids of the sandbox's seed that the cases refer to.
type seeded struct{ company, resource, project, contract, task, ticket, quote int64 }

func seedIDs(sb *sandbox.Sandbox) seeded {
	first := func(entity string) int64 {
		for _, id := range sb.IDs(entity) {
			if id > 0 { // company 0 is the tenant's own
				return id
			}
		}
		return 0
	}
	return seeded{company: first("Companies"), resource: first("Resources"), project: first("Projects"), contract: first("Contracts"),
		task: first("Tasks"), ticket: first("Tickets"), quote: first("Quotes")}
}

func (c entityCase) parentID(f seeded) int64 {
	return map[string]int64{"": 0, "Companies": f.company, "Projects": f.project, "Contracts": f.contract,
		"Tasks": f.task, "Tickets": f.ticket, "Quotes": f.quote}[c.parent]
}

// parentRefField is the field by which a record names the parent it is written under.
var parentRefField = map[string]string{"Companies": "companyID", "Projects": "projectID", "Contracts": "contractID",
	"Tasks": "taskID", "Tickets": "ticketID", "Quotes": "quoteID"}

const (
	day1 = "2026-12-01T09:00:00Z"
	day2 = "2026-12-01T10:00:00Z"
)

var entityCases = []entityCase{
	{entity: "Companies", stored: "Companies", udfs: true,
		fields: func(f seeded) map[string]any {
			return map[string]any{"companyName": "Fabrikam Labs", "companyType": "Prospect", "phone": "555-0142", "ownerResourceID": f.resource}
		},
		change: map[string]any{"phone": "555-0143"}, conflict: map[string]any{"address1": "1 Changed Street"},
		required: "companyName", readOnly: map[string]any{"surveyCompanyRating": 5}},
	{entity: "Contacts", stored: "Contacts", parent: "Companies", udfs: true,
		fields: func(seeded) map[string]any {
			return map[string]any{"firstName": "Ada", "lastName": "Lovelace", "isActive": 1}
		},
		change: map[string]any{"title": "CTO"}, conflict: map[string]any{"mobilePhone": "555-0199"},
		required: "lastName", readOnly: map[string]any{"apiVendorID": 1}},
	{entity: "CompanyNotes", stored: "CompanyNotes", parent: "Companies",
		fields: func(f seeded) map[string]any {
			return map[string]any{"assignedResourceID": f.resource, "startDateTime": day1, "endDateTime": day2}
		},
		change: map[string]any{"note": "Called back, fixed."}, conflict: map[string]any{"name": "Changed elsewhere"},
		required: "assignedResourceID", readOnly: map[string]any{"completedDateTime": day2}},
	{entity: "ConfigurationItems", stored: "ConfigurationItems", udfs: true,
		fields: func(f seeded) map[string]any {
			return map[string]any{"companyID": f.company, "configurationItemType": "Workstation", "isActive": true, "referenceTitle": "WS-0042"}
		},
		change: map[string]any{"referenceTitle": "WS-0043"}, conflict: map[string]any{"serialNumber": "SN-CHANGED"},
		required: "referenceTitle", readOnly: map[string]any{"apiVendorID": 1}},
	{entity: "Projects", stored: "Projects", udfs: true,
		fields: func(f seeded) map[string]any {
			return map[string]any{"projectName": "Office move", "companyID": f.company, "status": "New", "projectType": "Client",
				"startDateTime": day1, "endDateTime": "2027-01-29T17:00:00Z"}
		},
		change: map[string]any{"description": "Two floors, 40 seats."}, conflict: map[string]any{"projectName": "Changed elsewhere"},
		required: "startDateTime", readOnly: map[string]any{"actualHours": 12}},
	{entity: "Tasks", stored: "Tasks", parent: "Projects", udfs: true,
		fields: func(seeded) map[string]any {
			return map[string]any{"title": "Migrate mailboxes", "status": "New", "taskType": "Fixed Work"}
		},
		change: map[string]any{"title": "Migrate mailboxes (phase 2)"}, conflict: map[string]any{"description": "Changed elsewhere"},
		required: "title", readOnly: map[string]any{"taskNumber": "TK1"}},
	{entity: "TaskNotes", stored: "TaskNotes", parent: "Tasks",
		fields: func(seeded) map[string]any {
			return map[string]any{"title": "Cut-over", "description": "Mailboxes move Saturday.", "noteType": "Task Detail", "publish": "Internal Only"}
		},
		change: map[string]any{"description": "Mailboxes move Sunday."}, conflict: map[string]any{"title": "Changed elsewhere"},
		required: "description", readOnly: map[string]any{"createdByContactID": 1}},
	{entity: "TicketChecklistItems", stored: "TicketChecklistItems", parent: "Tickets",
		fields: func(seeded) map[string]any {
			return map[string]any{"itemName": "Back up the old disk", "isCompleted": false}
		},
		change: map[string]any{"itemName": "Back up the old disk twice"}, conflict: map[string]any{"isImportant": true},
		required: "itemName", readOnly: map[string]any{"completedDateTime": day2}},
	{entity: "ToDos", stored: "CompanyToDos", parent: "Companies",
		fields: func(f seeded) map[string]any {
			return map[string]any{"assignedToResourceID": f.resource, "startDateTime": day1, "endDateTime": day2}
		},
		change: map[string]any{"activityDescription": "Bring the new laptop"}, conflict: map[string]any{"endDateTime": "2026-12-02T10:00:00Z"},
		required: "assignedToResourceID", readOnly: map[string]any{"completedDate": day2}},
	{entity: "ProjectNotes", stored: "ProjectNotes", parent: "Projects",
		fields: func(seeded) map[string]any {
			return map[string]any{"title": "Kick-off", "description": "Scope agreed."}
		},
		change: map[string]any{"description": "Scope agreed; budget pending."}, conflict: map[string]any{"title": "Changed elsewhere"},
		required: "title", readOnly: map[string]any{"createdByContactID": 1}},
	{entity: "Opportunities", stored: "Opportunities", udfs: true,
		fields: func(f seeded) map[string]any {
			return map[string]any{"title": "Firewall refresh", "companyID": f.company, "ownerResourceID": f.resource,
				"projectedCloseDate": "2027-01-15T00:00:00Z", "probability": 40, "amount": 12000, "cost": 8000, "useQuoteTotals": false}
		},
		change: map[string]any{"probability": 60}, conflict: map[string]any{"title": "Changed elsewhere"},
		required: "amount", readOnly: map[string]any{"totalAmountMonths": 12}},
	{entity: "Quotes", stored: "Quotes",
		fields: func(f seeded) map[string]any {
			return map[string]any{"name": "Firewall refresh", "companyID": f.company, "effectiveDate": day1, "expirationDate": "2026-12-31T00:00:00Z"}
		},
		change: map[string]any{"description": "Two firewalls, three years of support."}, conflict: map[string]any{"comment": "Changed elsewhere"},
		required: "expirationDate", readOnly: map[string]any{"quoteNumber": "Q9999"}},
	{entity: "QuoteItems", stored: "QuoteItems", parent: "Quotes",
		fields: func(seeded) map[string]any {
			return map[string]any{"quoteItemType": "Labor", "quantity": 8, "isOptional": false, "unitDiscount": 0, "lineDiscount": 0, "percentageDiscount": 0}
		},
		change: map[string]any{"quantity": 10}, conflict: map[string]any{"description": "Changed elsewhere"},
		required: "quantity", readOnly: map[string]any{"markupRate": 0.2}},
	{entity: "Appointments", stored: "Appointments",
		fields: func(f seeded) map[string]any {
			return map[string]any{"title": "On-site visit", "resourceID": f.resource, "startDateTime": day1, "endDateTime": day2}
		},
		change: map[string]any{"title": "On-site visit (moved)"}, conflict: map[string]any{"description": "Changed elsewhere"},
		required: "resourceID", readOnly: map[string]any{"createDateTime": day1}},
	{entity: "ServiceCalls", stored: "ServiceCalls",
		fields: func(f seeded) map[string]any {
			return map[string]any{"companyID": f.company, "startDateTime": day1, "endDateTime": day2}
		},
		change: map[string]any{"description": "Replace the switch in the server room."}, conflict: map[string]any{"isComplete": 1},
		required: "endDateTime", readOnly: map[string]any{"canceledDateTime": day2}},
	{entity: "ExpenseReports", stored: "ExpenseReports",
		fields: func(f seeded) map[string]any {
			return map[string]any{"name": "Site visit, Tacoma", "submitterID": f.resource, "weekEnding": "2026-12-05T00:00:00Z"}
		},
		change: map[string]any{"name": "Site visits, Tacoma and Everett"}, conflict: map[string]any{"departmentNumber": "D-7"},
		required: "submitterID", readOnly: map[string]any{"amountDue": 80}},
	{entity: "ContractNotes", stored: "ContractNotes", parent: "Contracts",
		fields: func(seeded) map[string]any {
			return map[string]any{"title": "Renewal", "description": "Renews in January."}
		},
		change: map[string]any{"title": "Renewal agreed"}, conflict: map[string]any{"description": "Changed elsewhere"},
		required: "description", readOnly: map[string]any{"createDateTime": day1}},
}

// caseOf is the table's row for an entity.
func caseOf(t *testing.T, entity string) entityCase {
	t.Helper()
	for _, c := range entityCases {
		if c.entity == entity {
			return c
		}
	}
	t.Fatalf("no entity case %s", entity)
	return entityCase{}
}

// createArgs is the create_entity call of a case, confirmed with token when one is given.
func (c entityCase) createArgs(f seeded, token string) map[string]any {
	a := args("entity", c.entity, "fields", c.fields(f))
	if c.parent != "" {
		a["parent"], a["parent_id"] = c.parent, c.parentID(f)
	}
	if token != "" {
		a["confirm"] = token
	}
	return a
}

// createThroughTool creates the case's record with a token confirmation, checking that the first
// call writes nothing, and returns its id and the body the dry run said would be sent.
func createThroughTool(t *testing.T, env *testenv.Env, c entityCase, f seeded) (int64, map[string]any) {
	t.Helper()
	if c.parent != "" {
		ok(t, env.Call(t, "get_entity", args("entity", c.parent, "id", c.parentID(f))))
	}
	dry := c.createArgs(f, "")
	dry["dry_run"] = true
	plan := ok(t, env.Call(t, "create_entity", dry))
	reqs, _ := plan["requests"].([]any)
	require.Len(t, reqs, 1)
	body := reqs[0].(map[string]any)["body"].(map[string]any)

	before := env.Sandbox.Count(c.stored)
	tok := tokenOf(t, env.Call(t, "create_entity", c.createArgs(f, "")))
	require.Equal(t, before, env.Sandbox.Count(c.stored), "a create without confirmation writes nothing")
	out := ok(t, env.Call(t, "create_entity", c.createArgs(f, tok)))
	require.Equal(t, "applied", out["outcome"], testenv.Text(env.Call(t, "get_entity", args("entity", c.stored, "id", 1))))
	id := asInt(t, out["record_id"])
	require.Equal(t, before+1, env.Sandbox.Count(c.stored))
	return id, body
}

func TestEntityWritesCreateAndUpdate(t *testing.T) {
	for _, c := range entityCases {
		t.Run(c.entity, func(t *testing.T) {
			env := writeEnv(t, nil, guard.Options{})
			f := seedIDs(env.Sandbox)
			id, body := createThroughTool(t, env, c, f)
			created, found := env.Sandbox.Record(c.stored, id)
			require.True(t, found)
			for field, want := range body {
				assert.True(t, sameStored(want, created[field]), "%s: sent %v, the record holds %v", field, want, created[field])
			}

			// The create's read-back counts as the read: the update needs no other.
			before, _ := env.Sandbox.Record(c.stored, id)
			upd := args("entity", c.entity, "id", id, "changes", c.change)
			if c.entity == "ToDos" {
				upd["entity"] = c.stored
			}
			// A PATCH carries the id and the changed fields only (and, through a parent's route,
			// the reference to the parent): nothing it does not mean to write.
			plan := ok(t, env.Call(t, "update_entity", merge(maps.Clone(upd), "dry_run", true)))
			reqs, _ := plan["requests"].([]any)
			require.Len(t, reqs, 1)
			sent := reqs[0].(map[string]any)
			assert.Equal(t, "PATCH", sent["method"])
			for k := range sent["body"].(map[string]any) {
				_, changed := c.change[k]
				assert.True(t, changed || k == "id" || k == parentRefField[c.parent],
					"the PATCH carries %s, which the update did not name", k)
			}
			tok := tokenOf(t, env.Call(t, "update_entity", upd))
			unchanged, _ := env.Sandbox.Record(c.stored, id)
			require.Equal(t, before, unchanged, "an update without confirmation writes nothing")
			upd["confirm"] = tok
			out := ok(t, env.Call(t, "update_entity", upd))
			require.Equal(t, "applied", out["outcome"])
			after, _ := env.Sandbox.Record(c.stored, id)
			assertOnlyChanged(t, before, after, c.change)
		})
	}
}

func TestEntityWritesRefused(t *testing.T) {
	for _, c := range entityCases {
		t.Run(c.entity, func(t *testing.T) {
			audit := &testenv.Buffer{}
			env := writeEnv(t, nil, guard.Options{Audit: audit})
			f := seedIDs(env.Sandbox)
			id, _ := createThroughTool(t, env, c, f)
			entity := c.stored
			upd := args("entity", entity, "id", id, "changes", c.change)
			writes := env.Sandbox.Stats().Writes

			// Another session has not read the record: refused, and shown the record.
			other := env.NewSession(t)
			lines := len(auditLines(t, audit))
			res := testenv.CallOn(t, other, "update_entity", upd, nil)
			failed(t, res, "had not read", "nothing was written")
			audited := auditLines(t, audit)
			require.Len(t, audited, lines+1, "one audit line for the refused write")
			assert.Equal(t, guard.OutcomeRefused, audited[lines]["outcome"])
			assert.EqualValues(t, id, audited[lines]["id"])
			if c.parent != "" {
				cr := c.createArgs(f, "")
				failed(t, testenv.CallOn(t, other, "create_entity", cr, nil), "had not read", "nothing was written")
			}
			require.Equal(t, writes, env.Sandbox.Stats().Writes, "a write without a read writes nothing")

			// Someone else changes the record after this session read it.
			require.NoError(t, env.Sandbox.Modify(entity, id, c.conflict))
			before, _ := env.Sandbox.Record(entity, id)
			writes = env.Sandbox.Stats().Writes
			failed(t, env.Call(t, "update_entity", upd), "changed since", "nothing was written")
			after, _ := env.Sandbox.Record(entity, id)
			require.Equal(t, before, after, "a write after a concurrent change writes nothing")
			require.Equal(t, writes, env.Sandbox.Stats().Writes)
		})
	}
}

// TestEntityWritesElicitation: a person asked directly decides; declining writes nothing.
func TestEntityWritesElicitation(t *testing.T) {
	for _, action := range []mcp.ElicitationResponseAction{mcp.ElicitationResponseActionAccept, mcp.ElicitationResponseActionDecline} {
		t.Run(string(action), func(t *testing.T) {
			e := &elicitor{action: action}
			env := writeEnv(t, e, guard.Options{})
			f := seedIDs(env.Sandbox)
			c := caseOf(t, "Contacts")
			ok(t, env.Call(t, "get_entity", args("entity", "Companies", "id", f.company)))
			before := env.Sandbox.Count("Contacts")
			out := ok(t, env.Call(t, "create_entity", c.createArgs(f, "")))
			require.Len(t, e.questions(), 1)
			assert.Contains(t, e.questions()[0], "firstName: \"Ada\"", "the person sees the exact values")
			if action == mcp.ElicitationResponseActionAccept {
				require.Equal(t, "applied", out["outcome"])
				require.Equal(t, before+1, env.Sandbox.Count("Contacts"))
				return
			}
			require.Equal(t, "declined", out["outcome"])
			require.Equal(t, before, env.Sandbox.Count("Contacts"))
		})
	}
}

func TestEntityWritesRefusedBeforeAnyRequest(t *testing.T) {
	env := writeEnv(t, nil, guard.Options{})
	f := seedIDs(env.Sandbox)
	ci := caseOf(t, "ConfigurationItems")
	cases := []struct {
		name      string
		tool      string
		args      map[string]any
		fragments []string
	}{
		{"unknown field", "create_entity", args("entity", "ConfigurationItems", "fields", merge(ci.fields(f), "referenceTitel", "x")), []string{"referenceTitel", "did you mean", "referenceTitle"}},
		{"read-only field", "create_entity", args("entity", "ConfigurationItems", "fields", merge(ci.fields(f), "apiVendorID", 1)), []string{"apiVendorID", "read-only"}},
		{"missing required", "create_entity", args("entity", "ConfigurationItems", "fields", map[string]any{"companyID": f.company}), []string{"missing required", "referenceTitle", "isActive"}},
		{"tickets have their own tool", "create_entity", args("entity", "Tickets", "fields", map[string]any{"title": "x"}), []string{"create_ticket"}},
		{"time entries have their own tool", "update_entity", args("entity", "TimeEntries", "id", 1, "changes", map[string]any{"summaryNotes": "x"}), []string{"log_time"}},
		{"ticket notes have their own tool", "create_entity", args("entity", "TicketNotes", "fields", map[string]any{"title": "x"}), []string{"add_ticket_note"}},
		{"child needs its parent", "create_entity", args("entity", "Contacts", "fields", map[string]any{"firstName": "A"}), []string{"parent Companies"}},
		{"unknown update field", "update_entity", args("entity", "Contacts", "id", 1, "changes", map[string]any{"fristName": "A"}), []string{"fristName", "firstName"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if e, _ := tc.args["entity"].(string); e != "" {
				// The tenant's metadata, cached once: what the check is made against.
				env.Call(t, "describe_fields", args("entity", e))
			}
			requests := env.Sandbox.Stats().Requests
			failed(t, env.Call(t, tc.tool, tc.args), tc.fragments...)
			assert.Equal(t, requests, env.Sandbox.Stats().Requests, "refused before any request")
		})
	}
}

// assertOnlyChanged compares the whole record before and after an update: the changed fields hold
// their new values, the API's own stamps may move, and nothing else did.
func assertOnlyChanged(t *testing.T, before, after, change map[string]any) {
	t.Helper()
	volatile := map[string]bool{}
	for _, f := range guard.VolatileFields {
		volatile[strings.ToLower(f)] = true
	}
	for k := range change {
		assert.True(t, sameStored(change[k], after[k]), "%s: want %v, holds %v", k, change[k], after[k])
	}
	for k, v := range before {
		if _, changed := change[k]; changed || volatile[strings.ToLower(k)] {
			continue
		}
		assert.Equal(t, v, after[k], "%s changed, but the update did not name it", k)
	}
	for k := range after {
		if _, was := before[k]; !was {
			_, changed := change[k]
			assert.True(t, changed || volatile[strings.ToLower(k)], "%s appeared, but the update did not name it", k)
		}
	}
}

// sameStored says whether a value the tool sent (JSON) is what the sandbox holds (Go types, times
// as time.Time or strings).
func sameStored(sent, held any) bool {
	if s, ok := sent.(string); ok {
		if ts, err := time.Parse(time.RFC3339, s); err == nil {
			switch h := held.(type) {
			case time.Time:
				return ts.Equal(h)
			case string:
				for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
					if th, err := time.Parse(layout, h); err == nil {
						return ts.Equal(th) || ts.Format("2006-01-02") == th.Format("2006-01-02") && layout == "2006-01-02"
					}
				}
			}
		}
	}
	return fmt.Sprint(num(sent)) == fmt.Sprint(num(held))
}

func num(v any) any {
	switch n := v.(type) {
	case json.Number:
		f, _ := n.Float64()
		return f
	case int:
		return float64(n)
	case int64:
		return float64(n)
	case float64:
		return n
	}
	return v
}

// TestEntityWritesCheckReferenceNames: a reference given as "Name (id)" is written only when the
// name is that record's, as on ticket writes, so a value pieced together from the wrong row is
// refused instead of written.
func TestEntityWritesCheckReferenceNames(t *testing.T) {
	env := writeEnv(t, nil, guard.Options{})
	f := seedIDs(env.Sandbox)
	ci := caseOf(t, "ConfigurationItems")
	id, _ := createThroughTool(t, env, ci, f)
	company, found := env.Sandbox.Record("Companies", f.company)
	require.True(t, found)
	wrong := fmt.Sprintf("Not %s (%d)", company["companyName"], f.company)
	cases := []struct {
		name string
		tool string
		args map[string]any
	}{
		{"create_entity", "create_entity", args("entity", ci.entity, "fields", merge(ci.fields(f), "companyID", wrong))},
		{"update_entity", "update_entity", args("entity", ci.entity, "id", id, "changes", map[string]any{"companyID": wrong})},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			writes := env.Sandbox.Stats().Writes
			failed(t, env.Call(t, tc.tool, tc.args), fmt.Sprintf("Companies %d is %q, not %q", f.company, company["companyName"], "Not "+company["companyName"].(string)))
			assert.Equal(t, writes, env.Sandbox.Stats().Writes, "nothing written")
		})
	}
}
