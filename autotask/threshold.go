package autotask

import (
	"context"
	"fmt"
	"time"
)

// Threshold is the tenant's request budget and how much of it the current
// timeframe has used, across every integration of the tenant.
type Threshold struct {
	ExternalRequestThreshold     int `json:"externalRequestThreshold"`
	RequestThresholdTimeframe    int `json:"requestThresholdTimeframe"`
	CurrentTimeframeRequestCount int `json:"currentTimeframeRequestCount"`
}

// Threshold reads ThresholdInformation and adjusts the client's pace to it.
func (c *Client) Threshold(ctx context.Context) (Threshold, error) {
	var t Threshold
	req := apiRequest{method: "GET", path: "ThresholdInformation", kind: kindRead, internal: true}
	if err := c.call(ctx, req, &t); err != nil {
		return Threshold{}, fmt.Errorf("read threshold information: %w", err)
	}
	c.saveThreshold(t)
	level := c.pacer.setUsage(t.CurrentTimeframeRequestCount, t.ExternalRequestThreshold)
	c.log.Debug("autotask threshold", "used", t.CurrentTimeframeRequestCount,
		"threshold", t.ExternalRequestThreshold, "slowdown_level", level)
	return t, nil
}

// maybePollThreshold starts a background ThresholdInformation read when the last
// one is older than ThresholdInterval. It is called on requests rather than on a
// timer so an idle client spends none of the tenant's budget, and it never makes
// the calling request wait. A new process first takes a recent enough answer from disk.
func (c *Client) maybePollThreshold() {
	interval := c.cfg.ThresholdInterval
	if interval < 0 {
		return
	}
	c.thresholdFromDisk.Do(func() {
		if at, ok := c.loadRecentThreshold(); ok {
			c.lastThresholdCheck.CompareAndSwap(0, at.UnixNano())
		}
	})
	now := c.cfg.Now().UnixNano()
	last := c.lastThresholdCheck.Load()
	if last != 0 && now-last < int64(interval) {
		return
	}
	if !c.lastThresholdCheck.CompareAndSwap(last, now) {
		return
	}
	c.goBackground(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		if _, err := c.Threshold(ctx); err != nil && ctx.Err() == nil {
			c.log.Warn("autotask threshold poll failed", "err", err)
		}
	})
}
