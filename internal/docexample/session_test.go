package docexample_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/autotask-mcp/autotask-mcp/internal/docexample"
)

func TestSession(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []docexample.Example
	}{
		{"command and output", "$ a 1\nout 1\nout 2\n$ b\n",
			[]docexample.Example{{Command: "a 1", Output: "out 1\nout 2\n", Line: 10}, {Command: "b", Line: 13}}},
		{"continued command", "$ a \\\n    --x 1 \\\n    --y\n{}\n",
			[]docexample.Example{{Command: "a \\\n    --x 1 \\\n    --y", Output: "{}\n", Line: 10}}},
		{"text before the first prompt is nobody's output", "# a comment\n$ a\n",
			[]docexample.Example{{Command: "a", Line: 11}}},
		{"no prompt, no examples", "a\nb\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, docexample.Session(docexample.Block{Text: tt.text, Line: 10}))
		})
	}
}

func TestBareCommands(t *testing.T) {
	got := docexample.BareCommands(docexample.Block{Text: "a   # one\n\nb && c \\\n  --d\n", Line: 3})
	assert.Equal(t, []docexample.Example{
		{Command: "a   # one", Line: 3},
		{Command: "b && c \\\n  --d", Line: 5},
	}, got)
}
