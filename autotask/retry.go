package autotask

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
)

const (
	maxAttempts = 3
	// maxRetryElapsed bounds the time one call spends retrying, so a tool call
	// fails in a time an assistant will wait for.
	maxRetryElapsed = 45 * time.Second
	// maxRetryAfter is the longest Retry-After honoured by waiting; a longer one
	// (the hourly budget is spent) is returned to the caller at once.
	maxRetryAfter = 20 * time.Second
)

// retryable says whether the failure may be retried at all, given what the
// request is. Reads retry transient failures and 429s. A write is resent only when
// the server provably did not act on it: the API refused it with a 429 (the thread
// or hourly limit is checked before anything is applied). PUT/PATCH/DELETE are also
// resent when the request never left (a refused dial). A create is never resent
// otherwise, not even then: a create whose answer was lost may have been applied,
// and a duplicated note or ticket is data damage.
func retryable(req apiRequest, e *APIError, res attemptResult) bool {
	if e.Kind == nil {
		return false // the caller's context ended
	}
	switch req.kind {
	case kindRead:
		return errors.Is(e.Kind, ErrTransient) || errors.Is(e.Kind, ErrRateLimited)
	case kindWrite:
		if e.Kind == ErrRateLimited {
			return true
		}
		return res.status == 0 && !res.sent && e.Kind == ErrTransient
	default:
		return e.Kind == ErrRateLimited
	}
}

// retryDelay returns how long to wait before the next attempt, or false when the
// error should be returned now.
func (c *Client) retryDelay(ctx context.Context, req apiRequest, e *APIError, res attemptResult, attempt int, start time.Time) (time.Duration, bool) {
	if attempt >= maxAttempts || !retryable(req, e, res) {
		return 0, false
	}
	delay := backoff(c.cfg.RetryBaseDelay, attempt)
	if e.Kind == ErrRateLimited && e.RetryAfter > 0 {
		if e.RetryAfter > maxRetryAfter {
			return 0, false
		}
		delay = max(delay, e.RetryAfter)
	}
	if time.Since(start)+delay > maxRetryElapsed {
		return 0, false
	}
	if deadline, ok := ctx.Deadline(); ok && time.Now().Add(delay).After(deadline) {
		return 0, false
	}
	return delay, true
}

// backoff is exponential with jitter: the n-th retry waits between half and all
// of base*2^(n-1), so callers that failed together do not return together.
func backoff(base time.Duration, attempt int) time.Duration {
	d := base << (attempt - 1)
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(half)+1))
}
