package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/guard"
)

// backstopInput is a write to ticket 7, for driving runWrite with handlers that break its rule.
type backstopInput struct{}

func (backstopInput) target() (writeTarget, error) { return writeTarget{entity: "Tickets", id: 7}, nil }

// A handler that ends without finish or fail, or panics, is a bug of ours; the run still writes
// its one audit line and says what state the record is in.
func TestRunWriteBackstops(t *testing.T) {
	tests := []struct {
		name     string
		handler  writeHandler[backstopInput]
		wantText []string
	}{
		{
			name:     "returns without finish or fail",
			handler:  func(context.Context, *writeRun, backstopInput) writeEnd { return writeEnd{} },
			wantText: []string{"internal error", "Nothing was written to Autotask."},
		},
		{
			name: "panics before writing",
			handler: func(context.Context, *writeRun, backstopInput) writeEnd {
				panic("index out of range")
			},
			wantText: []string{"internal error", "Nothing was written to Autotask."},
		},
		{
			name: "panics after a write",
			handler: func(_ context.Context, r *writeRun, _ backstopInput) writeEnd {
				r.done(r.plan("add note", "POST Tickets/7/Notes"), "note 3")
				panic("nil map")
			},
			wantText: []string{"internal error", "Already written: add note (note 3)."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var audit bytes.Buffer
			g, err := guard.New(guard.Options{Audit: &audit})
			require.NoError(t, err)
			d := definition{name: "backstop_write", writes: []string{"Tickets"}}

			end := runWrite(context.Background(), Deps{Guard: g}, d, backstopInput{}, tt.handler)

			require.NoError(t, end.err)
			require.NotNil(t, end.res)
			assert.True(t, end.res.IsError)
			text := end.res.Content[0].(mcp.TextContent).Text
			for _, want := range tt.wantText {
				assert.Contains(t, text, want)
			}
			lines := strings.Split(strings.TrimSpace(audit.String()), "\n")
			require.Len(t, lines, 1, "exactly one audit line")
			var line map[string]any
			require.NoError(t, json.Unmarshal([]byte(lines[0]), &line))
			assert.Equal(t, "backstop_write", line["tool"])
			assert.EqualValues(t, 7, line["id"])
			assert.Equal(t, guard.OutcomeFailed, line["outcome"])
		})
	}
}

// A write tool built with newTool would run outside a writeRun, unaudited: it is refused when the
// tools are built, which every test that lists the tools does.
func TestNewToolRefusesWriteTools(t *testing.T) {
	assert.PanicsWithValue(t, "tools: write tool sneaky_write must be built with newWriteTool", func() {
		newTool(Deps{}, definition{name: "sneaky_write", write: true},
			func(context.Context, mcp.CallToolRequest, struct{}) (*mcp.CallToolResult, error) { return nil, nil })
	})
}
