package autotask_test

import (
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// TestThresholdRememberedByTheNextProcess: a process started within ThresholdInterval of
// another's ThresholdInformation poll takes that answer, pace included, instead of asking.
func TestThresholdRememberedByTheNextProcess(t *testing.T) {
	tn := newTenant(t, sandbox.Options{HourlyLimit: 100})
	dir, clock := t.TempDir(), newFakeClock()
	ctx := testCtx(t)
	polls := func() int { return tn.endpointCount("GET ThresholdInformation") }
	process := func(interval time.Duration) *autotask.Client {
		cfg := tn.config(t)
		cfg.CacheDir, cfg.Now, cfg.ThresholdInterval, cfg.HourlyBudget = dir, clock.Now, interval, 36000
		c, err := autotask.New(cfg)
		require.NoError(t, err)
		return c
	}
	request := func(c *autotask.Client) {
		t.Helper()
		_, err := c.Count(ctx, "Companies", nil)
		require.NoError(t, err)
	}

	// The first process polls only when told to, so no background poll of its own answers
	// after the one below with an older count.
	first := process(-1)
	for range 60 { // past half the tenant's 100 an hour: the pace halves
		request(first)
	}
	checkedAt := clock.Now()
	_, err := first.Threshold(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, first.Pacing().SlowdownLevel)
	require.NoError(t, first.Close())
	pollsBefore := polls()
	info, err := os.Stat(cachedFile(t, dir, "threshold-*.json"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	clock.Advance(4 * time.Minute)
	second := process(5 * time.Minute)
	request(second)
	assert.True(t, autotask.LastThresholdPoll(second).Equal(checkedAt),
		"within the interval the next process takes the answer on disk and starts no poll (last poll %v)", autotask.LastThresholdPoll(second))
	assert.Equal(t, 1, second.Pacing().SlowdownLevel, "and it paces itself by that answer")
	require.NoError(t, second.Close())

	clock.Advance(time.Minute)
	third := process(5 * time.Minute)
	request(third)
	assert.True(t, autotask.LastThresholdPoll(third).Equal(clock.Now()), "after the interval it polls")
	require.Eventually(t, func() bool { return polls() == pollsBefore+1 }, 10*time.Second, 5*time.Millisecond,
		"the poll reaches the tenant")
	require.NoError(t, third.Close())
}
