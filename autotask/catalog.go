package autotask

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

//go:generate go run ../internal/specgen -spec ../internal/spec/autotask-api -catalog catalog_gen.go -fields sandbox/specfields_gen.json

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

// catalogIndex resolves names case-insensitively; built once from the generated tables.
type catalogIndex struct {
	entities   map[string]Entity       // lower plural name and lower model name -> entity
	names      []string                // plural names, for suggestions
	children   map[string][]ChildRoute // lower parent -> routes
	createVia  map[string]ChildRoute   // lower child entity -> the parent route that creates it
	childByKey map[string]ChildRoute   // lower "parent/segment"
}

var catalog = sync.OnceValue(func() *catalogIndex {
	idx := &catalogIndex{
		entities:   make(map[string]Entity, 2*len(generatedEntities)),
		children:   make(map[string][]ChildRoute),
		createVia:  make(map[string]ChildRoute),
		childByKey: make(map[string]ChildRoute, len(generatedChildRoutes)),
	}
	for _, e := range generatedEntities {
		idx.names = append(idx.names, e.Name)
		// Plural names win over a model name that happens to equal another entity's plural.
		idx.entities[strings.ToLower(e.Name)] = e
	}
	for _, e := range generatedEntities {
		if _, taken := idx.entities[strings.ToLower(e.Model)]; !taken && e.Model != "" {
			idx.entities[strings.ToLower(e.Model)] = e
		}
	}
	for _, r := range generatedChildRoutes {
		p := strings.ToLower(r.Parent)
		idx.children[p] = append(idx.children[p], r)
		idx.childByKey[p+"/"+strings.ToLower(r.Segment)] = r
		child, known := idx.entities[strings.ToLower(r.Entity)]
		if r.Capabilities.Create && (!known || !child.Capabilities.Create) {
			if _, seen := idx.createVia[strings.ToLower(r.Entity)]; !seen {
				idx.createVia[strings.ToLower(r.Entity)] = r
			}
		}
	}
	return idx
})

// Entities returns every top-level entity of the vendor spec, sorted by name.
func Entities() []Entity {
	out := append([]Entity(nil), generatedEntities...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// LookupEntity resolves an entity by its plural or model name, case-insensitively
// ("tickets" and "Ticket" both give Tickets).
func LookupEntity(name string) (Entity, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	if e, ok := catalog().entities[key]; ok {
		return e, nil
	}
	return Entity{}, fmt.Errorf("%w: no entity %q%s", ErrUnknownEntity, name, didYouMean(Closest(name, catalog().names, 3)))
}

// ChildRoutes returns every parent/child route of the vendor spec.
func ChildRoutes() []ChildRoute { return append([]ChildRoute(nil), generatedChildRoutes...) }

// ChildRoutesOf returns the child routes under one parent entity (any case).
func ChildRoutesOf(parent string) []ChildRoute {
	e, err := LookupEntity(parent)
	if err != nil {
		return nil
	}
	return append([]ChildRoute(nil), catalog().children[strings.ToLower(e.Name)]...)
}

// LookupChildRoute resolves /{parent}/{id}/{segment}, case-insensitively. The
// segment may also be given as the child's entity name ("TicketNotes" for "Notes").
func LookupChildRoute(parent, segment string) (ChildRoute, error) {
	e, err := LookupEntity(parent)
	if err != nil {
		return ChildRoute{}, err
	}
	p := strings.ToLower(e.Name)
	seg := strings.ToLower(strings.TrimSpace(segment))
	if r, ok := catalog().childByKey[p+"/"+seg]; ok {
		return r, nil
	}
	var segments []string
	for _, r := range catalog().children[p] {
		if strings.EqualFold(r.Entity, seg) {
			return r, nil
		}
		segments = append(segments, r.Segment)
	}
	if len(segments) == 0 {
		return ChildRoute{}, fmt.Errorf("%w: %s has no child routes", ErrUnknownEntity, e.Name)
	}
	return ChildRoute{}, fmt.Errorf("%w: no child route %q under %s%s", ErrUnknownEntity, segment, e.Name,
		didYouMean(Closest(segment, segments, 3)))
}

// CreateRouteFor returns the parent route through which an entity must be created
// when the API refuses to create it at its own URL (POST /TicketNotes is a 404;
// notes are created with POST /Tickets/{id}/Notes).
func CreateRouteFor(entity string) (ChildRoute, bool) {
	e, err := LookupEntity(entity)
	if err != nil || e.Capabilities.Create {
		return ChildRoute{}, false
	}
	r, ok := catalog().createVia[strings.ToLower(e.Name)]
	return r, ok
}

// legacyNames maps words of the older SOAP API, which people and old scripts still
// use, to their REST names: an Account is a Company there (AccountID -> companyID).
var legacyNames = [][2]string{{"account", "company"}}

// maxClosestName is the longest name Closest looks for: no entity, field or label comes near it, so
// a longer one is not a typo, and the edit distance of a 60 KB name to every entity name costs a
// second of CPU (found by FuzzToolArguments).
const maxClosestName = 128

// Closest returns up to n candidates nearest to name by case-insensitive edit
// distance, nearest first, leaving out those too far away to be a plausible typo.
func Closest(name string, candidates []string, n int) []string {
	if n <= 0 || len(candidates) == 0 {
		return nil
	}
	target := strings.ToLower(strings.TrimSpace(name))
	if target == "" || len(target) > maxClosestName {
		return nil
	}
	targets := []string{target}
	for _, l := range legacyNames {
		if strings.Contains(target, l[0]) {
			targets = append(targets, strings.ReplaceAll(target, l[0], l[1]))
		}
	}
	type scored struct {
		name  string
		score int
	}
	limit := max(2, len(target)/3)
	seen := make(map[string]bool, len(candidates))
	var found []scored
	for _, c := range candidates {
		if seen[c] {
			continue
		}
		seen[c] = true
		lc := strings.ToLower(c)
		score := limit + 1
		for _, t := range targets {
			score = min(score, nameDistance(t, lc))
		}
		if score <= limit {
			found = append(found, scored{c, score})
		}
	}
	sort.SliceStable(found, func(i, j int) bool {
		if found[i].score != found[j].score {
			return found[i].score < found[j].score
		}
		return found[i].name < found[j].name
	})
	out := make([]string, 0, min(n, len(found)))
	for i := 0; i < len(found) && i < n; i++ {
		// Past the best match, only near-equals are worth naming.
		if found[i].score > found[0].score+1 {
			break
		}
		out = append(out, found[i].name)
	}
	return out
}

// nameDistance is the edit distance, lowered when one name is a substantial
// fragment of the other ("ticket" for "ticketNumber"): a fragment is a better hint
// than its raw distance suggests.
func nameDistance(a, b string) int {
	d := editDistance(a, b)
	short, long := a, b
	if len(short) > len(long) {
		short, long = long, short
	}
	if len(short) >= 4 && strings.Contains(long, short) {
		d = min(d, max(1, (len(long)-len(short))/3))
	}
	return d
}

// editDistance is the Levenshtein distance over bytes; names here are ASCII.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
