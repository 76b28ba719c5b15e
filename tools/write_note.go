package tools

import (
	"fmt"

	"github.com/autotask-mcp/autotask-mcp/autotask"
)

// The ticket note that add_ticket_note and resolve_ticket write: its body with the tenant's defaults,
// and the note as the guard binds it.

// noteBody is a TicketNotes create body: title, description, and note type and publish from the
// arguments or, when not given, the tenant's defaults (an internal note, not shown to the customer,
// unless asked for).
func noteBody(md *autotask.Metadata, ticketID int64, title, description string, noteType, publish any) (autotask.Record, error) {
	res := valueResolver{entity: "TicketNotes", md: md}
	body := autotask.Record{"ticketID": ticketID}
	for _, a := range []struct {
		field, arg string
		v          any
	}{
		{"title", "title", title},
		{"description", "description", description},
		{"noteType", "note_type", noteType},
		{"publish", "publish", publish},
	} {
		f, ok := md.Field(a.field)
		if !ok {
			return nil, fmt.Errorf("TicketNotes metadata has no field %s", a.field)
		}
		v := a.v
		if v == nil && f.IsPickList {
			p, ok := md.Picklist(f.Name)
			def, hasDefault := autotask.PicklistValue{}, false
			if ok {
				def, hasDefault = p.Default()
			}
			if !hasDefault {
				return nil, badArgs("%s is required: this tenant sets no default %s for notes; %s", a.arg, f.Name, picklistHint("", picklistValuesOf(md, f.Name)))
			}
			v = def.Value
		}
		val, err := res.value(f, v, "", a.arg)
		if err != nil {
			return nil, err
		}
		body[f.Name] = val
	}
	return body, nil
}

func picklistValuesOf(md *autotask.Metadata, field string) []autotask.PicklistValue {
	if p, ok := md.Picklist(field); ok {
		return p.Values
	}
	return nil
}

// noteBinding is the note as the guard binds and audits it: without the ticket id, which is the record.
func noteBinding(body autotask.Record) map[string]any {
	out := make(map[string]any, len(body))
	for k, v := range body {
		if k != "ticketID" {
			out[k] = v
		}
	}
	return out
}
