package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// tenant is the Autotask tenant the server talks to: a real one, or the sandbox
// served on a loopback port inside this process.
type tenant struct {
	Client  *autotask.Client
	Config  autotask.Config // Secret included: never log or print it
	Sandbox *localSandbox   // nil for a real tenant
}

// openTenant picks the tenant: the sandbox when asked for or when no credentials are
// configured (saying so in one line on notice), the real tenant otherwise. It does no
// network I/O: zone discovery, the sandbox's listener and its seeding happen on first
// use, so the server answers initialize at once. With --sandbox-request-log, notice also
// gets the sandbox's request log.
func openTenant(cfg serverConfig, lookup env, logger *slog.Logger, notice io.Writer) (*tenant, error) {
	apiCfg, cfgErr := autotask.ConfigFromLookup(lookup)
	useSandbox := cfg.Sandbox
	if !useSandbox {
		if cfgErr != nil {
			return nil, &usageError{err: fmt.Errorf("autotask configuration: %w", cfgErr)}
		}
		if !apiCfg.HasCredentials() {
			useSandbox = true
			if notice != nil {
				fmt.Fprintf(notice, "%sno Autotask credentials configured (%s, %s, %s): serving the built-in sandbox tenant\n",
					stderrPrefix, autotask.EnvUsername, autotask.EnvSecret, autotask.EnvIntegrationCode)
			}
		}
	}
	if !useSandbox && cfg.SandboxKnobs.set() {
		return nil, usageErrorf("the --%s* flags shape the built-in sandbox tenant, and Autotask credentials are configured: add --sandbox, or drop them", sandboxKnobPrefix)
	}
	if !useSandbox {
		apiCfg.Logger = logger
		client, err := autotask.New(apiCfg)
		if err != nil {
			return nil, &usageError{err: fmt.Errorf("autotask client: %w", err)}
		}
		return &tenant{Client: client, Config: apiCfg}, nil
	}

	sb := newLocalSandbox("127.0.0.1:0", cfg.SandboxKnobs.apply(sandbox.Options{}, notice), logger)
	creds := sandbox.DefaultCredentials
	sbCfg := autotask.Config{
		Username:        creds.Username,
		Secret:          creds.Secret,
		IntegrationCode: creds.IntegrationCode,
		// The host is a name only: every connection goes to the sandbox's port, opened by the
		// first request, so a start that answers initialize owes the sandbox nothing.
		APIURL:     lazySandboxHost + "ATServicesRest/V1.0/",
		HTTPClient: sb.httpClient(),
		Logger:     logger,
		// The sandbox is a new tenant each start, seeded anew: nothing kept for it on disk
		// would be true of the next one.
		NoDiskCache: true,
	}
	client, err := autotask.New(sbCfg)
	if err != nil {
		_ = sb.Close(context.Background())
		return nil, fmt.Errorf("autotask client for the sandbox: %w", err)
	}
	return &tenant{Client: client, Config: sbCfg, Sandbox: sb}, nil
}

func (t *tenant) Close(ctx context.Context) error {
	err := t.Client.Close()
	if t.Sandbox != nil {
		err = errors.Join(err, t.Sandbox.Close(ctx))
	}
	return err
}

// localSandbox serves a sandbox tenant over HTTP on a listener of its own.
type localSandbox struct {
	addr    string
	srv     *http.Server
	handler *lazySandbox
	logger  *slog.Logger
	once    sync.Once // opens the listener and starts serving, or closes a sandbox never opened
	ln      net.Listener
	err     error
	served  chan struct{} // closed when serving ends, or at once by Close when it never began
}

// lazySandboxHost is the API root of the sandbox a server starts for itself; its port is
// whichever the sandbox listens on (see dial).
const lazySandboxHost = "http://127.0.0.1/"

// startLocalSandbox listens at once and seeds the tenant on its first request.
func startLocalSandbox(addr string, opts sandbox.Options, logger *slog.Logger) (*localSandbox, error) {
	sb := newLocalSandbox(addr, opts, logger)
	if _, err := sb.listen(); err != nil {
		return nil, err
	}
	return sb, nil
}

// newLocalSandbox is a sandbox that listens on addr once listen is first called.
func newLocalSandbox(addr string, opts sandbox.Options, logger *slog.Logger) *localSandbox {
	h := &lazySandbox{opts: opts}
	sb := &localSandbox{
		addr: addr,
		srv: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 10 * time.Second,
			ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelDebug),
		},
		handler: h,
		logger:  logger,
		served:  make(chan struct{}),
	}
	return sb
}

// listen opens the listener and starts serving, the first time it is called.
func (s *localSandbox) listen() (net.Listener, error) {
	s.once.Do(func() {
		s.ln, s.err = net.Listen("tcp", s.addr)
		if s.err != nil {
			s.err = fmt.Errorf("sandbox listener on %s: %w", s.addr, s.err)
			close(s.served)
			return
		}
		go func() {
			defer close(s.served)
			if err := s.srv.Serve(s.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				s.logger.Error("sandbox server stopped", "err", err)
			}
		}()
	})
	return s.ln, s.err
}

// dial connects to the sandbox, whatever address was asked for, opening its listener first if
// no request has yet.
func (s *localSandbox) dial(ctx context.Context, network, _ string) (net.Conn, error) {
	ln, err := s.listen()
	if err != nil {
		return nil, err
	}
	var d net.Dialer
	return d.DialContext(ctx, network, ln.Addr().String())
}

// httpClient is the client's default, reaching the sandbox whatever the URL's host, through no
// proxy.
func (s *localSandbox) httpClient() *http.Client {
	c := autotask.DefaultHTTPClient()
	t := c.Transport.(*http.Transport)
	t.Proxy = nil
	t.DialContext = s.dial
	return c
}

// BaseURL is the root of the sandbox's API, e.g. http://127.0.0.1:8085/ATServicesRest/; it
// opens the listener if need be.
func (s *localSandbox) BaseURL() string {
	ln, err := s.listen()
	if err != nil {
		return ""
	}
	return "http://" + ln.Addr().String() + "/ATServicesRest/"
}

// APIURL is the versioned API root the client is configured with.
func (s *localSandbox) APIURL() string { return s.BaseURL() + "V1.0/" }

// Tenant returns the sandbox itself, seeding it if no request has yet.
func (s *localSandbox) Tenant() *sandbox.Sandbox { return s.handler.get() }

// Close stops serving; a sandbox that never listened has nothing to stop, and never will.
func (s *localSandbox) Close(ctx context.Context) error {
	s.once.Do(func() {
		s.err = errors.New("the sandbox is closed")
		close(s.served)
	})
	err := s.srv.Shutdown(ctx)
	if err != nil {
		err = errors.Join(err, s.srv.Close())
	}
	<-s.served
	return err
}

// lazySandbox builds the sandbox on first use: seeding costs milliseconds that a
// server start (and a client waiting for initialize) should not pay.
type lazySandbox struct {
	opts sandbox.Options
	once sync.Once
	sb   *sandbox.Sandbox
}

func (l *lazySandbox) get() *sandbox.Sandbox {
	l.once.Do(func() { l.sb = sandbox.New(l.opts) })
	return l.sb
}

func (l *lazySandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.get().ServeHTTP(w, r)
}
