package autotask

//go:generate go run ../internal/specgen -spec ../../shared/autotask-api -catalog catalog_gen.go -fields sandbox/specfields_gen.json

// Capabilities says which operations the API offers for an entity or a child route.
type Capabilities struct {
	Query, Count, Get, Create, Put, Patch, Delete, EntityInfo bool
}

// Entity is one top-level entity of ATServicesRest V1.0.
type Entity struct {
	Name         string // plural URL name, e.g. "Tickets"
	Model        string // singular model name, e.g. "Ticket"
	Capabilities Capabilities
}

// ChildRoute is a route under a parent record: /{Parent}/{parentId}/{Segment}[/{id}].
type ChildRoute struct {
	Parent       string // e.g. "Tickets"
	Segment      string // e.g. "Notes"
	Entity       string // the top-level entity the child's records are, e.g. "TicketNotes"
	Capabilities Capabilities
}
