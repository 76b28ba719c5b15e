package sandbox

import (
	"sync"
	"time"
)

// limiter enforces the tenant's two limits: requests per rolling hour (shared by every
// integration) and threads in flight per integration code and endpoint family.
type limiter struct {
	hourly, threads int

	mu       sync.Mutex
	buckets  [60]minuteBucket // rolling hour in one-minute buckets, indexed by minute % 60
	inFlight map[string]int
}

type minuteBucket struct {
	minute int64 // unix minute the count belongs to
	n      int
}

func newLimiter(hourly, threads int) *limiter {
	return &limiter{hourly: hourly, threads: threads, inFlight: map[string]int{}}
}

func (l *limiter) usageLocked(now time.Time) (used int, oldest int64) {
	cur := now.Unix() / 60
	oldest = cur
	for _, b := range l.buckets {
		if b.n > 0 && b.minute > cur-60 {
			used += b.n
			oldest = min(oldest, b.minute)
		}
	}
	return used, oldest
}

// usage is the number of requests counted in the hour ending now.
func (l *limiter) usage(now time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	used, _ := l.usageLocked(now)
	return used
}

// admit counts one request against the hour, or refuses it with how long until the oldest
// counted minute leaves the window.
func (l *limiter) admit(now time.Time) (used int, retryAfter time.Duration, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	used, oldest := l.usageLocked(now)
	if used >= l.hourly {
		wait := time.Unix((oldest+60)*60, 0).Sub(now)
		return used, max(wait, time.Second), false
	}
	cur := now.Unix() / 60
	b := &l.buckets[cur%60]
	if b.minute != cur {
		*b = minuteBucket{minute: cur}
	}
	b.n++
	return used + 1, 0, true
}

// acquire takes a thread slot; inFlight counts this request too, even when refused, so a
// peak above the limit shows a client that overran it.
func (l *limiter) acquire(key string) (inFlight int, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := l.inFlight[key] + 1
	if n > l.threads {
		return n, false
	}
	l.inFlight[key] = n
	return n, true
}

func (l *limiter) release(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.inFlight[key] <= 1 {
		delete(l.inFlight, key)
		return
	}
	l.inFlight[key]--
}
