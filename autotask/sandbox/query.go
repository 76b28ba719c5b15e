package sandbox

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
)

const maxPageSize = 500

// queryRequest is the body of POST /{Entity}/query (or the search= JSON of a GET).
type queryRequest struct {
	MaxRecords    *json.Number `json:"maxRecords"`
	IncludeFields []string     `json:"includeFields"`
	Filter        []filterNode `json:"filter"`
}

// compiledQuery is a validated query, ready to run.
type compiledQuery struct {
	pred    predicate
	limit   int
	include map[string]bool // canonical names; nil = every field
	udfs    bool            // render userDefinedFields
}

const maxBodyBytes = 8 << 20

// readQuery reads the query from the POST body or the GET search parameter.
func readQuery(a *apiRequest) (queryRequest, error) {
	var raw []byte
	if a.r.Method == http.MethodGet {
		raw = []byte(a.r.URL.Query().Get("search"))
	} else {
		var err error
		raw, err = io.ReadAll(io.LimitReader(a.r.Body, maxBodyBytes))
		if err != nil {
			return queryRequest{}, queryErrorf("Unable to read the request body.")
		}
	}
	var q queryRequest
	if len(bytes.TrimSpace(raw)) == 0 {
		return q, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&q); err != nil {
		return q, queryErrorf("The query could not be parsed: %s", jsonErrorText(err))
	}
	return q, nil
}

func jsonErrorText(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return "property " + typeErr.Field + " cannot be " + typeErr.Value + "."
	}
	return err.Error()
}

// compileQuery validates a query as the API does: a filter is mandatory, maxRecords is
// 1..500 (500 when absent), every field must exist.
func compileQuery(m *entityMeta, q queryRequest, needLimit bool) (*compiledQuery, error) {
	cq := &compiledQuery{limit: maxPageSize, udfs: len(m.udfs) > 0 || m.route.udf}
	if needLimit && q.MaxRecords != nil {
		n, err := q.MaxRecords.Int64()
		if err != nil || n < 1 || n > maxPageSize {
			return nil, queryErrorf("maxCountOfRecordsToReturn must be between 1 and 500")
		}
		cq.limit = int(n)
	}
	if len(q.Filter) == 0 {
		return nil, queryErrorf("A filter is required. To match every record use {\"op\":\"exist\",\"field\":\"id\"}.")
	}
	pred, err := compileFilter(m, q.Filter)
	if err != nil {
		return nil, err
	}
	cq.pred = pred
	if len(q.IncludeFields) > 0 {
		cq.include = map[string]bool{"id": true}
		cq.udfs = false
		for _, name := range q.IncludeFields {
			if strings.EqualFold(name, "userDefinedFields") {
				cq.udfs = len(m.udfs) > 0 || m.route.udf
				continue
			}
			f, ok := m.field(name)
			if !ok {
				return nil, unknownField(m, name)
			}
			cq.include[f.Name] = true
		}
	}
	return cq, nil
}

func writeQueryError(w http.ResponseWriter, err error) {
	var qe *queryError
	if errors.As(err, &qe) {
		writeErrors(w, http.StatusInternalServerError, qe.msg)
		return
	}
	writeErrors(w, http.StatusInternalServerError, err.Error())
}

// requestQuery reads and compiles the request's query, answering the API's error when it cannot;
// paged says whether the query returns records, so needs a page size (a count does not).
func requestQuery(a *apiRequest, paged bool) (*compiledQuery, bool) {
	q, err := readQuery(a)
	if err == nil {
		var cq *compiledQuery
		if cq, err = compileQuery(a.meta, q, paged); err == nil {
			return cq, true
		}
	}
	writeQueryError(a.w, err)
	return nil, false
}

// serveQuery answers POST /{Entity}/query and GET /{Entity}/query?search=.
func (s *Sandbox) serveQuery(a *apiRequest) {
	if cq, ok := requestQuery(a, true); ok {
		s.writePage(a, cq, cursor{Method: a.r.Method})
	}
}

// serveCount answers /{Entity}/query/count with {"queryCount": n}.
func (s *Sandbox) serveCount(a *apiRequest) {
	cq, ok := requestQuery(a, false)
	if !ok {
		return
	}
	a.st.mu.RLock()
	n := 0
	for _, id := range a.st.ids {
		if cq.pred(a.st.recs[id]) {
			n++
		}
	}
	a.st.mu.RUnlock()
	writeJSON(a.w, http.StatusOK, map[string]int{"queryCount": n})
}

// cursor is what a nextPageUrl/prevPageUrl carries: the method of the query that made it
// and the keyset position. A POST cursor is followed with the same body; a GET cursor
// carries its search in the URL.
type cursor struct {
	Method string `json:"m"`
	After  int64  `json:"a,omitempty"` // next page: ids greater than After
	Before int64  `json:"b,omitempty"` // previous page: ids less than Before
}

func (c cursor) encode() string {
	raw, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(raw)
}

func decodeCursor(s string) (cursor, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	var c cursor
	if err != nil || json.Unmarshal(raw, &c) != nil || c.Method == "" {
		return cursor{}, false
	}
	return c, true
}

// serveNext follows a nextPageUrl or prevPageUrl. Only the method of the original query is
// allowed: a GET on a POST cursor is a 405.
func (s *Sandbox) serveNext(a *apiRequest) {
	c, ok := decodeCursor(a.r.URL.Query().Get("paging"))
	if !ok {
		writeErrors(a.w, http.StatusInternalServerError, "The paging token is missing or invalid.")
		return
	}
	if c.Method != a.r.Method {
		writeMethodNotAllowed(a.w, a.r, []string{c.Method})
		return
	}
	q, err := readQuery(a)
	if err != nil {
		writeQueryError(a.w, err)
		return
	}
	cq, err := compileQuery(a.meta, q, true)
	if err != nil {
		writeQueryError(a.w, err)
		return
	}
	s.writePage(a, cq, c)
}

// writePage runs a keyset page: ascending ids after c.After (or the page before c.Before).
func (s *Sandbox) writePage(a *apiRequest, cq *compiledQuery, c cursor) {
	st := a.st
	st.mu.RLock()
	var page []*record
	var hasNext, hasPrev bool
	if c.Before > 0 {
		end := st.firstAfter(c.Before - 1) // first index with id >= Before
		i := end - 1
		for ; i >= 0 && len(page) < cq.limit; i-- {
			if r := st.recs[st.ids[i]]; cq.pred(r) {
				page = append(page, r)
			}
		}
		for l, r := 0, len(page)-1; l < r; l, r = l+1, r-1 {
			page[l], page[r] = page[r], page[l]
		}
		hasPrev = st.anyMatch(cq.pred, i, -1)
		hasNext = st.anyMatch(cq.pred, end, +1)
	} else {
		start := st.firstAfter(c.After)
		i := start
		for ; i < len(st.ids) && len(page) < cq.limit; i++ {
			if r := st.recs[st.ids[i]]; cq.pred(r) {
				page = append(page, r)
			}
		}
		hasNext = st.anyMatch(cq.pred, i, +1)
		hasPrev = c.After > 0 && st.anyMatch(cq.pred, start-1, -1)
	}
	st.mu.RUnlock()

	var next, prev *string
	if hasNext && len(page) > 0 {
		u := s.pageURL(a, cursor{Method: c.Method, After: page[len(page)-1].id()})
		next = &u
	}
	if hasPrev && len(page) > 0 {
		u := s.pageURL(a, cursor{Method: c.Method, Before: page[0].id()})
		prev = &u
	}
	b := make([]byte, 0, 256+len(page)*1024)
	b = append(b, `{"items":[`...)
	for i, r := range page {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendRecord(b, a.meta, r, cq.include, cq.udfs)
	}
	b = append(b, `],"pageDetails":`...)
	details, _ := json.Marshal(map[string]any{
		"count": len(page), "requestCount": cq.limit, "prevPageUrl": prev, "nextPageUrl": next,
	})
	b = append(b, details...)
	b = append(b, '}')
	writeRaw(a.w, http.StatusOK, b)
}

// anyMatch reports whether a record from index i walking by step matches.
func (st *store) anyMatch(pred predicate, i, step int) bool {
	for ; i >= 0 && i < len(st.ids); i += step {
		if pred(st.recs[st.ids[i]]) {
			return true
		}
	}
	return false
}

// pageURL is an absolute cursor URL on the sandbox's own base URL.
func (s *Sandbox) pageURL(a *apiRequest, c cursor) string {
	v := url.Values{"paging": {c.encode()}}
	if c.Method == http.MethodGet {
		v.Set("search", a.r.URL.Query().Get("search"))
	}
	return baseURL(a.r) + a.rt.family + "/query/next?" + v.Encode()
}

// serveGet answers GET /{Entity}/{id} (and a child's /{id}): {"item": {...}} or
// {"item": null} when there is no such record.
func (s *Sandbox) serveGet(a *apiRequest) {
	r := a.st.get(a.rt.id)
	if r != nil && a.rt.child != nil && !belongsTo(r, a.rt.child, a.rt.parentID) {
		r = nil
	}
	if r == nil {
		writeRaw(a.w, http.StatusOK, []byte(`{"item":null}`))
		return
	}
	b := append([]byte(`{"item":`), appendRecord(nil, a.meta, r, nil, len(a.meta.udfs) > 0 || a.meta.route.udf)...)
	writeRaw(a.w, http.StatusOK, append(b, '}'))
}

// serveChildList answers GET /{Parent}/{parentId}/{Child}: every child of the parent.
func (s *Sandbox) serveChildList(a *apiRequest) {
	var page []*record
	a.st.mu.RLock()
	for _, id := range a.st.ids {
		if r := a.st.recs[id]; belongsTo(r, a.rt.child, a.rt.parentID) {
			page = append(page, r)
		}
	}
	a.st.mu.RUnlock()
	b := []byte(`{"items":[`)
	for i, r := range page {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendRecord(b, a.meta, r, nil, len(a.meta.udfs) > 0 || a.meta.route.udf)
	}
	b = append(b, `],"pageDetails":{"count":`...)
	b = append(b, itoa(int64(len(page)))...)
	b = append(b, `,"requestCount":500,"prevPageUrl":null,"nextPageUrl":null}}`...)
	writeRaw(a.w, http.StatusOK, b)
}

func belongsTo(r *record, ch *childRoute, parentID int64) bool {
	if ch.parentField == "" {
		return false
	}
	v, _ := r.f[ch.parentField].(int64)
	return v == parentID
}

// appendRecord renders a record with every field of the entity (null when unset) in the
// spec's order, or only include (plus id).
func appendRecord(b []byte, m *entityMeta, r *record, include map[string]bool, udfs bool) []byte {
	b = append(b, '{')
	first := true
	for _, f := range m.fields {
		if include != nil && !include[f.Name] {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendJSONString(b, f.Name)
		b = append(b, ':')
		b = appendJSONValue(b, f.Name, r.f[f.Name])
	}
	if udfs {
		if !first {
			b = append(b, ',')
		}
		b = append(b, `"userDefinedFields":[`...)
		for i, d := range m.udfs {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"name":`...)
			b = appendJSONString(b, d.Name)
			b = append(b, `,"value":`...)
			if v, ok := r.udf[d.Name]; ok {
				b = appendJSONString(b, v)
			} else {
				b = append(b, "null"...)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}
