package schema_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/schema"
)

type inner struct {
	Name string `json:"name" jsonschema:"required" jsonschema_description:"A name, with a comma."`
}

type sampleInput struct {
	Entity string   `json:"entity" jsonschema:"required" jsonschema_description:"Which entity."`
	Limit  *int     `json:"limit,omitempty" jsonschema:"minimum=1,maximum=500,description=How many."`
	Tags   []string `json:"tags,omitempty" jsonschema:"enum=a,enum=b"`
	Nested inner    `json:"nested"`
	Many   []inner  `json:"many,omitempty"`
}

type sampleOutput struct {
	Items []map[string]any `json:"items,omitempty"`
	Count int              `json:"count" jsonschema:"required"`
}

func decode(t *testing.T, raw json.RawMessage) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m))
	return m
}

func TestInputSchema(t *testing.T) {
	raw := schema.Input[sampleInput]()
	s := string(raw)
	for _, banned := range []string{"$ref", "$defs", "$schema", "$id"} {
		assert.NotContains(t, s, banned, "schemas are inline and anonymous")
	}
	m := decode(t, raw)
	assert.Equal(t, "object", m["type"])
	assert.Equal(t, false, m["additionalProperties"], "inputs refuse unknown arguments")
	assert.Equal(t, []any{"entity"}, m["required"], "required only from tags")

	props := m["properties"].(map[string]any)
	assert.Equal(t, "Which entity.", props["entity"].(map[string]any)["description"])
	limit := props["limit"].(map[string]any)
	assert.Equal(t, "How many.", limit["description"])
	assert.EqualValues(t, 1, limit["minimum"])
	assert.EqualValues(t, 500, limit["maximum"])
	assert.Equal(t, []any{"a", "b"}, props["tags"].(map[string]any)["items"].(map[string]any)["enum"])

	nested := props["nested"].(map[string]any)
	assert.Equal(t, "object", nested["type"], "nested structs inline")
	assert.Equal(t, false, nested["additionalProperties"])
	assert.Equal(t, "A name, with a comma.", nested["properties"].(map[string]any)["name"].(map[string]any)["description"])
	many := props["many"].(map[string]any)["items"].(map[string]any)
	assert.Equal(t, "object", many["type"], "a type used twice is still inlined")
}

func TestOutputSchema(t *testing.T) {
	m := decode(t, schema.Output[sampleOutput]())
	assert.Equal(t, "object", m["type"])
	_, hasAP := m["additionalProperties"]
	assert.False(t, hasAP, "outputs may gain fields without breaking older clients")
	assert.Equal(t, []any{"count"}, m["required"])
	assert.NotContains(t, string(schema.Output[sampleOutput]()), "$ref")
}

func TestSchemasAreCached(t *testing.T) {
	a, b := schema.Input[sampleInput](), schema.Input[sampleInput]()
	assert.Same(t, &a[0], &b[0], "the same schema bytes are shared")
	assert.NotEqual(t, string(schema.Input[sampleOutput]()), string(schema.Output[sampleOutput]()), "inputs and outputs are cached apart")
}

func TestNonObjectPanics(t *testing.T) {
	assert.PanicsWithValue(t, `schema: string reflects to type "string"; tool schemas must be objects`, func() { schema.Output[string]() })
	assert.Panics(t, func() { schema.Input[[]int]() })
	assert.True(t, strings.HasPrefix(string(schema.Output[map[string]any]()), `{"type":"object"`))
}
