package server

import (
	"net/http"
	"strconv"
)

// healthBody is the whole answer of the health check. It is a constant on purpose: health
// checkers call without the bearer token, so the answer must not tell anyone who can reach
// the port anything about the tenant, the zone, the version or the sessions.
const healthBody = "ok"

// serveHealth answers GET and HEAD with 200 and healthBody, and every other method with
// 405. It says only that the process accepts HTTP requests; it calls nothing upstream,
// so a slow tenant does not make a load balancer take every replica out at once.
func serveHealth(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed: GET or HEAD", http.StatusMethodNotAllowed)
		return
	}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(healthBody)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write([]byte(healthBody))
	}
}
