package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/mark3labs/mcp-go/server"
)

const (
	mcpPath        = "/mcp"
	ssePath        = "/sse"
	messagePath    = "/message"
	healthPath     = "/healthz"
	keepAliveEvery = 30 * time.Second
)

// httpOptions are the knobs tests turn; the zero value is production.
type httpOptions struct {
	maxBody  int64
	limits   httpLimits      // zero fields: defaultHTTPLimits
	sessions *sessionManager // nil: a new one
	ready    func(net.Addr)  // called once the listener is open
	listener net.Listener    // nil: listen on cfg.Addr
}

// serveHTTP serves MCP over Streamable HTTP (/mcp) or SSE (/sse and /message) until
// ctx ends, then shuts down gracefully: in-flight calls get shutdownTimeout to finish.
func serveHTTP(ctx context.Context, s *server.MCPServer, cfg serveConfig, logger *slog.Logger, opts httpOptions) error {
	ln := opts.listener
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", cfg.Addr); err != nil {
			return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
		}
	}
	limits := opts.limits.orDefaults()
	ln = limitConns(ln, limits.maxConns, logger)
	// ReadTimeout bounds reading a request only: net/http lifts the read deadline once
	// the body is read. No WriteTimeout: it bounds a whole response, and streams are
	// long; budgetWrites bounds each write instead.
	srv := &http.Server{
		ReadHeaderTimeout: limits.header,
		ReadTimeout:       limits.read,
		IdleTimeout:       limits.idle,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelDebug),
	}
	// mcp-go logs every swept session at info; only show that when debugging.
	transportLogger := slog.New(minLevel{Handler: logger.Handler(), min: slog.LevelWarn})
	if logger.Enabled(ctx, slog.LevelDebug) {
		transportLogger = logger
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET "+healthPath, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	var shutdown func(context.Context) error
	var endpoint string
	switch cfg.Transport {
	case "sse":
		sse := server.NewSSEServer(s,
			server.WithHTTPServer(srv),
			server.WithSSEEndpoint(ssePath),
			server.WithMessageEndpoint(messagePath),
			server.WithKeepAlive(true),
			server.WithKeepAliveInterval(keepAliveEvery),
		)
		mux.Handle(ssePath, sse.SSEHandler())
		mux.Handle(messagePath, sse.MessageHandler())
		shutdown, endpoint = sse.Shutdown, ssePath
	default:
		sessions := opts.sessions
		if sessions == nil {
			sessions = newSessionManager()
		}
		streamable := server.NewStreamableHTTPServer(s,
			server.WithStreamableHTTPServer(srv),
			server.WithEndpointPath(mcpPath),
			server.WithSessionIdManager(sessions),
			server.WithSessionIdleTTL(cfg.SessionTTL),
			server.WithHeartbeatInterval(keepAliveEvery),
			server.WithStreamableHTTPLogger(transportLogger),
			server.WithStreamableHTTPProtocolVersions(sessionProtocolVersions...),
		)
		mux.Handle(mcpPath, sessions.requireSession(streamable))
		shutdown, endpoint = streamable.Shutdown, mcpPath
	}
	policy := newAccessPolicy(cfg.Addr, cfg.Token, opts.maxBody)
	protected := policy.wrap(mux)
	srv.Handler = budgetWrites(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Load balancers probe health without a token; the answer reveals nothing.
		if r.URL.Path == healthPath {
			mux.ServeHTTP(w, r)
			return
		}
		protected.ServeHTTP(w, r)
	}), limits.write)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	url := "http://" + ln.Addr().String() + endpoint
	logger.Info("serving MCP", "transport", cfg.Transport, "url", url, "token_required", policy.tokenHash != nil)
	if opts.ready != nil {
		opts.ready(ln.Addr())
	}

	select {
	case err := <-served:
		return fmt.Errorf("http server on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	logger.Info("shutting down", "timeout", shutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	err := shutdown(shutdownCtx)
	if err != nil {
		err = errors.Join(err, srv.Close())
	}
	if serveErr := <-served; serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		err = errors.Join(err, serveErr)
	}
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// minLevel drops records below min.
type minLevel struct {
	slog.Handler
	min slog.Level
}

func (h minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h minLevel) WithAttrs(attrs []slog.Attr) slog.Handler {
	return minLevel{Handler: h.Handler.WithAttrs(attrs), min: h.min}
}

func (h minLevel) WithGroup(name string) slog.Handler {
	return minLevel{Handler: h.Handler.WithGroup(name), min: h.min}
}
