package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/autotask-mcp/autotask-mcp/autotask"
)

// filterArg is one item of query_entity's filter: a comparison {field, op, value, udf} or a group
// {op: "and"|"or", items}.
type filterArg struct {
	Field string      `json:"field,omitempty"`
	Op    string      `json:"op"`
	Value any         `json:"value,omitempty"`
	UDF   bool        `json:"udf,omitempty"`
	Items []filterArg `json:"items,omitempty"`
}

// schemaGroupDepth is how deep the advertised schema lets groups nest: the filter's items, and the
// comparisons of an and/or group among them. The schema must be finite (everything is inlined, some clients do not
// resolve $ref) and every level costs the assistant's context in tools/list; deeper nesting is
// still accepted by the handler up to maxGroupDepth.
const (
	schemaGroupDepth = 2
	maxGroupDepth    = 8
)

// JSONSchema gives the recursive filter a finite, inlined schema.
func (filterArg) JSONSchema() *jsonschema.Schema {
	return filterSchema(schemaGroupDepth, true)
}

func filterOpNames() []string {
	names := make([]string, 0, len(autotask.ComparisonOps)+2)
	for _, op := range autotask.ComparisonOps {
		names = append(names, string(op))
	}
	return append(names, string(autotask.OpAnd), string(autotask.OpOr))
}

func filterSchema(depth int, described bool) *jsonschema.Schema {
	// Nested levels repeat the shape without the prose, which the top level already gave.
	desc := func(s string) string {
		if described {
			return s
		}
		return ""
	}
	ops := make([]any, 0, 15)
	for _, n := range filterOpNames() {
		ops = append(ops, n)
	}
	props := jsonschema.NewProperties()
	props.Set("field", &jsonschema.Schema{Type: "string", Description: desc("Field name (describe_fields lists them); none for and/or.")})
	op := &jsonschema.Schema{Type: "string", Enum: ops, Description: "A comparison, or a group (and, or) of items."}
	if !described {
		op = &jsonschema.Schema{Type: "string"} // the values listed at the top level
	}
	props.Set("op", op)
	valueDesc := "As above."
	if described {
		valueDesc = "String, number or boolean; a list for in/notIn. Picklists take the label or id; references the id, the record's exact name or \"me\" (you). Dates ISO 8601."
	}
	// A value schema must not be empty: an empty schema serialises as a bare `true`, which some
	// clients cannot convert for their model.
	props.Set("value", &jsonschema.Schema{Description: valueDesc})
	props.Set("udf", &jsonschema.Schema{Type: "boolean", Description: desc("true for a user-defined field (one per query at most).")})
	if depth > 1 {
		props.Set("items", &jsonschema.Schema{Type: "array", Items: filterSchema(depth-1, false), Description: desc("Conditions of an and/or group.")})
	}
	return &jsonschema.Schema{
		Type:                 "object",
		Properties:           props,
		Required:             []string{"op"},
		AdditionalProperties: jsonschema.FalseSchema,
	}
}

// filterResolver checks filter arguments against an entity's metadata and turns them into the
// API's filter: canonical field names, picklist labels replaced by ids, names of referenced
// records replaced by their ids (read_filter_names.go). Everything is refused here, before the
// query is sent, because the real API answers an unknown field with a bare 500 and an unknown
// operator by silently matching everything.
type filterResolver struct {
	entity string
	md     *autotask.Metadata
	// client looks up the records a reference field names ("Contoso", "me"); nil refuses names.
	client *autotask.Client
}

func (r filterResolver) resolve(ctx context.Context, args []filterArg) ([]autotask.Filter, error) {
	out, err := r.resolveList(ctx, args, "filter", 0)
	if err != nil {
		return nil, err
	}
	if err := autotask.ValidateFilters(out); err != nil {
		return nil, badArgs("%s", strings.TrimPrefix(err.Error(), autotask.ErrValidation.Error()+": "))
	}
	return out, nil
}

func (r filterResolver) resolveList(ctx context.Context, args []filterArg, at string, depth int) ([]autotask.Filter, error) {
	out := make([]autotask.Filter, 0, len(args))
	for i, a := range args {
		f, err := r.resolveOne(ctx, a, fmt.Sprintf("%s[%d]", at, i), depth)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

func (r filterResolver) resolveOne(ctx context.Context, a filterArg, at string, depth int) (autotask.Filter, error) {
	op, err := parseOp(a.Op, at)
	if err != nil {
		return autotask.Filter{}, err
	}
	if op == autotask.OpAnd || op == autotask.OpOr {
		if depth >= maxGroupDepth {
			return autotask.Filter{}, badArgs("%s: groups nest more than %d deep; flatten the filter", at, maxGroupDepth)
		}
		if len(a.Items) == 0 {
			return autotask.Filter{}, badArgs("%s: an %q group needs items: [{field, op, value}, ...]", at, op)
		}
		if a.Field != "" || a.Value != nil {
			return autotask.Filter{}, badArgs("%s: an %q group takes only items, not field or value", at, op)
		}
		items, err := r.resolveList(ctx, a.Items, at+".items", depth+1)
		if err != nil {
			return autotask.Filter{}, err
		}
		return autotask.Filter{Op: op, Items: items}, nil
	}
	if len(a.Items) > 0 {
		return autotask.Filter{}, badArgs("%s: items belong to an and/or group; op %q compares one field", at, op)
	}
	if strings.TrimSpace(a.Field) == "" {
		return autotask.Filter{}, badArgs("%s: field is required for op %q", at, op)
	}
	f, err := r.field(a.Field, a.UDF, at)
	if err != nil {
		return autotask.Filter{}, err
	}
	value, err := r.value(ctx, op, f, a.UDF, a.Value, at)
	if err != nil {
		return autotask.Filter{}, err
	}
	return autotask.Filter{Op: op, Field: f.Name, Value: value, UDF: a.UDF}, nil
}

func parseOp(s, at string) (autotask.Op, error) {
	if s == "" {
		return "", badArgs("%s: op is required (one of %s)", at, strings.Join(filterOpNames(), ", "))
	}
	op, err := autotask.ParseOp(s)
	if err != nil {
		return "", badArgs("%s: unknown op %q%s Ops: %s", at, clip(s),
			didYouMean(autotask.Closest(s, filterOpNames(), 2)), strings.Join(filterOpNames(), ", "))
	}
	return op, nil
}

// field finds a field (or UDF) by name, case-insensitively, with a suggestion when it does not exist.
func (r filterResolver) field(name string, udf bool, at string) (autotask.Field, error) {
	name = strings.TrimSpace(name)
	if udf {
		if f, ok := r.md.UDF(name); ok {
			return f, nil
		}
		if _, ok := r.md.Field(name); ok {
			return autotask.Field{}, badArgs("%s: %q is a standard field of %s, not a user-defined one; drop \"udf\": true", at, clip(name), r.entity)
		}
		return autotask.Field{}, badArgs("%s: %s has no user-defined field %q%s", at, r.entity, clip(name), didYouMean(autotask.Closest(name, udfNames(r.md), 3)))
	}
	if f, ok := r.md.Field(name); ok {
		return f, nil
	}
	if _, ok := r.md.UDF(name); ok {
		return autotask.Field{}, badArgs("%s: %q is a user-defined field of %s; add \"udf\": true", at, clip(name), r.entity)
	}
	return autotask.Field{}, unknownFieldError(at, r.entity, name, r.md)
}

func unknownFieldError(at, entity, name string, md *autotask.Metadata) error {
	return badArgs("%s: %s has no field %q%s describe_fields with entity %q lists them all.",
		at, entity, clip(name), didYouMean(autotask.Closest(name, md.FieldNames(), 3)), entity)
}

func udfNames(md *autotask.Metadata) []string {
	names := make([]string, 0, len(md.UDFs))
	for _, u := range md.UDFs {
		names = append(names, u.Name)
	}
	return names
}

// value checks the value against the operator and swaps picklist labels and record names for ids.
func (r filterResolver) value(ctx context.Context, op autotask.Op, f autotask.Field, udf bool, v any, at string) (any, error) {
	switch op {
	case autotask.OpExist, autotask.OpNotExist:
		return nil, nil
	case autotask.OpIn, autotask.OpNotIn:
		list, ok := v.([]any)
		if !ok {
			if v == nil {
				return nil, badArgs("%s: op %q needs value: a list, e.g. [\"New\", \"In Progress\"]", at, op)
			}
			list = []any{v} // a single value is a list of one; no reason to make the assistant retry
		}
		if len(list) == 0 {
			return nil, badArgs("%s: op %q needs a non-empty list", at, op)
		}
		out := make([]any, 0, len(list))
		for j, item := range list {
			c, err := r.comparable(ctx, f, udf, item, fmt.Sprintf("%s.value[%d]", at, j))
			if err != nil {
				return nil, err
			}
			out = append(out, c)
		}
		return out, nil
	}
	if v == nil {
		return nil, badArgs("%s: op %q needs a value (use exist/notExist to test for presence)", at, op)
	}
	if _, isList := v.([]any); isList {
		return nil, badArgs("%s: op %q compares with one value; use in/notIn for a list", at, op)
	}
	switch op {
	case autotask.OpBeginsWith, autotask.OpEndsWith, autotask.OpContains:
		// Text matching compares the field as text, whatever its type: "contains 2026" on a date is fine.
		return r.scalar(f, v, at+".value")
	}
	return r.comparable(ctx, f, udf, v, at+".value")
}

// comparable is a value an equality, ordering or in-list comparison can use: picklist labels and
// record names become ids, and the value has the field's type. The API converts the value to the field's type before it
// compares and answers one that does not convert ("abc" for an id, "yesterday" for a date) with a
// bare 500, so it is refused here with what the field takes. UDF values are text on the wire and
// compare as text, whatever the UDF's declared type.
func (r filterResolver) comparable(ctx context.Context, f autotask.Field, udf bool, v any, at string) (any, error) {
	c, err := r.scalar(f, v, at)
	if err != nil || udf {
		return c, err
	}
	if id, ok, err := r.reference(ctx, f, c, at); ok || err != nil {
		return id, err
	}
	switch strings.ToLower(f.DataType) {
	case "integer", "long", "short", "byte":
		if n, ok := integerValue(c); ok {
			return n, nil
		}
		return nil, badArgs("%s: %s is an integer field; got %s", at, f.Name, describeValue(c))
	case "double", "decimal", "float":
		if n, ok := numberValue(c); ok {
			return n, nil
		}
		return nil, badArgs("%s: %s is a number field; got %s", at, f.Name, describeValue(c))
	case "boolean":
		if b, ok := boolValue(c); ok {
			return b, nil
		}
		return nil, badArgs("%s: %s is true or false; got %s", at, f.Name, describeValue(c))
	case "datetime", "date":
		s, _ := c.(string)
		if t, ok := parseAPITime(s); ok {
			return t.Format(filterTimeLayout), nil
		}
		return nil, badArgs("%s: %s is a date and time: ISO 8601 in UTC, e.g. 2026-01-31T17:00:00Z; got %s", at, f.Name, describeValue(c))
	}
	return c, nil
}

// filterTimeLayout keeps milliseconds, the API's own precision, so "after 12:00:00.500" still
// means that; writes send whole seconds (apiTimeLayout).
const filterTimeLayout = "2006-01-02T15:04:05.999Z"

func (r filterResolver) scalar(f autotask.Field, v any, at string) (any, error) {
	switch v.(type) {
	case string, json.Number, bool, float64:
	default:
		return nil, badArgs("%s: must be a string, number or boolean", at)
	}
	if !f.IsPickList {
		return v, nil
	}
	values := f.PicklistValues
	if p, ok := r.md.Picklist(f.Name); ok && len(p.Values) > 0 {
		values = p.Values
	}
	if len(values) == 0 {
		return v, nil // a picklist the tenant exposes no values for: pass through, the API decides
	}
	s := strings.TrimSpace(scalarString(v))
	for _, pv := range values {
		if pv.Value == s {
			return typedID(f, pv.Value), nil
		}
	}
	if m := labelledPattern.FindStringSubmatch(s); m != nil {
		// Our own output form, "In Progress (10)": the id decides, the label must agree.
		for _, pv := range values {
			if pv.Value == strings.TrimSpace(m[2]) && strings.EqualFold(pv.Label, m[1]) {
				return typedID(f, pv.Value), nil
			}
		}
	}
	var match []autotask.PicklistValue
	for _, pv := range values {
		if strings.EqualFold(pv.Label, s) {
			match = append(match, pv)
		}
	}
	if len(match) == 1 {
		return typedID(f, match[0].Value), nil
	}
	if len(match) > 1 {
		// Dependent picklists (subIssueType) repeat labels under different parents.
		ids := make([]string, 0, len(match))
		for _, m := range match {
			ids = append(ids, m.Value)
		}
		return nil, badArgs("%s: label %s of %s is ambiguous (ids %s); give the id", at, describeValue(s), f.Name, strings.Join(ids, ", "))
	}
	return nil, badArgs("%s: %s is not a value of %s.%s; %s", at, describeValue(s), r.entity, f.Name, picklistHint(s, values))
}

// picklistHint lists the labels when there are few, else the closest ones.
func picklistHint(s string, values []autotask.PicklistValue) string {
	const listAll = 25
	labels := make([]string, 0, len(values))
	for _, pv := range values {
		labels = append(labels, pv.Label)
	}
	if len(values) <= listAll {
		parts := make([]string, 0, len(values))
		for _, pv := range values {
			parts = append(parts, fmt.Sprintf("%s (%s)", pv.Label, pv.Value))
		}
		return "valid: " + strings.Join(parts, ", ")
	}
	closest := autotask.Closest(s, labels, 5)
	return fmt.Sprintf("closest labels: %s (describe_fields lists all %d)", strings.Join(closest, ", "), len(values))
}

// typedID sends integer picklist ids as numbers, as the API's own records carry them.
func typedID(f autotask.Field, id string) any {
	switch strings.ToLower(f.DataType) {
	case "integer", "long", "short", "byte", "int", "int32", "int64":
		if _, err := strconv.ParseInt(id, 10, 64); err == nil {
			return json.Number(id)
		}
	}
	return id
}

func didYouMean(names []string) string {
	names = slices.DeleteFunc(slices.Clone(names), func(s string) bool { return s == "" })
	switch len(names) {
	case 0:
		return "."
	case 1:
		return fmt.Sprintf("; did you mean %q?", names[0])
	}
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	return "; did you mean " + strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1] + "?"
}
