package testenv

import (
	"slices"
	"sort"
	"testing"

	"github.com/autotask-mcp/autotask-mcp/tools"
)

// ToolNames lists every tool the server can offer, sorted: the one list that every test which
// enumerates tools derives from or checks itself against (tools.All is where a tool is added).
func ToolNames() []string { return toolNames(func(tools.Tool) bool { return true }) }

// ReadToolNames lists the tools that never write, sorted.
func ReadToolNames() []string { return toolNames(func(t tools.Tool) bool { return !t.Write }) }

// WriteToolNames lists the tools that write through the guard, sorted.
func WriteToolNames() []string { return toolNames(func(t tools.Tool) bool { return t.Write }) }

func toolNames(keep func(tools.Tool) bool) []string {
	var names []string
	for _, t := range tools.All(tools.Deps{}) {
		if keep(t) {
			names = append(names, t.Def.Name)
		}
	}
	sort.Strings(names)
	return names
}

// RequireCoversTools fails t unless covered names exactly the tools of want (ToolNames,
// ReadToolNames or WriteToolNames): a tool added to tools.All but missing from a test that is
// meant to cover every tool fails that test, and the message names the file to update.
func RequireCoversTools(t testing.TB, file string, want, covered []string) {
	t.Helper()
	for _, name := range want {
		if !slices.Contains(covered, name) {
			t.Errorf("tool %s is not covered here: add it to %s", name, file)
		}
	}
	for _, name := range covered {
		if !slices.Contains(want, name) {
			t.Errorf("%s covers %s, which is not such a tool (renamed or removed?)", file, name)
		}
	}
}
