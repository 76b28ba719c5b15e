package sandbox

import (
	"strings"
	"sync"
)

// capabilities says which operations the vendor spec offers on a route.
type capabilities struct {
	query, count, get, create, put, patch, delete, entityInfo bool
}

// entityRoute is one top-level entity of the spec: /V1.0/{name}/...
type entityRoute struct {
	name  string // plural URL name, e.g. "Tickets"
	model string // singular model name, e.g. "Ticket"
	udf   bool   // the model carries userDefinedFields
	caps  capabilities
}

// childRoute is /V1.0/{parent}/{parentId}/{segment}[/{id}].
type childRoute struct {
	parent, segment string
	entity          string // top-level entity whose records the route serves
	parentField     string // field of the child record holding the parent id
	caps            capabilities
}

// catalog indexes the generated route table by lower-case name, because the real API
// matches paths case-insensitively and clients in the field rely on it.
type catalog struct {
	entities map[string]*entityRoute           // lower name -> entity (top level and child-only)
	children map[string]map[string]*childRoute // lower parent -> lower segment -> route
	byEntity map[string][]*childRoute          // entity name -> child routes serving it
	names    []string                          // every entity name that has records
	models   map[string]string                 // lower model name -> model name
}

var theCatalog = sync.OnceValue(buildCatalog)

func buildCatalog() *catalog {
	c := &catalog{
		entities: map[string]*entityRoute{},
		children: map[string]map[string]*childRoute{},
		byEntity: map[string][]*childRoute{},
		models:   map[string]string{},
	}
	for i := range generatedEntities {
		e := &generatedEntities[i]
		c.entities[strings.ToLower(e.name)] = e
		c.names = append(c.names, e.name)
		c.models[strings.ToLower(e.model)] = e.model
	}
	for i := range generatedChildRoutes {
		ch := &generatedChildRoutes[i]
		p := strings.ToLower(ch.parent)
		if c.children[p] == nil {
			c.children[p] = map[string]*childRoute{}
		}
		c.children[p][strings.ToLower(ch.segment)] = ch
		c.byEntity[ch.entity] = append(c.byEntity[ch.entity], ch)
		if _, ok := c.entities[strings.ToLower(ch.entity)]; !ok {
			// Served only below a parent (e.g. KnowledgeBaseArticleAttachments): it has
			// records and metadata but no top-level route of its own.
			c.entities[strings.ToLower(ch.entity)] = &entityRoute{name: ch.entity, model: singular(ch.entity)}
			c.names = append(c.names, ch.entity)
		}
	}
	return c
}

// entity finds an entity by name, any case; topLevelOnly rejects child-only entities.
func (c *catalog) entity(name string) (*entityRoute, bool) {
	e, ok := c.entities[strings.ToLower(name)]
	return e, ok
}

func (c *catalog) child(parent, segment string) (*childRoute, bool) {
	ch, ok := c.children[strings.ToLower(parent)][strings.ToLower(segment)]
	return ch, ok
}

// effective merges the top-level capabilities with those of every child route serving the
// entity; entityInformation reports these, as the real API does (TicketNotes "canCreate" is
// true although POST /TicketNotes is a 404 and only POST /Tickets/{id}/Notes creates).
func (c *catalog) effective(e *entityRoute) capabilities {
	caps := e.caps
	for _, ch := range c.byEntity[e.name] {
		caps.query = caps.query || ch.caps.query
		caps.get = caps.get || ch.caps.get
		caps.create = caps.create || ch.caps.create
		caps.put = caps.put || ch.caps.put
		caps.patch = caps.patch || ch.caps.patch
		caps.delete = caps.delete || ch.caps.delete
	}
	return caps
}

func singular(plural string) string {
	switch {
	case strings.HasSuffix(plural, "ies"):
		return strings.TrimSuffix(plural, "ies") + "y"
	case strings.HasSuffix(plural, "sses"), strings.HasSuffix(plural, "xes"):
		return strings.TrimSuffix(plural, "es")
	case strings.HasSuffix(plural, "s"):
		return strings.TrimSuffix(plural, "s")
	}
	return plural
}
