package sandbox

import (
	"fmt"
	"strings"
)

// Direct access from Go, for tests, benchmarks and simulating what other people do in the
// tenant. Entity names match in any case; records come back in the API's JSON shape
// (every field, null as nil, datetimes as the API's strings, numbers as int64/float64,
// UDFs under "userDefinedFields").

// Count is the number of records of entity (0 for an unknown entity).
func (s *Sandbox) Count(entity string) int {
	st, ok := s.storeNamed(entity)
	if !ok {
		return 0
	}
	st.mu.RLock()
	defer st.mu.RUnlock()
	return len(st.ids)
}

// IDs lists the ids of entity in ascending order.
func (s *Sandbox) IDs(entity string) []int64 {
	st, ok := s.storeNamed(entity)
	if !ok {
		return nil
	}
	st.mu.RLock()
	defer st.mu.RUnlock()
	return append([]int64(nil), st.ids...)
}

// Record returns a copy of one record.
func (s *Sandbox) Record(entity string, id int64) (map[string]any, bool) {
	st, ok := s.storeNamed(entity)
	if !ok {
		return nil, false
	}
	r := st.get(id)
	if r == nil {
		return nil, false
	}
	return plainRecord(st.meta, r), true
}

func plainRecord(m *entityMeta, r *record) map[string]any {
	out := make(map[string]any, len(m.fields)+1)
	for _, f := range m.fields {
		out[f.Name] = plainValue(f.Name, r.f[f.Name])
	}
	if len(m.udfs) > 0 || m.route.udf {
		udfs := make([]any, 0, len(m.udfs))
		for _, d := range m.udfs {
			var v any
			if s, ok := r.udf[d.Name]; ok {
				v = s
			}
			udfs = append(udfs, map[string]any{"name": d.Name, "value": v})
		}
		out["userDefinedFields"] = udfs
	}
	return out
}

// Modify changes a record as another user would in the Autotask UI: the fields change
// (read-only ones too), lastActivityDate moves and the change is recorded against a
// colleague, not the API user. Ticket rules apply (status 5 stamps completedDate).
func (s *Sandbox) Modify(entity string, id int64, fields map[string]any) error {
	st, ok := s.storeNamed(entity)
	if !ok {
		return fmt.Errorf("modify %s %d: unknown entity", entity, id)
	}
	wb, errs := parseWriteBody(st.meta, fields, true)
	if len(errs) > 0 {
		return fmt.Errorf("modify %s %d: %s", entity, id, strings.Join(errs, " "))
	}
	if err := unknownKeys(st.meta, fields); err != nil {
		return fmt.Errorf("modify %s %d: %w", entity, id, err)
	}
	wb.id, wb.hasID = id, true
	if errs := s.update(st.meta, st, wb, false, writeContext{actor: s.otherResourceID}); len(errs) > 0 {
		return fmt.Errorf("modify %s %d: %s", entity, id, strings.Join(errs, " "))
	}
	return nil
}

// Insert adds a record as given (an "id" is kept when free), without the API's validation,
// stamping creation fields it does not carry. It returns the id.
func (s *Sandbox) Insert(entity string, rec map[string]any) (int64, error) {
	st, ok := s.storeNamed(entity)
	if !ok {
		return 0, fmt.Errorf("insert %s: unknown entity", entity)
	}
	wb, errs := parseWriteBody(st.meta, rec, true)
	if len(errs) > 0 {
		return 0, fmt.Errorf("insert %s: %s", entity, strings.Join(errs, " "))
	}
	if err := unknownKeys(st.meta, rec); err != nil {
		return 0, fmt.Errorf("insert %s: %w", entity, err)
	}
	id, errs := s.create(st.meta, st, wb, writeContext{actor: s.otherResourceID, direct: true})
	if len(errs) > 0 {
		return 0, fmt.Errorf("insert %s: %s", entity, strings.Join(errs, " "))
	}
	return id, nil
}

func unknownKeys(m *entityMeta, fields map[string]any) error {
	for k := range fields {
		if _, ok := m.field(k); !ok && !strings.EqualFold(k, "userDefinedFields") {
			return fmt.Errorf("no field %q on %s", k, m.name())
		}
	}
	return nil
}
