package testenv

import (
	"net/http"
	"sync"
	"time"
)

// Overlap is middleware for the sandbox that proves requests are sent at once without timing them:
// once armed, each request it matches is held at a barrier until the armed number of them have
// arrived, and only then do they all go on. Code that sends them one after another never fills the
// barrier: the first request then waits out Timeout alone, opens the barrier for good, and Peak
// stays below the armed number, so the test fails instead of hanging.
type Overlap struct {
	// Match picks the requests that count; nil counts every request.
	Match func(*http.Request) bool
	// Timeout is how long the barrier waits for the armed number: generous, it only bounds a
	// regression.
	Timeout time.Duration

	mu       sync.Mutex
	want     int           // 0: disarmed, requests pass untouched
	arrived  int           // matched requests since Arm
	inFlight int           // matched requests between arrival and response
	peak     int           // most matched requests in flight at once since Arm
	open     chan struct{} // closed when want arrived, or when the wait timed out
}

// Arm starts counting: the next want matched requests wait for each other.
func (o *Overlap) Arm(want int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.want, o.arrived, o.inFlight, o.peak = want, 0, 0, 0
	o.open = make(chan struct{})
}

// Peak is the most matched requests that were in flight at once since Arm.
func (o *Overlap) Peak() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.peak
}

// Wrap puts the barrier in front of next; see Options.WrapAPI.
func (o *Overlap) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		open, counted := o.arrive(r)
		if !counted {
			next.ServeHTTP(w, r)
			return
		}
		defer o.leave()
		timeout := o.Timeout
		if timeout <= 0 {
			timeout = 10 * time.Second
		}
		timer := time.NewTimer(timeout)
		defer timer.Stop()
		select {
		case <-open:
		case <-timer.C:
			o.release(open)
		case <-r.Context().Done():
		}
		next.ServeHTTP(w, r)
	})
}

func (o *Overlap) arrive(r *http.Request) (open chan struct{}, counted bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.want == 0 || (o.Match != nil && !o.Match(r)) {
		return nil, false
	}
	o.arrived++
	o.inFlight++
	o.peak = max(o.peak, o.inFlight)
	if o.arrived == o.want {
		closeOnce(o.open)
	}
	return o.open, true
}

func (o *Overlap) leave() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.inFlight--
}

func (o *Overlap) release(open chan struct{}) {
	o.mu.Lock()
	defer o.mu.Unlock()
	closeOnce(open)
}

// closeOnce closes ch unless it is closed already; callers hold o.mu.
func closeOnce(ch chan struct{}) {
	select {
	case <-ch:
	default:
		close(ch)
	}
}
