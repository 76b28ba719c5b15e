package autotask_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

func TestQueryFilters(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	ctx := testCtx(t)
	ids := tn.sb.IDs("Tickets")
	target, ok := tn.sb.Record("Tickets", ids[7])
	require.True(t, ok)
	number := target["ticketNumber"].(string)

	tests := []struct {
		name   string
		filter []autotask.Filter
		check  func(t *testing.T, items []autotask.Record)
	}{
		{"eq", []autotask.Filter{autotask.Eq("ticketNumber", number)}, func(t *testing.T, items []autotask.Record) {
			require.Len(t, items, 1)
			assert.Equal(t, ids[7], items[0].ID())
		}},
		{"in", []autotask.Filter{autotask.In("id", ids[1], ids[2], ids[3])}, func(t *testing.T, items []autotask.Record) {
			assert.Len(t, items, 3)
		}},
		{"and group", []autotask.Filter{autotask.And(autotask.Gte("id", ids[10]), autotask.Lt("id", ids[20]))}, func(t *testing.T, items []autotask.Record) {
			assert.Len(t, items, 10)
		}},
		{"or group", []autotask.Filter{autotask.Or(autotask.Eq("id", ids[0]), autotask.Eq("id", ids[5]))}, func(t *testing.T, items []autotask.Record) {
			assert.Len(t, items, 2)
		}},
		{"beginsWith", []autotask.Filter{autotask.BeginsWith("ticketNumber", number[:9])}, func(t *testing.T, items []autotask.Record) {
			require.NotEmpty(t, items)
			for _, it := range items {
				assert.True(t, strings.HasPrefix(it.String("ticketNumber"), number[:9]))
			}
		}},
		{"operator spelled in another case", []autotask.Filter{{Op: "EQ", Field: "id", Value: ids[3]}}, func(t *testing.T, items []autotask.Record) {
			require.Len(t, items, 1)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := c.Query(ctx, "tickets", autotask.Query{Filter: tt.filter})
			require.NoError(t, err)
			tt.check(t, page.Items)
		})
	}
}

func TestQueryRefusedLocally(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	tests := []struct {
		name    string
		entity  string
		q       autotask.Query
		wantErr error
		wantMsg string
	}{
		{"second UDF filter", "Tickets", autotask.Query{Filter: []autotask.Filter{
			autotask.Eq("A", "1").AsUDF(), autotask.Eq("B", "2").AsUDF()}}, autotask.ErrValidation, "only one"},
		{"unknown operator", "Tickets", autotask.Query{Filter: []autotask.Filter{{Op: "like", Field: "title", Value: "x"}}}, autotask.ErrValidation, "unknown filter operator"},
		{"maxRecords too large", "Tickets", autotask.Query{MaxRecords: 501}, autotask.ErrValidation, "between 1 and 500"},
		{"maxRecords negative", "Tickets", autotask.Query{MaxRecords: -1}, autotask.ErrValidation, "between 1 and 500"},
		{"unknown entity", "Tikets", autotask.Query{}, autotask.ErrUnknownEntity, `"Tickets"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Query(testCtx(t), tt.entity, tt.q)
			require.ErrorIs(t, err, tt.wantErr)
			assert.Contains(t, err.Error(), tt.wantMsg)
			if tt.q.MaxRecords == 0 {
				_, err = c.Count(testCtx(t), tt.entity, tt.q.Filter)
				require.ErrorIs(t, err, tt.wantErr)
			}
		})
	}
	assert.Zero(t, tn.hits.Load(), "nothing was sent")
}

func TestQueryUnknownFieldSuggestsClosest(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	_, err := c.Query(testCtx(t), "Tickets", autotask.Query{Filter: []autotask.Filter{autotask.Eq("ticketNumbr", "T1")}})
	require.ErrorIs(t, err, autotask.ErrUnknownField)
	require.ErrorIs(t, err, autotask.ErrValidation)
	assert.Contains(t, err.Error(), `"ticketNumber"`)
	var apiErr *autotask.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Contains(t, strings.Join(apiErr.Messages, " "), "ticketNumbr", "the API's own text is kept")
	assert.Equal(t, 1, tn.endpointCount("POST Tickets/query"), "not retried")
}

func TestQueryIncludeFieldsAddsID(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	page, err := c.Query(testCtx(t), "Tickets", autotask.Query{IncludeFields: []string{"ticketNumber", "title"}, MaxRecords: 3})
	require.NoError(t, err)
	require.Len(t, page.Items, 3)
	for _, rec := range page.Items {
		assert.NotZero(t, rec.ID())
		assert.NotEmpty(t, rec.String("ticketNumber"))
		assert.NotContains(t, rec, "description")
	}
}

func TestCount(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	ctx := testCtx(t)
	n, err := c.Count(ctx, "Tickets", nil)
	require.NoError(t, err)
	assert.Equal(t, tn.sb.Count("Tickets"), n)

	ids := tn.sb.IDs("Tickets")
	n, err = c.Count(ctx, "Tickets", []autotask.Filter{autotask.Gt("id", ids[len(ids)-5])})
	require.NoError(t, err)
	assert.Equal(t, 4, n)
}

func TestQueryPagesFollowsNextPageURL(t *testing.T) {
	tn := newTenant(t, sandbox.Options{Tickets: 1234})
	c := tn.client(t)
	var pages, records int
	var lastID int64
	for page, err := range c.QueryPages(testCtx(t), "Tickets", autotask.Query{MaxRecords: 500, IncludeFields: []string{"title"}}) {
		require.NoError(t, err)
		pages++
		for _, rec := range page.Items {
			require.Greater(t, rec.ID(), lastID)
			lastID = rec.ID()
			records++
		}
	}
	assert.Equal(t, 3, pages)
	assert.Equal(t, 1234, records)
	assert.Equal(t, 3, tn.endpointCount("POST Tickets/query"), "every page is a POST with the same body")

	// Stopping early fetches no further page.
	tn.sb.ResetStats()
	for range c.QueryAll(testCtx(t), "Tickets", autotask.Query{MaxRecords: 10}) {
		break
	}
	assert.Equal(t, 1, tn.endpointCount("POST Tickets/query"))
}

// A next page URL can come back from outside (in a query_entity cursor), and the query body is
// POSTed to it: only a page of the same entity's query on the tenant's own host may receive it. A
// POST anywhere else could be a create (found by FuzzToolArguments: a forged cursor made
// query_entity POST to an arbitrary path).
func TestQueryNextRefusesURLsOutsideTheQuery(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	base := tn.apiURL() + "V1.0/"
	tests := []struct{ name, next string }{
		{"another host", "https://evil.example.com/ATServicesRest/V1.0/Tickets/query/next?paging=x"},
		{"the create route", base + "Tickets"},
		{"a child create route", base + "Tickets/10001/Notes"},
		{"another entity's query", base + "Companies/query/next?paging=x"},
		{"out of the query with ..", base + "Tickets/query/next/../../Companies"},
		{"out of the query with escaped ..", base + "Tickets/query/%2e%2e/%2E%2E/Companies"},
		{"out of the query with backslashes", base + `Tickets/query/..\..\Companies`},
		{"an empty segment", base + "/Tickets/query/next"},
		{"outside V1.0", tn.apiURL() + "Tickets/query/next"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits := tn.hits.Load()
			_, err := c.QueryNext(testCtx(t), "Tickets", autotask.Query{}, tt.next)
			require.ErrorIs(t, err, autotask.ErrValidation)
			assert.Equal(t, hits, tn.hits.Load(), "refused before anything was sent")
		})
	}
	// The API's own spelling of a next page, in whatever case it uses, still goes through.
	page, err := c.Query(testCtx(t), "Tickets", autotask.Query{MaxRecords: 2})
	require.NoError(t, err)
	require.NotEmpty(t, page.Details.NextPageURL)
	next, err := c.QueryNext(testCtx(t), "Tickets", autotask.Query{MaxRecords: 2}, strings.Replace(page.Details.NextPageURL, "/Tickets/query/", "/tickets/QUERY/", 1))
	require.NoError(t, err)
	assert.Len(t, next.Items, 2)
}

// QueryAll holds one page at a time however long the result is. The work is bounded, not timed: a
// fixed number of pages is walked (a walk that runs past the tenant's records stops and fails on
// its count), and the memory bound is measured in pages of this same query, so it means the same on
// any machine: the walk's reachable heap stays within two pages while holding the whole result
// would take all twelve.
func TestQueryAllHoldsOnePageAtATime(t *testing.T) {
	const pageSize, pages = 500, 12
	const tickets = pageSize * pages
	tn := newTenant(t, sandbox.Options{Tickets: tickets})
	c := tn.client(t)
	ctx := t.Context()

	var ms runtime.MemStats
	live := func() int64 { // what is still reachable
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return int64(ms.HeapAlloc)
	}
	// The unit of the bound: what one page of full tickets costs while it is held.
	before := live()
	first, err := c.Query(ctx, "Tickets", autotask.Query{MaxRecords: pageSize})
	require.NoError(t, err)
	require.Len(t, first.Items, pageSize)
	pageBytes := live() - before
	runtime.KeepAlive(first)
	first = nil
	require.Positive(t, pageBytes)
	tn.sb.ResetStats()

	before = live()
	livePeak := before
	var n int
	var lastID int64
	for rec, err := range c.QueryAll(ctx, "Tickets", autotask.Query{}) {
		require.NoError(t, err)
		require.Greater(t, rec.ID(), lastID, "ids ascend, none repeats")
		lastID = rec.ID()
		n++
		if n > tickets {
			break // more records than the tenant holds: the count below fails
		}
		if n%pageSize == pageSize/2 { // mid-page: the current page is alive
			livePeak = max(livePeak, live())
		}
	}
	after := live()
	require.Equal(t, tickets, n)
	assert.Equal(t, pages, tn.endpointCount("POST Tickets/query"))
	t.Logf("one page of %d tickets holds %.1f MiB; while paging %d pages the reachable heap grew at most %.1f MiB; after, %+.1f MiB",
		pageSize, mib(pageBytes), pages, mib(livePeak-before), mib(after-before))
	assert.Less(t, livePeak-before, 2*pageBytes, "reachable memory must not grow with the result")
	assert.Less(t, after-before, pageBytes/2, "nothing is retained after the iteration")
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }
