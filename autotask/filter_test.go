package autotask_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
)

func TestFilterBuildersEncodeAsTheAPIExpects(t *testing.T) {
	tests := []struct {
		name string
		f    autotask.Filter
		want string
	}{
		{"eq", autotask.Eq("status", 5), `{"op":"eq","field":"status","value":5}`},
		{"eq zero is kept", autotask.Eq("priority", 0), `{"op":"eq","field":"priority","value":0}`},
		{"eq false is kept", autotask.Eq("isActive", false), `{"op":"eq","field":"isActive","value":false}`},
		{"noteq", autotask.NotEq("status", 5), `{"op":"noteq","field":"status","value":5}`},
		{"gt", autotask.Gt("id", 100), `{"op":"gt","field":"id","value":100}`},
		{"gte", autotask.Gte("id", 100), `{"op":"gte","field":"id","value":100}`},
		{"lt", autotask.Lt("id", 100), `{"op":"lt","field":"id","value":100}`},
		{"lte", autotask.Lte("id", 100), `{"op":"lte","field":"id","value":100}`},
		{"beginsWith", autotask.BeginsWith("title", "Print"), `{"op":"beginsWith","field":"title","value":"Print"}`},
		{"endsWith", autotask.EndsWith("title", "down"), `{"op":"endsWith","field":"title","value":"down"}`},
		{"contains", autotask.Contains("title", "server"), `{"op":"contains","field":"title","value":"server"}`},
		{"exist", autotask.Exist("dueDateTime"), `{"op":"exist","field":"dueDateTime"}`},
		{"notExist", autotask.NotExist("dueDateTime"), `{"op":"notExist","field":"dueDateTime"}`},
		{"in", autotask.In("status", 1, 5, 8), `{"op":"in","field":"status","value":[1,5,8]}`},
		{"notIn", autotask.NotIn("status", 5), `{"op":"notIn","field":"status","value":[5]}`},
		{"udf", autotask.Contains("Customer Ref", "X").AsUDF(), `{"op":"contains","field":"Customer Ref","value":"X","udf":true}`},
		{"match all", autotask.MatchAll(), `{"op":"exist","field":"id"}`},
		{
			"nested groups",
			autotask.Or(autotask.And(autotask.Eq("status", 1), autotask.Gt("priority", 2)), autotask.Eq("queueID", 8)),
			`{"op":"or","items":[{"op":"and","items":[{"op":"eq","field":"status","value":1},{"op":"gt","field":"priority","value":2}]},{"op":"eq","field":"queueID","value":8}]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.f)
			require.NoError(t, err)
			assert.JSONEq(t, tt.want, string(got))
			require.NoError(t, autotask.ValidateFilters([]autotask.Filter{tt.f}))
		})
	}
	assert.Len(t, autotask.ComparisonOps, 13)
}

func TestParseOp(t *testing.T) {
	for _, op := range append(append([]autotask.Op(nil), autotask.ComparisonOps...), autotask.OpAnd, autotask.OpOr) {
		got, err := autotask.ParseOp(string(op))
		require.NoError(t, err)
		assert.Equal(t, op, got)
	}
	got, err := autotask.ParseOp("BEGINSWITH")
	require.NoError(t, err)
	assert.Equal(t, autotask.OpBeginsWith, got)

	_, err = autotask.ParseOp("beginswit")
	require.ErrorIs(t, err, autotask.ErrValidation)
	assert.Contains(t, err.Error(), `"beginsWith"`)

	_, err = autotask.ParseOp("like")
	require.ErrorIs(t, err, autotask.ErrValidation)
}

func TestValidateFiltersRefuses(t *testing.T) {
	tests := []struct {
		name    string
		fs      []autotask.Filter
		wantMsg string
	}{
		{"unknown op (the API would ignore it and return everything)", []autotask.Filter{{Op: "like", Field: "title", Value: "x"}}, "unknown filter operator"},
		{"unknown op nested", []autotask.Filter{autotask.And(autotask.Eq("id", 1), autotask.Filter{Op: "equals", Field: "id", Value: 1})}, "items[1]"},
		{"second UDF filter", []autotask.Filter{autotask.Eq("A", "1").AsUDF(), autotask.Eq("B", "2").AsUDF()}, "only one"},
		{"second UDF filter in a group", []autotask.Filter{autotask.Eq("A", "1").AsUDF(), autotask.Or(autotask.Eq("id", 1), autotask.Eq("B", "2").AsUDF())}, "only one"},
		{"missing field", []autotask.Filter{{Op: autotask.OpEq, Value: 1}}, "needs a field"},
		{"missing value", []autotask.Filter{{Op: autotask.OpEq, Field: "id"}}, "needs a value"},
		{"in without list", []autotask.Filter{{Op: autotask.OpIn, Field: "id", Value: 3}}, "list"},
		{"eq with list", []autotask.Filter{{Op: autotask.OpEq, Field: "id", Value: []int{3}}}, "not a list"},
		{"empty group", []autotask.Filter{autotask.And()}, "at least one"},
		{"group with field", []autotask.Filter{{Op: autotask.OpOr, Field: "id", Items: []autotask.Filter{autotask.Eq("id", 1)}}}, "not a field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := autotask.ValidateFilters(tt.fs)
			require.ErrorIs(t, err, autotask.ErrValidation)
			assert.Contains(t, err.Error(), tt.wantMsg)
		})
	}
	require.NoError(t, autotask.ValidateFilters([]autotask.Filter{autotask.Eq("A", "1").AsUDF(), autotask.Eq("status", 1)}))
	require.NoError(t, autotask.ValidateFilters([]autotask.Filter{{Op: "EQ", Field: "id", Value: 1}}))
}
