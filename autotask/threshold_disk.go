package autotask

import (
	"encoding/json"
	"os"
	"time"
)

// A process that starts while another's ThresholdInformation answer is younger than
// ThresholdInterval takes that answer instead of asking again. A running process acts on an
// answer that old between its own polls, so a new one acting on it is no less careful with the
// hourly budget, and a client that starts one process per conversation does not spend a
// request of the tenant's budget on each.

// thresholdFile is the last ThresholdInformation answer, kept on disk. Key is a hash of the
// tenant's API URL and user name; nothing of the credentials is in it.
type thresholdFile struct {
	Key       string    `json:"key"`
	CheckedAt time.Time `json:"checkedAt"`
	Threshold Threshold `json:"threshold"`
}

func (c *Client) thresholdPath(base string) string {
	return c.tenantCachePath(base, "threshold-", ".json")
}

// loadRecentThreshold applies a ThresholdInformation answer younger than ThresholdInterval
// from disk to the pace, and returns when it was read; false when there is none.
func (c *Client) loadRecentThreshold() (time.Time, bool) {
	base := c.knownBase()
	path := c.thresholdPath(base)
	if path == "" {
		return time.Time{}, false
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return time.Time{}, false
	}
	var f thresholdFile
	if err := json.Unmarshal(data, &f); err != nil || f.Key != c.tenantCacheKey(base) {
		return time.Time{}, false
	}
	age := c.cfg.Now().Sub(f.CheckedAt)
	if age < 0 || age >= c.cfg.ThresholdInterval {
		return time.Time{}, false
	}
	level := c.pacer.setUsage(f.Threshold.CurrentTimeframeRequestCount, f.Threshold.ExternalRequestThreshold)
	c.log.Debug("autotask threshold from cache", "age", age.Round(time.Second), "used", f.Threshold.CurrentTimeframeRequestCount,
		"threshold", f.Threshold.ExternalRequestThreshold, "slowdown_level", level)
	return f.CheckedAt, true
}

// saveThreshold keeps t for the processes that start within ThresholdInterval; best effort.
func (c *Client) saveThreshold(t Threshold) {
	base := c.knownBase()
	path := c.thresholdPath(base)
	if path == "" {
		return
	}
	c.writeCacheFile("threshold", path, thresholdFile{Key: c.tenantCacheKey(base), CheckedAt: c.cfg.Now().UTC(), Threshold: t})
}
