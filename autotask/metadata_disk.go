package autotask

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// persistedMetadataTTL is how old a copy of an entity's metadata on disk may be before a new
// process, having answered from it, fetches it again in the background. Fields and picklists
// change when an administrator edits them, seldom; a value the copy wrongly calls valid is
// caught by the API, which drops the copy (dropRejectedMetadata), and a value it does not know
// yet is one RefreshMetadata away.
const persistedMetadataTTL = 24 * time.Hour

// metadataFile is one entity's metadata as kept on disk. It holds what entityInformation
// answered and nothing of the credentials: Key is a hash of the tenant's API URL and user name.
type metadataFile struct {
	Key       string     `json:"key"`
	Entity    string     `json:"entity"`
	FetchedAt time.Time  `json:"fetchedAt"`
	Info      EntityInfo `json:"info"`
	Fields    []Field    `json:"fields"`
	UDFs      []Field    `json:"udfs"`
}

// metadataPath is the file of entity's metadata for the tenant at base; "" when nothing is
// kept on disk.
func (c *Client) metadataPath(base, entity string) string {
	return c.tenantCachePath(base, "metadata-", "-"+strings.ToLower(entity)+".json")
}

// loadMetadata reads entity's metadata from disk, and says whether the copy is older than
// persistedMetadataTTL. A missing, unreadable or corrupt file is no copy: the caller fetches
// and the file is rewritten.
func (c *Client) loadMetadata(ctx context.Context, e Entity) (m *Metadata, stale bool, ok bool) {
	base, err := c.BaseURL(ctx)
	if err != nil {
		return nil, false, false
	}
	path := c.metadataPath(base, e.Name)
	if path == "" {
		return nil, false, false
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			c.log.Debug("autotask metadata cache unreadable", "path", path, "err", err)
		}
		return nil, false, false
	}
	var f metadataFile
	if err := json.Unmarshal(data, &f); err != nil || f.Key != c.tenantCacheKey(base) ||
		!strings.EqualFold(f.Entity, e.Name) || len(f.Fields) == 0 || f.FetchedAt.IsZero() {
		c.log.Debug("autotask metadata cache ignored: corrupt or another tenant's", "path", path)
		return nil, false, false
	}
	age := c.cfg.Now().Sub(f.FetchedAt)
	c.log.Debug("autotask metadata from cache", "entity", e.Name, "age", age.Round(time.Second))
	return newMetadata(e.Name, f.Info, f.Fields, f.UDFs), age >= persistedMetadataTTL, true
}

// saveMetadata writes m to disk for the next process; best effort, like the zone cache.
func (c *Client) saveMetadata(base string, m *Metadata) {
	path := c.metadataPath(base, m.Entity)
	if path == "" {
		return
	}
	c.writeCacheFile("metadata", path, metadataFile{Key: c.tenantCacheKey(base), Entity: m.Entity,
		FetchedAt: c.cfg.Now().UTC(), Info: m.Info, Fields: m.Fields, UDFs: m.UDFs})
}

// removeMetadataFiles deletes the copies on disk of entity's metadata ("" deletes every
// entity's) for this tenant, so that no process starts from them again.
func (c *Client) removeMetadataFiles(entity string) {
	base := c.knownBase()
	var paths []string
	if entity != "" {
		paths = []string{c.metadataPath(base, entity)}
	} else if pattern := c.tenantCachePath(base, "metadata-", "-*.json"); pattern != "" {
		paths, _ = filepath.Glob(pattern)
	}
	for _, path := range paths {
		if path == "" {
			continue
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			c.log.Warn("autotask metadata cache not removed", "path", path, "err", err)
		}
	}
}
