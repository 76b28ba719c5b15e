package autotask

import (
	"context"
	"fmt"
	"strings"
)

// FieldPicklist returns the picklist of one standard field of entity: from the cached
// metadata when it is fresh, else with a single GET {Entity}/entityInformation/fields.
// Metadata would cost up to three requests on a cold cache (information, fields,
// user-defined fields); a caller that needs one picklist, such as an argument completion
// asked for as a person types, should not pay for the other two. The fetched fields are
// not cached here: the metadata cache holds complete metadata only.
func (c *Client) FieldPicklist(ctx context.Context, entity, field string) (*Picklist, error) {
	e, err := LookupEntity(entity)
	if err != nil {
		return nil, fmt.Errorf("picklist %s.%s: %w", entity, field, err)
	}
	if !e.Capabilities.EntityInfo {
		return nil, fmt.Errorf("picklist %s.%s: %w: the API has no entityInformation for it", e.Name, field, ErrNotSupported)
	}
	if m, ok := c.CachedMetadata(e.Name); ok {
		if f, ok := m.Field(field); ok {
			if p, ok := m.Picklist(f.Name); ok {
				return p, nil
			}
		}
		return nil, fmt.Errorf("picklist %s.%s: %w: no picklist field %q", e.Name, field, ErrUnknownField, field)
	}
	fields, err := c.fetchFields(ctx, e)
	if err != nil {
		return nil, fmt.Errorf("picklist %s.%s: %w", e.Name, field, err)
	}
	for _, f := range fields {
		if strings.EqualFold(f.Name, strings.TrimSpace(field)) && f.hasPicklist() {
			return newPicklist(f.Name, f.PicklistValues), nil
		}
	}
	return nil, fmt.Errorf("picklist %s.%s: %w: no picklist field %q", e.Name, field, ErrUnknownField, field)
}
