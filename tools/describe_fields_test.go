package tools_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
)

func fieldsOf(t *testing.T, out map[string]any, key string) map[string]map[string]any {
	t.Helper()
	list, _ := out[key].([]any)
	m := map[string]map[string]any{}
	for _, f := range list {
		fm := f.(map[string]any)
		m[fm["name"].(string)] = fm
	}
	return m
}

func TestDescribeFields(t *testing.T) {
	env := newEnv(t)
	tests := []struct {
		name  string
		args  map[string]any
		check func(t *testing.T, out map[string]any)
	}{
		{"catalog", args(), func(t *testing.T, out map[string]any) {
			entities := out["entities"].(map[string]any)
			assert.Len(t, entities, len(autotask.Entities()))
			assert.Equal(t, "qgcu", entities["Tickets"])
			assert.Equal(t, "qg", entities["TicketNotes"], "notes are created through their ticket, not at the top level")
			assert.NotEmpty(t, out["legend"])
		}},
		{"entity", args("entity", "tickets"), func(t *testing.T, out map[string]any) {
			assert.Equal(t, "Tickets", out["entity"])
			fields := fieldsOf(t, out, "fields")
			status := fields["status"]
			require.NotNil(t, status)
			assert.Equal(t, true, status["picklist"])
			assert.Equal(t, true, status["required"])
			assert.NotContains(t, status, "values", "values only on request")
			assert.Equal(t, "Companies", fields["companyID"]["references"])
			assert.Equal(t, true, fields["ticketNumber"]["read_only"])
			assert.NotEmpty(t, fieldsOf(t, out, "udfs"))
		}},
		{"entity with picklists", args("entity", "Tickets", "include_picklists", true), func(t *testing.T, out map[string]any) {
			fields := fieldsOf(t, out, "fields")
			values := fields["status"]["values"].([]any)
			assert.NotEmpty(t, values)
			labels := map[any]any{}
			for _, v := range values {
				labels[v.(map[string]any)["label"]] = v.(map[string]any)["id"]
			}
			assert.Equal(t, "10", labels["In Progress"])
			sub := fields["subIssueType"]
			assert.Equal(t, "issueType", sub["picklist_parent"])
			assert.LessOrEqual(t, len(sub["values"].([]any)), 25, "long picklists are cut")
			assert.GreaterOrEqual(t, asInt(t, sub["picklist_size"]), int64(len(sub["values"].([]any))), "and say how long they are")
		}},
		{"one field with every value", args("entity", "Tickets", "field", "SubIssueType"), func(t *testing.T, out map[string]any) {
			fields := fieldsOf(t, out, "fields")
			require.Len(t, fields, 1)
			sub := fields["subIssueType"]
			assert.Len(t, sub["values"].([]any), int(asInt(t, sub["picklist_size"])))
			first := sub["values"].([]any)[0].(map[string]any)
			assert.NotEmpty(t, first["parent"], "dependent values name their parent")
		}},
		{"one udf", args("entity", "Tickets", "field", "customer impact"), func(t *testing.T, out map[string]any) {
			udfs := fieldsOf(t, out, "udfs")
			require.Len(t, udfs, 1)
			for _, u := range udfs {
				assert.NotEmpty(t, u["values"])
			}
		}},
		{"child entity names its parent route", args("entity", "TicketNotes"), func(t *testing.T, out map[string]any) {
			assert.Contains(t, out["parents"], "Tickets/{id}/Notes (query, get, create, update)")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, ok(t, env.Call(t, "describe_fields", tt.args)))
		})
	}
}

func TestDescribeFieldsErrors(t *testing.T) {
	env := newEnv(t)
	tests := []struct {
		name      string
		args      map[string]any
		fragments []string
	}{
		{"unknown entity", args("entity", "Compnies"), []string{`unknown entity "Compnies"`, `"Companies"`}},
		{"unknown field", args("entity", "Tickets", "field", "priorty"), []string{`no field "priorty"`, `"priority"`}},
		{"field without entity", args("field", "status"), []string{"need an entity"}},
		{"include_picklists wrong type", args("entity", "Tickets", "include_picklists", "yes"), []string{`"include_picklists" must be true or false`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			failed(t, env.Call(t, "describe_fields", tt.args), tt.fragments...)
		})
	}
}
