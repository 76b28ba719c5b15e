package testenv

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
)

// declaredProperties caches, per MCP session, each tool's top-level output properties.
var declaredProperties sync.Map // *client.Client -> map[string][]string

// requireDeclaredProperties fails the test when a structured result carries a top-level property
// its tool's output schema does not declare. Output schemas allow additional properties (a client
// holding an older schema must not reject a newer result), so schema validation alone would let a
// tool return what tools/list never told the assistant about; every call a test makes checks it.
func requireDeclaredProperties(t testing.TB, mc *client.Client, name string, res *mcp.CallToolResult) {
	t.Helper()
	if res.StructuredContent == nil {
		return
	}
	declared, ok := toolProperties(t, mc)[name]
	if !ok {
		return // not listed (e.g. a probe registered after the session listed its tools)
	}
	for key := range Structured(t, res) {
		if !slices.Contains(declared, key) {
			t.Fatalf("%s returned %q, which its output schema does not declare (declared: %v)", name, key, declared)
		}
	}
}

func toolProperties(t testing.TB, mc *client.Client) map[string][]string {
	t.Helper()
	if v, ok := declaredProperties.Load(mc); ok {
		return v.(map[string][]string)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	list, err := mc.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		t.Fatalf("testenv: list tools: %v", err)
	}
	props := make(map[string][]string, len(list.Tools))
	for _, tool := range list.Tools {
		// Marshalled as the wire carries it: a tool holds its output schema raw or parsed,
		// depending on where it came from.
		raw, err := json.Marshal(tool)
		if err != nil {
			t.Fatalf("testenv: marshal tool %s: %v", tool.Name, err)
		}
		var listed struct {
			OutputSchema *struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"outputSchema"`
		}
		if err := json.Unmarshal(raw, &listed); err != nil {
			t.Fatalf("testenv: output schema of %s: %v", tool.Name, err)
		}
		if listed.OutputSchema == nil {
			continue
		}
		props[tool.Name] = slices.Collect(maps.Keys(listed.OutputSchema.Properties))
	}
	declaredProperties.Store(mc, props)
	// Forgotten with the test that listed them: the next test on the session lists them again.
	t.Cleanup(func() { declaredProperties.Delete(mc) })
	return props
}
