package sandbox

import (
	"bufio"
	"net"
	"net/http"
	"strconv"
	"time"
)

// LoggedRequest is one request as the request log records it. It carries no header and no
// query string: those hold the credentials and whatever a client put in a search.
type LoggedRequest struct {
	Method string
	Path   string // the URL path alone
	// Status is what the sandbox answered; 0 when it dropped the connection unanswered or
	// the client went away first.
	Status   int
	Start    time.Time // when the sandbox received the request (monotonic, for ordering)
	Duration time.Duration
}

// End is when the sandbox finished with the request.
func (l LoggedRequest) End() time.Time { return l.Start.Add(l.Duration) }

// String is the request's log line: "GET /ATServicesRest/V1.0/Tickets/10019 200 250.4ms".
func (l LoggedRequest) String() string {
	status := "-"
	if l.Status != 0 {
		status = strconv.Itoa(l.Status)
	}
	return l.Method + " " + l.Path + " " + status + " " + l.Duration.Round(100*time.Microsecond).String()
}

// logRequest serves the request through route and hands what happened to the request log.
func (s *Sandbox) logRequest(w http.ResponseWriter, r *http.Request, route http.HandlerFunc) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w}
	defer func() {
		// A reset fault aborts the handler with a panic; the request still happened.
		s.opts.RequestLog(LoggedRequest{Method: r.Method, Path: r.URL.Path, Status: rec.status, Start: start, Duration: time.Since(start)})
	}()
	route(rec, r)
}

// statusRecorder notes the status a handler answered, and stays a Hijacker so a reset
// fault can still drop the connection.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(status int) {
	if s.status == 0 {
		s.status = status
	}
	s.ResponseWriter.WriteHeader(status)
}

func (s *statusRecorder) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(p)
}

func (s *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(s.ResponseWriter).Hijack()
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
