// Package expiring is a bounded map whose entries expire, for the caches of a long-running
// process: the client's record names and lookups, and the prompts' completion answers.
package expiring

import (
	"container/list"
	"sync"
	"time"
)

// Cache holds at most max entries, dropping the least recently stored one to make room, and an
// entry older than ttl (by the injected clock) is a miss. A process that runs for weeks must
// neither grow without bound nor answer with a company's old name forever. Safe for concurrent use.
type Cache[K comparable, V any] struct {
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

// New returns an empty cache of at most max entries, each kept for ttl by now's clock.
func New[K comparable, V any](max int, ttl time.Duration, now func() time.Time) *Cache[K, V] {
	return &Cache[K, V]{max: max, ttl: ttl, now: now, items: make(map[K]*list.Element), order: list.New()}
}

// Get returns the value stored for key, unless it has expired.
func (c *Cache[K, V]) Get(key K) (V, bool) {
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

// Put stores value for key. Expired entries go first (every entry lives for the same ttl, so they
// are the oldest stored), then the oldest beyond max.
func (c *Cache[K, V]) Put(key K, value V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.order.Remove(el)
	}
	now := c.now()
	for oldest := c.order.Front(); oldest != nil && now.Sub(oldest.Value.(*cacheItem[K, V]).stored) >= c.ttl; oldest = c.order.Front() {
		c.order.Remove(oldest)
		delete(c.items, oldest.Value.(*cacheItem[K, V]).key)
	}
	c.items[key] = c.order.PushBack(&cacheItem[K, V]{key: key, value: value, stored: now})
	for c.order.Len() > c.max {
		oldest := c.order.Front()
		c.order.Remove(oldest)
		delete(c.items, oldest.Value.(*cacheItem[K, V]).key)
	}
}

// Clear drops every entry.
func (c *Cache[K, V]) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.items)
	c.order.Init()
}

// Len is the number of entries held, expired ones not yet dropped included.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
