package tools

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/autotask-mcp/autotask-mcp/autotask"
)

// Helpers the ticket write tools share: the fresh read every write starts with (seed 003 §2), the
// note body, the Complete status.

func requireTicketID(id *int64) (int64, error) {
	switch {
	case id == nil:
		return 0, badArgs("ticket_id is required: the ticket's numeric id (get_ticket shows it; find tickets with query_entity)")
	case *id < 1:
		return 0, badArgs("ticket_id must be a positive integer (got %d)", *id)
	}
	return *id, nil
}

// readFresh is the GET before every write and the guard's check of it: the session must have read
// the ticket, and it must not have changed since.
func (r *writeRun) readFresh(ctx context.Context, name string) (autotask.Record, error) {
	i := r.step(name, fmt.Sprintf("GET Tickets/%d", r.w.ID), stepDone, "")
	rec, err := r.deps.Client.GetTicket(ctx, r.w.ID)
	if err != nil {
		r.out.Steps[i].Status = stepFailed
		if errors.Is(err, autotask.ErrNotFound) {
			return nil, badArgs("no ticket with id %d; find tickets with query_entity (entity Tickets)", r.w.ID)
		}
		return nil, err
	}
	if err := r.check(ctx, rec); err != nil {
		r.out.Steps[i].Detail = "refused by the guard"
		return nil, err
	}
	return rec, nil
}

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

// pickLabel is the label of a picklist value, for summaries.
func pickLabel(md *autotask.Metadata, field string, v any) string {
	if p, ok := md.Picklist(field); ok {
		if l, ok := p.Label(scalarString(v)); ok {
			return l
		}
	}
	return scalarString(v)
}

func requireText(arg, s string) error {
	if strings.TrimSpace(s) == "" {
		return badArgs("%s is required and must not be empty", arg)
	}
	return nil
}

// completeStatus is the tenant's Complete status: the configured id, else the status labelled exactly
// "Complete". Never a prefix or a near miss: in some tenants "Completed" is another status that does
// not stamp the resolution dates (seed 003 §5).
func completeStatus(md *autotask.Metadata, configured string) (autotask.PicklistValue, error) {
	p, ok := md.Picklist("status")
	if !ok {
		return autotask.PicklistValue{}, errors.New("the Tickets metadata has no status picklist")
	}
	if configured = strings.TrimSpace(configured); configured != "" {
		for _, v := range p.Values {
			if v.Value == configured {
				return v, nil
			}
		}
		return autotask.PicklistValue{}, fmt.Errorf("the configured Complete status id %s is not a ticket status of this tenant; the operator must fix --complete-status", configured)
	}
	for _, v := range p.Values {
		if v.Label == "Complete" {
			return v, nil
		}
	}
	return autotask.PicklistValue{}, errors.New(`this tenant has no ticket status labelled exactly "Complete"; the operator can name the status id with --complete-status. The resolution can still be written with complete: false`)
}

func ticketName(rec autotask.Record, id int64) string {
	if n := rec.String("ticketNumber"); n != "" {
		return fmt.Sprintf("ticket %s (id %d)", n, id)
	}
	return fmt.Sprintf("ticket id %d", id)
}
