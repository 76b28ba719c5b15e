package sandbox

import (
	"slices"
	"sort"
	"sync"
)

// record is one stored entity record: fields by canonical name (absent = null) and UDF
// values by UDF name (absent = null). A stored record is never mutated: a write stores a
// changed clone, so a reader may keep and render a record after releasing the lock.
type record struct {
	f   map[string]any
	udf map[string]string
}

func (r *record) id() int64 {
	id, _ := r.f["id"].(int64)
	return id
}

func (r *record) clone() *record {
	c := &record{f: make(map[string]any, len(r.f))}
	for k, v := range r.f {
		c.f[k] = v
	}
	if r.udf != nil {
		c.udf = make(map[string]string, len(r.udf))
		for k, v := range r.udf {
			c.udf[k] = v
		}
	}
	return c
}

// store holds the records of one entity. Ids stay sorted so keyset pagination and
// IDs() walk them in order without sorting per request.
type store struct {
	mu     sync.RWMutex
	meta   *entityMeta
	recs   map[int64]*record
	ids    []int64
	nextID int64
}

func newStore(meta *entityMeta, firstID int64) *store {
	return &store{meta: meta, recs: map[int64]*record{}, nextID: firstID}
}

// insertLocked stores rec, giving it the next id unless it carries a free one; the caller
// holds mu.
func (st *store) insertLocked(rec *record) int64 {
	id, has := rec.f["id"].(int64)
	if !has || st.recs[id] != nil {
		id = st.nextID
		for st.recs[id] != nil {
			id++
		}
	}
	rec.f["id"] = id
	st.recs[id] = rec
	if n := len(st.ids); n == 0 || st.ids[n-1] < id {
		st.ids = append(st.ids, id)
	} else {
		i := sort.Search(n, func(i int) bool { return st.ids[i] >= id })
		st.ids = slices.Insert(st.ids, i, id)
	}
	if id >= st.nextID {
		st.nextID = id + 1
	}
	return id
}

func (st *store) deleteLocked(id int64) bool {
	if _, ok := st.recs[id]; !ok {
		return false
	}
	delete(st.recs, id)
	i := sort.Search(len(st.ids), func(i int) bool { return st.ids[i] >= id })
	st.ids = slices.Delete(st.ids, i, i+1)
	return true
}

// firstAfter is the index of the first id greater than after.
func (st *store) firstAfter(after int64) int {
	return sort.Search(len(st.ids), func(i int) bool { return st.ids[i] > after })
}

func (st *store) get(id int64) *record {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.recs[id]
}
