package autotask_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/internal/testclock"
)

// tenant is a sandbox served over real HTTP on loopback, with a count of every
// HTTP request that reached it (authenticated or not).
type tenant struct {
	sb   *sandbox.Sandbox
	srv  *httptest.Server
	hits atomic.Int64
}

func newTenant(t *testing.T, opts sandbox.Options) *tenant {
	t.Helper()
	return newFrontedTenant(t, opts, nil)
}

// newFrontedTenant is a tenant whose requests first meet front: it answers what the sandbox
// cannot be made to (returning true), or only looks and leaves the request to the sandbox.
func newFrontedTenant(t *testing.T, opts sandbox.Options, front func(http.ResponseWriter, *http.Request) bool) *tenant {
	t.Helper()
	tn := &tenant{sb: sandbox.New(opts)}
	tn.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tn.hits.Add(1)
		if front != nil && front(w, r) {
			return
		}
		tn.sb.ServeHTTP(w, r)
	}))
	t.Cleanup(tn.srv.Close)
	return tn
}

func (tn *tenant) apiURL() string { return tn.srv.URL + "/ATServicesRest/" }

// config is a client configuration for the tenant: default sandbox credentials,
// a generous budget so tests are not paced, no background threshold polls (they
// would add requests to the counts tests assert on) and short retry delays.
func (tn *tenant) config(t *testing.T) autotask.Config {
	creds := sandbox.DefaultCredentials
	return autotask.Config{
		Username:          creds.Username,
		Secret:            creds.Secret,
		IntegrationCode:   creds.IntegrationCode,
		APIURL:            tn.apiURL(),
		CacheDir:          t.TempDir(),
		HourlyBudget:      10_000_000,
		ThresholdInterval: -1,
		RetryBaseDelay:    5 * time.Millisecond,
	}
}

func newClient(t *testing.T, cfg autotask.Config) *autotask.Client {
	t.Helper()
	c, err := autotask.New(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func (tn *tenant) client(t *testing.T, mutate ...func(*autotask.Config)) *autotask.Client {
	t.Helper()
	cfg := tn.config(t)
	for _, m := range mutate {
		m(&cfg)
	}
	return newClient(t, cfg)
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// endpointCount is how many requests the sandbox counted for one endpoint.
func (tn *tenant) endpointCount(endpoint string) int {
	return tn.sb.Stats().ByEndpoint[endpoint]
}

// anyTicketID returns a seeded ticket id.
func (tn *tenant) anyTicketID(t *testing.T) int64 {
	t.Helper()
	ids := tn.sb.IDs("Tickets")
	require.NotEmpty(t, ids)
	return ids[len(ids)/2]
}

// newFakeClock is a test clock at a fixed, ordinary moment.
func newFakeClock() *testclock.Clock {
	return testclock.New(time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
}

// sandboxRecord is the id of the first record of entity in sb whose fields hold want's values.
func sandboxRecord(t *testing.T, sb *sandbox.Sandbox, entity string, want map[string]any) int64 {
	t.Helper()
next:
	for _, id := range sb.IDs(entity) {
		rec, _ := sb.Record(entity, id)
		for field, v := range want {
			if rec[field] != v {
				continue next
			}
		}
		return id
	}
	t.Fatalf("no %s record with %v in the sandbox", entity, want)
	return 0
}
