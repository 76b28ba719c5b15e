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
// network I/O: zone discovery and the sandbox's seeding happen on first use, so the
// server answers initialize at once.
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
				fmt.Fprintf(notice, "autotask-mcp: no Autotask credentials configured (%s, %s, %s): serving the built-in sandbox tenant\n",
					autotask.EnvUsername, autotask.EnvSecret, autotask.EnvIntegrationCode)
			}
		}
	}
	if !useSandbox {
		apiCfg.Logger = logger
		client, err := autotask.New(apiCfg)
		if err != nil {
			return nil, &usageError{err: fmt.Errorf("autotask client: %w", err)}
		}
		return &tenant{Client: client, Config: apiCfg}, nil
	}

	sb, err := startLocalSandbox("127.0.0.1:0", sandbox.Options{}, logger)
	if err != nil {
		return nil, err
	}
	creds := sandbox.DefaultCredentials
	sbCfg := autotask.Config{
		Username:        creds.Username,
		Secret:          creds.Secret,
		IntegrationCode: creds.IntegrationCode,
		APIURL:          sb.APIURL(),
		Logger:          logger,
		// The sandbox listens on a new port each start and is seeded anew: nothing kept for it
		// would ever be read again.
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
	srv     *http.Server
	ln      net.Listener
	handler *lazySandbox
	served  chan struct{}
}

// startLocalSandbox listens at once and seeds the tenant on its first request.
func startLocalSandbox(addr string, opts sandbox.Options, logger *slog.Logger) (*localSandbox, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox listener on %s: %w", addr, err)
	}
	h := &lazySandbox{opts: opts}
	sb := &localSandbox{
		srv: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 10 * time.Second,
			ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelDebug),
		},
		ln:      ln,
		handler: h,
		served:  make(chan struct{}),
	}
	go func() {
		defer close(sb.served)
		if err := sb.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("sandbox server stopped", "err", err)
		}
	}()
	return sb, nil
}

// BaseURL is the root of the sandbox's API, e.g. http://127.0.0.1:8085/ATServicesRest/.
func (s *localSandbox) BaseURL() string {
	return "http://" + s.ln.Addr().String() + "/ATServicesRest/"
}

// APIURL is the versioned API root the client is configured with.
func (s *localSandbox) APIURL() string { return s.BaseURL() + "V1.0/" }

// Tenant returns the sandbox itself, seeding it if no request has yet.
func (s *localSandbox) Tenant() *sandbox.Sandbox { return s.handler.get() }

func (s *localSandbox) Close(ctx context.Context) error {
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
