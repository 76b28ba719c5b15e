package guard

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A conflict's text words each value as DescribeValue does: nothing as (empty), text quoted,
// anything else as JSON, record text sanitised.
func TestConflictErrorWordsValues(t *testing.T) {
	tests := []struct {
		name   string
		before any
		want   string
	}{
		{"null", nil, "f: (empty) → 1"},
		{"blank text", "  ", "f: (empty) → 1"},
		{"empty list", []any{}, "f: (empty) → 1"},
		{"empty object", map[string]any{}, "f: (empty) → 1"},
		{"text", `say "hi"`, `f: "say \"hi\"" → 1`},
		{"only invisible characters", "\u200b\u200b", "f: (empty) → 1"},
		{"record text is sanitised", "New <b>bold</b>\u202e", `f: "New bold" → 1`},
		{"markup in an object is sanitised", map[string]any{"value": "<i>HQ</i>"}, `f: {"value":"HQ"} → 1`},
		{"number", json.Number("2.5"), "f: 2.5 → 1"},
		{"boolean", false, "f: false → 1"},
		{"list", []any{"a", json.Number("1")}, `f: ["a",1] → 1`},
		{"object", map[string]any{"name": "Site", "value": "HQ"}, `f: {"name":"Site","value":"HQ"} → 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := &ConflictError{Entity: "Tickets", ID: 1, Changed: []FieldChange{{Field: "f", Before: tt.before, After: json.Number("1")}}}
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
