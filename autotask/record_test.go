package autotask_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
)

func decodeRecord(t *testing.T, s string) autotask.Record {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var r autotask.Record
	require.NoError(t, dec.Decode(&r))
	return r
}

func TestRecordAccessors(t *testing.T) {
	r := decodeRecord(t, `{"id": 9007199254740993, "status": 5, "priority": "2", "ratio": 1.5, "title": "Printer",
		"isActive": true, "dueDateTime": null,
		"userDefinedFields": [{"name": "Customer Ref", "value": "A-1"}, {"name": "Empty", "value": null}]}`)
	assert.Equal(t, int64(9007199254740993), r.ID(), "ids beyond float64 precision survive")
	tests := []struct {
		field  string
		want   int64
		wantOK bool
	}{
		{"status", 5, true},
		{"STATUS", 5, true},
		{"priority", 2, true},
		{"ratio", 0, false},
		{"title", 0, false},
		{"dueDateTime", 0, false},
		{"missing", 0, false},
	}
	for _, tt := range tests {
		got, ok := r.Int(tt.field)
		assert.Equal(t, tt.wantOK, ok, tt.field)
		assert.Equal(t, tt.want, got, tt.field)
	}
	assert.Equal(t, "Printer", r.String("title"))
	assert.Equal(t, "5", r.String("status"))
	assert.Equal(t, "true", r.String("isActive"))
	assert.Equal(t, "", r.String("dueDateTime"))
	assert.Equal(t, []autotask.UDF{{Name: "Customer Ref", Value: "A-1"}, {Name: "Empty", Value: nil}}, r.UDFs())
	assert.Equal(t, int64(0), autotask.Record{}.ID())
}

func TestRecordCloneIsDeep(t *testing.T) {
	r := decodeRecord(t, `{"id": 1, "nested": {"a": [1, {"b": 2}]}, "userDefinedFields": [{"name": "X", "value": "1"}]}`)
	c := r.Clone()
	c["id"] = json.Number("2")
	c["nested"].(map[string]any)["a"].([]any)[1].(map[string]any)["b"] = "changed"
	c["userDefinedFields"].([]any)[0].(map[string]any)["value"] = "changed"
	assert.Equal(t, int64(1), r.ID())
	assert.Equal(t, json.Number("2"), r["nested"].(map[string]any)["a"].([]any)[1].(map[string]any)["b"])
	assert.Equal(t, "1", r.UDFs()[0].Value)
	assert.Nil(t, autotask.Record(nil).Clone())
}

func TestWithChanges(t *testing.T) {
	fresh := decodeRecord(t, `{"id": 7, "status": 1, "title": "Old", "queueID": 8,
		"userDefinedFields": [{"name": "Customer Ref", "value": "A-1"}, {"name": "Other", "value": "keep"}]}`)
	got := fresh.WithChanges(autotask.Changes{
		Fields: map[string]any{"STATUS": 5, "resolution": "Fixed"},
		UDFs:   map[string]any{"customer ref": "B-2", "New One": "n"},
	})
	assert.Equal(t, 5, got["status"], "the record's own spelling of the field is kept")
	assert.NotContains(t, got, "STATUS")
	assert.Equal(t, "Fixed", got["resolution"])
	assert.Equal(t, "Old", got["title"])
	assert.Equal(t, json.Number("8"), got["queueID"])
	assert.Equal(t, []autotask.UDF{{Name: "Customer Ref", Value: "B-2"}, {Name: "Other", Value: "keep"}, {Name: "New One", Value: "n"}}, got.UDFs())
	// fresh is untouched
	assert.Equal(t, json.Number("1"), fresh["status"])
	assert.Equal(t, "A-1", fresh.UDFs()[0].Value)
	assert.NotContains(t, fresh, "resolution")
}
