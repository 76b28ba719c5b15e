package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	mcpserver "github.com/mark3labs/mcp-go/server"
)

// The paths the HTTP transports serve.
const (
	MCPPath     = "/mcp"     // Streamable HTTP
	SSEPath     = "/sse"     // SSE: the server's stream
	MessagePath = "/message" // SSE: the client's messages
	HealthPath  = "/healthz" // answers ok, without a token, for health checkers
)

const keepAliveEvery = 30 * time.Second

// DefaultSessionTTL is how long a Streamable HTTP session may idle before it is closed.
const DefaultSessionTTL = 30 * time.Minute

// ShutdownTimeout bounds how long in-flight requests may finish once the server is told to stop.
const ShutdownTimeout = 10 * time.Second

// HTTPConfig is how ServeHTTP serves.
type HTTPConfig struct {
	Transport string // "sse" for SSE; anything else is Streamable HTTP
	Addr      string // host:port to listen on; a loopback address also requires local Host and Origin headers
	Token     string // the bearer token every request but the health check must carry; "" none
	// Users, when set, serves a team instead of one token: each request carries one user's
	// token and is made for that user (their resource, reads, tokens and limits). Never
	// together with Token.
	Users *Users
	// SessionTTL closes a Streamable HTTP session idle this long; 0 means DefaultSessionTTL.
	SessionTTL time.Duration

	// The knobs tests turn; the zero value of each is production.
	limits   httpLimits      // zero fields: defaultHTTPLimits
	sessions *sessionManager // nil: a new one
	listener net.Listener    // nil: listen on Addr
}

// ServeHTTP serves MCP over Streamable HTTP (/mcp) or SSE (/sse and /message) until
// ctx ends, then shuts down gracefully: in-flight calls get ShutdownTimeout to finish.
func ServeHTTP(ctx context.Context, s *mcpserver.MCPServer, cfg HTTPConfig, logger *slog.Logger) error {
	if err := cfg.checkUsers(); err != nil {
		return err
	}
	ln := cfg.listener
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", cfg.Addr); err != nil {
			return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
		}
	}
	limits := cfg.limits.orDefaults()
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

	mux := http.NewServeMux()
	shutdown, endpoint := mountTransport(ctx, mux, s, srv, cfg, logger)
	policy := newAccessPolicy(cfg.Addr, cfg.Token, cfg.Users, MaxBody)
	protected := policy.wrap(mux)
	srv.Handler = budgetWrites(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Health checkers carry no token; serveHealth's answer reveals nothing.
		if r.URL.Path == HealthPath {
			serveHealth(w, r)
			return
		}
		protected.ServeHTTP(w, r)
	}), limits.write)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	url := "http://" + ln.Addr().String() + endpoint
	access := slog.Bool("token_required", policy.tokenHash != nil)
	if cfg.Users != nil {
		access = slog.Int("users", cfg.Users.Len())
	}
	logger.Info("serving MCP", "transport", cfg.Transport, "url", url, access)

	select {
	case err := <-served:
		return fmt.Errorf("http server on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	return shutdownGracefully(ctx, srv, shutdown, served, logger)
}

// ErrUsersWithToken is the team configuration ServeHTTP refuses.
var ErrUsersWithToken = errors.New("a users file and a single bearer token exclude each other: each user has their own token")

func (cfg HTTPConfig) checkUsers() error {
	if cfg.Users != nil && cfg.Token != "" {
		return ErrUsersWithToken
	}
	return nil
}

// mountTransport adds the transport cfg names to mux and returns how to shut it down and
// the endpoint a client connects to.
func mountTransport(ctx context.Context, mux *http.ServeMux, s *mcpserver.MCPServer, srv *http.Server, cfg HTTPConfig, logger *slog.Logger) (shutdown func(context.Context) error, endpoint string) {
	if cfg.Transport == "sse" {
		owners := newSSEOwners()
		sse := mcpserver.NewSSEServer(s,
			mcpserver.WithHTTPServer(srv),
			mcpserver.WithSSEEndpoint(SSEPath),
			mcpserver.WithMessageEndpoint(MessagePath),
			mcpserver.WithKeepAlive(true),
			mcpserver.WithKeepAliveInterval(keepAliveEvery),
			mcpserver.WithSessionIDGenerator(owners.generate),
		)
		mux.Handle(SSEPath, owners.stream(sse.SSEHandler()))
		mux.Handle(MessagePath, owners.messages(sse.MessageHandler()))
		return sse.Shutdown, SSEPath
	}
	sessions := cfg.sessions
	if sessions == nil {
		sessions = newSessionManager()
	}
	ttl := cfg.SessionTTL
	if ttl <= 0 {
		ttl = DefaultSessionTTL
	}
	// mcp-go logs every swept session at info; only show that when debugging.
	transportLogger := slog.New(minLevel{Handler: logger.Handler(), min: slog.LevelWarn})
	if logger.Enabled(ctx, slog.LevelDebug) {
		transportLogger = logger
	}
	streamable := mcpserver.NewStreamableHTTPServer(s,
		mcpserver.WithStreamableHTTPServer(srv),
		mcpserver.WithEndpointPath(MCPPath),
		mcpserver.WithSessionIdManagerResolver(sessions),
		mcpserver.WithSessionIdleTTL(ttl),
		mcpserver.WithHeartbeatInterval(keepAliveEvery),
		mcpserver.WithStreamableHTTPLogger(transportLogger),
		mcpserver.WithStreamableHTTPProtocolVersions(sessionProtocolVersions...),
	)
	mux.Handle(MCPPath, sessions.requireSession(streamable))
	return streamable.Shutdown, MCPPath
}

// shutdownGracefully gives in-flight requests ShutdownTimeout to finish once ctx has
// ended, then closes what is left, and waits for srv.Serve to return.
func shutdownGracefully(ctx context.Context, srv *http.Server, shutdown func(context.Context) error, served <-chan error, logger *slog.Logger) error {
	logger.Info("shutting down", "timeout", ShutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ShutdownTimeout)
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
