package sandbox

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// apiRequest is one authenticated request on its way to a handler.
type apiRequest struct {
	s  *Sandbox
	w  http.ResponseWriter
	r  *http.Request
	rt route

	meta *entityMeta // the entity the route serves (the child's entity below a parent)
	st   *store
	// actor is the resource a write is recorded against: the impersonated resource, else
	// the API user's own. impersonator is the API user when impersonating, else 0.
	actor, impersonator int64
}

// serveAPI runs the pipeline every authenticated request takes: auth, the hourly budget,
// the thread limit, latency, injected faults, progressive slowdown, then the handler.
func (s *Sandbox) serveAPI(w http.ResponseWriter, r *http.Request, segs []string) {
	if len(segs) == 0 {
		writeNotFound(w, r)
		return
	}
	if !s.authenticate(w, r) {
		return
	}
	rt := s.resolve(r.Method, segs)
	now := s.opts.Now()
	used, retryAfter, ok := s.limits.admit(now)
	if !ok {
		writeRetryAfter(w, retryAfter)
		writeErrors(w, http.StatusTooManyRequests, "API request threshold of "+itoa(int64(s.opts.HourlyLimit))+
			" requests per hour has been exceeded. Retry after "+retryAfter.Round(time.Second).String()+".")
		return
	}
	s.stats.request(rt.endpoint)

	key := r.Header.Get("ApiIntegrationCode") + "|" + rt.family
	n, ok := s.limits.acquire(key)
	s.stats.inFlight(rt.family, n)
	if !ok {
		writeErrors(w, http.StatusTooManyRequests, threadThresholdMessage(s.opts.ThreadLimit))
		return
	}
	defer s.limits.release(key)

	s.withFaults(w, r, segs, func(w http.ResponseWriter, r *http.Request) {
		if !s.slowdown(r.Context(), used) {
			return
		}
		s.dispatch(w, r, rt)
	})
}

func threadThresholdMessage(limit int) string {
	return "API thread threshold of " + itoa(int64(limit)) + " threads has been exceeded"
}

// slowdown adds the configured latency past 50% and 75% of the hour's budget; false when
// the client went away meanwhile.
func (s *Sandbox) slowdown(ctx context.Context, used int) bool {
	var d time.Duration
	switch {
	case used*4 > s.opts.HourlyLimit*3:
		d = s.opts.SlowdownAt75
	case used*2 > s.opts.HourlyLimit:
		d = s.opts.SlowdownAt50
	}
	return sleepCtx(ctx, d)
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func (s *Sandbox) dispatch(w http.ResponseWriter, r *http.Request, rt route) {
	switch rt.status {
	case http.StatusNotFound:
		writeNotFound(w, r)
		return
	case http.StatusMethodNotAllowed:
		writeMethodNotAllowed(w, r, rt.allow)
		return
	}
	a := &apiRequest{s: s, w: w, r: r, rt: rt}
	if rt.entity != nil {
		a.meta = metaFor(rt.entity)
		a.st = s.storeFor(rt.entity)
	}
	var ok bool
	if a.actor, a.impersonator, ok = s.actorOf(w, r); !ok {
		return
	}
	rt.serve(a)
}

// relPath is the request path relative to V1.0, as faults match it.
func relPath(segs []string) string { return strings.Join(segs, "/") }
