package sandbox

import (
	"bytes"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FaultKind says how an injected fault breaks a request.
type FaultKind int

const (
	// FaultStatus answers Status (default 500) with Body, or an errors envelope when Body is
	// empty, and a Retry-After header when RetryAfter is set.
	FaultStatus FaultKind = iota
	// FaultHang holds the request for Hang (forever when 0) or until the client goes away,
	// occupying its thread slot; a request that outlives the hang is then served normally.
	FaultHang
	// FaultReset drops the connection before answering; the request is not applied.
	FaultReset
	// FaultResetAfterApply applies the request, then drops the connection unanswered.
	FaultResetAfterApply
	// FaultMalformedJSON applies the request and answers 200 (or Status) with the first half
	// of the real body: JSON that does not parse.
	FaultMalformedJSON
	// FaultHTML answers an HTML error page, as a proxy in front of the API does, with Status
	// (default 502); the request is not applied.
	FaultHTML
)

func (k FaultKind) String() string {
	switch k {
	case FaultStatus:
		return "status"
	case FaultHang:
		return "hang"
	case FaultReset:
		return "reset"
	case FaultResetAfterApply:
		return "reset-after-apply"
	case FaultMalformedJSON:
		return "malformed-json"
	case FaultHTML:
		return "html"
	}
	return "fault(" + strconv.Itoa(int(k)) + ")"
}

// Fault describes one injected failure.
type Fault struct {
	Kind       FaultKind
	Status     int
	Body       string
	RetryAfter time.Duration
	Hang       time.Duration
}

// Faults holds the scripted and random faults of a sandbox. It is safe for concurrent use.
type Faults struct {
	mu      sync.Mutex
	scripts []*scriptedFault
	random  *randomFault
}

type scriptedFault struct {
	method, prefix string
	left           int
	fault          Fault
}

// randomFault is the faults drawn at random: one draw per request picks at most one of
// them, each with its own rate.
type randomFault struct {
	rng *rand.Rand
	mix []RandomFault
}

// RandomFault is a fault and the share of requests it breaks (0 to 1).
type RandomFault struct {
	Fault Fault
	Rate  float64
}

// Faults gives access to fault injection.
func (s *Sandbox) Faults() *Faults { return s.faults }

// Script makes the next n requests matching method ("" = any) and pathPrefix (relative to
// V1.0, any case, e.g. "Tickets/query") fail with fault. Scripts are consumed in the order
// they were added.
func (f *Faults) Script(method, pathPrefix string, n int, fault Fault) {
	if n <= 0 {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scripts = append(f.scripts, &scriptedFault{
		method: strings.ToUpper(method),
		prefix: strings.ToLower(strings.Trim(pathPrefix, "/")),
		left:   n,
		fault:  fault,
	})
}

// Random makes every request fail with fault with the given probability, drawn from a
// generator seeded with seed so a run can be replayed. Scripted faults take precedence.
func (f *Faults) Random(probability float64, seed int64, fault Fault) {
	f.RandomMix(seed, []RandomFault{{Fault: fault, Rate: probability}})
}

// RandomMix replaces the random faults with mix: each request meets at most one of them,
// fault i with probability mix[i].Rate, drawn from a generator seeded with seed so a run can
// be replayed. Rates that add up past 1 leave the last faults of mix with less than their
// rate. Scripted faults take precedence.
func (f *Faults) RandomMix(seed int64, mix []RandomFault) {
	var kept []RandomFault
	for _, m := range mix {
		if m.Rate > 0 {
			kept = append(kept, m)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(kept) == 0 {
		f.random = nil
		return
	}
	f.random = &randomFault{rng: rand.New(rand.NewPCG(uint64(seed), 0x5eed)), mix: kept}
}

// Clear removes every fault.
func (f *Faults) Clear() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scripts, f.random = nil, nil
}

// pick consumes the fault, if any, that the request meets.
func (f *Faults) pick(method, path string) (Fault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	path = strings.ToLower(path)
	for i, sc := range f.scripts {
		if (sc.method == "" || sc.method == method) && strings.HasPrefix(path, sc.prefix) {
			sc.left--
			if sc.left == 0 {
				f.scripts = append(f.scripts[:i], f.scripts[i+1:]...)
			}
			return sc.fault, true
		}
	}
	if f.random == nil {
		return Fault{}, false
	}
	draw, below := f.random.rng.Float64(), 0.0
	for _, m := range f.random.mix {
		below += m.Rate
		if draw < below {
			return m.Fault, true
		}
	}
	return Fault{}, false
}

// withFaults serves the request, after its latency, through the fault, if one is due.
func (s *Sandbox) withFaults(w http.ResponseWriter, r *http.Request, segs []string, serve http.HandlerFunc) {
	if !s.latency.wait(r) {
		return
	}
	fault, ok := s.faults.pick(r.Method, relPath(segs))
	if !ok {
		serve(w, r)
		return
	}
	switch fault.Kind {
	case FaultStatus:
		status := cmpOr(fault.Status, http.StatusInternalServerError)
		writeRetryAfter(w, fault.RetryAfter)
		if fault.Body != "" {
			writeRaw(w, status, []byte(fault.Body))
			return
		}
		msg := "Sandbox fault injection: " + strconv.Itoa(status) + " " + http.StatusText(status)
		if status == http.StatusTooManyRequests {
			msg = threadThresholdMessage(s.opts.ThreadLimit)
		}
		writeErrors(w, status, msg)
	case FaultHang:
		bufferBody(r)
		if fault.Hang <= 0 {
			<-r.Context().Done()
			return
		}
		if sleepCtx(r.Context(), fault.Hang) {
			serve(w, r)
		}
	case FaultReset:
		resetConnection(w)
	case FaultResetAfterApply:
		serve(newBufferedResponse(), r)
		resetConnection(w)
	case FaultMalformedJSON:
		buf := newBufferedResponse()
		serve(buf, r)
		body := buf.body.Bytes()
		body = body[:len(body)/2]
		if len(body) < 2 {
			body = []byte(`{"items":[{"id":`)
		}
		writeRaw(w, cmpOr(fault.Status, http.StatusOK), body)
	case FaultHTML:
		page := fault.Body
		if page == "" {
			page = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n" +
				"<body><h1>502 Bad Gateway</h1><p>The proxy server received an invalid response from an upstream server.</p></body></html>\n"
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(cmpOr(fault.Status, http.StatusBadGateway))
		_, _ = w.Write([]byte(page))
	default:
		serve(w, r)
	}
}

// bufferBody reads the request body into memory before a request is held: net/http
// notices a client that went away only once the request body has been consumed.
func bufferBody(r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	r.Body = io.NopCloser(bytes.NewReader(body))
}

func cmpOr(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// resetConnection drops the connection without an answer: a TCP reset where the server
// lets us hijack it, an aborted stream otherwise.
func resetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0) // RST instead of FIN: "connection reset by peer"
	}
	_ = conn.Close()
}

// bufferedResponse captures what a handler answered, so a fault can apply the request and
// then decide what the client really gets.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newBufferedResponse() *bufferedResponse { return &bufferedResponse{header: http.Header{}} }

func (b *bufferedResponse) Header() http.Header { return b.header }
func (b *bufferedResponse) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}
func (b *bufferedResponse) Write(p []byte) (int, error) {
	b.WriteHeader(http.StatusOK)
	return b.body.Write(p)
}
