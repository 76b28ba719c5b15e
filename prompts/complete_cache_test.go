package prompts

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestCompletionCacheIsBounded: the cache never holds more than its bound. When full it drops
// expired answers first, and the oldest answer only when none has expired.
func TestCompletionCacheIsBounded(t *testing.T) {
	now := time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC)
	c := newCompletionCache(time.Minute, 3, func() time.Time { return now })

	for i := range 10 {
		c.put(CompanyNames, strconv.Itoa(i), []string{"v"}, false)
		assert.LessOrEqual(t, c.len(), 3)
	}
	for _, prefix := range []string{"7", "8", "9"} {
		_, ok := c.get(CompanyNames, prefix)
		assert.True(t, ok, "the newest answers are kept: %s", prefix)
	}
	_, ok := c.get(CompanyNames, "6")
	assert.False(t, ok, "the oldest went first")

	// The kind is part of the key.
	_, ok = c.get(TicketNumbers, "9")
	assert.False(t, ok)

	// Two of the three expire; a new answer displaces both, and the third stays.
	now = now.Add(30 * time.Second)
	c.put(CompanyNames, "9", []string{"refreshed"}, false) // replaces, so no eviction
	now = now.Add(40 * time.Second)                        // 7 and 8 are 70 s old, 9 is 40 s
	c.put(CompanyNames, "new", []string{"v"}, false)
	assert.Equal(t, 2, c.len(), "both expired answers went")
	e, ok := c.get(CompanyNames, "9")
	assert.True(t, ok)
	assert.Equal(t, []string{"refreshed"}, e.values)
}
