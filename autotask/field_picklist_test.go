package autotask_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// TestFieldPicklist: one picklist costs one request on a cold cache (not the three of
// full metadata) and none once the metadata is cached; a field without a picklist, an
// unknown field and an unknown entity are errors a caller can tell apart.
func TestFieldPicklist(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	ctx := testCtx(t)

	queues, err := c.FieldPicklist(ctx, "tickets", "QUEUEID")
	require.NoError(t, err)
	assert.Equal(t, "queueID", queues.Field)
	assert.Contains(t, queues.Labels(), "Level I Support")
	assert.Equal(t, 1, tn.sb.Stats().Requests, "a cold cache costs one request")

	_, err = c.Metadata(ctx, "Tickets")
	require.NoError(t, err)
	before := tn.sb.Stats().Requests
	status, err := c.FieldPicklist(ctx, "Tickets", "status")
	require.NoError(t, err)
	v, ok := status.Value("Complete")
	require.True(t, ok)
	assert.Equal(t, "5", v)
	assert.Equal(t, before, tn.sb.Stats().Requests, "cached metadata answers without a request")

	tests := []struct {
		name, entity, field string
		want                error
	}{
		{"not a picklist, cached", "Tickets", "title", autotask.ErrUnknownField},
		{"no such field, cold", "Companies", "nope", autotask.ErrUnknownField},
		{"no such entity", "Tikets", "status", autotask.ErrUnknownEntity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.FieldPicklist(ctx, tt.entity, tt.field)
			assert.ErrorIs(t, err, tt.want)
		})
	}
}
