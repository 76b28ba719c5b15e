package guard

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A conflict's text words each value the way the tools' messages do: nothing as (empty), text
// quoted, anything else as JSON.
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
