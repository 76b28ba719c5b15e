package autotask

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Record is one entity record exactly as the API returned it. Numbers are
// json.Number (the client decodes with UseNumber) so that ids and amounts survive a
// round trip through a PUT without float rounding.
type Record map[string]any

// UDF is one user-defined field value; the API sends values as strings.
type UDF struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

// lookup finds a field by exact name, then case-insensitively, because the API
// treats property names case-insensitively while callers may not spell them as it does.
func (r Record) lookup(field string) (string, any, bool) {
	if v, ok := r[field]; ok {
		return field, v, true
	}
	for k, v := range r {
		if strings.EqualFold(k, field) {
			return k, v, true
		}
	}
	return "", nil, false
}

// ID returns the record's id, or 0 when it has none.
func (r Record) ID() int64 {
	id, _ := r.Int("id")
	return id
}

// Int returns an integer field; false when it is absent, null or not integral.
func (r Record) Int(field string) (int64, bool) {
	_, v, ok := r.lookup(field)
	if !ok {
		return 0, false
	}
	return toInt64(v)
}

func toInt64(v any) (int64, bool) {
	switch n := v.(type) {
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return i, true
		}
		f, err := n.Float64()
		if err != nil {
			return 0, false
		}
		return floatToInt(f)
	case float64:
		return floatToInt(n)
	case float32:
		return floatToInt(float64(n))
	case int:
		return int64(n), true
	case int64:
		return n, true
	case int32:
		return int64(n), true
	case uint32:
		return int64(n), true
	case string:
		s := strings.TrimSpace(n)
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i, true
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return floatToInt(f)
		}
	}
	return 0, false
}

func floatToInt(f float64) (int64, bool) {
	if f != math.Trunc(f) || math.IsInf(f, 0) || math.IsNaN(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

// String returns a field as text: "" when absent or null.
func (r Record) String(field string) string {
	_, v, ok := r.lookup(field)
	if !ok {
		return ""
	}
	return valueString(v)
}

func valueString(v any) string {
	switch s := v.(type) {
	case nil:
		return ""
	case string:
		return s
	case json.Number:
		return s.String()
	case bool:
		return strconv.FormatBool(s)
	default:
		return fmt.Sprint(s)
	}
}

// Clone returns a deep copy, so that a caller may change it without touching a
// record someone else (a cache, the guard's ledger) still holds.
func (r Record) Clone() Record {
	if r == nil {
		return nil
	}
	return cloneValue(map[string]any(r)).(map[string]any)
}

func cloneValue(v any) any {
	switch t := v.(type) {
	case Record:
		return Record(cloneValue(map[string]any(t)).(map[string]any))
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = cloneValue(x)
		}
		return m
	case []any:
		s := make([]any, len(t))
		for i, x := range t {
			s[i] = cloneValue(x)
		}
		return s
	case []UDF:
		return append([]UDF(nil), t...)
	case []Record:
		s := make([]Record, len(t))
		for i, x := range t {
			s[i] = x.Clone()
		}
		return s
	default:
		return v
	}
}

// UDFs returns the record's user-defined fields in the order the API sent them.
func (r Record) UDFs() []UDF {
	_, v, ok := r.lookup("userDefinedFields")
	if !ok {
		return nil
	}
	switch list := v.(type) {
	case []UDF:
		return append([]UDF(nil), list...)
	case []any:
		out := make([]UDF, 0, len(list))
		for _, item := range list {
			switch u := item.(type) {
			case map[string]any:
				rec := Record(u)
				_, val, _ := rec.lookup("value")
				out = append(out, UDF{Name: rec.String("name"), Value: val})
			case UDF:
				out = append(out, u)
			}
		}
		return out
	case []map[string]any:
		out := make([]UDF, 0, len(list))
		for _, u := range list {
			rec := Record(u)
			_, val, _ := rec.lookup("value")
			out = append(out, UDF{Name: rec.String("name"), Value: val})
		}
		return out
	}
	return nil
}
