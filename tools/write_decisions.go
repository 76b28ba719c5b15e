package tools

import (
	"fmt"
	"strings"

	"github.com/autotask-mcp/autotask-mcp/autotask"
)

// What a write decides that the person must confirm is the guard's to say (guard.Decisions); these
// helpers give it what it compares against, the tenant's defaults for the records a write creates,
// and word its answer for the assistant and the person.

// picklistDefaults are the values the tenant gives a new record of md's entity for each picklist
// field left out, typed as the write sends them: a new ticket's status, a note's visibility.
func picklistDefaults(md *autotask.Metadata) map[string]any {
	out := map[string]any{}
	for _, f := range md.Fields {
		if !f.IsPickList {
			continue
		}
		if p, ok := md.Picklist(f.Name); ok {
			if def, ok := p.Default(); ok {
				out[f.Name] = typedID(f, def.Value)
			}
		}
	}
	return out
}

// noteDefaults are picklistDefaults of a note, in the shape the ticket write tools bind a note in.
func noteDefaults(noteMD *autotask.Metadata) map[string]any {
	return map[string]any{"note": picklistDefaults(noteMD)}
}

// decisionWords names what needs the person's confirmation, for a summary: "a status change, a
// customer-visible note".
func decisionWords(decisions []string) string {
	words := make([]string, 0, len(decisions))
	for _, d := range decisions {
		switch d {
		case "status":
			words = append(words, "a status change")
		case "note.publish":
			words = append(words, "a note visible beyond the default internal audience (the customer may see it)")
		default:
			words = append(words, fmt.Sprintf("a change to %s", d))
		}
	}
	return strings.Join(words, ", ")
}
