package docexample_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/internal/docexample"
)

func TestCommands(t *testing.T) {
	tests := []struct {
		line string
		want [][]string
	}{
		{`go run ./cmd/x call get '{"a":"b c"}'`, [][]string{{"go", "run", "./cmd/x", "call", "get", `{"a":"b c"}`}}},
		{"go run ./cmd/x        # run the server (stdio)", [][]string{{"go", "run", "./cmd/x"}}},
		{"go vet ./... && go test -race ./...   # tests", [][]string{{"go", "vet", "./..."}, {"go", "test", "-race", "./..."}}},
		{"curl -s \\\n    -H 'A: b' \\\n    -d '{}'", [][]string{{"curl", "-s", "-H", "A: b", "-d", "{}"}}},
		{`echo "a \"q\" \\ b" x\ y a#b`, [][]string{{"echo", `a "q" \ b`, "x y", "a#b"}}},
		{"a; b | c || d", [][]string{{"a"}, {"b"}, {"c"}, {"d"}}},
		{`echo '&&'`, [][]string{{"echo", "&&"}}},
		{"", nil},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			got, err := docexample.Commands(tt.line)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestCommandsRefusesWhatItCannotRun(t *testing.T) {
	for _, line := range []string{`echo 'open`, `echo "open`, "echo $HOME", `echo "$HOME"`, "ls *.go", "a > out", "sleep 1 &", "echo `date`", "(cd x)"} {
		t.Run(line, func(t *testing.T) {
			_, err := docexample.Commands(line)
			assert.Error(t, err)
		})
	}
}
