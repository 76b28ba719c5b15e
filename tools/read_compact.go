package tools

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/internal/sanitize"
)

// Records come back compact, because every byte costs the assistant's context:
//
//   - null, "" and empty arrays are dropped; a field that is absent is null;
//   - picklist fields become "In Progress (8)": the label is what the assistant reasons with, the id
//     in brackets is kept for exactness; either the label, the id or this whole form is accepted
//     wherever a value is expected. It is half the bytes of {"id": 8, "label": "In Progress"}, and
//     a ticket has a dozen picklists;
//   - reference fields (companyID, contactID, ...) become "Contoso (215)" once the result's names
//     are read (read_names.go);
//   - dates are kept as the API gave them, less a ".000" of milliseconds that are all zero: the
//     API pads every date with them, the same instant without them is four bytes shorter, and a
//     page of tickets carries a hundred dates;
//   - user-defined fields become one object "udfs": {"Name": "value"} without the empty ones, and
//     are left out altogether when all are empty;
//   - every string is sanitised (sanitize.Text); a result names the sections that hold free text in
//     its "untrusted" list, and the text twin fences record JSON in <untrusted> (see call_result.go).

const (
	udfSourceKey = "userDefinedFields"
	udfKey       = "udfs"
)

// compactRecord renders one record; md may be nil (no labels then). It also says whether the
// record holds free text (someone's words rather than values the system chose).
func compactRecord(rec autotask.Record, md *autotask.Metadata) (map[string]any, bool) {
	out := make(map[string]any, len(rec))
	hasText := false
	for name, v := range rec {
		if name == udfSourceKey {
			if udfs := compactUDFs(rec, md); len(udfs) > 0 {
				out[udfKey] = udfs
				hasText = true
			}
			continue
		}
		f, known := lookupField(md, name)
		cv, isText := compactValue(v, f, known, md)
		if cv == nil {
			continue
		}
		out[name] = cv
		hasText = hasText || isText
	}
	return out, hasText
}

func lookupField(md *autotask.Metadata, name string) (autotask.Field, bool) {
	if md == nil {
		return autotask.Field{}, false
	}
	return md.Field(name)
}

// compactValue renders one field value; nil means "leave the field out".
func compactValue(v any, f autotask.Field, known bool, md *autotask.Metadata) (any, bool) {
	if isEmpty(v) {
		return nil, false
	}
	if known && f.IsPickList {
		if p, ok := md.Picklist(f.Name); ok {
			if label, ok := p.Label(scalarString(v)); ok {
				return labelled(v, label), false
			}
		}
	}
	switch x := v.(type) {
	case string:
		if known && isDateField(f) {
			x = withoutZeroMillis(x)
		}
		s := sanitize.Text(x)
		if s == "" {
			return nil, false
		}
		return s, !known || isFreeText(f)
	case []any:
		items := make([]any, 0, len(x))
		for _, item := range x {
			if c, _ := compactValue(item, autotask.Field{}, false, nil); c != nil {
				items = append(items, c)
			}
		}
		if len(items) == 0 {
			return nil, false
		}
		return items, true
	case map[string]any:
		m, _ := compactRecord(autotask.Record(x), nil)
		if len(m) == 0 {
			return nil, false
		}
		return m, true
	}
	return v, false
}

// labelled is the one place that decides how a picklist value looks to the assistant. A picklist
// whose values are their own labels (list UDFs store the label text) needs no id.
func labelled(id any, label string) any {
	label = sanitize.Text(label)
	key := scalarString(id)
	if key == label {
		return label
	}
	return label + " (" + key + ")"
}

// labelledPattern recognises labelled's form when the assistant hands it back: "In Progress (8)".
var labelledPattern = regexp.MustCompile(`^(.*\S)\s*\(([^()]+)\)$`)

func isDateField(f autotask.Field) bool {
	switch strings.ToLower(f.DataType) {
	case "datetime", "date":
		return true
	}
	return false
}

// withoutZeroMillis turns "2026-06-04T18:38:16.000Z" into "2026-06-04T18:38:16Z" (and the same
// without the Z); any other text is returned as it is.
func withoutZeroMillis(s string) string {
	const seconds = len("2006-01-02T15:04:05")
	if len(s) >= seconds+4 && s[seconds:seconds+4] == ".000" && (len(s) == seconds+4 || s[seconds+4:] == "Z") {
		return s[:seconds] + s[seconds+4:]
	}
	return s
}

// isFreeText says whether a string field holds text someone typed (title, description, notes,
// resolution, names, e-mail bodies) rather than a value the system chose (ticket numbers, dates,
// picklists, anything read-only).
func isFreeText(f autotask.Field) bool {
	switch strings.ToLower(f.DataType) {
	case "datetime", "date", "uniqueidentifier":
		return false
	}
	return !f.IsPickList && !f.IsReadOnly
}

func compactUDFs(rec autotask.Record, md *autotask.Metadata) map[string]any {
	udfs := rec.UDFs()
	if len(udfs) == 0 {
		return nil
	}
	out := make(map[string]any, len(udfs))
	for _, u := range udfs {
		if isEmpty(u.Value) {
			continue
		}
		var f autotask.Field
		known := false
		if md != nil {
			f, known = md.UDF(u.Name)
		}
		if known && f.IsPickList {
			if p := udfPicklist(f); p != nil {
				if label, ok := p[scalarString(u.Value)]; ok {
					out[u.Name] = labelled(u.Value, label)
					continue
				}
			}
		}
		if s, ok := u.Value.(string); ok {
			if s = sanitize.Text(s); s != "" {
				out[u.Name] = s
			}
			continue
		}
		out[u.Name] = u.Value
	}
	return out
}

// udfPicklist indexes a UDF's picklist by value; UDF picklists are not in Metadata.Picklist, which
// is keyed by entity field.
func udfPicklist(f autotask.Field) map[string]string {
	if len(f.PicklistValues) == 0 {
		return nil
	}
	m := make(map[string]string, len(f.PicklistValues))
	for _, pv := range f.PicklistValues {
		m[pv.Value] = pv.Label
	}
	return m
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(x) == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// scalarString is the picklist key of a value: ids arrive as numbers and picklists key them as text.
func scalarString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case float64:
		if x == float64(int64(x)) {
			return fmt.Sprintf("%d", int64(x))
		}
		return fmt.Sprint(x)
	case bool:
		if x {
			return "true"
		}
		return "false"
	}
	return fmt.Sprint(v)
}

// untrustedSections is the result's "untrusted" list: the top-level sections (ticket, notes,
// items, ...) that hold third-party text. Sections, not fields: the marker has to be in every
// result, so it has to be small, and it is the section the assistant must read with care.
type untrustedSections []string

func (u *untrustedSections) add(section string, hasText bool) {
	if !hasText {
		return
	}
	if i, found := slices.BinarySearch(*u, section); !found {
		*u = slices.Insert(*u, i, section)
	}
}
