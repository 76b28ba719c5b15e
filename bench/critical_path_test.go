package bench

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// requestRecorder keeps the sandbox's request log: when each request arrived and ended.
type requestRecorder struct {
	mu   sync.Mutex
	seen []sandbox.LoggedRequest
}

func (r *requestRecorder) record(l sandbox.LoggedRequest) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen = append(r.seen, l)
}

func (r *requestRecorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen = nil
}

func (r *requestRecorder) requests() []sandbox.LoggedRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.seen)
}

// criticalPath is the longest chain of requests in which each one arrived after the one
// before it ended: the round trips that waited on each other. Requests that overlap in time
// ran side by side and count once between them.
func criticalPath(reqs []sandbox.LoggedRequest) int {
	reqs = slices.Clone(reqs)
	slices.SortStableFunc(reqs, func(a, b sandbox.LoggedRequest) int { return a.Start.Compare(b.Start) })
	chain := make([]int, len(reqs)) // chain[i]: the longest chain that ends with request i
	longest := 0
	for i, r := range reqs {
		chain[i] = 1
		for j := range i {
			if !reqs[j].End().After(r.Start) {
				chain[i] = max(chain[i], chain[j]+1)
			}
		}
		longest = max(longest, chain[i])
	}
	return longest
}

func TestCriticalPath(t *testing.T) {
	at := time.Unix(1_800_000_000, 0)
	req := func(startMs, endMs int) sandbox.LoggedRequest {
		return sandbox.LoggedRequest{Start: at.Add(time.Duration(startMs) * time.Millisecond), Duration: time.Duration(endMs-startMs) * time.Millisecond}
	}
	cases := []struct {
		name string
		reqs []sandbox.LoggedRequest
		want int
	}{
		{"none", nil, 0},
		{"one", []sandbox.LoggedRequest{req(0, 250)}, 1},
		{"three in a row", []sandbox.LoggedRequest{req(0, 250), req(251, 500), req(502, 750)}, 3},
		{"starts the moment the previous ends", []sandbox.LoggedRequest{req(0, 250), req(250, 500)}, 2},
		{"three side by side", []sandbox.LoggedRequest{req(0, 250), req(1, 251), req(2, 252)}, 1},
		{"a GET, then three side by side, then a PUT", []sandbox.LoggedRequest{
			req(0, 250), req(251, 500), req(252, 502), req(253, 503), req(504, 750)}, 3},
		{"logged out of order", []sandbox.LoggedRequest{req(502, 750), req(0, 250), req(251, 500)}, 3},
		{"a long request beside a chain of two", []sandbox.LoggedRequest{req(0, 600), req(1, 250), req(251, 500)}, 2},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, criticalPath(tc.reqs), tc.name)
	}
}
