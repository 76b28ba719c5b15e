package autotask_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

func TestActingResourceID(t *testing.T) {
	t.Run("the impersonated resource, with no request", func(t *testing.T) {
		tn := newTenant(t, sandbox.Options{})
		pm := sandboxRecord(t, tn.sb, "Resources", map[string]any{"title": "Project Manager"})
		id, err := tn.client(t, func(c *autotask.Config) { c.ResourceID = pm }).ActingResourceID(testCtx(t))
		require.NoError(t, err)
		assert.Equal(t, pm, id)
		assert.Zero(t, tn.sb.Stats().Requests)
	})
	t.Run("else the API user's own, found once", func(t *testing.T) {
		tn := newTenant(t, sandbox.Options{})
		c := tn.client(t)
		for range 2 {
			id, err := c.ActingResourceID(testCtx(t))
			require.NoError(t, err)
			assert.Equal(t, tn.sb.APIResourceID(), id)
		}
		assert.Equal(t, 1, tn.endpointCount("POST Resources/query"), "looked up once, then cached")
	})
	t.Run("me and the resource writes are made as: one lookup for both", func(t *testing.T) {
		tn := newTenant(t, sandbox.Options{})
		c := tn.client(t)
		me, err := c.ActingResourceID(testCtx(t))
		require.NoError(t, err)
		acting, err := c.ActingResourceID(testCtx(t))
		require.NoError(t, err)
		assert.Equal(t, me, acting)
		assert.Equal(t, 1, tn.endpointCount("POST Resources/query"), "\"me\" and the acting resource share one cached lookup")
	})
	t.Run("neither: the error says what to set", func(t *testing.T) {
		tn := newTenant(t, sandbox.Options{})
		require.NoError(t, tn.sb.Modify("Resources", tn.sb.APIResourceID(), map[string]any{"userName": "someone", "email": "someone@example.com"}))
		_, err := tn.client(t).ActingResourceID(testCtx(t))
		require.ErrorIs(t, err, autotask.ErrNoResource)
		require.ErrorIs(t, err, autotask.ErrNotFound)
		assert.Contains(t, err.Error(), "AUTOTASK_RESOURCE_ID")
	})
}

func TestHeldRolesAndTheTenantsRoles(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	ctx := testCtx(t)
	pm := sandboxRecord(t, tn.sb, "Resources", map[string]any{"title": "Project Manager"})

	desk, err := c.ServiceDeskRoles(ctx, pm)
	require.NoError(t, err)
	assert.Equal(t, []autotask.HeldRole{{RoleID: sandboxRecord(t, tn.sb, "Roles", map[string]any{"name": "Service Desk Technician"}), Default: true}}, desk)
	dept, err := c.DepartmentRoles(ctx, pm)
	require.NoError(t, err)
	assert.Equal(t, []autotask.HeldRole{{RoleID: sandboxRecord(t, tn.sb, "Roles", map[string]any{"name": "Project Manager"}), Default: true}}, dept)

	roles, err := c.Roles(ctx)
	require.NoError(t, err)
	assert.Contains(t, roles, autotask.Role{ID: sandboxRecord(t, tn.sb, "Roles", map[string]any{"name": "Helpdesk (retired)"}), Name: "Helpdesk (retired)", Active: false})
	types, err := c.WorkTypes(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, types)

	before := tn.sb.Stats().Requests
	_, _ = c.ServiceDeskRoles(ctx, pm)
	_, _ = c.DepartmentRoles(ctx, pm)
	_, _ = c.Roles(ctx)
	_, _ = c.WorkTypes(ctx)
	assert.Equal(t, before, tn.sb.Stats().Requests, "cached")
}

func TestRoleLookupsExpireWithTheMetadata(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	clock := newFakeClock()
	c := tn.client(t, func(cfg *autotask.Config) { cfg.Now = clock.Now; cfg.MetadataTTL = time.Hour })
	ctx := testCtx(t)
	_, err := c.Roles(ctx)
	require.NoError(t, err)
	clock.Advance(59 * time.Minute)
	_, _ = c.Roles(ctx)
	assert.Equal(t, 1, tn.endpointCount("POST Roles/query"))
	clock.Advance(2 * time.Minute)
	_, _ = c.Roles(ctx)
	assert.Equal(t, 2, tn.endpointCount("POST Roles/query"), "read again after MetadataTTL")
}

// Every time-entry rule the API enforces reaches the caller as the API refusing the request
// (ErrValidation, its own words, sent once), never as a write that may have been applied: a
// caller told "may have" would read back and wait instead of fixing its call.
func TestTimeEntryRefusalsAreValidation(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	ticket := tn.anyTicketID(t)
	desk := sandboxRecord(t, tn.sb, "Roles", map[string]any{"name": "Service Desk Technician"})
	good := func() autotask.Record {
		return autotask.Record{"ticketID": ticket, "resourceID": tn.sb.APIResourceID(), "roleID": desk,
			"summaryNotes": "Checked the backups", "hoursWorked": 1, "dateWorked": "2026-11-20"}
	}
	with := func(kv ...any) autotask.Record {
		r := good()
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(r, kv[i].(string))
			} else {
				r[kv[i].(string)] = kv[i+1]
			}
		}
		return r
	}
	tests := []struct {
		name string
		body autotask.Record
	}{
		{"no resource", with("resourceID", nil)},
		{"a ticket and a task", with("taskID", tn.sb.IDs("Tasks")[0])},
		{"on nothing", with("ticketID", nil)},
		{"no hours", with("hoursWorked", nil)},
		{"hours not the window's", with("startDateTime", "2026-11-20T09:00:00Z", "endDateTime", "2026-11-20T09:30:00Z")},
		{"more than a day", with("hoursWorked", 30)},
		{"half a window", with("startDateTime", "2026-11-20T09:00:00Z")},
		{"no date", with("dateWorked", nil)},
		{"blank summary", with("summaryNotes", " ")},
		{"no role", with("roleID", nil)},
		{"no such role", with("roleID", 987654)},
		{"a role not held", with("roleID", sandboxRecord(t, tn.sb, "Roles", map[string]any{"name": "Senior Engineer"}))},
		{"no such task", with("ticketID", nil, "taskID", 987654)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tn.sb.ResetStats()
			_, err := c.Create(testCtx(t), "TimeEntries", tt.body)
			require.ErrorIs(t, err, autotask.ErrValidation)
			var api *autotask.APIError
			require.ErrorAs(t, err, &api)
			assert.NotEmpty(t, api.Messages)
			assert.Equal(t, 1, tn.endpointCount("POST TimeEntries"))
		})
	}
	_, err := c.Create(testCtx(t), "TimeEntries", good())
	require.NoError(t, err, "the body every case breaks is itself accepted")
}
