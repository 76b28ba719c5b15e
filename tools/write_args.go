package tools

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/invopop/jsonschema"
)

// labelOrID is an argument that names a picklist value or a record either way the assistant has it:
// a label or name ("High", "Acme Ltd") or an id (2 or "2"). Only strings and numbers are accepted.
type labelOrID struct{ v any }

func (l *labelOrID) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return err
	}
	switch v.(type) {
	case string, json.Number:
		l.v = v
		return nil
	}
	// encoding/json adds the argument's name to a type error, so the assistant sees which one.
	return &json.UnmarshalTypeError{Value: jsonValueKind(v), Type: reflect.TypeFor[string]()}
}

// JSONSchema keeps the property an object schema (never a bare `true`) that admits both forms, as
// a type list: the same meaning as an anyOf of the two, in half the bytes of tools/list.
func (labelOrID) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Extras: map[string]any{"type": []string{"string", "integer"}}}
}

// value is the argument as given; nil when it was absent.
func (l *labelOrID) value() any {
	if l == nil {
		return nil
	}
	return l.v
}

func jsonValueKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "value"
}

// fieldValues is a field-name-to-value object: update_ticket's changes and create_ticket's fields.
type fieldValues map[string]any

// JSONSchema is a bare object: what its values may be is said in each tool's description of the
// property, once, rather than again under additionalProperties in every tool that takes one.
func (fieldValues) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "object"}
}

// writeSummaryRunes bounds record text quoted in previews and summaries.
const writeSummaryRunes = 80

// writeTarget is the record a write call writes: its entity and id (0 when the call creates it,
// or names a ticket by number, which the run looks up once its policy allows the write).
type writeTarget struct {
	entity string
	id     int64
	number string // a ticket number, instead of id
}

// ticketRef is how a write names an existing ticket: by id, or by the number people know it by.
// The ticket write tools embed it, so each takes both, worded alike.
type ticketRef struct {
	TicketID     *int64 `json:"ticket_id,omitempty" jsonschema:"minimum=1" jsonschema_description:"Ticket id, as get_ticket shows it; or ticket_number. Read the ticket first."`
	TicketNumber string `json:"ticket_number,omitempty" jsonschema_description:"E.g. T20261122.0042, instead of ticket_id (one more request)."`
}

// target is the ticket named, by id or by number.
func (t ticketRef) target() (writeTarget, error) {
	number := strings.ToUpper(strings.TrimSpace(t.TicketNumber))
	switch {
	case t.TicketID != nil && number != "":
		return writeTarget{entity: "Tickets"}, badArgs("give ticket_id or ticket_number, not both")
	case number != "" && !ticketNumberPattern.MatchString(number):
		return writeTarget{entity: "Tickets"}, badArgs("ticket_number %s is not a ticket number; they look like T20261122.0042 (T, date, dot, sequence). For a numeric id use ticket_id", describeValue(t.TicketNumber))
	case number != "":
		return writeTarget{entity: "Tickets", number: number}, nil
	}
	id, err := requireTicketID(t.TicketID)
	return writeTarget{entity: "Tickets", id: id}, err
}

func requireTicketID(id *int64) (int64, error) {
	switch {
	case id == nil:
		return 0, badArgs("ticket_id or ticket_number is required: the ticket's numeric id, or its number such as T20261122.0042 (get_ticket shows both; find tickets with query_entity)")
	case *id < 1:
		return 0, badArgs("ticket_id must be a positive integer (got %d)", *id)
	}
	return *id, nil
}

func requireText(arg, s string) error {
	if strings.TrimSpace(s) == "" {
		return badArgs("%s is required and must not be empty", arg)
	}
	return nil
}
