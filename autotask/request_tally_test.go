package autotask_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// The tally counts what the tenant's budget counts: every attempt sent, a retry included, and
// nothing sent on another context.
func TestRequestTally(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	ctx, spent := autotask.WithRequestTally(testCtx(t))
	tn.sb.Faults().Script("POST", "Tickets/query", 1, sandbox.Fault{Kind: sandbox.FaultStatus, Status: 500})
	_, err := c.Query(ctx, "Tickets", autotask.Query{MaxRecords: 1})
	require.NoError(t, err)
	_, err = c.Count(testCtx(t), "Tickets", nil)
	require.NoError(t, err)
	assert.Equal(t, 2, spent(), "the failed attempt and its retry")
	assert.Equal(t, 3, tn.sb.Stats().Requests)
}
