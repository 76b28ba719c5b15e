package autotask

import (
	"context"
	"sync/atomic"
)

// A caller that reports what an answer cost (query_entity's group counts say how many requests
// they spent) counts the requests sent on its behalf: every attempt that goes to the API, retries
// included, as the tenant's hourly budget counts them.

type requestTallyKey struct{}

// WithRequestTally returns a context whose requests to the API are counted, and a function that
// reads the count so far.
func WithRequestTally(ctx context.Context) (context.Context, func() int) {
	n := new(atomic.Int64)
	return context.WithValue(ctx, requestTallyKey{}, n), func() int { return int(n.Load()) }
}

// countRequest adds one request to ctx's tally, if it has one.
func countRequest(ctx context.Context) {
	if n, ok := ctx.Value(requestTallyKey{}).(*atomic.Int64); ok {
		n.Add(1)
	}
}
