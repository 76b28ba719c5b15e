package autotask

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"
)

// Zone is the datacenter that serves the tenant, as ZoneInformation reports it.
type Zone struct {
	ZoneName string `json:"zoneName"`
	URL      string `json:"url"`
	WebURL   string `json:"webUrl"`
	CI       int    `json:"ci"`
}

type discoveredZone struct {
	zone Zone
	base string // normalised ".../ATServicesRest/V1.0/"
}

// zoneState holds the discovered zone. lock is a channel so that waiting for a
// discovery in progress respects the caller's context.
type zoneState struct {
	lock    chan struct{}
	current atomic.Pointer[discoveredZone]
}

func newZoneState() zoneState { return zoneState{lock: make(chan struct{}, 1)} }

// zoneCacheFile is what is kept on disk, one file per user name.
type zoneCacheFile struct {
	Username     string    `json:"username"`
	Zone         Zone      `json:"zone"`
	DiscoveredAt time.Time `json:"discoveredAt"`
}

// Zone returns the tenant's zone: the configured API URL, else the cached or
// discovered one.
func (c *Client) Zone(ctx context.Context) (Zone, error) {
	if c.cfg.APIURL != "" {
		return Zone{URL: strings.TrimSuffix(c.cfg.APIURL, "V1.0/")}, nil
	}
	z, err := c.currentZone(ctx)
	if err != nil {
		return Zone{}, err
	}
	return z.zone, nil
}

func (c *Client) currentZone(ctx context.Context) (*discoveredZone, error) {
	if z := c.zone.current.Load(); z != nil {
		return z, nil
	}
	if err := c.lockZone(ctx); err != nil {
		return nil, err
	}
	defer c.unlockZone()
	if z := c.zone.current.Load(); z != nil {
		return z, nil
	}
	if z, ok := c.readZoneCache(); ok {
		c.zone.current.Store(z)
		return z, nil
	}
	z, err := c.discoverZone(ctx)
	if err != nil {
		return nil, err
	}
	c.zone.current.Store(z)
	c.writeZoneCache(z.zone)
	return z, nil
}

// rediscoverZone asks ZoneInformation again after a 401 from failedURL, and says
// whether the zone changed (only then is resending worthwhile).
func (c *Client) rediscoverZone(ctx context.Context, failedURL string) (bool, error) {
	if err := c.lockZone(ctx); err != nil {
		return false, err
	}
	defer c.unlockZone()
	cur := c.zone.current.Load()
	if cur != nil && !strings.HasPrefix(failedURL, cur.base) {
		return true, nil // another caller already moved to a new zone
	}
	z, err := c.discoverZone(ctx)
	if err != nil {
		return false, err
	}
	c.zone.current.Store(z)
	c.writeZoneCache(z.zone)
	changed := cur == nil || cur.base != z.base
	c.log.Info("autotask zone re-discovered after 401", "zone", z.zone.ZoneName, "url", z.base, "changed", changed)
	return changed, nil
}

func (c *Client) lockZone(ctx context.Context) error {
	select {
	case c.zone.lock <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *Client) unlockZone() { <-c.zone.lock }

func (c *Client) discoverZone(ctx context.Context) (*discoveredZone, error) {
	var z Zone
	req := apiRequest{
		method:     "GET",
		path:       "ZoneInformation",
		url:        c.cfg.ZoneLookupURL + "ZoneInformation?user=" + url.QueryEscape(c.cfg.Username),
		kind:       kindRead,
		zoneLookup: true,
	}
	if err := c.call(ctx, req, &z); err != nil {
		return nil, fmt.Errorf("discover Autotask zone for %s: %w", c.cfg.Username, err)
	}
	base, err := NormalizeAPIURL(z.URL)
	if err != nil {
		return nil, fmt.Errorf("discover Autotask zone for %s: zone %q answered an unusable url: %w", c.cfg.Username, z.ZoneName, err)
	}
	c.log.Info("autotask zone discovered", "zone", z.ZoneName, "url", base)
	return &discoveredZone{zone: z, base: base}, nil
}

// zoneCachePath names the cache file by a hash of the user name: the name may
// hold characters a file name cannot.
func (c *Client) zoneCachePath() string {
	dir := c.diskCacheDir()
	if dir == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(strings.ToLower(c.cfg.Username)))
	return filepath.Join(dir, "zone-"+hex.EncodeToString(sum[:8])+".json")
}

func (c *Client) readZoneCache() (*discoveredZone, bool) {
	path := c.zoneCachePath()
	if path == "" {
		return nil, false
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	var f zoneCacheFile
	if err := json.Unmarshal(data, &f); err != nil || !strings.EqualFold(f.Username, c.cfg.Username) {
		return nil, false
	}
	base, err := NormalizeAPIURL(f.Zone.URL)
	if err != nil {
		return nil, false
	}
	c.log.Debug("autotask zone from cache", "zone", f.Zone.ZoneName, "url", base)
	return &discoveredZone{zone: f.Zone, base: base}, true
}

// writeZoneCache is best effort: a read-only home directory costs one lookup per
// process, not a failure.
func (c *Client) writeZoneCache(z Zone) {
	path := c.zoneCachePath()
	if path == "" {
		return
	}
	c.writeCacheFile("zone", path, zoneCacheFile{Username: c.cfg.Username, Zone: z, DiscoveredAt: time.Now().UTC()})
}

// writeFileAtomic replaces path with data through a temporary file in the same folder, so a
// reader (another process starting) sees the old file or the new one, never half of one. The
// file is created 0600: it is the user's cache, for no one else to read.
func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
