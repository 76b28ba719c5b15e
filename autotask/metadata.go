package autotask

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// EntityInfo is the API's entityInformation for one entity.
type EntityInfo struct {
	Name                    string `json:"name"`
	CanCreate               bool   `json:"canCreate"`
	CanDelete               bool   `json:"canDelete"`
	CanQuery                bool   `json:"canQuery"`
	CanUpdate               bool   `json:"canUpdate"`
	HasUserDefinedFields    bool   `json:"hasUserDefinedFields"`
	SupportsWebhookCallouts bool   `json:"supportsWebhookCallouts"`
}

// Field is one field of an entity, or one user-defined field, as
// entityInformation/fields describes it.
type Field struct {
	Name                     string          `json:"name"`
	DataType                 string          `json:"dataType"`
	Length                   int             `json:"length"`
	IsRequired               bool            `json:"isRequired"`
	IsReadOnly               bool            `json:"isReadOnly"`
	IsQueryable              bool            `json:"isQueryable"`
	IsReference              bool            `json:"isReference"`
	ReferenceEntityType      string          `json:"referenceEntityType"`
	IsPickList               bool            `json:"isPickList"`
	PicklistValues           []PicklistValue `json:"picklistValues"`
	PicklistParentValueField string          `json:"picklistParentValueField"`
}

// hasPicklist is whether the field takes its values from a picklist.
func (f Field) hasPicklist() bool { return f.IsPickList || len(f.PicklistValues) > 0 }

// Metadata is everything the API says about one entity. It is shared by every
// caller of Client.Metadata and must not be modified.
type Metadata struct {
	Entity string
	Info   EntityInfo
	Fields []Field
	UDFs   []Field

	fieldIdx   map[string]int // lower name -> index in Fields
	exactIdx   map[string]int // name as the API spells it -> index in Fields: the usual lookup, no ToLower
	lowerNames []string       // lower-case Fields[i].Name
	udfIdx     map[string]int // lower name -> index in UDFs
	picklists  map[string]*Picklist
}

func newMetadata(entity string, info EntityInfo, fields, udfs []Field) *Metadata {
	m := &Metadata{Entity: entity, Info: info, Fields: fields, UDFs: udfs,
		fieldIdx: make(map[string]int, len(fields)), exactIdx: make(map[string]int, len(fields)), udfIdx: make(map[string]int, len(udfs)),
		picklists: make(map[string]*Picklist)}
	for i, f := range fields {
		m.fieldIdx[strings.ToLower(f.Name)] = i
		m.exactIdx[f.Name] = i
		m.lowerNames = append(m.lowerNames, strings.ToLower(f.Name))
		if f.hasPicklist() {
			m.picklists[strings.ToLower(f.Name)] = newPicklist(f.Name, f.PicklistValues)
		}
	}
	for i, f := range udfs {
		m.udfIdx[strings.ToLower(f.Name)] = i
		key := strings.ToLower(f.Name)
		if _, clash := m.picklists[key]; !clash && f.hasPicklist() {
			m.picklists[key] = newPicklist(f.Name, f.PicklistValues)
		}
	}
	return m
}

// Field finds a field by name, case-insensitively.
func (m *Metadata) Field(name string) (Field, bool) {
	if i, ok := m.exactIdx[name]; ok {
		return m.Fields[i], true
	}
	i, ok := m.fieldIdx[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return Field{}, false
	}
	return m.Fields[i], true
}

// UDF finds a user-defined field by name, case-insensitively.
func (m *Metadata) UDF(name string) (Field, bool) {
	i, ok := m.udfIdx[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return Field{}, false
	}
	return m.UDFs[i], true
}

// FieldNames returns the entity's field names, sorted.
func (m *Metadata) FieldNames() []string {
	names := make([]string, len(m.Fields))
	for i, f := range m.Fields {
		names[i] = f.Name
	}
	sort.Strings(names)
	return names
}

// Picklist returns the picklist of a field (or of a UDF when no field has the name).
func (m *Metadata) Picklist(field string) (*Picklist, bool) {
	if i, ok := m.exactIdx[field]; ok {
		p, ok := m.picklists[m.lowerNames[i]]
		return p, ok
	}
	p, ok := m.picklists[strings.ToLower(strings.TrimSpace(field))]
	return p, ok
}

// UnknownFieldError is the error for a field name the entity does not have, with
// the nearest real names.
func (m *Metadata) UnknownFieldError(name string) error {
	return fmt.Errorf("%w: no field %q on %s%s", ErrUnknownField, name, m.Entity, didYouMean(Closest(name, m.FieldNames(), 3)))
}

// metadataCache holds Metadata per entity for MetadataTTL, and makes concurrent
// callers asking for the same entity share one fetch.
type metadataCache struct {
	mu       sync.Mutex
	entries  map[string]metadataEntry
	inflight map[string]*metadataCall
	gen      uint64 // bumped by RefreshMetadata so a fetch begun before it is not stored
}

type metadataEntry struct {
	m       *Metadata
	fetched time.Time
}

type metadataCall struct {
	done chan struct{}
	m    *Metadata
	err  error
}

func newMetadataCache() metadataCache {
	return metadataCache{entries: make(map[string]metadataEntry), inflight: make(map[string]*metadataCall)}
}

// freshMetadataLocked is the cached metadata under key (the entity's lower-case name) if it is
// younger than MetadataTTL; c.meta.mu is held.
func (c *Client) freshMetadataLocked(key string) (*Metadata, bool) {
	ent, ok := c.meta.entries[key]
	if !ok || c.cfg.Now().Sub(ent.fetched) >= c.cfg.MetadataTTL {
		return nil, false
	}
	return ent.m, true
}

// CachedMetadata is the entity's metadata if the cache holds it and it is fresh, without a request.
func (c *Client) CachedMetadata(entity string) (*Metadata, bool) {
	c.meta.mu.Lock()
	defer c.meta.mu.Unlock()
	return c.freshMetadataLocked(strings.ToLower(entity))
}

// Metadata returns the entity's information, fields and user-defined fields,
// fetched once and cached for MetadataTTL.
func (c *Client) Metadata(ctx context.Context, entity string) (*Metadata, error) {
	e, err := LookupEntity(entity)
	if err != nil {
		return nil, fmt.Errorf("metadata of %s: %w", entity, err)
	}
	if !e.Capabilities.EntityInfo {
		return nil, fmt.Errorf("metadata of %s: %w: the API has no entityInformation for it", e.Name, ErrNotSupported)
	}
	key := strings.ToLower(e.Name)
	cache := &c.meta
	for {
		cache.mu.Lock()
		if m, ok := c.freshMetadataLocked(key); ok {
			cache.mu.Unlock()
			return m, nil
		}
		if call, ok := cache.inflight[key]; ok {
			cache.mu.Unlock()
			select {
			case <-call.done:
			case <-ctx.Done():
				return nil, fmt.Errorf("metadata of %s: %w", e.Name, ctx.Err())
			}
			// The leader's own deadline is not ours: if that is all that failed, try again.
			if call.err != nil && ctx.Err() == nil &&
				(errors.Is(call.err, context.Canceled) || errors.Is(call.err, context.DeadlineExceeded)) {
				continue
			}
			return call.m, call.err
		}
		// An expired entry means this process fetched the metadata MetadataTTL ago: fetch it
		// again. Only a process that has none starts from the copy on disk.
		_, expired := cache.entries[key]
		call := &metadataCall{done: make(chan struct{})}
		cache.inflight[key] = call
		gen := cache.gen
		cache.mu.Unlock()

		m, stale, err := c.loadOrFetchMetadata(ctx, e, !expired, gen)

		cache.mu.Lock()
		delete(cache.inflight, key)
		if err == nil && gen == cache.gen {
			cache.entries[key] = metadataEntry{m: m, fetched: c.cfg.Now()}
		}
		cache.mu.Unlock()
		// Started only once the stale copy is stored, so the refresh's answer always replaces
		// it and is never overwritten by it.
		if stale {
			c.refreshMetadataInBackground(e, gen)
		}
		call.m, call.err = m, err
		close(call.done)
		return m, err
	}
}

// loadOrFetchMetadata is the copy on disk when fromDisk and there is one (stale when it is older
// than persistedMetadataTTL: the caller answers from it and has it fetched again in the
// background), else a fetch, saved for the next process unless RefreshMetadata ran since gen.
func (c *Client) loadOrFetchMetadata(ctx context.Context, e Entity, fromDisk bool, gen uint64) (m *Metadata, stale bool, err error) {
	if fromDisk {
		if m, stale, ok := c.loadMetadata(ctx, e); ok {
			return m, stale, nil
		}
	}
	m, err = c.fetchMetadata(ctx, e)
	if err != nil {
		return nil, false, err
	}
	c.saveMetadataIfCurrent(ctx, m, gen)
	return m, false, nil
}

// saveMetadataIfCurrent writes m to disk unless RefreshMetadata dropped the entity after gen:
// the fetch may have been answered before the change that made it drop it.
func (c *Client) saveMetadataIfCurrent(ctx context.Context, m *Metadata, gen uint64) {
	base, err := c.BaseURL(ctx)
	if err != nil {
		return
	}
	// Written under the lock RefreshMetadata takes to remove the file, so a removal is never
	// overtaken by a write of what it removed.
	c.meta.mu.Lock()
	defer c.meta.mu.Unlock()
	if gen == c.meta.gen {
		c.saveMetadata(base, m)
	}
}

// refreshMetadataInBackground fetches e's metadata on a goroutine Close stops, and replaces
// the cached copy, in memory and on disk, with it. The requests count against the hourly
// budget like any other, through the same pacer.
func (c *Client) refreshMetadataInBackground(e Entity, gen uint64) {
	c.goBackground(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		m, err := c.fetchMetadata(ctx, e)
		if err != nil {
			if ctx.Err() == nil {
				c.log.Warn("autotask metadata background refresh failed", "entity", e.Name, "err", err)
			}
			return
		}
		c.meta.mu.Lock()
		if gen == c.meta.gen {
			c.meta.entries[strings.ToLower(e.Name)] = metadataEntry{m: m, fetched: c.cfg.Now()}
		}
		c.meta.mu.Unlock()
		c.saveMetadataIfCurrent(ctx, m, gen)
	})
}

// RefreshMetadata drops the cached metadata of entity ("" drops all, and the cached
// resource and role lookups with it), in memory and on disk, so the next Metadata call
// fetches it again (after a field or picklist was changed).
func (c *Client) RefreshMetadata(entity string) {
	c.meta.mu.Lock()
	defer c.meta.mu.Unlock()
	c.meta.gen++
	if strings.TrimSpace(entity) == "" {
		clear(c.meta.entries)
		c.lookups.Clear()
		c.removeMetadataFiles("")
		return
	}
	name := strings.TrimSpace(entity)
	if e, err := LookupEntity(entity); err == nil {
		name = e.Name
	}
	delete(c.meta.entries, strings.ToLower(name))
	c.removeMetadataFiles(name)
}

func (c *Client) fetchMetadata(ctx context.Context, e Entity) (*Metadata, error) {
	var info struct {
		Info EntityInfo `json:"info"`
	}
	// The entity's information and its fields are independent: both go out at once (two of the
	// endpoint's three concurrent requests), so a cold entity waits two round trips, not three.
	// Only the user-defined fields wait, on whether the information says there are any.
	var (
		fields  []Field
		infoErr error
		wg      sync.WaitGroup
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	wg.Go(func() {
		if infoErr = c.call(ctx, apiRequest{method: "GET", path: e.Name + "/entityInformation", kind: kindRead}, &info); infoErr != nil {
			cancel()
		}
	})
	fields, err := c.fetchFields(ctx, e)
	if err != nil {
		cancel()
	}
	wg.Wait()
	if infoErr != nil && (err == nil || !errors.Is(infoErr, context.Canceled)) {
		return nil, fmt.Errorf("metadata of %s: %w", e.Name, infoErr)
	}
	if err != nil {
		return nil, err
	}
	// The userDefinedFields endpoint names the data type "type" where /fields says "dataType"
	// (the spec's UserDefinedFieldDefinition model); take either.
	var udfs struct {
		Fields []struct {
			Field
			Type string `json:"type"`
		} `json:"fields"`
	}
	if info.Info.HasUserDefinedFields {
		if err := c.call(ctx, apiRequest{method: "GET", path: e.Name + "/entityInformation/userDefinedFields", kind: kindRead}, &udfs); err != nil {
			return nil, fmt.Errorf("user-defined fields of %s: %w", e.Name, err)
		}
	}
	udfFields := make([]Field, 0, len(udfs.Fields))
	for _, u := range udfs.Fields {
		if u.DataType == "" {
			u.DataType = u.Type
		}
		udfFields = append(udfFields, u.Field)
	}
	return newMetadata(e.Name, info.Info, fields, udfFields), nil
}

// fetchFields reads the entity's standard fields with GET {Entity}/entityInformation/fields.
func (c *Client) fetchFields(ctx context.Context, e Entity) ([]Field, error) {
	var fields struct {
		Fields []Field `json:"fields"`
	}
	if err := c.call(ctx, apiRequest{method: "GET", path: e.Name + "/entityInformation/fields", kind: kindRead}, &fields); err != nil {
		return nil, fmt.Errorf("fields of %s: %w", e.Name, err)
	}
	return fields.Fields, nil
}
