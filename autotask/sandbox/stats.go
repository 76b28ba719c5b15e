package sandbox

import (
	"maps"
	"sync"
)

// Stats is what the sandbox observed, for tests and benchmarks to assert on.
type Stats struct {
	Requests   int            // authenticated API requests counted against the hour
	ByEndpoint map[string]int // "POST Tickets/query", "GET Tickets/{id}", "POST Tickets/{id}/Notes", "PUT Tickets" ...
	// PeakInFlight is per endpoint family (entity URL family, e.g. "Tickets"). It counts a
	// request refused by the thread limit too, so a value above ThreadLimit means a client
	// sent more concurrent requests than the API allows.
	PeakInFlight map[string]int
	Writes       int // successful create/update/delete
}

type statsRecorder struct {
	mu sync.Mutex
	s  Stats
}

func newStatsRecorder() *statsRecorder {
	r := &statsRecorder{}
	r.reset()
	return r
}

func (r *statsRecorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.s = Stats{ByEndpoint: map[string]int{}, PeakInFlight: map[string]int{}}
}

func (r *statsRecorder) request(endpoint string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.s.Requests++
	r.s.ByEndpoint[endpoint]++
}

func (r *statsRecorder) inFlight(family string, n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if n > r.s.PeakInFlight[family] {
		r.s.PeakInFlight[family] = n
	}
}

func (r *statsRecorder) write() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.s.Writes++
}

// Stats returns a copy of the counters.
func (s *Sandbox) Stats() Stats {
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	out := s.stats.s
	out.ByEndpoint = maps.Clone(out.ByEndpoint)
	out.PeakInFlight = maps.Clone(out.PeakInFlight)
	return out
}

// ResetStats zeroes the counters (not the hourly usage, which is the tenant's).
func (s *Sandbox) ResetStats() { s.stats.reset() }
