package tools

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/autotask-mcp/autotask-mcp/autotask"
)

// truncateRunes shortens s to n runes, saying how much was left out.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)
	return fmt.Sprintf("%s… [+%d chars]", strings.TrimSpace(string(runes[:n])), len(runes)-n)
}

// truncateField shortens a string field of a compact record in place.
func truncateField(item map[string]any, field string, n int) {
	if s, ok := item[field].(string); ok {
		item[field] = truncateRunes(s, n)
	}
}

// sortNewest orders records by a date field, newest first. The API's dates are ISO 8601 in UTC,
// so text order is time order; records without the date go last.
func sortNewest(records []autotask.Record, field string) {
	slices.SortStableFunc(records, func(a, b autotask.Record) int {
		return strings.Compare(b.String(field), a.String(field))
	})
}

// number reads a numeric field value.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	}
	return 0, false
}

func roundHours(h float64) float64 {
	return math.Round(h*100) / 100
}
