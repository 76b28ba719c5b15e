package sandbox

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// ServeHTTP answers /ATServicesRest/V1.0/... (any case) like the real API.
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.opts.RequestLog != nil {
		s.logRequest(w, r, s.route)
		return
	}
	s.route(w, r)
}

func (s *Sandbox) route(w http.ResponseWriter, r *http.Request) {
	segs, ok := splitAPIPath(r.URL.Path)
	switch {
	case !ok:
		writeNotFound(w, r)
	case len(segs) == 1 && strings.EqualFold(segs[0], "VersionInformation"):
		s.serveVersionInformation(w, r)
	case len(segs) == 0 || !strings.EqualFold(segs[0], "V1.0"):
		writeNotFound(w, r)
	case len(segs) == 2 && strings.EqualFold(segs[1], "ZoneInformation"):
		s.withFaults(w, r, segs[1:], s.serveZone)
	default:
		s.serveAPI(w, r, segs[1:])
	}
}

// splitAPIPath returns the path segments after /ATServicesRest/, which matches in any case.
func splitAPIPath(p string) ([]string, bool) {
	const prefix = "/atservicesrest/"
	if len(p) < len(prefix) || !strings.EqualFold(p[:len(prefix)], prefix) {
		return nil, false
	}
	var segs []string
	for seg := range strings.SplitSeq(p[len(prefix):], "/") {
		if seg != "" {
			segs = append(segs, seg)
		}
	}
	return segs, true
}

// route is what a path and method resolve to.
type route struct {
	endpoint string   // for Stats: "GET Tickets/{id}"
	family   string   // thread-limit family: the entity URL family, e.g. "Tickets"
	status   int      // 0 when served, else 404 or 405
	allow    []string // methods the path supports, for a 405
	serve    func(*apiRequest)

	entity   *entityRoute
	child    *childRoute
	id       int64
	parentID int64
}

type handlers map[string]func(*apiRequest)

// add serves methods with h when the capability allows it (absent methods answer 405).
func (hs handlers) add(ok bool, h func(*apiRequest), methods ...string) {
	if ok {
		for _, m := range methods {
			hs[m] = h
		}
	}
}

// collection serves the writes on an entity's collection URL, which carry the id in the body.
func (s *Sandbox) collection(hs handlers, caps capabilities) {
	hs.add(caps.create, s.serveCreate, http.MethodPost)
	hs.add(caps.put, s.servePut, http.MethodPut)
	hs.add(caps.patch, s.servePatch, http.MethodPatch)
}

// record serves /.../{id}: false when the segment is not an id (no such route).
func (s *Sandbox) record(hs handlers, rt *route, caps capabilities, seg string) bool {
	id, ok := parseID(seg)
	if !ok {
		return false
	}
	rt.id = id
	hs.add(caps.get, s.serveGet, http.MethodGet)
	hs.add(caps.delete, s.serveDelete, http.MethodDelete)
	return true
}

// resolve maps a request to its route by the capability table: a method the path lacks is
// a 405, a path with no methods at all a 404 (POST /TicketNotes, absent from the spec, is a
// 404 on the real API too).
func (s *Sandbox) resolve(method string, segs []string) route {
	rt := route{family: segs[0]}
	var hs handlers
	switch {
	case len(segs) == 1 && strings.EqualFold(segs[0], "ThresholdInformation"):
		rt.family = "ThresholdInformation"
		hs = handlers{http.MethodGet: s.serveThreshold}
	case len(segs) == 1 && strings.EqualFold(segs[0], "Version"):
		rt.family = "Version"
		hs = handlers{http.MethodGet: s.serveVersion}
	default:
		e, ok := theCatalog().entity(segs[0])
		if !ok || !isTopLevel(e) {
			rt.endpoint = method + " " + templateOf(segs)
			rt.status = http.StatusNotFound
			return rt
		}
		rt.entity, rt.family = e, e.name
		hs = s.entityHandlers(&rt, segs[1:])
	}
	rt.endpoint = method + " " + templateOf(append([]string{rt.family}, segs[1:]...))
	if len(hs) == 0 {
		rt.status = http.StatusNotFound
		return rt
	}
	for m := range hs {
		rt.allow = append(rt.allow, m)
	}
	slices.Sort(rt.allow)
	if h, ok := hs[method]; ok {
		rt.serve = h
	} else {
		rt.status = http.StatusMethodNotAllowed
	}
	return rt
}

// offered are the capabilities the tenant serves for an entity: the spec's, without PATCH on an
// entity Options.PutOnly names.
func (s *Sandbox) offered(entity string, caps capabilities) capabilities {
	for _, name := range s.opts.PutOnly {
		if strings.EqualFold(name, entity) {
			caps.patch = false
		}
	}
	return caps
}

// isTopLevel is false for entities that exist only below a parent route.
func isTopLevel(e *entityRoute) bool { return e.caps != capabilities{} }

func (s *Sandbox) entityHandlers(rt *route, rest []string) handlers {
	e := rt.entity
	caps := s.offered(e.name, e.caps)
	hs := handlers{}
	switch {
	case len(rest) == 0:
		s.collection(hs, caps)
	case len(rest) == 1 && strings.EqualFold(rest[0], "query"):
		hs.add(caps.query, s.serveQuery, http.MethodGet, http.MethodPost)
	case len(rest) == 2 && strings.EqualFold(rest[0], "query") && strings.EqualFold(rest[1], "count"):
		hs.add(caps.count, s.serveCount, http.MethodGet, http.MethodPost)
	case len(rest) == 2 && strings.EqualFold(rest[0], "query") && strings.EqualFold(rest[1], "next"):
		// A cursor answers only the method of the query that made it (checked in serveNext).
		hs.add(caps.query, s.serveNext, http.MethodGet, http.MethodPost)
	case strings.EqualFold(rest[0], "entityInformation"):
		addMetadataHandlers(hs, caps.entityInfo, rest[1:], s)
	case len(rest) == 1:
		if !s.record(hs, rt, caps, rest[0]) {
			return nil
		}
	default:
		pid, ok := parseID(rest[0])
		ch, found := theCatalog().child(e.name, rest[1])
		if !ok || !found {
			return nil
		}
		rt.parentID, rt.child = pid, ch
		rt.entity = childEntity(ch)
		return s.childHandlers(rt, rest[2:])
	}
	return hs
}

func (s *Sandbox) childHandlers(rt *route, rest []string) handlers {
	caps := s.offered(rt.child.entity, rt.child.caps)
	hs := handlers{}
	switch {
	case len(rest) == 0:
		hs.add(caps.query, s.serveChildList, http.MethodGet)
		s.collection(hs, caps)
	case strings.EqualFold(rest[0], "entityInformation"):
		addMetadataHandlers(hs, caps.entityInfo, rest[1:], s)
	case len(rest) == 1:
		if !s.record(hs, rt, caps, rest[0]) {
			return nil
		}
	}
	return hs
}

func addMetadataHandlers(hs handlers, ok bool, rest []string, s *Sandbox) {
	if !ok {
		return
	}
	switch {
	case len(rest) == 0:
		hs[http.MethodGet] = s.serveEntityInformation
	case len(rest) == 1 && strings.EqualFold(rest[0], "fields"):
		hs[http.MethodGet] = s.serveFields
	case len(rest) == 1 && strings.EqualFold(rest[0], "userDefinedFields"):
		hs[http.MethodGet] = s.serveUDFs
	}
}

func childEntity(ch *childRoute) *entityRoute {
	e, _ := theCatalog().entity(ch.entity)
	return e
}

func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id >= 0
}

// templateOf turns a path into its Stats endpoint name: ids become {id}, the query cursor
// counts as its query, words keep their canonical case where the route table knows them.
func templateOf(segs []string) string {
	out := make([]string, 0, len(segs))
	for i, seg := range segs {
		switch {
		case isDigits(seg):
			out = append(out, "{id}")
		case strings.EqualFold(seg, "next") && i > 0 && strings.EqualFold(segs[i-1], "query"):
			// page 2..n of a query is the same endpoint as page 1
		default:
			out = append(out, canonicalWord(seg, out))
		}
	}
	return strings.Join(out, "/")
}

func canonicalWord(seg string, before []string) string {
	for _, w := range []string{"query", "count", "entityInformation", "fields", "userDefinedFields"} {
		if strings.EqualFold(seg, w) {
			return w
		}
	}
	if len(before) == 0 {
		if e, ok := theCatalog().entity(seg); ok {
			return e.name
		}
	}
	if len(before) >= 2 {
		if ch, ok := theCatalog().child(before[0], seg); ok {
			return ch.segment
		}
	}
	return seg
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
