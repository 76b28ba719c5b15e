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
		name: "TicketNote claims canCreate although only the child route creates", source: "the ticket contract: entityInformation says TicketNote is creatable; only POST Tickets/{id}/Notes creates",
		method: "GET", path: api + "TicketNotes/entityInformation", status: 200,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.Equal(t, true, r.json(t)["info"].(map[string]any)["canCreate"])
		},
	}, {
		name: "status picklist has both Complete (5) and Completed (8)", source: "the ticket contract: status ids differ per tenant; 5 Complete stamps the dates, 8 Completed does not",
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
			assert.Equal(t, int64(32000), num(t, fieldNamed(t, r, "resolution")["length"]), "the ticket contract: resolution holds at most 32000 characters")
			pv := fieldNamed(t, r, "priority")["picklistValues"].([]any)[0].(map[string]any)
			assert.ElementsMatch(t, []string{"value", "label", "isDefaultValue", "sortOrder", "parentValue", "isActive", "isSystem"}, keys(pv))
		},
	}, {
		name: "subIssueType is a child picklist of issueType", source: "spec FieldInformationModel picklistParentValueField: sub-issue types belong to an issue type",
		method: "GET", path: api + "Tickets/entityInformation/fields", status: 200,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			sub := fieldNamed(t, r, "subIssueType")
			assert.Equal(t, "issueType", sub["picklistParentValueField"])
			for _, v := range sub["picklistValues"].([]any) {
				assert.NotEmpty(t, v.(map[string]any)["parentValue"])
			}
		},
	}, {
		name: "TicketNote noteType and publish default to internal", source: "sandbox only: the seeded picklists make a note written without a choice internal, so it reaches no customer",
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
		name: "records carry UDF values, some null", source: "spec UserDefinedField {name, value}; API: a record lists every UDF, an unset one with value null",
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
