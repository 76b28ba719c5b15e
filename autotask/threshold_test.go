package autotask_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

func TestThresholdSlowsDownProgressively(t *testing.T) {
	tn := newTenant(t, sandbox.Options{HourlyLimit: 100})
	c := tn.client(t, func(cfg *autotask.Config) { cfg.HourlyBudget = 36000 }) // 10 a second
	ctx := testCtx(t)
	base := c.Pacing()
	assert.InDelta(t, 36000, base.RequestsPerHour, 1)
	assert.Equal(t, 0, base.SlowdownLevel)

	spend := func(n int) {
		for range n {
			_, err := c.Count(ctx, "Companies", nil)
			require.NoError(t, err)
		}
	}
	spend(55)
	th, err := c.Threshold(ctx)
	require.NoError(t, err)
	assert.Equal(t, 100, th.ExternalRequestThreshold)
	assert.Greater(t, th.CurrentTimeframeRequestCount, 50)
	assert.Equal(t, 1, c.Pacing().SlowdownLevel)
	assert.InDelta(t, 18000, c.Pacing().RequestsPerHour, 1)

	spend(20)
	_, err = c.Threshold(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, c.Pacing().SlowdownLevel)
	assert.InDelta(t, 9000, c.Pacing().RequestsPerHour, 1)
	assert.Equal(t, 1, c.Pacing().Burst)
}

func TestThresholdPolledInBackgroundAndStoppedByClose(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	clock := newFakeClock()
	c, err := autotask.New(func() autotask.Config {
		cfg := tn.config(t)
		cfg.ThresholdInterval, cfg.Now = 5*time.Minute, clock.Now
		return cfg
	}())
	require.NoError(t, err)
	ctx := testCtx(t)
	polls := func() int { return tn.endpointCount("GET ThresholdInformation") }
	count := func() {
		t.Helper()
		_, err := c.Count(ctx, "Tickets", nil)
		require.NoError(t, err)
	}

	count()
	require.Eventually(t, func() bool { return polls() == 1 }, 5*time.Second, 5*time.Millisecond,
		"the first request starts a poll")

	// Polls ride on requests, never on a timer, so an idle client spends nothing. Within the
	// interval a request does not poll again; after it, one does.
	clock.Advance(4 * time.Minute)
	count()
	clock.Advance(time.Minute)
	count()
	require.Eventually(t, func() bool { return polls() == 2 }, 5*time.Second, 5*time.Millisecond)

	require.NoError(t, c.Close())
	require.NoError(t, c.Close(), "Close is idempotent")
	assert.Equal(t, 2, polls(), "one poll per interval, and Close waited for any in flight")
	clock.Advance(time.Hour)
	count()
	assert.Equal(t, 2, polls(), "requests still work after Close, and start no poll")
}
