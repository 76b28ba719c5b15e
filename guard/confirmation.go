package guard

import (
	"sort"
	"strings"
)

// NeedsConfirmation says whether the person must confirm w before it is applied: w.Sensitive, or a
// decision on a sensitive field (Decisions).
func (g *Guard) NeedsConfirmation(w Write) bool {
	return w.Sensitive || len(g.Decisions(w)) > 0
}

// Decisions lists, sorted, the sensitive fields (DefaultSensitiveFields, Options.SensitiveFields) w
// sets: on the record itself ("status") or on a record it creates with it ("note.publish", a ticket's
// note). Two settings are no decision of the assistant's:
//   - a field of a created record set to its entry in w.Defaults, the value the tenant gives it when
//     the field is left out (a new ticket's default status, a note's default visibility); on an
//     update a default is a value like any other (a status put back to New is a status change);
//   - companyID on a create: it says whose record the new one is, and moves nothing.
func (g *Guard) Decisions(w Write) []string {
	var out []string
	var walk func(prefix string, changes, defaults map[string]any)
	walk = func(prefix string, changes, defaults map[string]any) {
		for field, v := range changes {
			if child, ok := v.(map[string]any); ok {
				sub, _ := defaults[field].(map[string]any)
				walk(prefix+field+".", child, sub)
				continue
			}
			if !g.sensitive[strings.ToLower(field)] {
				continue
			}
			if prefix == "" && w.Create && strings.EqualFold(field, "companyID") {
				continue
			}
			created := prefix != "" || w.Create
			if def, ok := defaults[field]; ok && created && canonicalText(def) == canonicalText(v) {
				continue
			}
			out = append(out, prefix+field)
		}
	}
	walk("", w.Changes, w.Defaults)
	sort.Strings(out)
	return out
}
