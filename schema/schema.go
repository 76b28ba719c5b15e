// Package schema turns Go structs into the JSON Schemas a tool declares for its arguments and its
// results. Every schema comes from one reflector configuration so that all tools look alike to a
// client: everything inline (some MCP clients do not resolve $ref), required properties only where a
// struct tag says so, descriptions from the jsonschema tags.
package schema

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sync"

	"github.com/invopop/jsonschema"
)

// newReflector is the single configuration behind every schema. Inputs refuse unknown properties so
// a misspelt argument is an error the assistant sees, not a silently ignored option. Outputs allow
// them: a client validating an older schema must not reject a result that gained a field.
func newReflector(input bool) *jsonschema.Reflector {
	return &jsonschema.Reflector{
		Anonymous:                  true,
		DoNotReference:             true,
		ExpandedStruct:             true,
		RequiredFromJSONSchemaTags: true,
		AllowAdditionalProperties:  !input,
	}
}

var (
	inputReflector  = newReflector(true)
	outputReflector = newReflector(false)
	cache           sync.Map // cacheKey -> json.RawMessage
)

type cacheKey struct {
	t     reflect.Type
	input bool
}

// Input is the input schema of T: an object that refuses unknown properties. The result is cached
// and shared; callers must not modify it.
func Input[T any]() json.RawMessage {
	return generate(reflect.TypeFor[T](), true)
}

// Output is the output schema of T. MCP requires an output schema to describe an object, so T must
// be a struct (or a map); anything else panics at registration time, which a test catches.
func Output[T any]() json.RawMessage {
	return generate(reflect.TypeFor[T](), false)
}

func generate(t reflect.Type, input bool) json.RawMessage {
	key := cacheKey{t: t, input: input}
	if v, ok := cache.Load(key); ok {
		return v.(json.RawMessage)
	}
	r := outputReflector
	if input {
		r = inputReflector
	}
	s := r.ReflectFromType(t)
	// The draft is MCP's default (2020-12); naming it in every schema only costs the client's context.
	s.Version = ""
	if s.Type != "object" {
		panic(fmt.Sprintf("schema: %s reflects to type %q; tool schemas must be objects", t, s.Type))
	}
	raw, err := json.Marshal(s)
	if err != nil {
		panic(fmt.Sprintf("schema: marshal schema of %s: %v", t, err))
	}
	v, _ := cache.LoadOrStore(key, json.RawMessage(raw))
	return v.(json.RawMessage)
}
