package tools_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

// doc.go is the package's map: every file is in it, so a new file has to say which group it
// belongs to, and a renamed or removed one cannot leave the map stale.
func TestDocListsEveryFile(t *testing.T) {
	raw, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	doc := string(raw)
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || name == "doc.go" {
			continue
		}
		assert.Contains(t, doc, name, "doc.go does not place %s in a group", name)
	}
	for _, named := range regexp.MustCompile(`\b[a-z_]+\.go\b`).FindAllString(doc, -1) {
		_, err := os.Stat(named)
		assert.NoError(t, err, "doc.go names %s, which is not a file of the package", named)
	}
}

// Every tool lives in the file named after it.
func TestEveryToolHasItsFile(t *testing.T) {
	for _, name := range testenv.ToolNames() {
		_, err := os.Stat(name + ".go")
		assert.NoError(t, err, "tool %s lives in %s.go", name, name)
	}
}
