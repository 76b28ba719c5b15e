package sandbox_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func routingCases() []fidelityCase {
	return []fidelityCase{{
		name: "get by id wraps the record in item", source: "spec GET /V1.0/Tickets/{id} (ItemQueryResultModel {item}); the ticket contract: read the stabilising fields from item",
		method: "GET", path: api + "Tickets/{ticket}", status: 200,
		check: func(t *testing.T, _ *tenant, fx fixture, r response) {
			it := item(t, r)
			assert.Equal(t, fx["ticket"], itoa(num(t, it["id"])))
			for _, f := range []string{"ticketNumber", "companyID", "queueID", "title", "priority", "status", "dueDateTime",
				"ticketCategory", "issueType", "subIssueType", "source", "organizationalLevelAssociationID",
				"completedDate", "resolvedDateTime", "lastTrackedModificationDateTime", "userDefinedFields"} {
				assert.Contains(t, it, f, "a stabilising field (the ticket contract)")
			}
		},
	}, {
		name: "paths match in any case", source: "API: vendor samples and other clients send atservicesrest/v1.0 in lower case, and it answers",
		method: "GET", path: "/atservicesrest/v1.0/tickets/{ticket}", status: 200,
		check: func(t *testing.T, _ *tenant, fx fixture, r response) {
			assert.Equal(t, fx["ticket"], itoa(num(t, item(t, r)["id"])))
		},
	}, {
		name: "missing id is item null, not 404", source: "API: GET of a missing id answers 200 {item: null}, not 404",
		method: "GET", path: api + "Tickets/999999999", status: 200,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.JSONEq(t, `{"item":null}`, string(r.raw))
		},
	}, {
		name: "unknown entity is 404", source: "ASP.NET routing of the real API (Anteris-Dev/autotask-client#12)",
		method: "GET", path: api + "Tickettes/1", status: 404,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.Contains(t, r.json(t)["Message"], "No HTTP resource was found")
		},
	}, {
		name: "POST /TicketNotes is 404", source: "the ticket contract: POST /TicketNotes is a 404; notes go through Tickets/{id}/Notes",
		method: "POST", path: api + "TicketNotes", body: `{"ticketID":{ticket},"title":"x","description":"y","noteType":1,"publish":1}`,
		status: 404,
	}, {
		name: "PATCH /Tickets/{id} is 405", source: "spec: PATCH only on /V1.0/Tickets (id in the body); /V1.0/Tickets/{id} has only GET",
		method: "PATCH", path: api + "Tickets/{ticket}", body: `{"title":"x"}`, status: 405,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.Equal(t, "The requested resource does not support http method 'PATCH'.", r.json(t)["Message"])
			assert.Equal(t, "GET", r.header.Get("Allow"))
		},
	}, {
		name: "GET on a collection URL is 405", source: "reported client behaviour: Anteris-Dev/autotask-client#12",
		method: "GET", path: api + "Companies", status: 405,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.Equal(t, "PATCH, POST, PUT", r.header.Get("Allow"))
		},
	}, {
		name: "DELETE where the capability table says no is 405", source: "spec: no DELETE on Tickets (entity-capabilities.json delete=false)",
		method: "DELETE", path: api + "Tickets/{ticket}", status: 405,
	}, {
		name: "DELETE where allowed answers itemId", source: "spec DELETE /V1.0/TimeEntries/{id}",
		method: "DELETE", path: api + "TimeEntries/{timeentry}", status: 200,
		check: func(t *testing.T, tn *tenant, fx fixture, r response) {
			assert.Equal(t, fx["timeentry"], itoa(num(t, r.json(t)["itemId"])))
			assert.JSONEq(t, `{"item":null}`, string(tn.get(t, api+"TimeEntries/"+fx["timeentry"]).raw))
		},
	}, {
		name: "child collection lists the parent's children", source: "spec GET /V1.0/Tickets/{parentId}/Notes (entity-capabilities.json children)",
		method: "GET", path: api + "Tickets/{ticket}/Notes", status: 200,
		check: func(t *testing.T, _ *tenant, fx fixture, r response) {
			list := items(t, r)
			require.NotEmpty(t, list)
			for _, n := range list {
				assert.Equal(t, fx["ticket"], itoa(num(t, n.(map[string]any)["ticketID"])))
			}
			pd := r.json(t)["pageDetails"].(map[string]any)
			assert.Equal(t, int64(len(list)), num(t, pd["count"]))
		},
	}, {
		name: "child get by id", source: "spec GET /V1.0/Tickets/{parentId}/Notes/{id}",
		method: "GET", path: api + "Tickets/{ticket}/Notes/{note}", status: 200,
		check: func(t *testing.T, _ *tenant, fx fixture, r response) {
			assert.Equal(t, fx["note"], itoa(num(t, item(t, r)["id"])))
		},
	}, {
		name: "child get under another parent is item null", source: "spec GET /V1.0/Tickets/{parentId}/Notes/{id}",
		method: "GET", path: api + "Tickets/{ticket}/Notes/{othernote}", status: 200,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.JSONEq(t, `{"item":null}`, string(r.raw))
		},
	}, {
		name: "a version other than V1.0 is 404", source: "spec basePath /ATServicesRest, paths /V1.0/...",
		method: "GET", path: "/ATServicesRest/V2.0/Tickets/{ticket}", status: 404,
	}, {
		name: "VersionInformation lists 1.0", source: "spec GET /VersionInformation",
		method: "GET", path: "/ATServicesRest/VersionInformation", status: 200,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.JSONEq(t, `{"apiVersions":["1.0"]}`, string(r.raw))
		},
	}}
}
