package autotask

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/time/rate"
)

// Usage levels of the tenant's hourly budget, as read from ThresholdInformation.
const (
	usageNormal = iota
	usagePast50
	usagePast75
)

// pacer keeps the client inside the tenant's limits: a token bucket refilled at
// the hourly budget (slowed further as the shared budget runs low, because other
// integrations spend it too), and at most maxInFlight requests per endpoint family,
// since the API answers a 4th concurrent request with a 429.
type pacer struct {
	limiter   *rate.Limiter
	baseRate  rate.Limit
	baseBurst int
	level     atomic.Int32

	maxInFlight int
	mu          sync.Mutex
	families    map[string]chan struct{}
}

func newPacer(hourlyBudget, maxInFlight int) *pacer {
	r := rate.Limit(float64(hourlyBudget) / 3600)
	// A burst lets a conversation's first few calls go out at once; the hourly
	// rate still bounds the sustained pace.
	burst := max(1, min(100, hourlyBudget/100))
	return &pacer{
		limiter:     rate.NewLimiter(r, burst),
		baseRate:    r,
		baseBurst:   burst,
		maxInFlight: maxInFlight,
		families:    make(map[string]chan struct{}),
	}
}

// setUsage applies the progressive slowdown: half speed past 50% of the tenant's
// hourly threshold, a quarter (and no bursts) past 75%.
func (p *pacer) setUsage(used, threshold int) int {
	level := usageNormal
	if threshold > 0 {
		switch frac := float64(used) / float64(threshold); {
		case frac > 0.75:
			level = usagePast75
		case frac > 0.5:
			level = usagePast50
		}
	}
	if int(p.level.Swap(int32(level))) == level {
		return level
	}
	switch level {
	case usagePast75:
		p.limiter.SetLimit(p.baseRate / 4)
		p.limiter.SetBurst(1)
	case usagePast50:
		p.limiter.SetLimit(p.baseRate / 2)
		p.limiter.SetBurst(max(1, p.baseBurst/4))
	default:
		p.limiter.SetLimit(p.baseRate)
		p.limiter.SetBurst(p.baseBurst)
	}
	return level
}

// acquire waits for a token and a slot of the endpoint family; release must be
// called when the response has been read.
func (p *pacer) acquire(ctx context.Context, family string) (release func(), err error) {
	if err := p.limiter.Wait(ctx); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// Wait refuses up front when the token would come after ctx's deadline.
		return nil, fmt.Errorf("%w: the hourly request budget allows no request before the deadline: %w", ErrRateLimited, err)
	}
	sem := p.slot(family)
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (p *pacer) slot(family string) chan struct{} {
	key := strings.ToLower(family)
	p.mu.Lock()
	defer p.mu.Unlock()
	sem, ok := p.families[key]
	if !ok {
		sem = make(chan struct{}, p.maxInFlight)
		p.families[key] = sem
	}
	return sem
}

// endpointFamily is the first path segment after V1.0 ("Tickets" for
// "Tickets/123/Notes"): the unit the API's thread limit counts.
func endpointFamily(path string) string {
	path = strings.TrimLeft(path, "/")
	if i := strings.IndexAny(path, "/?"); i >= 0 {
		path = path[:i]
	}
	return path
}

// Pacing is the client's current pace, for diagnostics (the `check` command).
type Pacing struct {
	RequestsPerHour float64
	Burst           int
	// SlowdownLevel is 0 normally, 1 once ThresholdInformation showed more than 50%
	// of the tenant's hourly threshold used, 2 past 75%.
	SlowdownLevel int
}

// Pacing reports the current pace.
func (c *Client) Pacing() Pacing {
	return Pacing{
		RequestsPerHour: float64(c.pacer.limiter.Limit()) * 3600,
		Burst:           c.pacer.limiter.Burst(),
		SlowdownLevel:   int(c.pacer.level.Load()),
	}
}
