package autotask_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// sharedCache makes clients of one tenant share a cache folder, as processes started one after
// another by the same desktop client do.
func sharedCache(dir string, clock func() time.Time) func(*autotask.Config) {
	return func(cfg *autotask.Config) { cfg.CacheDir, cfg.Now = dir, clock }
}

// cachedFile is the one file in dir matching pattern.
func cachedFile(t *testing.T, dir, pattern string) string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, pattern))
	require.NoError(t, err)
	require.Len(t, paths, 1, "files %s in the cache", pattern)
	return paths[0]
}

func TestMetadataFromDiskInANewProcess(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	dir, clock := t.TempDir(), newFakeClock()
	ctx := testCtx(t)

	first, err := tn.client(t, sharedCache(dir, clock.Now)).Metadata(ctx, "Tickets")
	require.NoError(t, err)
	require.Equal(t, 3, metadataRequests(tn))

	path := cachedFile(t, dir, "metadata-*-tickets.json")
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the cache is the user's alone")

	clock.Advance(23 * time.Hour)
	second, err := tn.client(t, sharedCache(dir, clock.Now)).Metadata(ctx, "Tickets")
	require.NoError(t, err)
	assert.Equal(t, 3, metadataRequests(tn), "a new process starts from the copy on disk")
	assert.Equal(t, first.Info, second.Info)
	assert.Equal(t, first.Fields, second.Fields, "fields and their picklists come back from disk as fetched")
	assert.Equal(t, first.UDFs, second.UDFs)
	status, ok := second.Picklist("status")
	require.True(t, ok, "picklists come back from disk")
	assert.NotEmpty(t, status.Labels())

	other := tn.client(t, sharedCache(dir, clock.Now), func(cfg *autotask.Config) { cfg.Username = "someone.else@autotask-mcp.local" })
	hits := tn.hits.Load()
	_, _ = other.Metadata(ctx, "Tickets") // the sandbox refuses the user; what matters is that it asked
	assert.Greater(t, tn.hits.Load(), hits, "another user's process does not read this user's copy")
}

func TestMetadataCorruptFileIgnoredAndRewritten(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	dir := t.TempDir()
	ctx := testCtx(t)
	_, err := tn.client(t, sharedCache(dir, nil)).Metadata(ctx, "Tickets")
	require.NoError(t, err)
	path := cachedFile(t, dir, "metadata-*-tickets.json")

	for _, corrupt := range []string{`{"key":`, `null`, `{"key":"x","entity":"Tickets","fields":[{"name":"id"}]}`} {
		require.NoError(t, os.WriteFile(path, []byte(corrupt), 0o600))
		before := metadataRequests(tn)
		m, err := tn.client(t, sharedCache(dir, nil)).Metadata(ctx, "Tickets")
		require.NoError(t, err, corrupt)
		assert.Equal(t, before+3, metadataRequests(tn), "a corrupt copy is fetched again: %s", corrupt)
		assert.NotEmpty(t, m.FieldNames())

		data, err := os.ReadFile(path)
		require.NoError(t, err)
		var rewritten struct {
			Fields []json.RawMessage `json:"fields"`
		}
		require.NoError(t, json.Unmarshal(data, &rewritten), "the file is rewritten whole")
		assert.NotEmpty(t, rewritten.Fields)
	}
}

func TestMetadataStaleOnDiskAnswersAtOnceAndRefreshesInBackground(t *testing.T) {
	// While armed, the tenant holds every metadata request until released, so the answer below
	// can only arrive if it does not wait for the refresh.
	armed, started, release := make(chan struct{}), make(chan struct{}, 8), make(chan struct{})
	tn := newFrontedTenant(t, sandbox.Options{}, func(_ http.ResponseWriter, r *http.Request) bool {
		select {
		case <-armed:
			if strings.Contains(r.URL.Path, "/entityInformation") {
				started <- struct{}{}
				select {
				case <-release:
				case <-r.Context().Done():
				}
			}
		default:
		}
		return false
	})
	dir, clock := t.TempDir(), newFakeClock()
	ctx, cancel := context.WithTimeout(testCtx(t), 15*time.Second)
	defer cancel()
	_, err := tn.client(t, sharedCache(dir, clock.Now)).Metadata(ctx, "Tickets")
	require.NoError(t, err)
	path := cachedFile(t, dir, "metadata-*-tickets.json")
	written := func() time.Time {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		var f struct {
			FetchedAt time.Time `json:"fetchedAt"`
		}
		require.NoError(t, json.Unmarshal(data, &f))
		return f.FetchedAt
	}
	fetchedAt := written()

	clock.Advance(25 * time.Hour)
	close(armed)
	c := tn.client(t, sharedCache(dir, clock.Now))
	m, err := c.Metadata(ctx, "Tickets")
	require.NoError(t, err, "the stale copy answers while the refresh is held")
	assert.NotEmpty(t, m.FieldNames())
	select {
	case <-started: // the background refresh asked the tenant
	case <-ctx.Done():
		t.Fatal("no background refresh of the stale copy")
	}
	close(release)
	require.Eventually(t, func() bool { return written().Equal(clock.Now()) }, 10*time.Second, 5*time.Millisecond,
		"the refresh rewrites the copy on disk")
	require.NoError(t, c.Close())

	assert.Equal(t, 6, metadataRequests(tn), "one fetch for the first process, one background refresh")
	assert.True(t, written().After(fetchedAt))
	_, err = c.Metadata(ctx, "Tickets")
	require.NoError(t, err)
	assert.Equal(t, 6, metadataRequests(tn), "the refreshed metadata is the one in memory")
}

// TestCloseStopsTheMetadataRefresh: Close cancels a background refresh of a stale copy that the
// tenant holds, and waits for it, so no goroutine outlives the client.
func TestCloseStopsTheMetadataRefresh(t *testing.T) {
	armed, started := make(chan struct{}), make(chan struct{}, 8)
	tn := newFrontedTenant(t, sandbox.Options{}, func(_ http.ResponseWriter, r *http.Request) bool {
		select {
		case <-armed:
			if strings.Contains(r.URL.Path, "/entityInformation") {
				started <- struct{}{}
				<-r.Context().Done() // held until the client gives up
			}
		default:
		}
		return false
	})
	dir, clock := t.TempDir(), newFakeClock()
	ctx, cancel := context.WithTimeout(testCtx(t), 15*time.Second)
	defer cancel()
	_, err := tn.client(t, sharedCache(dir, clock.Now)).Metadata(ctx, "Tickets")
	require.NoError(t, err)

	clock.Advance(25 * time.Hour)
	close(armed)
	c := tn.client(t, sharedCache(dir, clock.Now))
	_, err = c.Metadata(ctx, "Tickets")
	require.NoError(t, err)
	select {
	case <-started:
	case <-ctx.Done():
		t.Fatal("no background refresh of the stale copy")
	}
	closed := make(chan error, 1)
	go func() { closed <- c.Close() }()
	select {
	case err := <-closed:
		require.NoError(t, err)
	case <-ctx.Done():
		t.Fatal("Close did not stop the held background refresh")
	}
}

func TestMetadataDroppedWhenTheAPIRefusesWhatItListed(t *testing.T) {
	refusal := func(msg string) sandbox.Fault {
		body, _ := json.Marshal(map[string][]string{"errors": {msg}})
		return sandbox.Fault{Kind: sandbox.FaultStatus, Status: http.StatusInternalServerError, Body: string(body)}
	}
	// A refused query field is explained with the nearest real names, which fetches the
	// metadata again at once; a refused write is not, so its copy on disk is simply gone.
	tests := []struct {
		name     string
		dropped  bool
		fileGone bool
		send     func(ctx context.Context, c *autotask.Client, tn *tenant, listedStatus string) error
	}{
		{"a listed picklist value refused on a write", true, true, func(ctx context.Context, c *autotask.Client, tn *tenant, status string) error {
			tn.sb.Faults().Script("PUT", "Tickets", 1, refusal("Picklist value ["+status+"] does not exist for status."))
			_, err := c.Update(ctx, "Tickets", autotask.Record{"id": tn.anyTicketID(t), "status": status})
			return err
		}},
		{"a listed field refused in a query", true, false, func(ctx context.Context, c *autotask.Client, tn *tenant, _ string) error {
			tn.sb.Faults().Script("POST", "Tickets/query", 1, refusal("Unable to find dueDateTime in the Ticket Entity."))
			_, err := c.Count(ctx, "Tickets", nil)
			return err
		}},
		{"a picklist value the copy does not list", false, false, func(ctx context.Context, c *autotask.Client, tn *tenant, _ string) error {
			tn.sb.Faults().Script("PUT", "Tickets", 1, refusal("Picklist value [987654] does not exist for status."))
			_, err := c.Update(ctx, "Tickets", autotask.Record{"id": tn.anyTicketID(t), "status": 987654})
			return err
		}},
		{"a field the copy does not list", false, false, func(ctx context.Context, c *autotask.Client, tn *tenant, _ string) error {
			_, err := c.Count(ctx, "Tickets", []autotask.Filter{{Op: autotask.OpEq, Field: "noSuchField", Value: 1}})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tn := newTenant(t, sandbox.Options{})
			dir := t.TempDir()
			ctx := testCtx(t)
			c := tn.client(t, sharedCache(dir, nil))
			m, err := c.Metadata(ctx, "Tickets")
			require.NoError(t, err)
			_, ok := m.Field("dueDateTime")
			require.True(t, ok, "the refused field below is one the copy lists")
			status, ok := m.Picklist("status")
			require.True(t, ok)
			listed, ok := status.Value(status.Labels()[0])
			require.True(t, ok)
			path := cachedFile(t, dir, "metadata-*-tickets.json")

			require.Error(t, tt.send(ctx, c, tn, listed))
			_, statErr := os.Stat(path)
			_, err = c.Metadata(ctx, "Tickets")
			require.NoError(t, err)
			if tt.fileGone {
				assert.ErrorIs(t, statErr, os.ErrNotExist, "the copy on disk is dropped")
			}
			if tt.dropped {
				assert.Equal(t, 6, metadataRequests(tn), "the metadata is fetched again")
			} else {
				assert.NoError(t, statErr, "a name the copy never listed does not drop it")
				assert.Equal(t, 3, metadataRequests(tn))
			}
		})
	}
}

// TestRefreshMetadataRemovesCopiesBeforeAnyRequest: a process that drops the metadata before
// it made a request, its zone known only from the zone cache, still removes the copies on disk
// an earlier process left, so no later process starts from them.
func TestRefreshMetadataRemovesCopiesBeforeAnyRequest(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	dir, ctx := t.TempDir(), testCtx(t)
	discover := func(cfg *autotask.Config) { cfg.CacheDir, cfg.APIURL, cfg.ZoneLookupURL = dir, "", tn.apiURL() }

	_, err := tn.client(t, discover).Metadata(ctx, "Tickets")
	require.NoError(t, err)
	_, err = tn.client(t, discover).Metadata(ctx, "Companies")
	require.NoError(t, err)
	cachedFile(t, dir, "metadata-*-tickets.json")

	tn.client(t, discover).RefreshMetadata("Tickets")
	paths, err := filepath.Glob(filepath.Join(dir, "metadata-*.json"))
	require.NoError(t, err)
	require.Len(t, paths, 1, "one entity's copy is removed, the other's kept")

	tn.client(t, discover).RefreshMetadata("")
	paths, err = filepath.Glob(filepath.Join(dir, "metadata-*.json"))
	require.NoError(t, err)
	assert.Empty(t, paths, "every entity's copy is removed")
}
