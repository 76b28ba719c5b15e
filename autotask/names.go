package autotask

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/autotask-mcp/autotask-mcp/internal/expiring"
)

// A reference field (companyID, assignedResourceID, ...) holds an id, and people know the record
// by its name. The client reads the names of a whole set of ids with one query per entity and
// keeps them for NameTTL, so naming the references of a page costs one request per referenced
// entity the first time and none after. Each of those requests spends the hourly budget like any
// other.

// namingFields are the entities whose records are not named by a "name" or "title" field.
var namingFields = map[string][]string{
	"Companies": {"companyName"},
	"Contacts":  {"firstName", "lastName"},
	"Resources": {"firstName", "lastName"},
	// A ticket is known by its number: its title is a customer's words, often not unique.
	"Tickets": {"ticketNumber"},
}

// NameFields returns the fields whose values, joined by a space, name a record of md's entity;
// nil when none does. Companies, Contacts, Resources and Tickets are set by hand; any other
// entity is named by the first text field its metadata has of {model}Name (projectName,
// contractName), name, title, firstName with lastName, or a field ending in Title
// (referenceTitle).
func NameFields(md *Metadata) []string {
	if fields, ok := namingFields[md.Entity]; ok {
		return fields
	}
	return derivedNameFields(md)
}

func derivedNameFields(md *Metadata) []string {
	text := func(name string) (string, bool) {
		f, ok := md.Field(name)
		if !ok || !strings.EqualFold(f.DataType, "string") || f.IsPickList {
			return "", false
		}
		return f.Name, true
	}
	model := md.Entity
	if e, err := LookupEntity(md.Entity); err == nil && e.Model != "" {
		model = e.Model
	}
	for _, name := range []string{lowerFirst(model) + "Name", "name", "title"} {
		if f, ok := text(name); ok {
			return []string{f}
		}
	}
	first, okFirst := text("firstName")
	last, okLast := text("lastName")
	if okFirst && okLast {
		return []string{first, last}
	}
	for _, f := range md.Fields {
		if strings.HasSuffix(f.Name, "Title") {
			if name, ok := text(f.Name); ok {
				return []string{name}
			}
		}
	}
	return nil
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// nameState is what the client remembers about names: records' names by id and records found by
// name.
type nameState struct {
	byID   *expiring.Cache[nameKey, string]
	byName *expiring.Cache[nameLookupKey, []NamedRecord]
}

func newNameState(cfg Config) nameState {
	return nameState{
		byID:   expiring.New[nameKey, string](cfg.NameCacheSize, cfg.NameTTL, cfg.Now),
		byName: expiring.New[nameLookupKey, []NamedRecord](max(1, cfg.NameCacheSize/10), cfg.NameTTL, cfg.Now),
	}
}

// nameKey is a record of an entity (canonical name).
type nameKey struct {
	entity string
	id     int64
}

// nameFieldsOf is NameFields for an entity, reading its metadata (cached) only when the entity
// is not one whose naming fields are set by hand.
func (c *Client) nameFieldsOf(ctx context.Context, e Entity) ([]string, error) {
	if fields, ok := namingFields[e.Name]; ok {
		return fields, nil
	}
	md, err := c.Metadata(ctx, e.Name)
	if err != nil {
		return nil, err
	}
	fields := derivedNameFields(md)
	if len(fields) == 0 {
		return nil, fmt.Errorf("%w: no field of %s names its records", ErrNotSupported, e.Name)
	}
	return fields, nil
}

// Names returns the names of records of entity by id, reading those it does not hold with one
// query per 500 ids. An id with no record, or whose record has an empty name, is absent from the
// answer (and remembered as such, so it costs no request next time either).
func (c *Client) Names(ctx context.Context, entity string, ids []int64) (map[int64]string, error) {
	e, err := LookupEntity(entity)
	if err != nil {
		return nil, fmt.Errorf("names of %s: %w", entity, err)
	}
	if !e.Capabilities.Query {
		return nil, fmt.Errorf("names of %s: %w: %s cannot be queried", e.Name, ErrNotSupported, e.Name)
	}
	out := make(map[int64]string, len(ids))
	var missing []int64
	for _, id := range ids {
		if _, done := out[id]; done || slices.Contains(missing, id) {
			continue
		}
		if name, ok := c.names.byID.Get(nameKey{e.Name, id}); ok {
			if name != "" {
				out[id] = name
			}
			continue
		}
		missing = append(missing, id)
	}
	if len(missing) == 0 {
		return out, nil
	}
	fields, err := c.nameFieldsOf(ctx, e)
	if err != nil {
		return out, fmt.Errorf("names of %s: %w", e.Name, err)
	}
	slices.Sort(missing)
	for chunk := range slices.Chunk(missing, MaxPageSize) {
		list := make([]any, len(chunk))
		for i, id := range chunk {
			list[i] = id
		}
		page, err := c.Query(ctx, e.Name, Query{Filter: []Filter{In("id", list...)}, IncludeFields: fields, MaxRecords: len(chunk)})
		if err != nil {
			return out, fmt.Errorf("names of %s: %w", e.Name, err)
		}
		found := make(map[int64]string, len(page.Items))
		for _, rec := range page.Items {
			found[rec.ID()] = recordName(rec, fields)
		}
		for _, id := range chunk {
			name := found[id]
			c.names.byID.Put(nameKey{e.Name, id}, name)
			if name != "" {
				out[id] = name
			}
		}
	}
	return out, nil
}

// recordName joins the naming fields' values with single spaces.
func recordName(rec Record, fields []string) string {
	parts := make([]string, 0, len(fields))
	for _, f := range fields {
		if s := strings.Join(strings.Fields(rec.String(f)), " "); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

// RefreshNames drops every cached name, so the next Names call reads them again (after records
// were renamed).
func (c *Client) RefreshNames() {
	c.names.byID.Clear()
	c.names.byName.Clear()
}
