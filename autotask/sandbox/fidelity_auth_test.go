package sandbox_test

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

func authCases() []fidelityCase {
	return []fidelityCase{{
		name: "wrong secret is an empty 401", source: "measured: every credential failure is an empty 401",
		method: "GET", path: api + "Tickets/{ticket}", headers: map[string]string{"Secret": "nope"}, status: 401,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) { assert.Empty(t, r.raw) },
	}, {
		name: "wrong user name is an empty 401", source: "measured: every credential failure is an empty 401",
		method: "GET", path: api + "Tickets/{ticket}", headers: map[string]string{"UserName": "someone@else.example"}, status: 401,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) { assert.Empty(t, r.raw) },
	}, {
		name: "missing credentials are an empty 401", source: "spec: UserName and Secret headers required",
		method: "GET", path: api + "Tickets/{ticket}", headers: map[string]string{"Secret": "", "UserName": ""}, status: 401,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) { assert.Empty(t, r.raw) },
	}, {
		name: "wrong integration code is a 500 with errors", source: "reported client behaviour: apigrate/autotask-restapi#19",
		method: "GET", path: api + "Tickets/{ticket}", headers: map[string]string{"ApiIntegrationCode": "WRONG"}, status: 500,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.Equal(t, []string{"IntegrationCode is invalid."}, errorsOf(t, r))
			assert.NotContains(t, string(r.raw), sandbox.DefaultCredentials.Secret)
		},
	}, {
		name: "ImpersonationResourceId is recorded as creator", source: "spec header ImpersonationResourceId: the named resource is the creator, the API user the impersonator",
		method: "POST", path: api + "Tickets/{ticket}/Notes", headers: map[string]string{"ImpersonationResourceId": "{tech}"},
		body: `{"title":"Called","description":"Left a message","noteType":13,"publish":1}`, status: 200,
		check: func(t *testing.T, tn *tenant, fx fixture, r response) {
			note, ok := tn.s.Record("TicketNotes", num(t, r.json(t)["itemId"]))
			require.True(t, ok)
			assert.Equal(t, fx["tech"], itoa(note["creatorResourceID"].(int64)))
			assert.Equal(t, fx["apiuser"], itoa(note["impersonatorCreatorResourceID"].(int64)))
		},
	}, {
		name: "without impersonation the API user is the creator", source: "spec TicketModel creatorResourceID",
		method: "POST", path: api + "Tickets",
		body: `{"title":"Printer jam","companyID":{contoso},"status":1,"priority":2}`, status: 200,
		check: func(t *testing.T, tn *tenant, fx fixture, r response) {
			tk, _ := tn.s.Record("Tickets", num(t, r.json(t)["itemId"]))
			assert.Equal(t, fx["apiuser"], itoa(tk["creatorResourceID"].(int64)))
			assert.Nil(t, tk["impersonatorCreatorResourceID"])
		},
	}, {
		name: "impersonating an inactive resource is refused", source: "Autotask impersonation requires an active resource",
		method: "POST", path: api + "Tickets/{ticket}/Notes", headers: map[string]string{"ImpersonationResourceId": "{inactive}"},
		body: `{"title":"x","description":"y","noteType":13,"publish":1}`, status: 500,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.Contains(t, errorsOf(t, r)[0], "ImpersonationResourceId")
		},
	}, {
		name: "ZoneInformation needs no auth and points back at the sandbox", source: "spec GET /V1.0/ZoneInformation (ZoneInformationResultModel); API: answers without credentials, url has no version",
		method: "GET", path: api + "ZoneInformation?user=" + url.QueryEscape(sandbox.DefaultCredentials.Username),
		headers: map[string]string{"UserName": "", "Secret": "", "ApiIntegrationCode": ""}, status: 200,
		check: func(t *testing.T, tn *tenant, _ fixture, r response) {
			z := r.json(t)
			assert.Equal(t, tn.srv.URL+"/ATServicesRest/", z["url"])
			assert.Equal(t, tn.srv.URL+"/", z["webUrl"])
			assert.Contains(t, z, "zoneName")
			assert.Equal(t, int64(0), num(t, z["ci"]))
		},
	}, {
		name: "ZoneInformation for an unknown user is a 500", source: "measured: 500 {errors:[\"Zone information could not be determined\"]}",
		method: "GET", path: "/atservicesrest/v1.0/zoneInformation?user=nobody@example.com", status: 500,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.Equal(t, []string{"Zone information could not be determined"}, errorsOf(t, r))
		},
	}}
}
