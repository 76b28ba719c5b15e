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

// JSONSchema keeps the property an object schema (never a bare `true`) that admits both forms.
func (labelOrID) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{AnyOf: []*jsonschema.Schema{{Type: "string"}, {Type: "integer"}}}
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

func (fieldValues) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		Type: "object",
		AdditionalProperties: &jsonschema.Schema{
			Description: "Text, number, boolean or null; a picklist's label or id; dates ISO 8601 UTC.",
		},
	}
}

// writeSummaryRunes bounds record text quoted in previews and summaries.
const writeSummaryRunes = 80

// ticketTarget is the target (writeInput) of a write to an existing ticket: Tickets, by ticket_id.
func ticketTarget(id *int64) (string, int64, error) {
	n, err := requireTicketID(id)
	return "Tickets", n, err
}

func requireTicketID(id *int64) (int64, error) {
	switch {
	case id == nil:
		return 0, badArgs("ticket_id is required: the ticket's numeric id (get_ticket shows it; find tickets with query_entity)")
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
