package autotask

import (
	"context"
	"fmt"
	"strings"

	"github.com/autotask-mcp/autotask-mcp/internal/expiring"
)

// Who the client logs time as, and as what. Time is logged by a resource (a person: a technician,
// or the API user, which is a resource too) at a role it holds: one of its service-desk roles for
// a ticket, one of its department roles for a task, each with one default. A tenant's roles and
// who holds them change seldom, so they are read once and kept for MetadataTTL, like metadata.

// ErrNoResource is the client knowing no resource to log time as: no ImpersonationResourceId is
// configured and no active resource has the API user's user name or e-mail address.
var ErrNoResource error = &kindError{msg: "no resource to act as", parent: ErrNotFound}

// HeldRole is a role a resource holds: the role's id, and whether it is the resource's default.
type HeldRole struct {
	RoleID  int64
	Default bool
}

// Role is one of the tenant's roles.
type Role struct {
	ID     int64
	Name   string
	Active bool
}

// WorkType is one of the tenant's work types: a general allocation code (BillingCodes, use type 1).
type WorkType struct {
	ID     int64
	Name   string
	Active bool
}

// ActingResourceID is the resource the requests made with ctx are made as: the one ctx names
// (WithImpersonation) or else Config.ResourceID, sent as ImpersonationResourceId; when neither is
// set, the API user's own resource, found among the active Resources by the API user's user name or
// e-mail address. ErrNoResource when there is none. Only the API user's own resource is looked up,
// and so cached: the lookup's answer is the same whoever the call is for.
func (c *Client) ActingResourceID(ctx context.Context) (int64, error) {
	if id := c.impersonated(ctx); id > 0 {
		return id, nil
	}
	return cachedLookup(ctx, c, "acting resource: the API user", func(ctx context.Context) (int64, error) {
		name := strings.TrimSpace(c.cfg.Username)
		page, err := c.Query(ctx, "Resources", Query{
			Filter:        []Filter{Eq("isActive", true), Or(Eq("userName", name), Eq("email", name))},
			IncludeFields: []string{"id", "userName", "email"},
			MaxRecords:    2,
		})
		if err != nil {
			return 0, fmt.Errorf("find the API user's resource: %w", err)
		}
		if len(page.Items) != 1 {
			return 0, fmt.Errorf("%w: %d active resources have the API user's user name or e-mail address; set %s to the resource id to act as",
				ErrNoResource, len(page.Items), EnvResourceID)
		}
		return page.Items[0].ID(), nil
	})
}

// ServiceDeskRoles are the active service-desk roles a resource holds: the roles its ticket time
// may be logged as.
func (c *Client) ServiceDeskRoles(ctx context.Context, resourceID int64) ([]HeldRole, error) {
	return c.heldRoles(ctx, "ResourceServiceDeskRoles", resourceID)
}

// DepartmentRoles are the active department roles a resource holds: the roles its task time may
// be logged as.
func (c *Client) DepartmentRoles(ctx context.Context, resourceID int64) ([]HeldRole, error) {
	return c.heldRoles(ctx, "ResourceRoleDepartments", resourceID)
}

func (c *Client) heldRoles(ctx context.Context, entity string, resourceID int64) ([]HeldRole, error) {
	return cachedLookup(ctx, c, fmt.Sprintf("%s/%d", entity, resourceID), func(ctx context.Context) ([]HeldRole, error) {
		var out []HeldRole
		q := Query{
			Filter:        []Filter{Eq("resourceID", resourceID), Eq("isActive", true)},
			IncludeFields: []string{"id", "roleID", "isDefault"},
			MaxRecords:    500,
		}
		for rec, err := range c.QueryAll(ctx, entity, q) {
			if err != nil {
				return nil, fmt.Errorf("roles of resource %d (%s): %w", resourceID, entity, err)
			}
			id, _ := rec.Int("roleID")
			out = append(out, HeldRole{RoleID: id, Default: rec.String("isDefault") == "true"})
		}
		return out, nil
	})
}

// Roles are the tenant's roles, active or not.
func (c *Client) Roles(ctx context.Context) ([]Role, error) {
	return cachedLookup(ctx, c, "Roles", func(ctx context.Context) ([]Role, error) {
		var out []Role
		q := Query{Filter: []Filter{MatchAll()}, IncludeFields: []string{"id", "name", "isActive"}, MaxRecords: 500}
		for rec, err := range c.QueryAll(ctx, "Roles", q) {
			if err != nil {
				return nil, fmt.Errorf("the tenant's roles: %w", err)
			}
			out = append(out, Role{ID: rec.ID(), Name: rec.String("name"), Active: rec.String("isActive") == "true"})
		}
		return out, nil
	})
}

// WorkTypes are the tenant's work types, active or not.
func (c *Client) WorkTypes(ctx context.Context) ([]WorkType, error) {
	return cachedLookup(ctx, c, "WorkTypes", func(ctx context.Context) ([]WorkType, error) {
		var out []WorkType
		q := Query{Filter: []Filter{Eq("useType", 1)}, IncludeFields: []string{"id", "name", "isActive"}, MaxRecords: 500}
		for rec, err := range c.QueryAll(ctx, "BillingCodes", q) {
			if err != nil {
				return nil, fmt.Errorf("the tenant's work types: %w", err)
			}
			out = append(out, WorkType{ID: rec.ID(), Name: rec.String("name"), Active: rec.String("isActive") == "true"})
		}
		return out, nil
	})
}

// lookupCacheSize bounds the lookups kept: the acting resource, the tenant's roles and work
// types, and the held roles of each resource time was logged for.
const lookupCacheSize = 1000

func newLookupCache(cfg Config) *expiring.Cache[string, any] {
	return expiring.New[string, any](lookupCacheSize, cfg.MetadataTTL, cfg.Now)
}

// cachedLookup is what fetch finds for key, kept for MetadataTTL. Failures are not kept: the next
// caller tries again. Two callers missing at once may both fetch; the answers are the same.
func cachedLookup[T any](ctx context.Context, c *Client, key string, fetch func(context.Context) (T, error)) (T, error) {
	if v, ok := c.lookups.Get(key); ok {
		return v.(T), nil
	}
	v, err := fetch(ctx)
	if err != nil {
		return v, err
	}
	c.lookups.Put(key, v)
	return v, nil
}
