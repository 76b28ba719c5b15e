package autotask

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/autotask-mcp/autotask-mcp/internal/expiring"
)

// Client talks to one Autotask tenant. It is safe for concurrent use; create one
// per tenant and share it, because the rate limits it enforces are per tenant.
type Client struct {
	cfg  Config
	log  *slog.Logger
	http *http.Client

	pacer *pacer
	zone  zoneState
	meta  metadataCache
	// lookups keeps the acting resource, its roles and the tenant's roles and work types.
	lookups *expiring.Cache[string, any]
	names   nameState
	// patchRefused holds the entities this tenant answered a PATCH on with 405 (see PatchRefused).
	patchRefused sync.Map

	lastThresholdCheck atomic.Int64 // unix nanos of the last ThresholdInformation poll started
	thresholdFromDisk  sync.Once    // a recent answer on disk is looked for once, before the first poll

	bgCtx    context.Context
	bgCancel context.CancelFunc
	bgMu     sync.Mutex // guards closed and wg.Add, so Close never races a new poll
	closed   bool
	wg       sync.WaitGroup
}

// New validates cfg, fills its defaults and returns a client. It does no network
// I/O: the zone is discovered on the first request.
func New(cfg Config) (*Client, error) {
	if !cfg.HasCredentials() {
		var missing []string
		for name, v := range map[string]string{"Username": cfg.Username, "Secret": cfg.Secret, "IntegrationCode": cfg.IntegrationCode} {
			if v == "" {
				missing = append(missing, name)
			}
		}
		slices.Sort(missing)
		return nil, fmt.Errorf("autotask config: missing %s", strings.Join(missing, ", "))
	}
	for name, v := range map[string]string{"Username": cfg.Username, "Secret": cfg.Secret, "IntegrationCode": cfg.IntegrationCode} {
		if strings.ContainsAny(v, "\r\n\x00") {
			return nil, fmt.Errorf("autotask config: %s contains a line break or NUL and cannot be sent as a header", name)
		}
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("autotask config: %w", err)
	}
	httpClient := *cfg.HTTPClient
	if httpClient.CheckRedirect == nil {
		// The secret travels in a custom header that net/http does not strip on a
		// redirect to another host, so redirects are not followed at all.
		httpClient.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	c := &Client{
		cfg:     cfg,
		log:     cfg.Logger,
		http:    &httpClient,
		pacer:   newPacer(cfg.HourlyBudget, cfg.MaxInFlight),
		zone:    newZoneState(),
		meta:    newMetadataCache(),
		names:   newNameState(cfg),
		lookups: newLookupCache(cfg),
	}
	c.bgCtx, c.bgCancel = context.WithCancel(context.Background())
	return c, nil
}

// Close stops background work (the ThresholdInformation poll, metadata refreshes) and
// waits for it.
// Requests already running are not interrupted.
func (c *Client) Close() error {
	c.bgMu.Lock()
	if c.closed {
		c.bgMu.Unlock()
		return nil
	}
	c.closed = true
	c.bgMu.Unlock()
	c.bgCancel()
	c.wg.Wait()
	return nil
}

// goBackground runs f on a goroutine that Close cancels and waits for; false when
// the client is already closed.
func (c *Client) goBackground(f func(ctx context.Context)) bool {
	c.bgMu.Lock()
	defer c.bgMu.Unlock()
	if c.closed {
		return false
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		f(c.bgCtx)
	}()
	return true
}

// BaseURL returns ".../ATServicesRest/V1.0/" of the tenant, discovering the zone
// first when no API URL was configured.
func (c *Client) BaseURL(ctx context.Context) (string, error) {
	if c.cfg.APIURL != "" {
		return c.cfg.APIURL, nil
	}
	z, err := c.currentZone(ctx)
	if err != nil {
		return "", err
	}
	return z.base, nil
}
