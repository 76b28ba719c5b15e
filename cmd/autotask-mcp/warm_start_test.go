package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

// TestWarmStartRequests: a client that starts one process per conversation, against a tenant
// it has seen before with the same cache folder, pays for its first answers what a process
// that has been running pays: the metadata and the threshold check come from disk.
func TestWarmStartRequests(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first := testenv.New(t, testenv.Options{Client: func(cfg *autotask.Config) {
		cfg.CacheDir, cfg.ThresholdInterval = dir, 5*time.Minute
	}})
	id := first.Sandbox.IDs("Tickets")[0]
	res := first.Call(t, "get_ticket", map[string]any{"ticket_id": id})
	require.False(t, res.IsError, testenv.Text(res))
	res = first.Call(t, "add_ticket_note", map[string]any{"ticket_id": id, "title": "Called", "description": "Left a voicemail."})
	require.False(t, res.IsError, testenv.Text(res))
	// Its own background poll may not have been sent before Close cancels it; this one is.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := first.Client.Threshold(ctx)
	require.NoError(t, err)
	require.NoError(t, first.Client.Close(), "the first process ends")

	// The next process: a new client, guard and server on the same tenant and cache folder.
	second := testenv.New(t, testenv.Options{Client: func(cfg *autotask.Config) {
		cfg.APIURL, cfg.CacheDir, cfg.ThresholdInterval = first.API.URL+"/ATServicesRest/V1.0/", dir, 5*time.Minute
	}})
	tenant := first.Sandbox
	tenant.ResetStats()
	res = second.Call(t, "get_ticket", map[string]any{"ticket_id": id})
	require.False(t, res.IsError, testenv.Text(res))
	// The names of the records the ticket refers to are record data, not metadata: they are kept
	// in memory only, for NameTTL, and a new process reads them again, one query per entity.
	requests := tenant.Stats().ByEndpoint
	names := 0
	for endpoint, n := range requests {
		if entity, ok := strings.CutPrefix(endpoint, "POST "); ok && strings.HasSuffix(entity, "/query") {
			names += n
			delete(requests, endpoint)
		}
	}
	assert.Equal(t, map[string]int{"GET Tickets/{id}": 1}, requests, "the first get_ticket is its GET and the names it shows")
	t.Logf("first get_ticket of the next process: 1 GET + %d name queries", names)

	tenant.ResetStats()
	res = second.Call(t, "add_ticket_note", map[string]any{"ticket_id": id, "title": "Called again", "description": "No answer."})
	require.False(t, res.IsError, testenv.Text(res))
	require.NoError(t, second.Client.Close())
	assert.Equal(t, map[string]int{"GET Tickets/{id}": 2, "POST Tickets/{id}/Notes": 1}, tenant.Stats().ByEndpoint,
		"the first note: the guard's fresh GET, the POST and the read-back, no metadata")
}
