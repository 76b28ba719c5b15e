package server

import (
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// httpLimits bound what one client can hold on the HTTP transports: a connection, and
// the server's time while it sends a request slowly or stops reading the response.
type httpLimits struct {
	// header bounds reading a request's headers; read bounds reading the whole request,
	// body included. Neither applies once the request is read: a tool call may run, and
	// a GET stream stay open, as long as they need.
	header, read time.Duration
	// write bounds each write of a response, not the whole response: a stream may last
	// hours, but a client that stops reading is dropped.
	write time.Duration
	// idle bounds a kept-alive connection waiting for its next request.
	idle time.Duration
	// maxConns caps open connections; one more is closed as soon as it is accepted.
	maxConns int
}

// defaultHTTPLimits leave a slow but live client plenty of room: a 4 MiB body in a
// minute is 70 KB/s. A few hundred connections serve a service desk (a client holds one
// for its GET stream and one or two for requests) while keeping a flood of sockets far
// below the process's file descriptor limit.
var defaultHTTPLimits = httpLimits{
	header:   10 * time.Second,
	read:     time.Minute,
	write:    30 * time.Second,
	idle:     2 * time.Minute,
	maxConns: 512,
}

// orDefaults fills every zero field from defaultHTTPLimits.
func (l httpLimits) orDefaults() httpLimits {
	d := defaultHTTPLimits
	if l.header <= 0 {
		l.header = d.header
	}
	if l.read <= 0 {
		l.read = d.read
	}
	if l.write <= 0 {
		l.write = d.write
	}
	if l.idle <= 0 {
		l.idle = d.idle
	}
	if l.maxConns <= 0 {
		l.maxConns = d.maxConns
	}
	return l
}

// connLimitListener holds at most cap(slots) connections open. One past the cap is
// closed at once rather than left waiting in the kernel's queue: the client learns
// straight away that the server is full, and a flood costs no file descriptors.
type connLimitListener struct {
	net.Listener
	slots    chan struct{}
	logger   *slog.Logger
	lastWarn atomic.Int64 // unix nanoseconds of the last "limit reached" warning
}

func limitConns(ln net.Listener, maxConns int, logger *slog.Logger) *connLimitListener {
	return &connLimitListener{Listener: ln, slots: make(chan struct{}, maxConns), logger: logger}
}

func (l *connLimitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		select {
		case l.slots <- struct{}{}:
			return &slotConn{Conn: c, release: sync.OnceFunc(func() { <-l.slots })}, nil
		default:
			_ = c.Close()
			l.warnFull()
		}
	}
}

// warnFull logs at most once a minute: under a flood, a line per refused connection
// would bury everything else.
func (l *connLimitListener) warnFull() {
	now := time.Now().UnixNano()
	last := l.lastWarn.Load()
	if now-last < int64(time.Minute) || !l.lastWarn.CompareAndSwap(last, now) {
		return
	}
	l.logger.Warn("connection limit reached: closing new connections until some end", "max_conns", cap(l.slots))
}

// slotConn gives its slot back when closed, once however often it is closed.
type slotConn struct {
	net.Conn
	release func()
}

func (c *slotConn) Close() error {
	err := c.Conn.Close()
	c.release()
	return err
}

// CloseWrite lets net/http half-close the connection before closing it, as it does
// for a bare TCP connection, so a response sent just before the close is not lost to a
// reset.
func (c *slotConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// budgetWrites gives each write of a response its own deadline, budget from the moment
// it starts. http.Server's WriteTimeout bounds the whole response instead, which would
// cut off every GET stream and every tool call running longer than it.
func budgetWrites(next http.Handler, budget time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bw := &budgetedWriter{ResponseWriter: w, rc: http.NewResponseController(w), budget: budget}
		// A deadline left from the connection's previous request must not fail what
		// net/http writes itself: "100 Continue" before the handler's first write, and
		// the final flush once the handler returns.
		bw.extend()
		defer bw.extend()
		next.ServeHTTP(bw, r)
	})
}

type budgetedWriter struct {
	http.ResponseWriter
	rc     *http.ResponseController
	budget time.Duration
}

func (w *budgetedWriter) extend() { _ = w.rc.SetWriteDeadline(time.Now().Add(w.budget)) }

func (w *budgetedWriter) Write(p []byte) (int, error) {
	w.extend()
	return w.ResponseWriter.Write(p)
}

func (w *budgetedWriter) Flush() {
	w.extend()
	_ = w.rc.Flush()
}

// Unwrap lets http.ResponseController reach the connection through this writer.
func (w *budgetedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
