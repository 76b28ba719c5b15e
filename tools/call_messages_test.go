package tools

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/autotask-mcp/autotask-mcp/guard"
)

// describeValue is the one way a message shows a value: one wording for nothing, text quoted and
// sanitised, numbers and booleans as they are, lists and objects as JSON, everything bounded.
func TestDescribeValue(t *testing.T) {
	long := strings.Repeat("x", 100)
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"null", nil, "(empty)"},
		{"empty text", "", "(empty)"},
		{"blank text", " \t ", "(empty)"},
		{"only invisible characters", "\u200b\u200b", "(empty)"},
		{"empty list", []any{}, "(empty)"},
		{"empty object", map[string]any{}, "(empty)"},
		{"text is quoted", "Printer on fire", `"Printer on fire"`},
		{"quotes inside text are escaped", `say "hi"`, `"say \"hi\""`},
		{"record text is sanitised", "New <b>bold</b>\u202e", `"New bold"`},
		{"a picklist value as shown", "High (1)", `"High (1)"`},
		{"long text is cut", long, `"` + strings.Repeat("x", echoRunes) + `… [+40 chars]"`},
		{"a number from JSON", json.Number("29682890"), "29682890"},
		{"a decimal", json.Number("2.5"), "2.5"},
		{"a Go number", int64(7), "7"},
		{"a float", 1.5, "1.5"},
		{"true", true, "true"},
		{"false", false, "false"},
		{"a list", []any{"a", json.Number("1")}, `["a",1]`},
		{"an object", map[string]any{"name": "Site", "value": "<i>HQ</i>"}, `{"name":"Site","value":"HQ"}`},
		{"a long object is cut", map[string]any{"k": long}, `{"k":"` + strings.Repeat("x", echoRunes-6) + `… [+48 chars]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, describeValue(tt.v))
		})
	}
}

// guard words the values of a conflict in its own error text (it must not import this package);
// the words must be the ones describeValue uses.
func TestGuardWordsValuesAsDescribeValue(t *testing.T) {
	for _, v := range []any{nil, "", "  ", "Printer on fire", `say "hi"`, json.Number("8"), true, []any{}, map[string]any{}, []any{"a"}, map[string]any{"k": "v"}} {
		err := &guard.ConflictError{Entity: "Tickets", ID: 1, Changed: []guard.FieldChange{{Field: "f", Before: v, After: nil}}}
		assert.Contains(t, err.Error(), "f: "+describeValue(v)+" → "+describeValue(nil), "value %#v", v)
	}
}
