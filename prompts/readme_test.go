package prompts_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/prompts"
)

// promptRowPattern is a row of the README's prompt table: "| `my_day` | arguments | does |".
var promptRowPattern = regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\| (.*) \\| .* \\|$")

// TestREADMEPromptsTable keeps the README's "## Prompts" table the list of prompts the server
// can offer, each row naming the prompt's arguments.
func TestREADMEPromptsTable(t *testing.T) {
	raw, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	_, section, found := strings.Cut(string(raw), "\n## Prompts\n")
	require.True(t, found, "README.md has a ## Prompts section")
	section, _, _ = strings.Cut(section, "\n## ")

	rows := map[string]string{}
	for _, m := range promptRowPattern.FindAllStringSubmatch(section, -1) {
		rows[m[1]] = m[2]
	}
	for _, p := range prompts.All(prompts.Deps{}) {
		args, ok := rows[p.Def.Name]
		if !assert.True(t, ok, "prompt %s has no row in README.md's ## Prompts table", p.Def.Name) {
			continue
		}
		for _, a := range p.Def.Arguments {
			assert.Contains(t, args, "`"+a.Name+"`", "README.md's row of %s names its argument", p.Def.Name)
		}
		delete(rows, p.Def.Name)
	}
	assert.Empty(t, rows, "README.md's ## Prompts table lists prompts the server does not have")
}
