package autotask

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// NamedRecord is a record as its name shows it.
type NamedRecord struct {
	ID   int64
	Name string
}

// NameMatchLimit bounds the records FindByName and NameCandidates return: more than one exact
// match already means the name does not pick a record, and a list longer than this helps no one
// choose.
const NameMatchLimit = 5

// nameSplitLimit bounds the ways a person's name is split into first and last name: "Mary Ann
// van Dyke" may be first "Mary Ann", last "van Dyke" or any other split at a space.
const nameSplitLimit = 4

// nameLookupKey is a name of a record of an entity, lower-cased with single spaces.
type nameLookupKey struct {
	entity string
	name   string
}

func normalName(s string) string { return strings.Join(strings.Fields(s), " ") }

// FindByName returns the records of entity whose name (NameFields) is name, ignoring case and
// repeated spaces: one query, whose answer is kept for NameTTL. More than one record means the
// name is ambiguous; at most NameMatchLimit+1 are returned.
func (c *Client) FindByName(ctx context.Context, entity, name string) ([]NamedRecord, error) {
	e, err := LookupEntity(entity)
	if err != nil {
		return nil, fmt.Errorf("find %s by name: %w", entity, err)
	}
	name = normalName(name)
	key := nameLookupKey{e.Name, strings.ToLower(name)}
	if found, ok := c.names.byName.Get(key); ok {
		return slices.Clone(found), nil
	}
	fields, err := c.nameFieldsOf(ctx, e)
	if err != nil {
		return nil, fmt.Errorf("find %s by name: %w", e.Name, err)
	}
	filter := exactNameFilter(fields, name)
	var found []NamedRecord
	if len(filter) > 0 {
		found, err = c.queryNames(ctx, e, fields, filter, NameMatchLimit+1)
		if err != nil {
			return nil, fmt.Errorf("find %s named %q: %w", e.Name, name, err)
		}
		// The API compares case-insensitively but keeps inner spaces; the name must match as a whole.
		found = slices.DeleteFunc(found, func(r NamedRecord) bool { return !strings.EqualFold(r.Name, name) })
	}
	c.names.byName.Put(key, slices.Clone(found))
	return found, nil
}

// exactNameFilter matches records whose naming fields hold name: the one field equal to it, or,
// for a first and a last name, any split of name at a space into the two.
func exactNameFilter(fields []string, name string) []Filter {
	if name == "" {
		return nil
	}
	if len(fields) == 1 {
		return []Filter{Eq(fields[0], name)}
	}
	words := strings.Fields(name)
	var splits []Filter
	for k := 1; k < len(words) && len(splits) < nameSplitLimit; k++ {
		splits = append(splits, And(Eq(fields[0], strings.Join(words[:k], " ")), Eq(fields[1], strings.Join(words[k:], " "))))
	}
	switch len(splits) {
	case 0:
		return nil // one word cannot be a first and a last name
	case 1:
		return splits[0].Items
	}
	return []Filter{Or(splits...)}
}

// NameCandidates returns up to NameMatchLimit records of entity whose name contains one of the
// longest words of name (up to three of them): what to offer when no record has the name itself.
func (c *Client) NameCandidates(ctx context.Context, entity, name string) ([]NamedRecord, error) {
	e, err := LookupEntity(entity)
	if err != nil {
		return nil, fmt.Errorf("find %s by name: %w", entity, err)
	}
	fields, err := c.nameFieldsOf(ctx, e)
	if err != nil {
		return nil, fmt.Errorf("find %s by name: %w", e.Name, err)
	}
	words := strings.Fields(name)
	if len(words) == 0 {
		return nil, nil
	}
	slices.SortStableFunc(words, func(a, b string) int { return len(b) - len(a) })
	var filter []Filter
	for _, w := range words[:min(len(words), candidateWords)] {
		for _, f := range fields {
			filter = append(filter, Contains(f, w))
		}
	}
	if len(filter) > 1 {
		filter = []Filter{Or(filter...)}
	}
	found, err := c.queryNames(ctx, e, fields, filter, NameMatchLimit)
	if err != nil {
		return nil, fmt.Errorf("find %s like %q: %w", e.Name, name, err)
	}
	return found, nil
}

// candidateWords is how many words of a name that matched nothing are looked for on their own.
const candidateWords = 3

// queryNames runs one query for the naming fields and remembers each name it read.
func (c *Client) queryNames(ctx context.Context, e Entity, fields []string, filter []Filter, limit int) ([]NamedRecord, error) {
	page, err := c.Query(ctx, e.Name, Query{Filter: filter, IncludeFields: fields, MaxRecords: limit})
	if err != nil {
		return nil, err
	}
	out := make([]NamedRecord, 0, len(page.Items))
	for _, rec := range page.Items {
		r := NamedRecord{ID: rec.ID(), Name: recordName(rec, fields)}
		c.names.byID.Put(nameKey{e.Name, r.ID}, r.Name)
		out = append(out, r)
	}
	return out, nil
}
