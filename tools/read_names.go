package tools

import (
	"context"
	"sync"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/internal/sanitize"
)

// Reference fields (companyID, contactID, assignedResourceID, ...) are shown as "Contoso (215)":
// the same shape as a picklist's "In Progress (8)", so the assistant learns one convention, and
// hands either back. The names of a result are read together once its records are compacted: one
// query per referenced entity for the whole result (autotask.Client.Names, which caches them),
// never one a row. A name that cannot be read leaves the id as it is: the record is still right,
// only less readable.

// referenceNamer collects where a result's references are, then names them all at once.
type referenceNamer struct {
	mu    sync.Mutex
	slots []referenceSlot
}

// referenceSlot is one reference in a compact record: item[key] holds the id of a record of
// entity, in the result's section.
type referenceSlot struct {
	item    map[string]any
	key     string
	entity  string
	id      int64
	section string
}

// add notes the reference fields of a compact record; md describes its entity (nil: none).
func (n *referenceNamer) add(section string, item map[string]any, md *autotask.Metadata) {
	if md == nil {
		return
	}
	for key, v := range item {
		f, ok := md.Field(key)
		if !ok {
			continue
		}
		target, ok := referenceTarget(f)
		if !ok {
			continue
		}
		id, ok := integerValue(v)
		if !ok {
			continue
		}
		n64, _ := id.Int64()
		n.mu.Lock()
		n.slots = append(n.slots, referenceSlot{item: item, key: key, entity: target.Name, id: n64, section: section})
		n.mu.Unlock()
	}
}

// name reads the names, one request per referenced entity not already cached, the entities in
// parallel (the client keeps each endpoint within its in-flight limit), and writes "Name (id)"
// into the records. It returns the sections that gained a name: names are people's words, so
// those sections hold third-party text.
func (n *referenceNamer) name(ctx context.Context, deps Deps) []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	ids := map[string][]int64{}
	for _, s := range n.slots {
		ids[s.entity] = append(ids[s.entity], s.id)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	names := make(map[string]map[int64]string, len(ids))
	for entity, list := range ids {
		wg.Go(func() {
			got, err := deps.Client.Names(ctx, entity, list)
			if err != nil && deps.Logger != nil {
				deps.Logger.Debug("reference names not read", "entity", entity, "err", err)
			}
			mu.Lock()
			names[entity] = got
			mu.Unlock()
		})
	}
	wg.Wait()
	var sections untrustedSections
	for _, s := range n.slots {
		name := sanitize.Text(names[s.entity][s.id])
		if name == "" {
			continue
		}
		s.item[s.key] = labelled(s.item[s.key], name)
		sections.add(s.section, true)
	}
	return sections
}
