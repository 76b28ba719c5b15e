package tools

import (
	"errors"
	"fmt"
	"strings"

	"github.com/autotask-mcp/autotask-mcp/autotask"
)

// lookupEntity finds an entity by name, case-insensitively, with suggestions when there is none.
func lookupEntity(name string) (autotask.Entity, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return autotask.Entity{}, badArgs("entity is required, e.g. \"Tickets\"; describe_fields with no arguments lists every entity")
	}
	e, err := autotask.LookupEntity(name)
	if err == nil {
		return e, nil
	}
	if !errors.Is(err, autotask.ErrUnknownEntity) {
		return autotask.Entity{}, err
	}
	return autotask.Entity{}, badArgs("unknown entity %q%s describe_fields with no arguments lists every entity.", clip(name), didYouMean(autotask.Closest(name, entityNames(), 3)))
}

func entityNames() []string {
	all := autotask.Entities()
	names := make([]string, 0, len(all))
	for _, e := range all {
		names = append(names, e.Name)
	}
	return names
}

// capabilityLetters is the catalog's compact form of what an entity allows.
func capabilityLetters(c autotask.Capabilities) string {
	var b strings.Builder
	for _, x := range []struct {
		on     bool
		letter byte
	}{{c.Query, 'q'}, {c.Get, 'g'}, {c.Create, 'c'}, {c.Put || c.Patch, 'u'}, {c.Delete, 'd'}} {
		if x.on {
			b.WriteByte(x.letter)
		}
	}
	return b.String()
}

const capabilityLegend = "q=query g=get c=create u=update d=delete"

func capabilityWords(c autotask.Capabilities) string {
	var words []string
	for _, x := range []struct {
		on   bool
		word string
	}{{c.Query, "query"}, {c.Get, "get"}, {c.Create, "create"}, {c.Put || c.Patch, "update"}, {c.Delete, "delete"}} {
		if x.on {
			words = append(words, x.word)
		}
	}
	if len(words) == 0 {
		return "nothing"
	}
	return strings.Join(words, ", ")
}

// childRouteHint names the parents an entity is reached through, when it has any.
func childRouteHint(entity string) string {
	var parents []string
	for _, r := range autotask.ChildRoutes() {
		if r.Entity == entity && (r.Capabilities.Get || r.Capabilities.Query) {
			parents = append(parents, fmt.Sprintf("%s/{id}/%s", r.Parent, r.Segment))
		}
	}
	if len(parents) == 0 {
		return ""
	}
	return "; it is reached through its parent: " + strings.Join(parents, ", ") + " (get_entity with parent and parent_id)"
}
