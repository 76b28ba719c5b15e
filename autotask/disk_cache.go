package autotask

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"path/filepath"
	"strings"
)

// diskCacheDir is where the zone, metadata and threshold files go; "" keeps nothing on disk.
func (c *Client) diskCacheDir() string {
	if c.cfg.NoDiskCache {
		return ""
	}
	return c.cfg.CacheDir
}

// tenantCacheKey identifies the tenant and user whose answers a cache file holds: the same user
// name on another zone or API URL is another tenant's, and one user's impersonation-free view of
// a tenant is not assumed to be another's.
func (c *Client) tenantCacheKey(base string) string {
	sum := sha256.Sum256([]byte(base + "\n" + strings.ToLower(c.cfg.Username)))
	return hex.EncodeToString(sum[:])
}

// tenantCachePath is the cache file prefix + a short tenant key + suffix for the tenant at base
// (suffix may hold a glob pattern); "" when nothing is kept on disk or the tenant is not known.
func (c *Client) tenantCachePath(base, prefix, suffix string) string {
	dir := c.diskCacheDir()
	if dir == "" || base == "" {
		return ""
	}
	return filepath.Join(dir, prefix+c.tenantCacheKey(base)[:16]+suffix)
}

// knownBase is the tenant's API URL when it is known without a request: configured, already
// discovered, or in the zone cache; "" otherwise. A zone read from the cache is kept as the
// current one, so the first request does not read the file again.
func (c *Client) knownBase() string {
	if c.cfg.APIURL != "" {
		return c.cfg.APIURL
	}
	if z := c.zone.current.Load(); z != nil {
		return z.base
	}
	if z, ok := c.readZoneCache(); ok {
		c.zone.current.CompareAndSwap(nil, z)
		return c.zone.current.Load().base
	}
	return ""
}

// writeCacheFile keeps v, as JSON, in path (atomically, mode 0600). Best effort: a read-only
// cache folder costs the next process a request, not a failure, so an error is only logged.
func (c *Client) writeCacheFile(what, path string, v any) {
	data, err := json.Marshal(v)
	if err == nil {
		err = writeFileAtomic(path, data)
	}
	if err != nil {
		c.log.Warn("autotask "+what+" cache not written", "path", path, "err", err)
	}
}
