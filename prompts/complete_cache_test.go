package prompts

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/autotask-mcp/autotask-mcp/internal/expiring"
)

// TestCompletionCacheIsBounded: the cache never holds more than its bound. When full it drops
// expired answers first, and the oldest answer only when none has expired.
func TestCompletionCacheIsBounded(t *testing.T) {
	now := time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC)
	c := expiring.New[completionKey, completionEntry](3, time.Minute, func() time.Time { return now })

	for i := range 10 {
		c.Put(completionKey{CompanyNames, strconv.Itoa(i)}, completionEntry{values: []string{"v"}, more: false})
		assert.LessOrEqual(t, c.Len(), 3)
	}
	for _, prefix := range []string{"7", "8", "9"} {
		_, ok := c.Get(completionKey{CompanyNames, prefix})
		assert.True(t, ok, "the newest answers are kept: %s", prefix)
	}
	_, ok := c.Get(completionKey{CompanyNames, "6"})
	assert.False(t, ok, "the oldest went first")

	// The kind is part of the key.
	_, ok = c.Get(completionKey{TicketNumbers, "9"})
	assert.False(t, ok)

	// Two of the three expire; a new answer displaces both, and the third stays.
	now = now.Add(30 * time.Second)
	c.Put(completionKey{CompanyNames, "9"}, completionEntry{values: []string{"refreshed"}, more: false}) // replaces, so no eviction
	now = now.Add(40 * time.Second)                                                                      // 7 and 8 are 70 s old, 9 is 40 s
	c.Put(completionKey{CompanyNames, "new"}, completionEntry{values: []string{"v"}, more: false})
	assert.Equal(t, 2, c.Len(), "both expired answers went")
	e, ok := c.Get(completionKey{CompanyNames, "9"})
	assert.True(t, ok)
	assert.Equal(t, []string{"refreshed"}, e.values)
}
