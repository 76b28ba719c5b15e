package sandbox

import (
	"fmt"
	"strings"
	"time"
)

// filterNode is one filter condition as the API takes it in JSON. encoding/json matches the
// property names case-insensitively, as the API does.
type filterNode struct {
	Op    string       `json:"op"`
	Field string       `json:"field"`
	Value any          `json:"value"`
	UDF   bool         `json:"udf"`
	Items []filterNode `json:"items"`
}

// predicate reports whether a record matches.
type predicate func(*record) bool

func matchAll(*record) bool { return true }

// queryError is a 500 the API answers for a bad query, with its own wording.
type queryError struct{ msg string }

func (e *queryError) Error() string { return e.msg }

func queryErrorf(format string, args ...any) error {
	return &queryError{msg: fmt.Sprintf(format, args...)}
}

// compileFilter turns the top-level filter array (an implicit "and") into a predicate.
// An unknown operator drops its condition, as the real API silently does.
func compileFilter(m *entityMeta, nodes []filterNode) (predicate, error) {
	if countUDF(nodes) > 1 {
		return nil, queryErrorf("Only one user-defined field filter is allowed per query.")
	}
	p, _, err := compileGroup(m, "and", nodes)
	return p, err
}

func countUDF(nodes []filterNode) int {
	n := 0
	for _, f := range nodes {
		if f.UDF {
			n++
		}
		n += countUDF(f.Items)
	}
	return n
}

func compileGroup(m *entityMeta, op string, nodes []filterNode) (predicate, bool, error) {
	var parts []predicate
	for _, n := range nodes {
		p, kept, err := compileNode(m, n)
		if err != nil {
			return nil, false, err
		}
		if kept {
			parts = append(parts, p)
		}
	}
	switch {
	case len(parts) == 0:
		return matchAll, false, nil
	case len(parts) == 1:
		return parts[0], true, nil
	case op == "or":
		return func(r *record) bool {
			for _, p := range parts {
				if p(r) {
					return true
				}
			}
			return false
		}, true, nil
	default:
		return func(r *record) bool {
			for _, p := range parts {
				if !p(r) {
					return false
				}
			}
			return true
		}, true, nil
	}
}

// compileNode compiles one condition; kept is false for a condition the API ignores.
func compileNode(m *entityMeta, n filterNode) (predicate, bool, error) {
	op := strings.ToLower(n.Op)
	switch op {
	case "and", "or":
		return compileGroup(m, op, n.Items)
	case "eq", "noteq", "gt", "gte", "lt", "lte", "beginswith", "endswith", "contains", "exist", "notexist", "in", "notin":
	default:
		return nil, false, nil
	}
	get, typ, err := fieldGetter(m, n)
	if err != nil {
		return nil, false, err
	}
	switch op {
	case "exist":
		return func(r *record) bool { return !isNull(get(r)) }, true, nil
	case "notexist":
		return func(r *record) bool { return isNull(get(r)) }, true, nil
	case "beginswith", "endswith", "contains":
		want, err := toString(n.Value)
		if err != nil || n.Value == nil {
			return nil, false, queryErrorf("Value for %s must be a string for the %s operator.", n.Field, n.Op)
		}
		want = strings.ToLower(want)
		test := map[string]func(string, string) bool{
			"beginswith": strings.HasPrefix, "endswith": strings.HasSuffix, "contains": strings.Contains,
		}[op]
		return func(r *record) bool {
			v := get(r)
			if isNull(v) {
				return false
			}
			s, _ := toString(plainValue("", v))
			return test(strings.ToLower(s), want)
		}, true, nil
	case "in", "notin":
		list, ok := n.Value.([]any)
		if !ok {
			return nil, false, queryErrorf("Value for %s must be an array for the %s operator.", n.Field, n.Op)
		}
		wants := make([]any, 0, len(list))
		for _, v := range list {
			w, err := coerceFilterValue(typ, n.Field, v)
			if err != nil {
				return nil, false, err
			}
			wants = append(wants, w)
		}
		in := op == "in"
		return func(r *record) bool {
			v := get(r)
			if isNull(v) {
				return false
			}
			for _, w := range wants {
				if c, ok := compareValues(v, w); ok && c == 0 {
					return in
				}
			}
			return !in
		}, true, nil
	}
	want, err := coerceFilterValue(typ, n.Field, n.Value)
	if err != nil {
		return nil, false, err
	}
	if want == nil { // eq null / noteq null
		if op == "noteq" {
			return func(r *record) bool { return !isNull(get(r)) }, true, nil
		}
		return func(r *record) bool { return isNull(get(r)) }, true, nil
	}
	test := map[string]func(int) bool{
		"eq": func(c int) bool { return c == 0 }, "noteq": func(c int) bool { return c != 0 },
		"gt": func(c int) bool { return c > 0 }, "gte": func(c int) bool { return c >= 0 },
		"lt": func(c int) bool { return c < 0 }, "lte": func(c int) bool { return c <= 0 },
	}[op]
	return func(r *record) bool {
		v := get(r)
		if isNull(v) {
			return false // SQL semantics: null is neither equal nor unequal to a value
		}
		c, ok := compareValues(v, want)
		return ok && test(c)
	}, true, nil
}

// fieldGetter resolves the filter's field (or UDF) to a value reader and its dataType.
func fieldGetter(m *entityMeta, n filterNode) (func(*record) any, string, error) {
	if n.UDF {
		d, ok := m.udf(n.Field)
		if !ok {
			return nil, "", unknownField(m, n.Field)
		}
		name := d.Name
		return func(r *record) any {
			v, ok := r.udf[name]
			if !ok {
				return nil
			}
			return v
		}, "string", nil // UDF values are strings on the wire and compare as such
	}
	f, ok := m.field(n.Field)
	if !ok {
		return nil, "", unknownField(m, n.Field)
	}
	name := f.Name
	return func(r *record) any { return r.f[name] }, f.DataType, nil
}

func unknownField(m *entityMeta, field string) error {
	return queryErrorf("Unable to find %s in the %s Entity.", field, m.model())
}

func coerceFilterValue(typ, field string, v any) (any, error) {
	c, err := coerce(typ, v)
	if err != nil {
		return nil, queryErrorf("Invalid value %s for field %s of type %s.", describe(v), field, typ)
	}
	if s, ok := c.(string); ok {
		return strings.ToLower(s), nil
	}
	return c, nil
}

func isNull(v any) bool {
	if v == nil {
		return true
	}
	s, ok := v.(string)
	return ok && s == ""
}

// compareValues orders a stored value against a filter value of the same type; strings
// compare case-insensitively, as Autotask's SQL collation does.
func compareValues(v, want any) (int, bool) {
	switch a := v.(type) {
	case int64:
		b, ok := want.(int64)
		return cmp3(a < b, a > b), ok
	case float64:
		b, ok := want.(float64)
		return cmp3(a < b, a > b), ok
	case bool:
		b, ok := want.(bool)
		return cmp3(!a && b, a && !b), ok
	case time.Time:
		b, ok := want.(time.Time)
		return a.Compare(b), ok
	case string:
		b, ok := want.(string)
		return strings.Compare(strings.ToLower(a), b), ok
	}
	return 0, false
}

func cmp3(less, greater bool) int {
	switch {
	case less:
		return -1
	case greater:
		return 1
	}
	return 0
}
