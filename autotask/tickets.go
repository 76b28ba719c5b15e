package autotask

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// Changes are the fields a ticket write means to change; everything else is
// carried over from the fresh ticket untouched.
type Changes struct {
	Fields map[string]any // field name (any case) -> new value
	UDFs   map[string]any // user-defined field name -> new value
}

// IsEmpty reports whether the changes change nothing.
func (ch Changes) IsEmpty() bool { return len(ch.Fields) == 0 && len(ch.UDFs) == 0 }

// WithChanges returns a copy of r with the changed fields set (keeping the
// record's own spelling of each field name) and UDF values replaced by name.
func (r Record) WithChanges(ch Changes) Record {
	out := r.Clone()
	if out == nil {
		out = Record{}
	}
	for name, v := range ch.Fields {
		if key, _, ok := out.lookup(name); ok {
			out[key] = v
		} else {
			out[name] = v
		}
	}
	if len(ch.UDFs) == 0 {
		return out
	}
	key, _, ok := out.lookup("userDefinedFields")
	if !ok {
		key = "userDefinedFields"
	}
	udfs := out.UDFs()
	items := make([]any, 0, len(udfs)+len(ch.UDFs))
	done := make(map[string]bool, len(ch.UDFs))
	for _, u := range udfs {
		value := u.Value
		for name, v := range ch.UDFs {
			if strings.EqualFold(name, u.Name) {
				value = v
				done[name] = true
			}
		}
		items = append(items, map[string]any{"name": u.Name, "value": value})
	}
	names := make([]string, 0, len(ch.UDFs))
	for name := range ch.UDFs {
		if !done[name] {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		items = append(items, map[string]any{"name": name, "value": ch.UDFs[name]})
	}
	out[key] = items
	return out
}

// TicketByNumber finds the ticket with a display number (T20261122.0042), whole, with
// POST /Tickets/query on ticketNumber: the query returns every field a GET of the ticket would, so
// a caller that needs the ticket itself spends no second request on it.
func (c *Client) TicketByNumber(ctx context.Context, number string) (Record, error) {
	number = strings.TrimSpace(number)
	if number == "" {
		return nil, fmt.Errorf("find ticket by number: %w: empty ticket number", ErrValidation)
	}
	page, err := c.Query(ctx, "Tickets", Query{Filter: []Filter{Eq("ticketNumber", number)}, MaxRecords: 1})
	if err != nil {
		return nil, fmt.Errorf("find ticket %s: %w", number, err)
	}
	if len(page.Items) == 0 {
		return nil, fmt.Errorf("find ticket %s: %w: no ticket has this number", number, ErrNotFound)
	}
	if id, ok := page.Items[0].Int("id"); !ok || id <= 0 {
		return nil, fmt.Errorf("find ticket %s: %w: the API returned a ticket without an id", number, ErrTransient)
	}
	return page.Items[0], nil
}

// GetTicket fetches a ticket by id.
func (c *Client) GetTicket(ctx context.Context, id int64) (Record, error) {
	rec, err := c.Get(ctx, "Tickets", id)
	if err != nil {
		return nil, fmt.Errorf("get ticket %d: %w", id, err)
	}
	return rec, nil
}

// PutTicket writes fresh (a ticket as just read with GetTicket) with only ch
// applied, as one PUT of the whole object: PUT nulls what it does not carry, so
// every stabilising field is copied from fresh (rule 3 of the ticket contract in
// the package doc). Field names are checked against the metadata first, because
// the API silently ignores a name it does not know and the change would be lost.
// It returns the body sent.
func (c *Client) PutTicket(ctx context.Context, fresh Record, ch Changes) (Record, error) {
	id, ok := fresh.Int("id")
	if !ok || id <= 0 {
		return nil, fmt.Errorf("put ticket: %w: the fresh ticket has no id; read it with GetTicket first", ErrValidation)
	}
	canon, err := c.canonicalTicketChanges(ctx, id, ch)
	if err != nil {
		return nil, fmt.Errorf("put ticket %d: %w", id, err)
	}
	body := fresh.WithChanges(canon)
	if _, err := c.writeRecord(ctx, "PUT", "Tickets", body, kindWrite); err != nil {
		return nil, fmt.Errorf("put ticket %d: %w", id, err)
	}
	return body, nil
}

// canonicalTicketChanges refuses unknown, read-only and id changes and spells
// each name as the API does.
func (c *Client) canonicalTicketChanges(ctx context.Context, id int64, ch Changes) (Changes, error) {
	if ch.IsEmpty() {
		return ch, nil
	}
	meta, err := c.Metadata(ctx, "Tickets")
	if err != nil {
		return Changes{}, err
	}
	out := Changes{Fields: make(map[string]any, len(ch.Fields)), UDFs: make(map[string]any, len(ch.UDFs))}
	for name, v := range ch.Fields {
		if strings.EqualFold(name, "id") {
			if n, ok := toInt64(v); !ok || n != id {
				return Changes{}, fmt.Errorf("%w: a ticket's id cannot be changed", ErrValidation)
			}
			continue
		}
		f, ok := meta.Field(name)
		if !ok {
			return Changes{}, meta.UnknownFieldError(name)
		}
		if f.IsReadOnly {
			return Changes{}, fmt.Errorf("%w: %s.%s is read-only", ErrValidation, meta.Entity, f.Name)
		}
		out.Fields[f.Name] = v
	}
	for name, v := range ch.UDFs {
		f, ok := meta.UDF(name)
		if !ok {
			names := make([]string, len(meta.UDFs))
			for i, u := range meta.UDFs {
				names[i] = u.Name
			}
			return Changes{}, fmt.Errorf("%w: no user-defined field %q on Tickets%s", ErrUnknownField, name, didYouMean(Closest(name, names, 3)))
		}
		if f.IsReadOnly {
			return Changes{}, fmt.Errorf("%w: user-defined field %s is read-only", ErrValidation, f.Name)
		}
		out.UDFs[f.Name] = v
	}
	return out, nil
}

// UpdateTicket is the safe ticket write: GET the fresh ticket, let verify refuse
// it (the guard's version check; nil skips), then PutTicket.
func (c *Client) UpdateTicket(ctx context.Context, id int64, ch Changes, verify func(fresh Record) error) (Record, error) {
	fresh, err := c.GetTicket(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("update ticket %d: %w", id, err)
	}
	if verify != nil {
		if err := verify(fresh); err != nil {
			return nil, fmt.Errorf("update ticket %d: %w", id, err)
		}
	}
	return c.PutTicket(ctx, fresh, ch)
}

// AddTicketNote creates a note with POST /Tickets/{id}/Notes, the only route that
// works (POST /TicketNotes is a 404 although entityInformation calls TicketNote
// creatable). The request is never resent.
func (c *Client) AddTicketNote(ctx context.Context, ticketID int64, note Record) (int64, error) {
	body := note.Clone()
	if body == nil {
		body = Record{}
	}
	if key, v, ok := body.lookup("ticketID"); ok && v != nil {
		if n, ok := toInt64(v); !ok || n != ticketID {
			return 0, fmt.Errorf("add note to ticket %d: %w: the note's %s is %v", ticketID, ErrValidation, key, v)
		}
	} else {
		body["ticketID"] = ticketID
	}
	id, err := c.CreateChild(ctx, "Tickets", ticketID, "Notes", body)
	if err != nil {
		return 0, fmt.Errorf("add note to ticket %d: %w", ticketID, err)
	}
	return id, nil
}

// CountTimeEntries counts the time entries on a ticket (TimeEntries filtered by
// ticketID): a count, not a fetch, because only existence decides whether resolving
// may set status 5.
func (c *Client) CountTimeEntries(ctx context.Context, ticketID int64) (int, error) {
	n, err := c.Count(ctx, "TimeEntries", []Filter{Eq("ticketID", ticketID)})
	if err != nil {
		return 0, fmt.Errorf("count time entries of ticket %d: %w", ticketID, err)
	}
	return n, nil
}
