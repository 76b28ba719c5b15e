package main

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/tools"
)

// allowWritesFlag is --allow-writes. Whether it was given matters: not given, every
// write is allowed; given, it must name what may write, so an empty list is a mistake
// rather than a way to allow everything.
type allowWritesFlag struct {
	raw string
	set bool
}

func (a *allowWritesFlag) String() string {
	if a == nil {
		return ""
	}
	return a.raw
}

func (a *allowWritesFlag) Set(s string) error {
	a.raw, a.set = s, true
	return nil
}

// value is the list as configured: "" when it was not given at all. lookup finds an
// AUTOTASK_MCP_ALLOW_WRITES set to "", which flag parsing treats as unset like every
// other empty variable, but which here is a list given empty.
func (a *allowWritesFlag) value(lookup env) (string, error) {
	given := a.set
	if !given {
		_, given = lookup(envName("allow-writes"))
	}
	if !given {
		return "", nil
	}
	if err := checkAllowList(a.raw); err != nil {
		return "", usageErrorf("--allow-writes (%s): %v", envName("allow-writes"), err)
	}
	return strings.TrimSpace(a.raw), nil
}

// checkAllowList requires every name to be a write tool or an entity one writes: a
// typo would otherwise leave that write out without a word.
func checkAllowList(raw string) error {
	toolNames, entities := writeNames()
	known := "write tools " + strings.Join(toolNames, ", ") + "; entities " + strings.Join(entities, ", ")
	names := guard.ParseAllowList(raw)
	if len(names) == 0 {
		return fmt.Errorf("the list is empty: name what may write (%s), leave it unset to allow every write, or use --read-only to allow none", known)
	}
	all := append(slices.Clone(toolNames), entities...)
	var unknown []string
	for _, name := range names {
		if slices.ContainsFunc(all, func(k string) bool { return strings.EqualFold(k, name) }) {
			continue
		}
		hint := ""
		if closest := autotask.Closest(name, all, 1); len(closest) > 0 {
			hint = fmt.Sprintf(" (did you mean %q?)", closest[0])
		}
		unknown = append(unknown, fmt.Sprintf("%q%s", name, hint))
	}
	if len(unknown) > 0 {
		return fmt.Errorf("no write tool or entity %s; known: %s", strings.Join(unknown, ", "), known)
	}
	return nil
}

// writeNames are the names an allow list may use: every write tool, and every entity
// a write tool writes, sorted. Built once per process, from tools.WriteTools: a users file
// checks one allow list per user at start and on each reload. Callers must not modify the
// slices.
var writeNames = sync.OnceValues(func() (toolNames, entities []string) {
	for name, writes := range tools.WriteTools() {
		toolNames = append(toolNames, name)
		entities = append(entities, writes...)
	}
	slices.Sort(toolNames)
	slices.Sort(entities)
	return toolNames, slices.Compact(entities)
})
