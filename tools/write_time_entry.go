package tools

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/autotask-mcp/autotask-mcp/autotask"
)

// The time entry log_time writes: whose time it is (the acting resource), the role it is billed at
// and its work type, each from the assistant's id or label or else from the tenant's defaults.
// The tenant's roles, who holds which, and its work types are read once and cached by the client.

// actingResource is the resource whose time is logged: the impersonated one, else the API user's.
func (r *writeRun) actingResource(ctx context.Context) (int64, error) {
	id, err := r.deps.Client.ActingResourceID(ctx)
	if errors.Is(err, autotask.ErrNoResource) {
		return 0, badArgs("no resource to log the time as: the server acts as no resource (AUTOTASK_RESOURCE_ID is not set), and no active resource has the API user's user name or e-mail address. The server's operator must set AUTOTASK_RESOURCE_ID to the technician's resource id")
	}
	if err != nil {
		return 0, fmt.Errorf("find the resource to log time as: %w", err)
	}
	return id, nil
}

// roleKind is which of its roles a resource logs time on the target as: its service-desk roles
// on a ticket, its department roles on a task.
func (r *writeRun) roleKind() string {
	if r.w.Entity == "Tasks" {
		return "department"
	}
	return "service-desk"
}

// timeRole is the role the time is billed at: the one the assistant named (id, name, or our
// "Name (id)"), which must be one the resource holds, or else the resource's default.
func (r *writeRun) timeRole(ctx context.Context, resource int64, arg any) (autotask.Role, error) {
	var held []autotask.HeldRole
	var err error
	if r.w.Entity == "Tasks" {
		held, err = r.deps.Client.DepartmentRoles(ctx, resource)
	} else {
		held, err = r.deps.Client.ServiceDeskRoles(ctx, resource)
	}
	if err != nil {
		return autotask.Role{}, err
	}
	roles, err := r.deps.Client.Roles(ctx)
	if err != nil {
		return autotask.Role{}, err
	}
	byID := make(map[int64]autotask.Role, len(roles))
	for _, role := range roles {
		byID[role.ID] = role
	}
	name := func(id int64) autotask.Role {
		if role, ok := byID[id]; ok {
			return role
		}
		return autotask.Role{ID: id, Name: fmt.Sprintf("role %d", id), Active: true}
	}
	// held lists the roles for a message: "Service Desk Technician (29683461) default, ...".
	heldList := func() string {
		if len(held) == 0 {
			return "none"
		}
		parts := make([]string, 0, len(held))
		for _, h := range held {
			s := fmt.Sprintf("%s (%d)", name(h.RoleID).Name, h.RoleID)
			if h.Default {
				s += " default"
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, ", ")
	}
	whose := fmt.Sprintf("resource %d's %s roles", resource, r.roleKind())
	which := whose + ", which are: " + heldList()

	if arg == nil {
		for _, h := range held {
			if h.Default {
				return name(h.RoleID), nil
			}
		}
		if len(held) == 1 {
			return name(held[0].RoleID), nil
		}
		return autotask.Role{}, badArgs("role is required here: resource %d has no default %s role; give one of its %s roles: %s", resource, r.roleKind(), r.roleKind(), heldList())
	}
	if id, ok := integerValue(arg); ok {
		n, _ := id.Int64()
		if slices.ContainsFunc(held, func(h autotask.HeldRole) bool { return h.RoleID == n }) {
			return name(n), nil
		}
		return autotask.Role{}, badArgs("role %d is not one of %s", n, which)
	}
	label := strings.TrimSpace(scalarString(arg))
	if m := labelledPattern.FindStringSubmatch(label); m != nil {
		if id, ok := integerValue(strings.TrimSpace(m[2])); ok {
			return r.timeRole(ctx, resource, id)
		}
	}
	for _, h := range held {
		if strings.EqualFold(name(h.RoleID).Name, label) {
			return name(h.RoleID), nil
		}
	}
	for _, role := range roles {
		if strings.EqualFold(role.Name, label) {
			return autotask.Role{}, badArgs("%s is a role of this tenant, but not one of %s", describeValue(label), which)
		}
	}
	names := make([]string, 0, len(roles))
	for _, role := range roles {
		names = append(names, role.Name)
	}
	return autotask.Role{}, badArgs("no role is named %s%s Resource %d's %s roles are: %s", describeValue(label), didYouMean(autotask.Closest(label, names, 3)), resource, r.roleKind(), heldList())
}

// workType is the work type the assistant named (id, name, or "Name (id)"): one of the tenant's
// active work types.
func (r *writeRun) workType(ctx context.Context, arg any) (autotask.WorkType, error) {
	types, err := r.deps.Client.WorkTypes(ctx)
	if err != nil {
		return autotask.WorkType{}, err
	}
	var active []string
	for _, w := range types {
		if w.Active {
			active = append(active, fmt.Sprintf("%s (%d)", w.Name, w.ID))
		}
	}
	choose := "; choose one of: " + strings.Join(active, ", ")
	s := strings.TrimSpace(scalarString(arg))
	if m := labelledPattern.FindStringSubmatch(s); m != nil {
		s = strings.TrimSpace(m[2])
	}
	id, isID := integerValue(s)
	for _, w := range types {
		n, _ := id.Int64()
		if (isID && w.ID == n) || (!isID && strings.EqualFold(w.Name, s)) {
			if !w.Active {
				return autotask.WorkType{}, badArgs("work type %s (%d) is inactive%s", w.Name, w.ID, choose)
			}
			return w, nil
		}
	}
	return autotask.WorkType{}, badArgs("no work type %s%s", describeValue(arg), choose)
}

// workTypeName names a work type id for the summary; "" when the tenant has no such work type.
func (r *writeRun) workTypeName(ctx context.Context, id int64) string {
	types, err := r.deps.Client.WorkTypes(ctx)
	if err != nil {
		return ""
	}
	for _, w := range types {
		if w.ID == id {
			return fmt.Sprintf("%s (%d)", w.Name, w.ID)
		}
	}
	return ""
}
