package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// toolsListBudget is the most every tool together may cost in tools/list, compact JSON as the
// wire carries it: the assistant reads all of it at the start of every conversation, whatever it
// goes on to ask. Every tool counts, those added later too: a new tool pays for itself by cutting
// repetition elsewhere (what every tool shares is said once, in the server's instructions), not
// by raising this.
const toolsListBudget = 24 * 1000

// TestToolsListBudget pins the size of what tools/list lists, as TestToolsGolden pins its content.
func TestToolsListBudget(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := runBinary(t, testEnv(t), "", "tools")
	require.Equal(t, 0, code, stderr)
	var compact bytes.Buffer
	require.NoError(t, json.Compact(&compact, []byte(stdout)))

	var listed []json.RawMessage
	require.NoError(t, json.Unmarshal(compact.Bytes(), &listed))
	for _, raw := range listed {
		var tool struct {
			Name string `json:"name"`
		}
		require.NoError(t, json.Unmarshal(raw, &tool))
		t.Logf("%s: %d bytes", tool.Name, len(raw))
	}
	t.Logf("tools/list: %d tools, %d bytes", len(listed), compact.Len())
	assert.LessOrEqual(t, compact.Len(), toolsListBudget, "tools/list costs every conversation this much context: cut repetition, not meaning")
}
