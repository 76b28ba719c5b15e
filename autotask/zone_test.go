package autotask_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// discoveringConfig has no API URL: the zone comes from ZoneInformation at lookup.
func discoveringConfig(t *testing.T, lookup *tenant, cacheDir string, creds sandbox.Credentials) autotask.Config {
	cfg := lookup.config(t)
	cfg.APIURL = ""
	cfg.ZoneLookupURL = lookup.apiURL()
	cfg.CacheDir = cacheDir
	cfg.Username, cfg.Secret, cfg.IntegrationCode = creds.Username, creds.Secret, creds.IntegrationCode
	return cfg
}

func zoneCacheFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "zone-*.json"))
	require.NoError(t, err)
	return files
}

func cachedZoneURL(t *testing.T, dir string) string {
	t.Helper()
	files := zoneCacheFiles(t, dir)
	require.Len(t, files, 1)
	data, err := os.ReadFile(files[0])
	require.NoError(t, err)
	var f struct {
		Username string        `json:"username"`
		Zone     autotask.Zone `json:"zone"`
	}
	require.NoError(t, json.Unmarshal(data, &f))
	assert.NotContains(t, string(data), sandbox.DefaultCredentials.Secret)
	return f.Zone.URL
}

func TestZoneDiscoveryWritesCache(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	cacheDir := t.TempDir()
	c := newClient(t, discoveringConfig(t, tn, cacheDir, sandbox.DefaultCredentials))
	ctx := testCtx(t)

	zone, err := c.Zone(ctx)
	require.NoError(t, err)
	assert.Equal(t, tn.apiURL(), zone.URL)
	base, err := c.BaseURL(ctx)
	require.NoError(t, err)
	assert.Equal(t, tn.srv.URL+"/ATServicesRest/V1.0/", base)
	assert.Equal(t, tn.apiURL(), cachedZoneURL(t, cacheDir))

	n, err := c.Count(ctx, "Tickets", nil)
	require.NoError(t, err)
	assert.Equal(t, tn.sb.Count("Tickets"), n)

	// A second process reads the cache and never asks the lookup host.
	dead := newTenant(t, sandbox.Options{})
	dead.srv.Close()
	cfg := discoveringConfig(t, dead, cacheDir, sandbox.DefaultCredentials)
	c2 := newClient(t, cfg)
	n, err = c2.Count(ctx, "Tickets", nil)
	require.NoError(t, err)
	assert.Equal(t, tn.sb.Count("Tickets"), n)
}

func TestZoneRediscoveredOnceOn401(t *testing.T) {
	user := sandbox.DefaultCredentials.Username
	oldCreds := sandbox.Credentials{Username: user, Secret: "old-zone-secret", IntegrationCode: "CODE"}
	newCreds := sandbox.Credentials{Username: user, Secret: "new-zone-secret", IntegrationCode: "CODE"}
	oldZone := newTenant(t, sandbox.Options{Credentials: oldCreds})
	newZone := newTenant(t, sandbox.Options{Credentials: newCreds})
	cacheDir := t.TempDir()
	ctx := testCtx(t)

	// The tenant used to live in oldZone: that is what the cache says.
	first := newClient(t, discoveringConfig(t, oldZone, cacheDir, oldCreds))
	_, err := first.Count(ctx, "Tickets", nil)
	require.NoError(t, err)
	require.Equal(t, oldZone.apiURL(), cachedZoneURL(t, cacheDir))

	// It migrated: oldZone no longer accepts these credentials (401), and the lookup
	// service now points at newZone.
	c := newClient(t, discoveringConfig(t, newZone, cacheDir, newCreds))
	oldHits, lookupHits := oldZone.hits.Load(), newZone.hits.Load()
	n, err := c.Count(ctx, "Tickets", nil)
	require.NoError(t, err)
	assert.Equal(t, newZone.sb.Count("Tickets"), n)
	assert.Equal(t, int64(1), oldZone.hits.Load()-oldHits, "one request to the stale zone")
	assert.Equal(t, int64(2), newZone.hits.Load()-lookupHits, "one ZoneInformation, then the resent count")
	assert.Equal(t, newZone.apiURL(), cachedZoneURL(t, cacheDir), "the cache follows the migration")
}

func TestZoneRediscoveryDoesNotHideBadCredentials(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	creds := sandbox.DefaultCredentials
	creds.Secret = "not-the-secret"
	c := newClient(t, discoveringConfig(t, tn, t.TempDir(), creds))
	_, err := c.Count(testCtx(t), "Tickets", nil)
	require.ErrorIs(t, err, autotask.ErrAuth)
	// ZoneInformation, the count (401), ZoneInformation again (same zone): no resend.
	assert.Equal(t, int64(3), tn.hits.Load())
}

func TestZoneDiscoveryUnknownUser(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	creds := sandbox.DefaultCredentials
	creds.Username = "nobody@example.com"
	cacheDir := t.TempDir()
	c := newClient(t, discoveringConfig(t, tn, cacheDir, creds))
	_, err := c.Zone(testCtx(t))
	require.ErrorIs(t, err, autotask.ErrAuth)
	assert.Contains(t, err.Error(), "nobody@example.com")
	assert.Contains(t, err.Error(), "Zone information could not be determined")
	assert.Empty(t, zoneCacheFiles(t, cacheDir))
	assert.Equal(t, int64(1), tn.hits.Load(), "an unknown user is not retried")
}

func TestConfiguredAPIURLSkipsDiscovery(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t, func(cfg *autotask.Config) { cfg.ZoneLookupURL = "https://unreachable.invalid/ATServicesRest/" })
	zone, err := c.Zone(testCtx(t))
	require.NoError(t, err)
	assert.Equal(t, tn.apiURL(), zone.URL)
	assert.Zero(t, tn.hits.Load())
}

// ZoneInformation needs no credentials and is answered by a host other than the tenant's zone:
// the secret and integration code never go to it, and the user name travels only as the query
// parameter the lookup is defined by. The same client's API request carries all of them, so the
// header names checked here are the ones it really uses.
func TestZoneLookupCarriesNoCredentials(t *testing.T) {
	credentialHeaders := []string{"Secret", "ApiIntegrationCode", "UserName", "ImpersonationResourceId"}
	var mu sync.Mutex
	type lookup struct {
		header http.Header
		query  url.Values
	}
	var lookups []lookup
	var apiHeaders http.Header
	tn := newFrontedTenant(t, sandbox.Options{}, func(w http.ResponseWriter, r *http.Request) bool {
		mu.Lock()
		defer mu.Unlock()
		if strings.HasSuffix(r.URL.Path, "/ZoneInformation") {
			lookups = append(lookups, lookup{r.Header.Clone(), r.URL.Query()})
		} else if apiHeaders == nil {
			apiHeaders = r.Header.Clone()
		}
		return false
	})
	creds := sandbox.DefaultCredentials
	cfg := discoveringConfig(t, tn, t.TempDir(), creds)
	cfg.ResourceID = tn.sb.APIResourceID()
	c := newClient(t, cfg)
	_, err := c.Count(testCtx(t), "Tickets", nil)
	require.NoError(t, err)

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, lookups, 1)
	for _, h := range credentialHeaders {
		assert.Empty(t, lookups[0].header.Values(h), "the zone lookup carries no %s header", h)
		assert.NotEmpty(t, apiHeaders.Get(h), "the API request carries %s", h)
	}
	for name, values := range lookups[0].header {
		for _, v := range values {
			assert.NotContains(t, v, creds.Secret, "header %s", name)
			assert.NotContains(t, v, creds.IntegrationCode, "header %s", name)
		}
	}
	assert.Equal(t, url.Values{"user": {creds.Username}}, lookups[0].query, "the user name, and nothing else")
}
