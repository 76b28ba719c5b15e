package guard

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"unicode/utf8"
)

// FieldChange is one field's value before and after, shown in conflict reports and audit lines. Values
// are truncated (a long description must not flood the assistant's context or the audit log) and
// secret-like fields are redacted.
type FieldChange struct {
	Field  string `json:"field"`
	Before any    `json:"before,omitempty"`
	After  any    `json:"after,omitempty"`
}

const (
	// conflictValueRunes bounds a value in a conflict report: enough to recognise the change.
	conflictValueRunes = 200
	// auditValueRunes bounds a value in an audit line: enough to reconstruct a small change by hand.
	auditValueRunes = 2000
	redacted        = "[redacted]"
)

// displayStored decodes a stored value for a report.
func displayStored(field, stored string, limit int) any {
	if stored == "" {
		return nil
	}
	if isSecretField(field) {
		return redacted
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(stored)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return truncateRunes(stored, limit)
	}
	return truncateValue(v, limit)
}

// displayValue prepares any Go value for a report.
func displayValue(field string, v any, limit int) any {
	if v == nil {
		return nil
	}
	if isSecretField(field) {
		return redacted
	}
	return truncateValue(canonical(v), limit)
}

// truncateValue shortens strings; an object or array whose JSON is too long becomes its truncated JSON
// text, so a report line is bounded whatever the field holds.
func truncateValue(v any, limit int) any {
	switch x := v.(type) {
	case string:
		return truncateRunes(x, limit)
	case map[string]any, []any:
		if s := canonicalText(x); utf8.RuneCountInString(s) > limit {
			return truncateRunes(s, limit)
		}
	}
	return v
}

func truncateRunes(s string, limit int) string {
	n := utf8.RuneCountInString(s)
	if n <= limit {
		return s
	}
	return fmt.Sprintf("%s… (+%d chars)", prefixRunes(s, limit), n-limit)
}

// storedNull is how a missing field compares: the API sends nulls explicitly, and a field it stops
// sending has, for our purposes, become null.
const storedNull = "null"

func storedOrNull(m map[string]string, k string) string {
	if v, ok := m[k]; ok {
		return v
	}
	return storedNull
}

// compareMode says which fields changedFields looks at.
type compareMode struct {
	volatile bool // include VolatileFields
	// common skips fields other lacks. Fields only other has are never compared: base may be a partial
	// read (a query with includeFields), which says nothing about them.
	common bool
}

// changedFields lists the fields of base whose value in other differs, sorted.
func changedFields(base, other map[string]string, mode compareMode) []string {
	var out []string
	for k, b := range base {
		if !mode.volatile && isVolatile(k) {
			continue
		}
		o, ok := other[k]
		if !ok {
			if mode.common {
				continue
			}
			o = storedNull
		}
		if b != o {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// describeChanges reports what moved between base and fresh, preferring the most telling list: user
// fields both records have; else API-set fields (a note added by someone else moves lastActivityDate
// and nothing else); else fields fresh no longer has. The report is never empty for records that differ.
func describeChanges(base, fresh map[string]string) []FieldChange {
	var fields []string
	for _, mode := range []compareMode{{common: true}, {common: true, volatile: true}, {volatile: true}} {
		if fields = changedFields(base, fresh, mode); len(fields) > 0 {
			break
		}
	}
	out := make([]FieldChange, 0, len(fields))
	for _, f := range fields {
		out = append(out, FieldChange{
			Field:  f,
			Before: displayStored(f, storedOrNull(base, f), conflictValueRunes),
			After:  displayStored(f, storedOrNull(fresh, f), conflictValueRunes),
		})
	}
	return out
}

// ChangesFor describes a write for an audit line or a confirmation preview: for each field the write
// sets, its value in the fresh record and the value asked for (UDFs by name, values truncated, secrets
// redacted), sorted by field.
func ChangesFor(fresh, changes map[string]any) []FieldChange {
	before := flatten(fresh)
	after := flatten(changes)
	fields := make([]string, 0, len(after))
	for f := range after {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	out := make([]FieldChange, 0, len(fields))
	for _, f := range fields {
		out = append(out, FieldChange{
			Field:  f,
			Before: displayStored(f, storedOrNull(before, f), auditValueRunes),
			After:  displayStored(f, after[f], auditValueRunes),
		})
	}
	return out
}
