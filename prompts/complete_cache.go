package prompts

import (
	"sync"
	"time"
)

// completionCache holds completion answers by (kind, prefix) for a TTL, at most max of them.
// When full, it drops the expired answers, then the oldest: a person typing asks for ever
// longer prefixes, and the oldest are the ones least likely to be asked for again.
type completionCache struct {
	mu      sync.Mutex
	ttl     time.Duration
	max     int
	now     func() time.Time
	seq     uint64
	entries map[completionKey]completionEntry
}

type completionKey struct {
	kind   Kind
	prefix string
}

type completionEntry struct {
	values  []string // shared with every caller: read only
	more    bool
	expires time.Time
	seq     uint64 // insertion order
}

func newCompletionCache(ttl time.Duration, max int, now func() time.Time) *completionCache {
	return &completionCache{ttl: ttl, max: max, now: now, entries: make(map[completionKey]completionEntry, max)}
}

func (c *completionCache) get(kind Kind, prefix string) (completionEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := completionKey{kind, prefix}
	e, ok := c.entries[k]
	if !ok {
		return completionEntry{}, false
	}
	if !c.now().Before(e.expires) {
		delete(c.entries, k)
		return completionEntry{}, false
	}
	return e, true
}

func (c *completionCache) put(kind Kind, prefix string, values []string, more bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := completionKey{kind, prefix}
	now := c.now()
	if _, replacing := c.entries[k]; !replacing && len(c.entries) >= c.max {
		c.evict(now)
	}
	c.seq++
	c.entries[k] = completionEntry{values: values, more: more, expires: now.Add(c.ttl), seq: c.seq}
}

// evict makes room for one entry: every expired entry goes, and if none had, the oldest.
func (c *completionCache) evict(now time.Time) {
	var oldest completionKey
	oldestSeq := ^uint64(0)
	freed := false
	for k, e := range c.entries {
		if !now.Before(e.expires) {
			delete(c.entries, k)
			freed = true
			continue
		}
		if e.seq < oldestSeq {
			oldest, oldestSeq = k, e.seq
		}
	}
	if !freed {
		delete(c.entries, oldest)
	}
}

// len is the number of entries held, expired ones included.
func (c *completionCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
