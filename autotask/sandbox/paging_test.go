package sandbox_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// TestPagingTwentyThousandTickets walks every ticket of a 20,000-ticket tenant by keyset
// pagination, POST cursor after POST cursor (a nextPageUrl is followed with the same method
// and body as the first page).
func TestPagingTwentyThousandTickets(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 20,000 tickets")
	}
	tn := newTenant(t, sandbox.Options{Tickets: 20000})
	body := `{"maxRecords":500,"includeFields":["ticketNumber"],"filter":[{"op":"exist","field":"id"}]}`
	var seen []int64
	pages := 0
	next := api + "Tickets/query"
	for next != "" {
		r := tn.post(t, next, body)
		require.Equal(t, http.StatusOK, r.status, "page %d: %s", pages, r.raw)
		doc := r.json(t)
		for _, it := range doc["items"].([]any) {
			seen = append(seen, num(t, it.(map[string]any)["id"]))
		}
		pd := doc["pageDetails"].(map[string]any)
		assert.Equal(t, int64(len(doc["items"].([]any))), num(t, pd["count"]))
		assert.Equal(t, int64(500), num(t, pd["requestCount"]))
		if pages > 0 {
			assert.NotNil(t, pd["prevPageUrl"], "page %d", pages)
		}
		next, _ = pd["nextPageUrl"].(string)
		if next != "" {
			assert.True(t, strings.HasPrefix(next, tn.srv.URL+"/ATServicesRest/V1.0/"), "absolute on the sandbox: %s", next)
		}
		pages++
	}
	assert.Equal(t, 40, pages)
	assert.Equal(t, tn.s.IDs("Tickets"), seen, "every ticket once, ascending by id")
}

// TestPagingFilteredGETCursor: a GET query's cursor carries its search and is followed with
// GET; prevPageUrl goes back to the page before.
func TestPagingFilteredGETCursor(t *testing.T) {
	tn := newTenant(t, sandbox.Options{Tickets: 3000})
	search := `{"maxRecords":100,"filter":[{"op":"eq","field":"status","value":5}]}`
	var want []int64
	for _, id := range tn.s.IDs("Tickets") {
		if rec, _ := tn.s.Record("Tickets", id); rec["status"] == int64(5) {
			want = append(want, id)
		}
	}
	require.Greater(t, len(want), 300)

	var seen []int64
	var pageURLs []string
	next := api + "Tickets/query?search=" + url.QueryEscape(search)
	for next != "" {
		pageURLs = append(pageURLs, next)
		r := tn.get(t, next)
		require.Equal(t, http.StatusOK, r.status, "%s", r.raw)
		doc := r.json(t)
		for _, it := range doc["items"].([]any) {
			seen = append(seen, num(t, it.(map[string]any)["id"]))
		}
		next, _ = doc["pageDetails"].(map[string]any)["nextPageUrl"].(string)
	}
	assert.Equal(t, want, seen)
	assert.Equal(t, http.StatusMethodNotAllowed, tn.post(t, pageURLs[1], search).status, "POST on a GET cursor")

	third := tn.get(t, pageURLs[2]).json(t)
	prev := third["pageDetails"].(map[string]any)["prevPageUrl"].(string)
	back := items(t, tn.get(t, prev))
	second := items(t, tn.get(t, pageURLs[1]))
	assert.Equal(t, second, back, "prevPageUrl of page 3 is page 2")
	assert.True(t, slices.IsSorted(seen))
}
