package tools_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

func newEnv(t *testing.T) *testenv.Env {
	t.Helper()
	return testenv.New(t, testenv.Options{GuardProbe: true})
}

// ok asserts a successful result (which the server has already validated against the tool's
// output schema) and returns its structured content.
func ok(t *testing.T, res *mcp.CallToolResult) map[string]any {
	t.Helper()
	require.False(t, res.IsError, "tool error: %s", testenv.Text(res))
	require.NotNil(t, res.StructuredContent, "every result carries structuredContent")
	require.NotEmpty(t, testenv.Text(res), "every result carries a text twin")
	return testenv.Structured(t, res)
}

// failed asserts an isError result whose text contains every fragment (case-insensitive).
func failed(t *testing.T, res *mcp.CallToolResult, fragments ...string) string {
	t.Helper()
	text := testenv.Text(res)
	require.True(t, res.IsError, "expected a tool error, got: %s", text)
	for _, f := range fragments {
		require.Contains(t, strings.ToLower(text), strings.ToLower(f), "error text: %s", text)
	}
	return text
}

func asInt(t *testing.T, v any) int64 {
	t.Helper()
	switch n := v.(type) {
	case json.Number:
		i, err := n.Int64()
		require.NoError(t, err)
		return i
	case float64:
		return int64(n)
	}
	t.Fatalf("not a number: %#v", v)
	return 0
}

func items(t *testing.T, m map[string]any) []map[string]any {
	t.Helper()
	raw, _ := m["items"].([]any)
	out := make([]map[string]any, 0, len(raw))
	for _, r := range raw {
		out = append(out, r.(map[string]any))
	}
	return out
}

// valueOf is a field of a query_entity row: in the row, or in the page's common values (fields an
// eq condition pins, which every row shares).
func valueOf(out, row map[string]any, field string) any {
	if v, ok := row[field]; ok {
		return v
	}
	common, _ := out["common"].(map[string]any)
	return common[field]
}

func args(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}
