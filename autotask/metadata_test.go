package autotask_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

func metadataRequests(tn *tenant) int {
	st := tn.sb.Stats()
	n := 0
	for _, ep := range []string{"GET Tickets/entityInformation", "GET Tickets/entityInformation/fields", "GET Tickets/entityInformation/userDefinedFields"} {
		n += st.ByEndpoint[ep]
	}
	return n
}

func TestMetadataFieldsAndPicklists(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	m, err := c.Metadata(testCtx(t), "tickets")
	require.NoError(t, err)
	assert.Equal(t, "Tickets", m.Entity)
	assert.True(t, m.Info.CanQuery)
	assert.True(t, m.Info.HasUserDefinedFields)
	assert.NotEmpty(t, m.UDFs)
	assert.Contains(t, m.FieldNames(), "ticketNumber")

	f, ok := m.Field("TICKETNUMBER")
	require.True(t, ok)
	assert.Equal(t, "ticketNumber", f.Name)
	_, ok = m.Field("nope")
	assert.False(t, ok)

	udf := m.UDFs[0]
	got, ok := m.UDF(udf.Name)
	require.True(t, ok)
	assert.Equal(t, udf, got)
	for _, u := range m.UDFs {
		assert.NotEmpty(t, u.DataType, "UDF %s: the endpoint's \"type\" becomes DataType", u.Name)
	}

	status, ok := m.Picklist("status")
	require.True(t, ok)
	tests := []struct {
		label, want string
		found       bool
	}{
		{"Complete", "5", true},
		{"Completed", "8", true},
		{"complete", "5", true},
		{"Compl", "", false},
		{"Complete ", "5", true},
		{"Completes", "", false},
	}
	for _, tt := range tests {
		v, ok := status.Value(tt.label)
		assert.Equal(t, tt.found, ok, tt.label)
		assert.Equal(t, tt.want, v, tt.label)
	}
	label, ok := status.Label("5")
	require.True(t, ok)
	assert.Equal(t, "Complete", label)
	_, ok = status.Label("9999")
	assert.False(t, ok)
}

func TestMetadataParentPicklist(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	m, err := c.Metadata(testCtx(t), "Tickets")
	require.NoError(t, err)
	sub, ok := m.Field("subIssueType")
	require.True(t, ok)
	assert.Equal(t, "issueType", sub.PicklistParentValueField)

	issueTypes, ok := m.Picklist("issueType")
	require.True(t, ok)
	subTypes, ok := m.Picklist("subIssueType")
	require.True(t, ok)
	total := 0
	for _, it := range issueTypes.Values {
		children := subTypes.ChildrenOf(it.Value)
		for _, ch := range children {
			assert.Equal(t, it.Value, ch.ParentValue)
		}
		total += len(children)
	}
	assert.Equal(t, len(subTypes.Values), total, "every sub-issue type sits under an issue type")
	assert.NotZero(t, total)
}

func TestMetadataCachedAndSharedAndRefreshed(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	ctx := testCtx(t)

	var wg sync.WaitGroup
	results := make([]*autotask.Metadata, 20)
	for i := range results {
		wg.Go(func() {
			m, err := c.Metadata(ctx, "Tickets")
			assert.NoError(t, err)
			results[i] = m
		})
	}
	wg.Wait()
	assert.Equal(t, 3, metadataRequests(tn), "20 concurrent callers share one fetch")
	for _, m := range results {
		assert.Same(t, results[0], m)
	}

	_, err := c.Metadata(ctx, "TICKETS")
	require.NoError(t, err)
	assert.Equal(t, 3, metadataRequests(tn), "served from cache")

	c.RefreshMetadata("tickets")
	_, err = c.Metadata(ctx, "Tickets")
	require.NoError(t, err)
	assert.Equal(t, 6, metadataRequests(tn), "refresh fetches again")

	c.RefreshMetadata("")
	_, err = c.Metadata(ctx, "Tickets")
	require.NoError(t, err)
	assert.Equal(t, 9, metadataRequests(tn))
}

func TestMetadataTTL(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	clock := newFakeClock()
	c := tn.client(t, func(cfg *autotask.Config) { cfg.MetadataTTL, cfg.Now = time.Hour, clock.Now })
	ctx := testCtx(t)
	_, err := c.Metadata(ctx, "Tickets")
	require.NoError(t, err)
	clock.Advance(time.Hour - time.Second)
	_, err = c.Metadata(ctx, "Tickets")
	require.NoError(t, err)
	assert.Equal(t, 3, metadataRequests(tn), "within the TTL the cache answers")
	clock.Advance(time.Second)
	_, err = c.Metadata(ctx, "Tickets")
	require.NoError(t, err)
	assert.Equal(t, 6, metadataRequests(tn), "expired entries are fetched again")
}

func TestMetadataUnknownEntity(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	_, err := c.Metadata(testCtx(t), "Tickts")
	require.ErrorIs(t, err, autotask.ErrUnknownEntity)
	assert.Contains(t, err.Error(), `"Tickets"`)
	assert.Zero(t, tn.hits.Load())
}
