package autotask

import "time"

// LastThresholdPoll is when c last started a ThresholdInformation poll, or when the answer it
// took from disk instead was read; zero before either. Polls run in the background, so whether
// one was started is known at once only here.
func LastThresholdPoll(c *Client) time.Time {
	n := c.lastThresholdCheck.Load()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}
