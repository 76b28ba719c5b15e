package guard

import (
	"container/heap"
	"container/list"
	"context"
	"sync"
	"time"
)

// MemoryLimits bound a MemoryStore. Zero fields take the defaults.
type MemoryLimits struct {
	RecordsPerSession int           // least recently used records beyond this are forgotten; default 512
	MaxRecords        int           // across all sessions; default 5,000: a stored ticket is ~6 KB, so the ledger stays near 30 MB at worst
	MaxSessions       int           // least recently used sessions beyond this are forgotten; default 4,096
	SessionIdle       time.Duration // a session unused this long is forgotten; default 24h
	MaxRedeemed       int           // unexpired redeemed tokens remembered; beyond it Redeem fails with ErrStoreFull; default 100,000
	Now               func() time.Time
}

func (l MemoryLimits) withDefaults() MemoryLimits {
	if l.RecordsPerSession <= 0 {
		l.RecordsPerSession = 512
	}
	if l.MaxRecords <= 0 {
		l.MaxRecords = 5_000
	}
	if l.MaxSessions <= 0 {
		l.MaxSessions = 4_096
	}
	if l.SessionIdle <= 0 {
		l.SessionIdle = 24 * time.Hour
	}
	if l.MaxRedeemed <= 0 {
		l.MaxRedeemed = 100_000
	}
	if l.Now == nil {
		l.Now = time.Now
	}
	return l
}

// MemoryStore is the default Store: one process, bounded by MemoryLimits. It prunes lazily on every
// call, so it needs no goroutine and nothing to close.
type MemoryStore struct {
	mu       sync.Mutex
	lim      MemoryLimits
	sessions map[string]*list.Element // of *memSession
	order    *list.List               // sessions, most recently used first
	records  int
	redeemed map[string]time.Time
	expiries expiryHeap
}

type memSession struct {
	id       string
	lastUsed time.Time
	recs     map[recordRef]*list.Element // of *memRecord
	lru      *list.List                  // records, most recently used first
}

type recordRef struct {
	entity string
	id     int64
}

type memRecord struct {
	ref   recordRef
	state ReadState
}

// NewMemoryStore returns an empty store bounded by lim.
func NewMemoryStore(lim MemoryLimits) *MemoryStore {
	return &MemoryStore{
		lim:      lim.withDefaults(),
		sessions: make(map[string]*list.Element),
		order:    list.New(),
		redeemed: make(map[string]time.Time),
	}
}

// MemoryStats counts what a MemoryStore holds.
type MemoryStats struct {
	Sessions, Records, Redeemed int
}

func (m *MemoryStore) Stats() MemoryStats {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.prune(m.lim.Now())
	return MemoryStats{Sessions: len(m.sessions), Records: m.records, Redeemed: len(m.redeemed)}
}

func (m *MemoryStore) SaveRead(ctx context.Context, key RecordKey, state ReadState) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.lim.Now()
	m.prune(now)
	s := m.touch(key.Session, now, true)
	ref := recordRef{key.Entity, key.ID}
	if el, ok := s.recs[ref]; ok {
		el.Value.(*memRecord).state = state
		s.lru.MoveToFront(el)
	} else {
		s.recs[ref] = s.lru.PushFront(&memRecord{ref: ref, state: state})
		m.records++
	}
	for s.lru.Len() > m.lim.RecordsPerSession {
		m.evictOldestRecord(s)
	}
	for m.records > m.lim.MaxRecords {
		m.evictOldestRecord(m.order.Back().Value.(*memSession))
	}
	for len(m.sessions) > m.lim.MaxSessions {
		m.dropSession(m.order.Back().Value.(*memSession))
	}
	return nil
}

func (m *MemoryStore) LoadRead(ctx context.Context, key RecordKey) (ReadState, bool, error) {
	if err := ctx.Err(); err != nil {
		return ReadState{}, false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.lim.Now()
	m.prune(now)
	s := m.touch(key.Session, now, false)
	if s == nil {
		return ReadState{}, false, nil
	}
	el, ok := s.recs[recordRef{key.Entity, key.ID}]
	if !ok {
		return ReadState{}, false, nil
	}
	s.lru.MoveToFront(el)
	return el.Value.(*memRecord).state, true, nil
}

func (m *MemoryStore) Redeemed(ctx context.Context, tokenID string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.prune(m.lim.Now())
	_, ok := m.redeemed[tokenID]
	return ok, nil
}

func (m *MemoryStore) Redeem(ctx context.Context, tokenID string, expires time.Time) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.prune(m.lim.Now())
	if _, ok := m.redeemed[tokenID]; ok {
		return false, nil
	}
	if len(m.redeemed) >= m.lim.MaxRedeemed {
		return false, ErrStoreFull
	}
	m.redeemed[tokenID] = expires
	heap.Push(&m.expiries, expiry{id: tokenID, at: expires})
	return true, nil
}

// touch returns the session, marked used now; nil when it does not exist and create is false.
func (m *MemoryStore) touch(id string, now time.Time, create bool) *memSession {
	if el, ok := m.sessions[id]; ok {
		s := el.Value.(*memSession)
		s.lastUsed = now
		m.order.MoveToFront(el)
		return s
	}
	if !create {
		return nil
	}
	s := &memSession{id: id, lastUsed: now, recs: make(map[recordRef]*list.Element), lru: list.New()}
	m.sessions[id] = m.order.PushFront(s)
	return s
}

func (m *MemoryStore) evictOldestRecord(s *memSession) {
	el := s.lru.Back()
	if el == nil {
		m.dropSession(s)
		return
	}
	s.lru.Remove(el)
	delete(s.recs, el.Value.(*memRecord).ref)
	m.records--
	if s.lru.Len() == 0 {
		m.dropSession(s)
	}
}

func (m *MemoryStore) dropSession(s *memSession) {
	el, ok := m.sessions[s.id]
	if !ok {
		return
	}
	m.order.Remove(el)
	delete(m.sessions, s.id)
	m.records -= s.lru.Len()
}

// prune forgets idle sessions and expired tokens. Both are found from the oldest end, so a call costs
// only what it removes.
func (m *MemoryStore) prune(now time.Time) {
	for el := m.order.Back(); el != nil; el = m.order.Back() {
		s := el.Value.(*memSession)
		if now.Sub(s.lastUsed) < m.lim.SessionIdle {
			break
		}
		m.dropSession(s)
	}
	for len(m.expiries) > 0 && !m.expiries[0].at.After(now) {
		e := heap.Pop(&m.expiries).(expiry)
		delete(m.redeemed, e.id)
	}
}

type expiry struct {
	id string
	at time.Time
}

// expiryHeap orders redeemed tokens by expiry; TTLs may differ between replicas, so insertion order is
// not expiry order.
type expiryHeap []expiry

func (h expiryHeap) Len() int           { return len(h) }
func (h expiryHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h expiryHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *expiryHeap) Push(x any)        { *h = append(*h, x.(expiry)) }
func (h *expiryHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

var _ Store = (*MemoryStore)(nil)
