package autotask

import (
	"container/list"
	"sync"
	"time"
)

// expiringCache is a bounded map whose entries expire: it holds at most max entries, dropping the
// least recently stored one to make room, and an entry older than ttl (by the client's clock) is
// a miss. Record names and the resource and role lookups are cached in it: a process that runs for
// weeks must neither grow without bound nor show a company's old name forever.
type expiringCache[K comparable, V any] struct {
	mu    sync.Mutex
	max   int
	ttl   time.Duration
	now   func() time.Time
	items map[K]*list.Element
	order *list.List // front: the oldest stored
}

type cacheItem[K comparable, V any] struct {
	key    K
	value  V
	stored time.Time
}

func newExpiringCache[K comparable, V any](max int, ttl time.Duration, now func() time.Time) *expiringCache[K, V] {
	return &expiringCache[K, V]{max: max, ttl: ttl, now: now, items: make(map[K]*list.Element), order: list.New()}
}

// get returns the value stored for key, unless it has expired.
func (c *expiringCache[K, V]) get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var zero V
	el, ok := c.items[key]
	if !ok {
		return zero, false
	}
	it := el.Value.(*cacheItem[K, V])
	if c.now().Sub(it.stored) >= c.ttl {
		c.order.Remove(el)
		delete(c.items, key)
		return zero, false
	}
	return it.value, true
}

// put stores value for key, evicting the oldest entries beyond max.
func (c *expiringCache[K, V]) put(key K, value V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.order.Remove(el)
	}
	c.items[key] = c.order.PushBack(&cacheItem[K, V]{key: key, value: value, stored: c.now()})
	for c.order.Len() > c.max {
		oldest := c.order.Front()
		c.order.Remove(oldest)
		delete(c.items, oldest.Value.(*cacheItem[K, V]).key)
	}
}

// clear drops every entry.
func (c *expiringCache[K, V]) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.items)
	c.order.Init()
}
