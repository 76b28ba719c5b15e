package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// writeBody is a parsed create/update body: canonical names, values in stored types.
type writeBody struct {
	id     int64
	hasID  bool
	fields map[string]any // writable fields the body carries (nil value = null)
	udfs   map[string]any // UDF name -> string value or nil, for UDFs the body carries
}

// readWriteBody decodes the JSON object of a write request.
func readWriteBody(r *http.Request) (map[string]any, error) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	if err != nil {
		//lint:ignore ST1005 the API's own wording, sent to the client as it is
		return nil, errors.New("Unable to read the request body.")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var body map[string]any
	if err := dec.Decode(&body); err != nil || body == nil {
		//lint:ignore ST1005 the API's own wording, sent to the client as it is
		return nil, errors.New("The request body must be a JSON object.")
	}
	return body, nil
}

// parseWriteBody maps a body onto the entity's fields, matching property names in any case.
// Unknown properties are ignored, and so are read-only ones unless allowReadOnly (direct Go
// access, which writes what it is told).
func parseWriteBody(m *entityMeta, body map[string]any, allowReadOnly bool) (writeBody, []string) {
	wb := writeBody{fields: map[string]any{}, udfs: map[string]any{}}
	var errs []string
	for _, key := range slices.Sorted(maps.Keys(body)) {
		v := body[key]
		switch {
		case strings.EqualFold(key, "id"):
			id, err := toInt(v)
			if err != nil {
				errs = append(errs, fmt.Sprintf("Value %s is not valid for field id (long).", describe(v)))
				continue
			}
			wb.id, wb.hasID = id, true
			continue
		case strings.EqualFold(key, "userDefinedFields"):
			errs = append(errs, parseUDFs(m, v, wb.udfs)...)
			continue
		}
		f, ok := m.field(key)
		if !ok || (f.IsReadOnly && !allowReadOnly) {
			continue
		}
		c, err := coerce(f.DataType, v)
		if err != nil {
			errs = append(errs, fmt.Sprintf("Value %s is not valid for field %s (%s).", describe(v), f.Name, f.DataType))
			continue
		}
		if s, ok := c.(string); ok && f.Length > 0 && utf8.RuneCountInString(s) > f.Length {
			errs = append(errs, fmt.Sprintf("The value for field %s exceeds its maximum length of %d characters.", f.Name, f.Length))
			continue
		}
		wb.fields[f.Name] = c
	}
	return wb, errs
}

// parseUDFs reads "userDefinedFields": [{"name": ..., "value": ...}]; unknown names are
// ignored like unknown fields.
func parseUDFs(m *entityMeta, v any, out map[string]any) []string {
	list, ok := v.([]any)
	if !ok {
		if v == nil {
			return nil
		}
		return []string{"userDefinedFields must be an array of {name, value}."}
	}
	var errs []string
	for _, item := range list {
		obj, ok := item.(map[string]any)
		if !ok {
			errs = append(errs, "userDefinedFields must be an array of {name, value}.")
			continue
		}
		var name string
		var value any
		for k, val := range obj {
			switch strings.ToLower(k) {
			case "name":
				name, _ = val.(string)
			case "value":
				value = val
			}
		}
		d, ok := m.udf(name)
		if !ok {
			continue
		}
		if value == nil {
			out[d.Name] = nil
			continue
		}
		s, err := toString(value)
		if err != nil {
			errs = append(errs, fmt.Sprintf("Value %s is not valid for user-defined field %s.", describe(value), d.Name))
			continue
		}
		if d.Length > 0 && utf8.RuneCountInString(s) > d.Length {
			errs = append(errs, fmt.Sprintf("The value for user-defined field %s exceeds its maximum length of %d characters.", d.Name, d.Length))
			continue
		}
		out[d.Name] = s
	}
	return errs
}

// writeContext is who writes and through which route.
type writeContext struct {
	actor, impersonator int64
	child               *childRoute // set for /{Parent}/{parentId}/{Child} writes
	parentID            int64
	direct              bool // Insert from Go: no validation, every value kept, id included
	viaAPI              bool // counted in Stats.Writes
}

func (a *apiRequest) writeContext() writeContext {
	return writeContext{actor: a.actor, impersonator: a.impersonator, child: a.rt.child, parentID: a.rt.parentID, viaAPI: true}
}

func (s *Sandbox) serveCreate(a *apiRequest) {
	body, err := readWriteBody(a.r)
	if err != nil {
		writeErrors(a.w, http.StatusInternalServerError, err.Error())
		return
	}
	wb, errs := parseWriteBody(a.meta, body, false)
	if len(errs) > 0 {
		writeErrors(a.w, http.StatusInternalServerError, errs...)
		return
	}
	id, errs := s.create(a.meta, a.st, wb, a.writeContext())
	if len(errs) > 0 {
		writeErrors(a.w, http.StatusInternalServerError, errs...)
		return
	}
	writeJSON(a.w, http.StatusOK, map[string]int64{"itemId": id})
}

func (s *Sandbox) servePut(a *apiRequest)   { s.serveUpdate(a, true) }
func (s *Sandbox) servePatch(a *apiRequest) { s.serveUpdate(a, false) }

// serveUpdate answers PUT and PATCH on the collection URL with the id in the body. PUT
// nulls every writable field the body does not carry; PATCH changes only what it carries.
func (s *Sandbox) serveUpdate(a *apiRequest, put bool) {
	body, err := readWriteBody(a.r)
	if err != nil {
		writeErrors(a.w, http.StatusInternalServerError, err.Error())
		return
	}
	wb, errs := parseWriteBody(a.meta, body, false)
	if len(errs) > 0 {
		writeErrors(a.w, http.StatusInternalServerError, errs...)
		return
	}
	if !wb.hasID {
		writeErrors(a.w, http.StatusInternalServerError, "An id is required to update a "+a.meta.model()+".")
		return
	}
	if errs := s.update(a.meta, a.st, wb, put, a.writeContext()); len(errs) > 0 {
		writeErrors(a.w, http.StatusInternalServerError, errs...)
		return
	}
	writeJSON(a.w, http.StatusOK, map[string]int64{"itemId": wb.id})
}

func (s *Sandbox) serveDelete(a *apiRequest) {
	id := a.rt.id
	a.st.mu.Lock()
	r := a.st.recs[id]
	ok := r != nil && (a.rt.child == nil || belongsTo(r, a.rt.child, a.rt.parentID))
	if ok {
		a.st.deleteLocked(id)
	}
	a.st.mu.Unlock()
	if !ok {
		writeErrors(a.w, http.StatusInternalServerError, notFoundMessage(a.meta, id))
		return
	}
	s.stats.write()
	writeJSON(a.w, http.StatusOK, map[string]int64{"itemId": id})
}

func notFoundMessage(m *entityMeta, id int64) string {
	return fmt.Sprintf("Unable to find %s with id [%d].", m.model(), id)
}

// create validates and stores a new record; it returns the id or the API's errors.
func (s *Sandbox) create(m *entityMeta, st *store, wb writeBody, wc writeContext) (int64, []string) {
	rec := &record{f: map[string]any{}}
	for k, v := range wb.fields {
		if v != nil {
			rec.f[k] = v
		}
	}
	if wc.child != nil {
		if errs := s.checkParent(wc); errs != nil {
			return 0, errs
		}
		if wc.child.parentField != "" {
			rec.f[wc.child.parentField] = wc.parentID
		}
	}
	if len(m.udfs) > 0 {
		rec.udf = map[string]string{}
		for k, v := range wb.udfs {
			if sv, ok := v.(string); ok {
				rec.udf[k] = sv
			}
		}
	}
	if !wc.direct {
		if errs := s.validate(m, rec, nil); len(errs) > 0 {
			return 0, errs
		}
	}
	now := s.clock.stamp()
	s.stampCreate(m, rec, now, wc)
	s.applyRules(m, nil, rec, now, wc)

	if wc.direct {
		for k, v := range wb.fields {
			if v != nil {
				rec.f[k] = v
			}
		}
		if wb.hasID {
			rec.f["id"] = wb.id
		}
	}
	st.mu.Lock()
	id := st.insertLocked(rec)
	st.mu.Unlock()
	if wc.viaAPI {
		s.stats.write()
	}
	s.afterWrite(m, rec, now, wc)
	return id, nil
}

// update applies a PUT or PATCH. It retries when another writer replaced the record between
// reading and storing it, so concurrent writers never lose each other's changes silently.
func (s *Sandbox) update(m *entityMeta, st *store, wb writeBody, put bool, wc writeContext) []string {
	for {
		old := st.get(wb.id)
		if old == nil || (wc.child != nil && !belongsTo(old, wc.child, wc.parentID)) {
			return []string{notFoundMessage(m, wb.id)}
		}
		rec := old.clone()
		if put {
			for _, f := range m.fields {
				if !f.IsReadOnly && f.Name != "id" {
					delete(rec.f, f.Name)
				}
			}
		}
		for k, v := range wb.fields {
			if v == nil {
				delete(rec.f, k)
			} else {
				rec.f[k] = v
			}
		}
		if wc.child != nil && wc.child.parentField != "" {
			rec.f[wc.child.parentField] = wc.parentID
		}
		if rec.udf == nil && len(wb.udfs) > 0 {
			rec.udf = map[string]string{}
		}
		for k, v := range wb.udfs {
			if sv, ok := v.(string); ok {
				rec.udf[k] = sv
			} else {
				delete(rec.udf, k)
			}
		}
		if errs := s.validate(m, rec, old); len(errs) > 0 {
			return errs
		}
		if !changed(old, rec) {
			if wc.viaAPI {
				s.stats.write() // a successful update, even one that changed nothing
			}
			return nil
		}
		now := s.clock.stamp()
		s.stampUpdate(m, old, rec, now, wc)
		s.applyRules(m, old, rec, now, wc)

		st.mu.Lock()
		if st.recs[wb.id] != old {
			st.mu.Unlock()
			continue
		}
		st.recs[wb.id] = rec
		st.mu.Unlock()
		if wc.viaAPI {
			s.stats.write()
		}
		s.afterWrite(m, rec, now, wc)
		return nil
	}
}

func changed(old, rec *record) bool {
	return !maps.EqualFunc(old.f, rec.f, sameValue) || !maps.Equal(old.udf, rec.udf)
}

func sameValue(a, b any) bool {
	if ta, ok := a.(time.Time); ok {
		tb, ok := b.(time.Time)
		return ok && ta.Equal(tb)
	}
	return a == b
}

// checkParent refuses a child write below a parent that does not exist.
func (s *Sandbox) checkParent(wc writeContext) []string {
	parent, ok := theCatalog().entity(wc.child.parent)
	if !ok {
		return nil
	}
	if s.storeFor(parent).get(wc.parentID) == nil {
		return []string{notFoundMessage(metaFor(parent), wc.parentID)}
	}
	return nil
}
