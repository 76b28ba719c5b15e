package sandbox_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func queryCases() []fidelityCase {
	byNumber := `{"filter":[{"op":"eq","field":"ticketNumber","value":"{ticketnumber}"}]}`
	return []fidelityCase{{
		name: "TicketNumber resolves to id by query", source: "the ticket contract: resolve TicketNumber to id with POST /Tickets/query",
		method: "POST", path: api + "Tickets/query", body: byNumber, status: 200,
		check: func(t *testing.T, _ *tenant, fx fixture, r response) {
			list := items(t, r)
			require.Len(t, list, 1)
			assert.Equal(t, fx["ticket"], itoa(num(t, list[0].(map[string]any)["id"])))
		},
	}, {
		name: "GET query takes the same JSON in search=", source: "spec GET /V1.0/Tickets/query (search)",
		method: "GET", path: api + "Tickets/query?search=" + url.QueryEscape(byNumber), status: 200,
		check: func(t *testing.T, _ *tenant, fx fixture, r response) {
			list := items(t, r)
			require.Len(t, list, 1)
			assert.Equal(t, fx["ticket"], itoa(num(t, list[0].(map[string]any)["id"])))
		},
	}, {
		name: "count answers queryCount", source: "spec POST /V1.0/Tickets/query/count (QueryCountResultModel)",
		method: "POST", path: api + "Tickets/query/count", body: `{"filter":[` + matchAll + `]}`, status: 200,
		check: func(t *testing.T, tn *tenant, _ fixture, r response) {
			assert.JSONEq(t, `{"queryCount":`+itoa(int64(tn.s.Count("Tickets")))+`}`, string(r.raw))
		},
	}, {
		name: "page details are exact", source: "spec QueryActionResult {items, pageDetails} (PagingModel)",
		method: "POST", path: api + "Tickets/query", body: `{"maxRecords":7,"filter":[` + matchAll + `]}`, status: 200,
		check: func(t *testing.T, tn *tenant, _ fixture, r response) {
			body := r.json(t)
			require.Len(t, body["items"], 7)
			pd := body["pageDetails"].(map[string]any)
			assert.Equal(t, int64(7), num(t, pd["count"]))
			assert.Equal(t, int64(7), num(t, pd["requestCount"]))
			assert.Nil(t, pd["prevPageUrl"])
			next, _ := pd["nextPageUrl"].(string)
			assert.True(t, strings.HasPrefix(next, tn.srv.URL+"/ATServicesRest/V1.0/Tickets/query"), next)
		},
	}, {
		name: "the last page has no nextPageUrl", source: "spec PagingModel: nextPageUrl is null on the last page",
		method: "POST", path: api + "Tickets/query", body: `{"filter":[` + matchAll + `]}`, status: 200,
		check: func(t *testing.T, tn *tenant, _ fixture, r response) {
			body := r.json(t)
			pd := body["pageDetails"].(map[string]any)
			assert.Len(t, body["items"], tn.s.Count("Tickets"))
			assert.Equal(t, int64(500), num(t, pd["requestCount"]), "maxRecords absent is 500")
			assert.Nil(t, pd["nextPageUrl"])
		},
	}, {
		name: "nextPageUrl is followed with the same method and body", source: "API: a nextPageUrl is followed with the same method and body as the first page",
		method: "POST", path: api + "Tickets/query", body: `{"maxRecords":5,"filter":[` + matchAll + `]}`, status: 200,
		check: func(t *testing.T, tn *tenant, _ fixture, r response) {
			next := r.json(t)["pageDetails"].(map[string]any)["nextPageUrl"].(string)
			r2 := tn.post(t, next, `{"maxRecords":5,"filter":[`+matchAll+`]}`)
			page := items(t, r2)
			require.Len(t, page, 5)
			assert.Equal(t, tn.s.IDs("Tickets")[5], num(t, page[0].(map[string]any)["id"]))
			assert.NotNil(t, r2.json(t)["pageDetails"].(map[string]any)["prevPageUrl"])
			assert.Equal(t, http.StatusMethodNotAllowed, tn.get(t, next).status, "GET on a POST cursor")
		},
	}, {
		name: "filter is mandatory", source: "API: a query needs a filter; match-all is {op: exist, field: id}",
		method: "POST", path: api + "Tickets/query", body: `{"maxRecords":5}`, status: 500,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) { errorsOf(t, r) },
	}, {
		name: "an empty filter is refused", source: "API: a query needs a filter; an empty list is none",
		method: "POST", path: api + "Tickets/query", body: `{"filter":[]}`, status: 500,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) { errorsOf(t, r) },
	}, {
		name: "maxRecords 0 is refused", source: "reported: 500 \"maxCountOfRecordsToReturn must be between 1 and 500\"",
		method: "POST", path: api + "Tickets/query", body: `{"maxRecords":0,"filter":[` + matchAll + `]}`, status: 500,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.Equal(t, []string{"maxCountOfRecordsToReturn must be between 1 and 500"}, errorsOf(t, r))
		},
	}, {
		name: "maxRecords 501 is refused", source: "reported: 500 \"maxCountOfRecordsToReturn must be between 1 and 500\"",
		method: "POST", path: api + "Tickets/query", body: `{"maxRecords":501,"filter":[` + matchAll + `]}`, status: 500,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.Equal(t, []string{"maxCountOfRecordsToReturn must be between 1 and 500"}, errorsOf(t, r))
		},
	}, {
		name: "includeFields limits the fields, id always in", source: "spec QueryModel includeFields",
		method: "POST", path: api + "Tickets/query", body: `{"maxRecords":3,"includeFields":["TicketNumber","status"],"filter":[` + matchAll + `]}`,
		status: 200,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			for _, it := range items(t, r) {
				assert.ElementsMatch(t, []string{"id", "ticketNumber", "status"}, keys(it.(map[string]any)))
			}
		},
	}, {
		name: "unknown filter field is a 500 naming it", source: "reported: \"Unable to find projectID in the TimeEntry Entity\" (WYRE-AI/autotask-mcp#282)",
		method: "POST", path: api + "Tickets/query", body: `{"filter":[{"op":"eq","field":"accountID","value":1}]}`, status: 500,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.Equal(t, []string{"Unable to find accountID in the Ticket Entity."}, errorsOf(t, r))
		},
	}, {
		name: "unknown includeFields entry is a 500", source: "spec QueryModel includeFields",
		method: "POST", path: api + "Tickets/query", body: `{"includeFields":["nope"],"filter":[` + matchAll + `]}`, status: 500,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.Equal(t, []string{"Unable to find nope in the Ticket Entity."}, errorsOf(t, r))
		},
	}, {
		name: "unknown operator is silently dropped", source: "reported: WYRE-AI/autotask-mcp#193 (ne instead of noteq returns everything)",
		method: "POST", path: api + "Tickets/query/count", body: `{"filter":[{"op":"ne","field":"status","value":5}]}`, status: 200,
		check: func(t *testing.T, tn *tenant, _ fixture, r response) {
			assert.Equal(t, int64(tn.s.Count("Tickets")), num(t, r.json(t)["queryCount"]))
		},
	}, {
		name: "a second UDF filter is refused", source: "API: at most one UDF filter (udf: true) per query",
		method: "POST", path: api + "Tickets/query",
		body:   `{"filter":[{"op":"exist","field":"Customer Impact","udf":true},{"op":"exist","field":"Root Cause","udf":true}]}`,
		status: 500,
		check:  func(t *testing.T, _ *tenant, _ fixture, r response) { errorsOf(t, r) },
	}, {
		name: "field names and property names match in any case", source: "API: JSON property names and field names match in any case",
		method: "POST", path: api + "Tickets/query", body: `{"Filter":[{"OP":"eq","Field":"TICKETNUMBER","Value":"{ticketnumber}"}]}`,
		status: 200,
		check: func(t *testing.T, _ *tenant, fx fixture, r response) {
			list := items(t, r)
			require.Len(t, list, 1)
			assert.Contains(t, list[0], "ticketNumber", "responses use canonical names")
		},
	}, {
		name: "cursor URL rejects a garbage token", source: "API: a nextPageUrl is opaque; only a paging token the API issued is a cursor",
		method: "POST", path: api + "Tickets/query/next?paging=garbage", body: `{"filter":[` + matchAll + `]}`, status: 500,
	}}
}
