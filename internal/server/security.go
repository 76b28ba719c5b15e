package server

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// MaxBody bounds one HTTP request body. The largest legitimate message is a tool call
// with a long note (the API caps a note at 32,000 characters); 4 MiB leaves room for
// that many times over while keeping a hostile client from filling memory.
const MaxBody int64 = 4 << 20

// accessPolicy is what every HTTP request must pass before it reaches MCP.
type accessPolicy struct {
	// loopback: the server listens on this machine only, so the danger is a web page
	// in the user's browser (DNS rebinding, cross-site requests): Host and Origin
	// must both be local.
	loopback bool
	// tokenHash is the SHA-256 of the bearer token; nil when none is required.
	// Comparing hashes keeps the comparison constant-time whatever the lengths.
	tokenHash []byte
	// users, when set, replaces the one token: each request carries one user's token and
	// is made for that user.
	users   *Users
	maxBody int64
}

func newAccessPolicy(listenAddr, token string, users *Users, maxBody int64) accessPolicy {
	p := accessPolicy{loopback: IsLoopbackAddr(listenAddr), users: users, maxBody: maxBody}
	if token != "" {
		sum := sha256.Sum256([]byte(token))
		p.tokenHash = sum[:]
	}
	if p.maxBody <= 0 {
		p.maxBody = MaxBody
	}
	return p
}

// wrap checks, in order: Host and Origin (403), the bearer token (401), the body
// size (413). The body is only read once the caller is known to be allowed.
func (p accessPolicy) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if p.loopback && !IsLoopbackAddr(r.Host) {
			refuse(w, http.StatusForbidden, "forbidden: Host header is not a local address")
			return
		}
		if !p.originAllowed(r) {
			refuse(w, http.StatusForbidden, "forbidden: Origin not allowed")
			return
		}
		r, ok := p.authorized(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="autotask-mcp"`)
			refuse(w, http.StatusUnauthorized, p.unauthorizedMessage())
			return
		}
		if !p.limitBody(w, r) {
			return
		}
		next.ServeHTTP(w, r)
	})
}

// originAllowed lets through requests without an Origin (every non-browser client)
// and browser requests from the server's own origin; on loopback, from any local origin
// (a local inspector on another port), never from a remote page.
func (p accessPolicy) originAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return false // includes "null" from sandboxed frames and file:// pages
	}
	if p.loopback {
		return IsLoopbackAddr(u.Host)
	}
	return strings.EqualFold(u.Host, r.Host)
}

// authorized checks the bearer token and returns the request to serve: with a team of
// users, made for the user whose token it carries.
func (p accessPolicy) authorized(r *http.Request) (*http.Request, bool) {
	if p.users == nil && p.tokenHash == nil {
		return r, true
	}
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return r, false
	}
	token = strings.TrimSpace(token)
	if p.users != nil {
		u, ok := p.users.authenticate(token)
		if !ok {
			return r, false
		}
		return r.WithContext(withUser(r.Context(), u)), true
	}
	sum := sha256.Sum256([]byte(token))
	return r, subtle.ConstantTimeCompare(sum[:], p.tokenHash) == 1
}

func (p accessPolicy) unauthorizedMessage() string {
	if p.users != nil {
		return "unauthorized: send Authorization: Bearer <your own token>, the one whose SHA-256 the server's users file holds"
	}
	return "unauthorized: send Authorization: Bearer <AUTOTASK_MCP_TOKEN>"
}

// limitBody reads the body up to maxBody and replaces it with the bytes read, so an
// oversized body is a 413 rather than a JSON-RPC parse error deep in the transport.
func (p accessPolicy) limitBody(w http.ResponseWriter, r *http.Request) bool {
	if r.Body == nil || r.Body == http.NoBody {
		return true
	}
	if r.ContentLength > p.maxBody {
		tooLarge(w, p.maxBody)
		return false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, p.maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			tooLarge(w, p.maxBody)
		} else {
			refuse(w, http.StatusBadRequest, "bad request: reading body failed")
		}
		return false
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	return true
}

func tooLarge(w http.ResponseWriter, limit int64) {
	refuse(w, http.StatusRequestEntityTooLarge, "request body too large (limit "+formatBytes(limit)+")")
}

// refuse answers with an error and ends the connection without reading any more of the
// request. net/http would otherwise read and discard up to 256 KiB of an unread body,
// both before the response (spared by "Connection: close") and after it, when it closes
// the body (spared by a read deadline already passed): a client announcing a body it
// never sends would hold the connection, and a file descriptor, as long as it liked.
func refuse(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Connection", "close")
	http.Error(w, msg, code)
	_ = http.NewResponseController(w).SetReadDeadline(time.Now())
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	default:
		return strconv.FormatInt(n, 10) + " bytes"
	}
}

// IsLoopbackAddr reports whether a listen address (host:port or host) accepts
// connections from this machine only. An empty host listens everywhere.
func IsLoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
