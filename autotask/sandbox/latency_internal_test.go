package sandbox

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestLatencyJitterIsSeeded: the draws stay within base±jitter, spread over it, and the same
// seed replays the same draws, so a slow run can be repeated exactly.
func TestLatencyJitterIsSeeded(t *testing.T) {
	draws := func(seed int64, base, jitter time.Duration) []time.Duration {
		l := newLatency(base, jitter, seed)
		out := make([]time.Duration, 200)
		for i := range out {
			out[i] = l.next()
		}
		return out
	}
	first := draws(7, 250*time.Millisecond, 50*time.Millisecond)
	assert.Equal(t, first, draws(7, 250*time.Millisecond, 50*time.Millisecond), "same seed, same latencies")
	assert.NotEqual(t, first, draws(8, 250*time.Millisecond, 50*time.Millisecond), "another seed, other latencies")
	lowest, highest := first[0], first[0]
	for _, d := range first {
		assert.GreaterOrEqual(t, d, 200*time.Millisecond)
		assert.LessOrEqual(t, d, 300*time.Millisecond)
		lowest, highest = min(lowest, d), max(highest, d)
	}
	assert.Less(t, lowest, 220*time.Millisecond, "the draws cover the range")
	assert.Greater(t, highest, 280*time.Millisecond, "the draws cover the range")

	cases := []struct {
		name         string
		base, jitter time.Duration
		want         time.Duration
	}{
		{"no jitter", 250 * time.Millisecond, 0, 250 * time.Millisecond},
		{"none", 0, 0, 0},
		{"negative is none", -time.Second, 0, 0},
	}
	for _, tc := range cases {
		assert.Equal(t, []time.Duration{tc.want, tc.want}, draws(1, tc.base, tc.jitter)[:2], tc.name)
	}
	for _, d := range draws(1, 10*time.Millisecond, time.Second) {
		assert.GreaterOrEqual(t, d, time.Duration(0), "jitter beyond the base is cut to the base: never negative")
		assert.LessOrEqual(t, d, 20*time.Millisecond)
	}
}
