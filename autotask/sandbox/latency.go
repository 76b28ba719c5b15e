package sandbox

import (
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// latency is the time every request past authentication takes before it is served, as a
// real zone's round trip does: a base with jitter drawn uniformly from [base-jitter,
// base+jitter] by a generator seeded with the tenant's seed, so a run can be replayed.
type latency struct {
	mu           sync.Mutex
	base, jitter time.Duration
	rng          *rand.Rand
}

func newLatency(base, jitter time.Duration, seed int64) *latency {
	l := &latency{rng: rand.New(rand.NewPCG(uint64(seed), 0x1a7e))}
	l.set(base, jitter)
	return l
}

func (l *latency) set(base, jitter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.base, l.jitter = max(base, 0), min(max(jitter, 0), max(base, 0))
}

// next draws the latency of one request.
func (l *latency) next() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.jitter == 0 {
		return l.base
	}
	return l.base - l.jitter + time.Duration(l.rng.Int64N(int64(2*l.jitter)+1))
}

// wait holds the request for its latency; false when the client went away meanwhile, so a
// cancelled request is never served late.
func (l *latency) wait(r *http.Request) bool {
	d := l.next()
	if d <= 0 {
		return r.Context().Err() == nil
	}
	bufferBody(r)
	return sleepCtx(r.Context(), d)
}

// SetLatency changes the latency of the requests that arrive from now on: base, give or
// take jitter (at most base). Options.Latency and Options.Jitter set it at start.
func (s *Sandbox) SetLatency(base, jitter time.Duration) { s.latency.set(base, jitter) }
