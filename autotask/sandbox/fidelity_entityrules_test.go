package sandbox_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// entityRuleCase is one entity whose required and read-only fields the sandbox enforces: a create
// with its valid body succeeds, the same body without any one required field is refused naming it,
// and a read-only field in the body is ignored, as the API does.
type entityRuleCase struct {
	entity   string
	path     string // where it is created, {placeholders} from ruleIDs
	body     map[string]any
	required []string // the entity's required fields a body must carry (a child route sets its parent's)
	readOnly map[string]any
}

// ruleIDs are seeded records the rule cases refer to.
func ruleIDs(t *testing.T, s *sandbox.Sandbox) map[string]string {
	t.Helper()
	ids := map[string]string{}
	for key, entity := range map[string]string{"company": "Companies", "resource": "Resources", "task": "Tasks", "ticket": "Tickets", "quote": "Quotes"} {
		all := s.IDs(entity)
		require.GreaterOrEqual(t, len(all), 2, "the seed has %s", entity)
		ids[key] = itoa(all[1])
	}
	return ids
}

var entityRuleCases = []entityRuleCase{
	{entity: "Companies", path: "Companies",
		body:     map[string]any{"companyName": "Fabrikam Labs", "companyType": 3, "phone": "555-0142", "ownerResourceID": "{resource}"},
		required: []string{"companyName", "companyType", "phone", "ownerResourceID"}, readOnly: map[string]any{"surveyCompanyRating": 5}},
	{entity: "Projects", path: "Projects",
		body: map[string]any{"projectName": "Office move", "companyID": "{company}", "status": 1, "projectType": 4,
			"startDateTime": "2026-12-01T09:00:00Z", "endDateTime": "2027-01-29T17:00:00Z"},
		required: []string{"projectName", "companyID", "status", "projectType", "startDateTime", "endDateTime"}, readOnly: map[string]any{"actualHours": 12}},
	{entity: "TaskNotes", path: "Tasks/{task}/Notes",
		body:     map[string]any{"title": "Cut-over", "description": "Mailboxes move Saturday.", "noteType": 2, "publish": 1},
		required: []string{"title", "description", "noteType", "publish"}, readOnly: map[string]any{"createdByContactID": 7}},
	{entity: "TicketChecklistItems", path: "Tickets/{ticket}/ChecklistItems",
		body:     map[string]any{"itemName": "Back up the old disk", "isCompleted": false},
		required: []string{"itemName", "isCompleted"}, readOnly: map[string]any{"completedDateTime": "2026-12-01T10:00:00Z"}},
	{entity: "Quotes", path: "Quotes",
		body:     map[string]any{"name": "Firewall refresh", "companyID": "{company}", "effectiveDate": "2026-12-01T00:00:00Z", "expirationDate": "2026-12-31T00:00:00Z"},
		required: []string{"name", "companyID", "effectiveDate", "expirationDate"}, readOnly: map[string]any{"quoteNumber": "Q9999"}},
	{entity: "QuoteItems", path: "Quotes/{quote}/Items",
		body:     map[string]any{"quoteItemType": 3, "quantity": 8, "isOptional": false, "unitDiscount": 0, "lineDiscount": 0, "percentageDiscount": 0},
		required: []string{"quoteItemType", "quantity", "isOptional", "unitDiscount", "lineDiscount", "percentageDiscount"}, readOnly: map[string]any{"markupRate": 0.2}},
	{entity: "ServiceCalls", path: "ServiceCalls",
		body:     map[string]any{"companyID": "{company}", "startDateTime": "2026-12-01T09:00:00Z", "endDateTime": "2026-12-01T10:00:00Z"},
		required: []string{"companyID", "startDateTime", "endDateTime"}, readOnly: map[string]any{"canceledDateTime": "2026-12-01T10:00:00Z"}},
	{entity: "ExpenseReports", path: "ExpenseReports",
		body:     map[string]any{"name": "Site visit, Tacoma", "submitterID": "{resource}", "weekEnding": "2026-12-05"},
		required: []string{"name", "submitterID", "weekEnding"}, readOnly: map[string]any{"amountDue": 80}},
}

func TestEntityRulesEnforced(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	ids := ruleIDs(t, tn.s)
	fill := func(s string) string {
		for k, v := range ids {
			s = strings.ReplaceAll(s, "{"+k+"}", v)
		}
		return s
	}
	encode := func(body map[string]any) string {
		raw, err := json.Marshal(body)
		require.NoError(t, err)
		return fill(string(raw))
	}
	for _, c := range entityRuleCases {
		t.Run(c.entity, func(t *testing.T) {
			// The tenant's metadata says what the sandbox enforces.
			fields := map[string]map[string]any{}
			for _, f := range tn.get(t, api+c.entity+"/entityInformation/fields").json(t)["fields"].([]any) {
				fd := f.(map[string]any)
				fields[fd["name"].(string)] = fd
			}
			var required []string
			for name, fd := range fields {
				if fd["isRequired"] == true {
					required = append(required, name)
				}
			}
			parentRef := map[string]string{"TaskNotes": "taskID", "TicketChecklistItems": "ticketID", "QuoteItems": "quoteID"}[c.entity]
			want := slices.Clone(c.required)
			if parentRef != "" {
				want = append(want, parentRef)
			}
			assert.ElementsMatch(t, want, required, "required fields of %s", c.entity)

			path := api + fill(c.path)
			for _, missing := range c.required {
				body := maps.Clone(c.body)
				delete(body, missing)
				r := tn.post(t, path, encode(body))
				require.Equal(t, http.StatusInternalServerError, r.status, "without %s: %s", missing, r.raw)
				assert.Contains(t, errorsOf(t, r), fmt.Sprintf("Value does not exist for the required field %s.", missing))
			}
			for name, v := range c.readOnly {
				assert.Equal(t, true, fields[name]["isReadOnly"], "%s.%s is read-only", c.entity, name)
				r := tn.post(t, path, encode(merged(c.body, name, v)))
				require.Equal(t, http.StatusOK, r.status, "a read-only field is ignored, not refused: %s", r.raw)
				rec, found := tn.s.Record(c.entity, num(t, r.json(t)["itemId"]))
				require.True(t, found)
				assert.NotEqual(t, fmt.Sprint(v), fmt.Sprint(rec[name]), "%s.%s was written", c.entity, name)
			}
		})
	}
}

func merged(m map[string]any, k string, v any) map[string]any {
	out := maps.Clone(m)
	out[k] = v
	return out
}

// TestPutOnlyOption: an entity the tenant updates only by PUT answers PATCH with a 405 that offers
// PUT, at its own URL and through its parent's route; PUT still changes it, and other entities keep
// PATCH.
func TestPutOnlyOption(t *testing.T) {
	tn := newTenant(t, sandbox.Options{PutOnly: []string{"configurationitems", "Tasks"}})
	ci := tn.s.IDs("ConfigurationItems")[0]
	task := tn.s.IDs("Tasks")[0]
	rec, _ := tn.s.Record("Tasks", task)
	project := rec["projectID"].(int64)

	for _, path := range []string{api + "ConfigurationItems", api + "Projects/" + itoa(project) + "/Tasks"} {
		id := ci
		if strings.Contains(path, "Tasks") {
			id = task
		}
		r := tn.do(t, http.MethodPatch, path, fmt.Sprintf(`{"id":%d,"description":"patched"}`, id), nil)
		assert.Equal(t, http.StatusMethodNotAllowed, r.status, "PATCH %s: %s", path, r.raw)
		assert.Contains(t, r.header.Get("Allow"), http.MethodPut, path)
		assert.NotContains(t, r.header.Get("Allow"), http.MethodPatch, path)
	}
	before, _ := tn.s.Record("ConfigurationItems", ci)
	assert.Equal(t, before, mustRecord(t, tn.s, "ConfigurationItems", itoa(ci)), "the refused PATCH changed nothing")

	whole := maps.Clone(before)
	whole["serialNumber"] = "SN-PUT"
	delete(whole, "userDefinedFields")
	raw, err := json.Marshal(whole)
	require.NoError(t, err)
	r := tn.do(t, http.MethodPut, api+"ConfigurationItems", string(raw), nil)
	require.Equal(t, http.StatusOK, r.status, "%s", r.raw)
	assert.Equal(t, "SN-PUT", mustRecord(t, tn.s, "ConfigurationItems", itoa(ci))["serialNumber"])

	company := tn.s.IDs("Companies")[1]
	r = tn.do(t, http.MethodPatch, api+"Companies", fmt.Sprintf(`{"id":%d,"phone":"555-0101"}`, company), nil)
	assert.Equal(t, http.StatusOK, r.status, "other entities keep PATCH: %s", r.raw)
}
