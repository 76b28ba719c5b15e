package autotask_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// activeResources are up to n active resources of the sandbox other than the API user.
func activeResources(t *testing.T, tn *tenant, n int) []int64 {
	t.Helper()
	var out []int64
	for _, id := range tn.sb.IDs("Resources") {
		rec, _ := tn.sb.Record("Resources", id)
		if rec["isActive"] == true && id != tn.sb.APIResourceID() && len(out) < n {
			out = append(out, id)
		}
	}
	require.Len(t, out, n)
	return out
}

// One client serves several people: each call is made as the resource its context names, the
// configured one when it names none, and the tenant records that resource on what the call wrote.
func TestImpersonationPerCall(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	res := activeResources(t, tn, 3)
	configured, priya, omar := res[0], res[1], res[2]
	c := tn.client(t, func(cfg *autotask.Config) { cfg.ResourceID = configured })
	ticket := tn.anyTicketID(t)

	tests := []struct {
		name string
		ctx  context.Context
		want int64
	}{
		{"the configured resource by default", testCtx(t), configured},
		{"priya's call", autotask.WithImpersonation(testCtx(t), priya), priya},
		{"omar's call", autotask.WithImpersonation(testCtx(t), omar), omar},
		{"no resource in the context keeps the default", autotask.WithImpersonation(testCtx(t), 0), configured},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			acting, err := c.ActingResourceID(tt.ctx)
			require.NoError(t, err)
			assert.Equal(t, tt.want, acting, "log_time and \"me\" follow the call's resource")

			noteID, err := c.AddTicketNote(tt.ctx, ticket, autotask.Record{
				"title": "Called", "description": "Left a message", "noteType": 1, "publish": 1,
			})
			require.NoError(t, err)
			note, ok := tn.sb.Record("TicketNotes", noteID)
			require.True(t, ok)
			creator, _ := autotask.Record(note).Int("creatorResourceID")
			assert.Equal(t, tt.want, creator, "the note shows the resource the call was made as")
			impersonator, _ := autotask.Record(note).Int("impersonatorCreatorResourceID")
			assert.Equal(t, tn.sb.APIResourceID(), impersonator, "the API user stays on record as the impersonator")
		})
	}
}
