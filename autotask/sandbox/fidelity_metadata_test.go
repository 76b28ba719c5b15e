package sandbox_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func metadataCases() []fidelityCase {
	return []fidelityCase{{
		name: "entityInformation", source: "spec GET /V1.0/Tickets/entityInformation (EntityInformationModel)",
		method: "GET", path: api + "Tickets/entityInformation", status: 200,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			info := r.json(t)["info"].(map[string]any)
			assert.Equal(t, "Ticket", info["name"])
			assert.Equal(t, true, info["canCreate"])
			assert.Equal(t, false, info["canDelete"])
			assert.Equal(t, true, info["canQuery"])
			assert.Equal(t, true, info["canUpdate"])
			assert.Equal(t, true, info["hasUserDefinedFields"])
			assert.Contains(t, info, "supportsWebhookCallouts")
		},
	}, {
		name: "TicketNote claims canCreate although only the child route creates", source: "seed 003 §7",
		method: "GET", path: api + "TicketNotes/entityInformation", status: 200,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.Equal(t, true, r.json(t)["info"].(map[string]any)["canCreate"])
		},
	}, {
		name: "status picklist has both Complete (5) and Completed (8)", source: "seed 003 §3, §5",
		method: "GET", path: api + "Tickets/entityInformation/fields", status: 200,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			status := fieldNamed(t, r, "status")
			assert.Equal(t, "integer", status["dataType"])
			assert.Equal(t, true, status["isPickList"])
			assert.Equal(t, true, status["isRequired"])
			labels := picklistLabels(t, status)
			assert.Equal(t, "Complete", labels["5"])
			assert.Equal(t, "Completed", labels["8"])
			assert.Equal(t, "New", labels["1"])
		},
	}, {
		name: "field shape", source: "spec FieldInformationModel",
		method: "GET", path: api + "Tickets/entityInformation/fields", status: 200,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			f := fieldNamed(t, r, "companyID")
			assert.ElementsMatch(t, []string{"name", "dataType", "length", "isRequired", "isReadOnly", "isQueryable",
				"isReference", "referenceEntityType", "isPickList", "picklistValues", "picklistParentValueField",
				"isSupportedWebhookField"}, keys(f))
			assert.Equal(t, true, f["isReference"])
			assert.Equal(t, "Company", f["referenceEntityType"])
			assert.Nil(t, f["picklistValues"])
			assert.Equal(t, true, fieldNamed(t, r, "ticketNumber")["isReadOnly"])
			assert.Equal(t, int64(32000), num(t, fieldNamed(t, r, "resolution")["length"]), "seed 003 §8")
			pv := fieldNamed(t, r, "priority")["picklistValues"].([]any)[0].(map[string]any)
			assert.ElementsMatch(t, []string{"value", "label", "isDefaultValue", "sortOrder", "parentValue", "isActive", "isSystem"}, keys(pv))
		},
	}, {
		name: "subIssueType is a child picklist of issueType", source: "seed 001: child picklists",
		method: "GET", path: api + "Tickets/entityInformation/fields", status: 200,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			sub := fieldNamed(t, r, "subIssueType")
			assert.Equal(t, "issueType", sub["picklistParentValueField"])
			for _, v := range sub["picklistValues"].([]any) {
				assert.NotEmpty(t, v.(map[string]any)["parentValue"])
			}
		},
	}, {
		name: "TicketNote noteType and publish default to internal", source: "issue 3 item 5",
		method: "GET", path: api + "TicketNotes/entityInformation/fields", status: 200,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			for _, name := range []string{"noteType", "publish"} {
				var defaults []string
				for _, v := range fieldNamed(t, r, name)["picklistValues"].([]any) {
					if pv := v.(map[string]any); pv["isDefaultValue"] == true {
						defaults = append(defaults, pv["label"].(string))
					}
				}
				require.Len(t, defaults, 1, name)
				assert.Contains(t, defaults[0], "Internal", name)
			}
		},
	}, {
		name: "child route metadata is the child entity's", source: "spec GET /V1.0/Tickets/{parentId}/Notes/entityInformation/fields",
		method: "GET", path: api + "Tickets/{ticket}/Notes/entityInformation/fields", status: 200,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.Equal(t, true, fieldNamed(t, r, "publish")["isPickList"])
		},
	}, {
		name: "an unseeded entity's fields come from the spec", source: "spec definitions ActionTypeModel",
		method: "GET", path: api + "ActionTypes/entityInformation/fields", status: 200,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.Equal(t, "long", fieldNamed(t, r, "id")["dataType"])
			assert.NotEmpty(t, fieldNamed(t, r, "name"))
		},
	}, {
		name: "UDF definitions", source: "spec GET /V1.0/Tickets/entityInformation/userDefinedFields (Field model)",
		method: "GET", path: api + "Tickets/entityInformation/userDefinedFields", status: 200,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			f := fieldNamed(t, r, "Customer Impact")
			assert.Equal(t, "string", f["type"], "the UDF model names it type")
			assert.Equal(t, true, f["isPickList"])
			assert.Contains(t, f, "label")
		},
	}, {
		name: "records carry UDF values, some null", source: "DESIGN.md UDFs; issue 3 item 5",
		method: "POST", path: api + "Companies/query", body: `{"filter":[` + matchAll + `]}`, status: 200,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			set, null := 0, 0
			for _, it := range items(t, r) {
				for _, u := range it.(map[string]any)["userDefinedFields"].([]any) {
					if u.(map[string]any)["value"] == nil {
						null++
					} else {
						set++
					}
				}
			}
			assert.Positive(t, set)
			assert.Positive(t, null)
		},
	}}
}

func fieldNamed(t *testing.T, r response, name string) map[string]any {
	t.Helper()
	for _, f := range r.json(t)["fields"].([]any) {
		if m := f.(map[string]any); m["name"] == name {
			return m
		}
	}
	t.Fatalf("no field %s in %s", name, r.raw)
	return nil
}

func picklistLabels(t *testing.T, f map[string]any) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, v := range f["picklistValues"].([]any) {
		pv := v.(map[string]any)
		out[pv["value"].(string)] = pv["label"].(string)
	}
	return out
}
