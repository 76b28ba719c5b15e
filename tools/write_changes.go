package tools

import (
	"fmt"

	"github.com/autotask-mcp/autotask-mcp/autotask"
)

// How a write's changes are shown and bound: the before/after list the assistant and the person
// see (changeViews), the change as the guard binds and audits it (guardChanges), and the names
// summaries use for a ticket and a picklist value.

// pickLabel is the label of a picklist value, for summaries; a value without one is shown as
// values are (describeValue).
func pickLabel(md *autotask.Metadata, field string, v any) string {
	if p, ok := md.Picklist(field); ok && v != nil {
		if l, ok := p.Label(scalarString(v)); ok {
			return l
		}
	}
	return describeValue(v)
}

// ticketName is how summaries and messages name a ticket: by number when it is known.
func ticketName(rec autotask.Record, id int64) string {
	if n := rec.String("ticketNumber"); n != "" {
		return fmt.Sprintf("ticket %s (id %d)", n, id)
	}
	return fmt.Sprintf("ticket id %d", id)
}

// changeValueRunes bounds a value shown in a change list; the write itself carries it in full.
const changeValueRunes = 300

// changeViews describes w.Changes for the assistant, labels beside picklist ids.
func (r *writeRun) changeViews(ch autotask.Changes) []changeView {
	var out []changeView
	for _, name := range sortedKeys(ch.Fields) {
		f, known := lookupField(r.md, name)
		before, _ := compactValue(r.fresh[name], f, known, r.md)
		after, _ := compactValue(ch.Fields[name], f, known, r.md)
		out = append(out, changeView{Field: name, Before: shorten(before), After: shorten(after)})
	}
	for _, name := range sortedKeys(ch.UDFs) {
		before, _ := compactValue(udfValue(r.fresh, name), autotask.Field{}, false, nil)
		after, _ := compactValue(ch.UDFs[name], autotask.Field{}, false, nil)
		out = append(out, changeView{Field: udfsKey + "." + name, Before: shorten(before), After: shorten(after)})
	}
	return out
}

func shorten(v any) any {
	if s, ok := v.(string); ok {
		return truncateRunes(s, changeValueRunes)
	}
	return v
}

// guardChanges is the change as the guard binds and audits it: fields by name, UDFs in the record's
// own userDefinedFields shape, so the audit lines them up with the record's values.
func guardChanges(ch autotask.Changes) map[string]any {
	out := make(map[string]any, len(ch.Fields)+1)
	for k, v := range ch.Fields {
		out[k] = v
	}
	if len(ch.UDFs) > 0 {
		list := make([]any, 0, len(ch.UDFs))
		for _, name := range sortedKeys(ch.UDFs) {
			list = append(list, map[string]any{"name": name, "value": ch.UDFs[name]})
		}
		out["userDefinedFields"] = list
	}
	return out
}

// fillRequiredDefaults sets every writable required field that ch leaves out (or sets to null) and
// skip does not claim to the tenant's default picklist value. It returns the defaults used, as
// "priority: Medium", and the required fields that have no default, for the caller to refuse.
func fillRequiredDefaults(md *autotask.Metadata, ch autotask.Changes, skip func(field string) bool) (used, missing []string) {
	for _, f := range md.Fields {
		if !f.IsRequired || f.IsReadOnly || skip(f.Name) {
			continue
		}
		if v, ok := ch.Fields[f.Name]; ok && v != nil {
			continue
		}
		if p, ok := md.Picklist(f.Name); ok {
			if def, ok := p.Default(); ok {
				ch.Fields[f.Name] = typedID(f, def.Value)
				used = append(used, fmt.Sprintf("%s: %s", f.Name, def.Label))
				continue
			}
		}
		missing = append(missing, f.Name)
	}
	return used, missing
}
