package tools

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
)

// maxArgumentBytes bounds what a tool will even try to decode. Tool arguments are ids, names and
// filters; nothing legitimate comes near this, and refusing early keeps a runaway assistant (or a
// 2 MB string) from costing memory and API calls.
const maxArgumentBytes = 64 << 10

// decodeArguments decodes the call's arguments into in, refusing unknown arguments and wrong types
// with a message that names the argument and what it should be.
func decodeArguments(req mcp.CallToolRequest, in any) error {
	raw, err := rawArguments(req)
	if err != nil {
		return err
	}
	if len(raw) > maxArgumentBytes {
		return badArgs("the arguments are %d bytes; the limit is %d KB. Send ids, names and short filter values, not documents", len(raw), maxArgumentBytes>>10)
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		raw = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(in); err != nil {
		return describeDecodeError(err, in)
	}
	return nil
}

func rawArguments(req mcp.CallToolRequest) ([]byte, error) {
	if len(req.Params.RawArguments) > 0 {
		return req.Params.RawArguments, nil
	}
	switch a := req.Params.Arguments.(type) {
	case nil:
		return nil, nil
	case json.RawMessage:
		return a, nil
	case []byte:
		return a, nil
	}
	raw, err := json.Marshal(req.Params.Arguments)
	if err != nil {
		return nil, badArgs("the arguments could not be read as JSON: %v", err)
	}
	return raw, nil
}

func describeDecodeError(err error, in any) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return badArgs("the arguments must be a JSON object, not %s", article(typeErr.Value))
		}
		return badArgs("argument %q must be %s, not %s", clip(typeErr.Field), jsonKind(typeErr.Type), article(typeErr.Value))
	case errors.As(err, &syntaxErr):
		return badArgs("the arguments are not valid JSON (offset %d)", syntaxErr.Offset)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return badArgs("unknown argument %q; this tool takes: %s", clip(name), strings.Join(argumentNames(in), ", "))
	}
	return badArgs("the arguments could not be decoded: %v", err)
}

// argumentNames lists the JSON names of a tool's arguments, for the "unknown argument" message.
func argumentNames(in any) []string {
	t := reflect.TypeOf(in)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var names []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" {
			// An embedded struct's arguments are the tool's own (ticketRef).
			names = append(names, argumentNames(reflect.New(f.Type).Interface())...)
			continue
		}
		if name == "" || name == "-" {
			continue
		}
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

func jsonKind(t reflect.Type) string {
	if t == nil {
		return "a different type"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return "a different type"
}

// article words encoding/json's description of the value it found ("string", "number 1.5").
func article(v string) string {
	switch {
	case v == "":
		return "something else"
	case strings.HasPrefix(v, "number"):
		return "a " + v
	case v == "array" || v == "object":
		return "an " + v
	}
	return "a " + v
}

// argError is a mistake in the call's arguments: the assistant can fix it and call again.
type argError struct{ msg string }

func (e *argError) Error() string { return e.msg }

func badArgs(format string, a ...any) error {
	return &argError{msg: fmt.Sprintf(format, a...)}
}
