package tools

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/autotask-mcp/autotask-mcp/autotask"
)

// udfsKey is where the assistant may group user-defined fields in changes: {"udfs": {"Root Cause": "..."}}.
// It is also the key compact records use, so what get_ticket shows can be handed back.
const udfsKey = udfKey

// valueResolver turns the assistant's field -> value pairs into what the API takes: canonical field
// names, picklist labels replaced by ids, numbers, booleans and dates in the API's types. Everything
// is refused here, before a write is sent, because the API ignores a field it does not know and the
// change would be silently lost.
type valueResolver struct {
	entity string
	md     *autotask.Metadata
	// deferChildren leaves a dependent picklist whose parent value is unknown unresolved (nil), for
	// a first check of the arguments before the record is read.
	deferChildren bool
	// names checks the name of a reference given as "Name (id)"; nil takes its id as is.
	names nameLookup
}

// resolve checks every pair. current is the record as it is now (nil on create): a dependent
// picklist (subIssueType) is looked up under its parent's new or current value. at prefixes every
// error ("changes").
func (r valueResolver) resolve(values map[string]any, current autotask.Record, at string) (autotask.Changes, error) {
	out := autotask.Changes{Fields: map[string]any{}, UDFs: map[string]any{}}
	var children []string // dependent picklists wait for their parent's value
	for _, key := range sortedKeys(values) {
		v := values[key]
		where := joinPath(at, clip(key)) // the key may be anything the assistant sent
		if strings.EqualFold(key, udfsKey) || strings.EqualFold(key, "userDefinedFields") {
			group, ok := v.(map[string]any)
			if !ok {
				return autotask.Changes{}, badArgs("%s: must be an object of user-defined field name -> value", where)
			}
			for _, name := range sortedKeys(group) {
				if err := r.setUDF(out, name, group[name], where+"."+clip(name)); err != nil {
					return autotask.Changes{}, err
				}
			}
			continue
		}
		f, ok := r.md.Field(key)
		if !ok {
			if _, isUDF := r.md.UDF(key); isUDF {
				if err := r.setUDF(out, key, v, where); err != nil {
					return autotask.Changes{}, err
				}
				continue
			}
			return autotask.Changes{}, r.unknownField(key, where)
		}
		if err := r.writable(f, where); err != nil {
			return autotask.Changes{}, err
		}
		if _, dup := out.Fields[f.Name]; dup {
			return autotask.Changes{}, badArgs("%s: %s is given twice (names are case-insensitive)", where, f.Name)
		}
		if f.PicklistParentValueField != "" {
			out.Fields[f.Name] = v // resolved below, once the parent is known
			children = append(children, key)
			continue
		}
		val, err := r.value(f, v, "", where)
		if err != nil {
			return autotask.Changes{}, err
		}
		out.Fields[f.Name] = val
	}
	for _, key := range children {
		f, _ := r.md.Field(key)
		parent := out.Fields[f.PicklistParentValueField]
		if _, given := out.Fields[f.PicklistParentValueField]; !given && current != nil {
			parent = current[f.PicklistParentValueField]
		}
		if parent == nil && r.deferChildren {
			out.Fields[f.Name] = nil
			continue
		}
		val, err := r.value(f, values[key], scalarOrEmpty(parent), joinPath(at, clip(key)))
		if err != nil {
			return autotask.Changes{}, err
		}
		out.Fields[f.Name] = val
	}
	return out, nil
}

func joinPath(at, key string) string {
	if at == "" {
		return key
	}
	return at + "." + key
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func scalarOrEmpty(v any) string {
	if v == nil {
		return ""
	}
	return scalarString(v)
}

func (r valueResolver) writable(f autotask.Field, where string) error {
	if strings.EqualFold(f.Name, "id") {
		return badArgs("%s: a record's id cannot be changed", where)
	}
	if f.IsReadOnly {
		return badArgs("%s: %s.%s is read-only: Autotask sets it itself, so it cannot be written", where, r.entity, f.Name)
	}
	return nil
}

func (r valueResolver) unknownField(name, where string) error {
	candidates := make([]string, 0, len(r.md.Fields)+len(r.md.UDFs))
	for _, f := range r.md.Fields {
		if !f.IsReadOnly {
			candidates = append(candidates, f.Name)
		}
	}
	candidates = append(candidates, udfNames(r.md)...)
	return badArgs("%s: %s has no field or user-defined field %q%s describe_fields with entity %q lists them.",
		where, r.entity, clip(name), didYouMean(autotask.Closest(name, candidates, 3)), r.entity)
}

// value converts one value for field f; parentValue narrows a dependent picklist.
func (r valueResolver) value(f autotask.Field, v any, parentValue, where string) (any, error) {
	if v == nil {
		if f.IsRequired {
			return nil, badArgs("%s: %s is required on %s and cannot be cleared", where, f.Name, r.entity)
		}
		return nil, nil
	}
	if f.IsPickList {
		return r.picklistValue(f, v, parentValue, where)
	}
	if id, ok, err := namedReference(f, v, r.names, where); ok || err != nil {
		return id, err
	}
	switch strings.ToLower(f.DataType) {
	case "integer", "long", "short", "byte":
		n, ok := integerValue(v)
		if !ok {
			return nil, badArgs("%s: %s is an integer field; got %s", where, f.Name, describeValue(v))
		}
		return n, nil
	case "double", "decimal", "float":
		n, ok := numberValue(v)
		if !ok {
			return nil, badArgs("%s: %s is a number field; got %s", where, f.Name, describeValue(v))
		}
		return n, nil
	case "boolean":
		b, ok := boolValue(v)
		if !ok {
			return nil, badArgs("%s: %s is true or false; got %s", where, f.Name, describeValue(v))
		}
		return b, nil
	case "datetime", "date":
		s, ok := v.(string)
		t, parsed := parseAPITime(s)
		if !ok || !parsed {
			return nil, badArgs("%s: %s is a date and time: ISO 8601 in UTC, e.g. 2026-01-31T17:00:00Z; got %s", where, f.Name, describeValue(v))
		}
		return t.Format(apiTimeLayout), nil
	}
	s, ok := textValue(v)
	if !ok {
		return nil, badArgs("%s: %s is text; got %s", where, f.Name, describeValue(v))
	}
	if f.Length > 0 && utf8.RuneCountInString(s) > f.Length {
		return nil, badArgs("%s: %s takes at most %d characters; this value has %d", where, f.Name, f.Length, utf8.RuneCountInString(s))
	}
	return s, nil
}

// picklistValue accepts an id, a label, or our own "Label (id)" form. A dependent picklist's label
// is looked up among the children of its parent's value first: sub-issue types repeat labels
// under different issue types.
func (r valueResolver) picklistValue(f autotask.Field, v any, parentValue, where string) (any, error) {
	p, ok := r.md.Picklist(f.Name)
	if f.PicklistParentValueField != "" && ok && parentValue != "" {
		children := p.ChildrenOf(parentValue)
		s := strings.TrimSpace(scalarString(v))
		if m := labelledPattern.FindStringSubmatch(s); m != nil {
			s = strings.TrimSpace(m[2])
		}
		for _, c := range children {
			if c.Value == s || strings.EqualFold(c.Label, s) {
				return typedID(f, c.Value), nil
			}
		}
		if len(children) > 0 {
			return nil, badArgs("%s: %s is not a %s under %s %s; %s", where, describeValue(v),
				f.Name, f.PicklistParentValueField, parentValue, picklistHint(s, children))
		}
	}
	return filterResolver{entity: r.entity, md: r.md}.scalar(f, v, where)
}

// setUDF resolves a user-defined field. The API stores UDF values as text, so numbers and booleans
// are sent as text too: what we send is then what a later read returns.
func (r valueResolver) setUDF(out autotask.Changes, name string, v any, where string) error {
	u, ok := r.md.UDF(name)
	if !ok {
		return badArgs("%s: %s has no user-defined field %q%s", where, r.entity, clip(name), didYouMean(autotask.Closest(name, udfNames(r.md), 3)))
	}
	if u.IsReadOnly {
		return badArgs("%s: user-defined field %s is read-only", where, u.Name)
	}
	if _, dup := out.UDFs[u.Name]; dup {
		return badArgs("%s: user-defined field %s is given twice", where, u.Name)
	}
	if v == nil {
		out.UDFs[u.Name] = nil
		return nil
	}
	s, ok := textValue(v)
	if !ok {
		return badArgs("%s: user-defined field %s takes text, a number or a boolean; got %s", where, u.Name, describeValue(v))
	}
	if len(u.PicklistValues) > 0 {
		value, found := "", false
		for _, pv := range u.PicklistValues {
			if pv.Value == strings.TrimSpace(s) || strings.EqualFold(pv.Label, strings.TrimSpace(s)) {
				value, found = pv.Value, true
				break
			}
		}
		if !found {
			return badArgs("%s: %s is not a value of user-defined field %s; %s", where, describeValue(s), u.Name, picklistHint(s, u.PicklistValues))
		}
		s = value
	}
	if u.Length > 0 && utf8.RuneCountInString(s) > u.Length {
		return badArgs("%s: user-defined field %s takes at most %d characters", where, u.Name, u.Length)
	}
	out.UDFs[u.Name] = s
	return nil
}

// udfValue is a UDF's current value on a record.
func udfValue(rec autotask.Record, name string) any {
	for _, u := range rec.UDFs() {
		if strings.EqualFold(u.Name, name) {
			return u.Value
		}
	}
	return nil
}
