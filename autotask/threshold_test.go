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
	c, err := autotask.New(func() autotask.Config {
		cfg := tn.config(t)
		cfg.ThresholdInterval = 20 * time.Millisecond
		return cfg
	}())
	require.NoError(t, err)
	ctx := testCtx(t)

	_, err = c.Count(ctx, "Tickets", nil)
	require.NoError(t, err)
	require.Eventually(t, func() bool { return tn.endpointCount("GET ThresholdInformation") == 1 }, 5*time.Second, 5*time.Millisecond,
		"the first request starts a poll")

	// No poll without requests: an idle client spends nothing.
	time.Sleep(60 * time.Millisecond)
	assert.Equal(t, 1, tn.endpointCount("GET ThresholdInformation"))

	// Within the interval requests do not poll again; after it, one does.
	_, err = c.Count(ctx, "Tickets", nil)
	require.NoError(t, err)
	require.Eventually(t, func() bool { return tn.endpointCount("GET ThresholdInformation") == 2 }, 5*time.Second, 5*time.Millisecond)

	require.NoError(t, c.Close())
	require.NoError(t, c.Close(), "Close is idempotent")
	time.Sleep(30 * time.Millisecond)
	_, err = c.Count(ctx, "Tickets", nil)
	require.NoError(t, err, "requests still work after Close")
	time.Sleep(30 * time.Millisecond)
	assert.Equal(t, 2, tn.endpointCount("GET ThresholdInformation"), "no poll after Close")
}
