// Package testclock is a clock that moves only when a test moves it, for the injectable Now of
// the client, the guard, the sandbox and the completion cache: expiry, intervals and tokens are
// tested without sleeping.
package testclock

import (
	"sync"
	"time"
)

// Clock is safe for concurrent use; its zero value is not useful, use New.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// New returns a clock standing at start.
func New(start time.Time) *Clock { return &Clock{now: start} }

// Now is the clock's time; pass the method value as an injectable Now.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock by d (back, for a negative d).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
