package sandbox_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeCases() []fidelityCase {
	return []fidelityCase{{
		name: "create answers itemId", source: "spec POST /V1.0/Tickets -> OperationResultModel",
		method: "POST", path: api + "Tickets",
		body:   `{"title":"New laptop","companyID":{contoso},"status":1,"priority":2,"queueID":8,"issueType":1,"subIssueType":101}`,
		status: 200,
		check: func(t *testing.T, tn *tenant, _ fixture, r response) {
			id := num(t, r.json(t)["itemId"])
			tk, ok := tn.s.Record("Tickets", id)
			require.True(t, ok)
			assert.Equal(t, "New laptop", tk["title"])
			assert.Regexp(t, `^T\d{8}\.\d{4}$`, tk["ticketNumber"])
			assert.NotNil(t, tk["createDate"])
			assert.NotNil(t, tk["lastActivityDate"])
		},
	}, {
		name: "missing required fields are named", source: "the ticket contract: missing fields cause hard failures; the API names each one",
		method: "POST", path: api + "Tickets", body: `{"description":"no title"}`, status: 500,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			errs := strings.Join(errorsOf(t, r), " ")
			for _, f := range []string{"title", "companyID", "status", "priority"} {
				assert.Contains(t, errs, f)
			}
		},
	}, {
		name: "picklist values are validated", source: "measured: 500 \"Picklist value [99] does not exist for priority.\"",
		method: "POST", path: api + "Tickets", body: `{"title":"x","companyID":{contoso},"status":1,"priority":99}`, status: 500,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.Equal(t, []string{"Picklist value [99] does not exist for priority."}, errorsOf(t, r))
		},
	}, {
		name: "a child picklist value must belong to its parent", source: "spec FieldInformationModel picklistParentValueField: a sub-issue type belongs to one issue type",
		method: "POST", path: api + "Tickets", body: `{"title":"x","companyID":{contoso},"status":1,"priority":2,"issueType":1,"subIssueType":301}`,
		status: 500,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.Equal(t, []string{"Picklist value [301] does not exist for subIssueType."}, errorsOf(t, r))
		},
	}, {
		name: "a reference to a missing record is refused", source: "Autotask validates reference fields",
		method: "POST", path: api + "Tickets", body: `{"title":"x","companyID":987654,"status":1,"priority":2}`, status: 500,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.Contains(t, errorsOf(t, r)[0], "companyID")
		},
	}, {
		name: "read-only and unknown body fields are ignored", source: "API: read-only and unknown properties in a body are ignored, not refused",
		method: "POST", path: api + "Tickets",
		body:   `{"title":"x","companyID":{contoso},"status":1,"priority":2,"ticketNumber":"T19990101.0001","createDate":"1999-01-01T00:00:00Z","bogus":true}`,
		status: 200,
		check: func(t *testing.T, tn *tenant, _ fixture, r response) {
			tk, _ := tn.s.Record("Tickets", num(t, r.json(t)["itemId"]))
			assert.NotEqual(t, "T19990101.0001", tk["ticketNumber"])
			assert.NotContains(t, tk["createDate"], "1999")
		},
	}, {
		name: "body property names match in any case", source: "API: JSON property names match in any case",
		method: "POST", path: api + "Tickets", body: `{"TITLE":"Loud fan","CompanyId":{contoso},"Status":1,"PRIORITY":3}`, status: 200,
		check: func(t *testing.T, tn *tenant, _ fixture, r response) {
			tk, _ := tn.s.Record("Tickets", num(t, r.json(t)["itemId"]))
			assert.Equal(t, "Loud fan", tk["title"])
			assert.Equal(t, int64(3), tk["priority"])
		},
	}, {
		name: "PATCH changes only what it carries", source: "spec PATCH /V1.0/Tickets (id in body)",
		method: "PATCH", path: api + "Tickets", body: `{"id":{open},"priority":4}`, status: 200,
		check: func(t *testing.T, tn *tenant, fx fixture, r response) {
			assert.Equal(t, fx["open"], itoa(num(t, r.json(t)["itemId"])))
			before, after := tn.before, mustRecord(t, tn.s, "Tickets", fx["open"])
			assert.Equal(t, int64(4), after["priority"])
			assert.Equal(t, before["title"], after["title"])
			assert.Equal(t, before["description"], after["description"])
		},
		setup: snapshot("Tickets", "open"),
	}, {
		name: "PUT nulls every writable field it does not carry", source: "the ticket contract: PUT /Tickets is a full update; a writable field not carried is nulled",
		method: "PUT", path: api + "Tickets", body: `{"id":{open},"title":"Only this","companyID":{ticketcompany},"status":1,"priority":2}`,
		status: 200, setup: snapshot("Tickets", "open"),
		check: func(t *testing.T, tn *tenant, fx fixture, r response) {
			before, after := tn.before, mustRecord(t, tn.s, "Tickets", fx["open"])
			assert.Equal(t, "Only this", after["title"])
			assert.Nil(t, after["description"], "writable, not carried: nulled")
			assert.Nil(t, after["queueID"], "writable, not carried: nulled")
			assert.Equal(t, before["ticketNumber"], after["ticketNumber"], "read-only: kept")
			assert.Equal(t, before["createDate"], after["createDate"], "read-only: kept")
		},
	}, {
		name: "PUT of the fresh GET with one field changed changes only that field", source: "the ticket contract: PUT the fresh GET with only the intended field changed; nothing else changes",
		setup: func(t *testing.T, tn *tenant, fx fixture) {
			tn.before = mustRecord(t, tn.s, "Tickets", fx["open"])
			fresh := item(t, tn.get(t, api+"Tickets/"+fx["open"]))
			fresh["resolution"] = "Replaced the toner cartridge."
			body, err := json.Marshal(fresh)
			require.NoError(t, err)
			fx["putbody"] = string(body)
		},
		method: "PUT", path: api + "Tickets", body: "{putbody}", status: 200,
		check: func(t *testing.T, tn *tenant, fx fixture, _ response) {
			after := mustRecord(t, tn.s, "Tickets", fx["open"])
			stamped := map[string]bool{"resolution": true, "lastActivityDate": true, "lastTrackedModificationDateTime": true,
				"lastActivityResourceID": true, "lastActivityPersonType": true}
			for k, v := range tn.before {
				if !stamped[k] {
					assert.Equal(t, v, after[k], k)
				}
			}
			assert.Equal(t, "Replaced the toner cartridge.", after["resolution"])
		},
	}, {
		name: "PUT without a required field fails", source: "the ticket contract: PUT /Tickets is never partial; a missing required field fails",
		method: "PUT", path: api + "Tickets", body: `{"id":{open},"resolution":"done"}`, status: 500,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.Contains(t, strings.Join(errorsOf(t, r), " "), "title")
		},
	}, {
		name: "an update needs the id in the body", source: "spec PUT and PATCH /V1.0/Tickets: the id is in the body (internal/spec/autotask-api/README.md)",
		method: "PATCH", path: api + "Tickets", body: `{"priority":1}`, status: 500,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) { errorsOf(t, r) },
	}, {
		name: "an update of a missing record fails", source: "spec PUT /V1.0/Tickets",
		method: "PATCH", path: api + "Tickets", body: `{"id":999999999,"priority":1}`, status: 500,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.Contains(t, errorsOf(t, r)[0], "999999999")
		},
	}, {
		name: "lastActivityDate moves on every change", source: "API: every change stamps lastActivityDate, which the guard uses as the record's version",
		method: "PATCH", path: api + "Tickets", body: `{"id":{open},"title":"Changed"}`, status: 200,
		setup: snapshot("Tickets", "open"),
		check: func(t *testing.T, tn *tenant, fx fixture, _ response) {
			assert.NotEqual(t, tn.before["lastActivityDate"], mustRecord(t, tn.s, "Tickets", fx["open"])["lastActivityDate"])
		},
	}, {
		name: "UDF values are written by name", source: "spec UserDefinedField {name, value}: values are strings, written by name",
		method: "PATCH", path: api + "Tickets", body: `{"id":{open},"userDefinedFields":[{"name":"root cause","value":"Expired certificate"}]}`,
		status: 200,
		check: func(t *testing.T, tn *tenant, fx fixture, _ response) {
			assert.Contains(t, mustRecord(t, tn.s, "Tickets", fx["open"])["userDefinedFields"],
				map[string]any{"name": "Root Cause", "value": "Expired certificate"})
		},
	}, {
		name: "a string longer than the field is refused", source: "spec GET /V1.0/Tickets/entityInformation/fields: length",
		method: "PATCH", path: api + "Tickets", body: `{"id":{open},"title":"` + strings.Repeat("x", 256) + `"}`, status: 500,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.Contains(t, errorsOf(t, r)[0], "title")
		},
	}}
}

// snapshot keeps a copy of a fixture record in tn.before for the check.
func snapshot(entity, key string) func(t *testing.T, tn *tenant, fx fixture) {
	return func(t *testing.T, tn *tenant, fx fixture) {
		tn.before = mustRecord(t, tn.s, entity, fx[key])
	}
}

func ticketCases() []fidelityCase {
	setStatus := func(status string) string {
		return `{"id":{open},"status":` + status + `}`
	}
	return []fidelityCase{{
		name: "status 5 Complete stamps completedDate and resolvedDateTime", source: "the ticket contract: status 5 Complete stamps completedDate and resolvedDateTime",
		method: "PATCH", path: api + "Tickets", body: setStatus("5"), status: 200,
		check: func(t *testing.T, tn *tenant, fx fixture, _ response) {
			tk := mustRecord(t, tn.s, "Tickets", fx["open"])
			assert.NotNil(t, tk["completedDate"])
			assert.NotNil(t, tk["resolvedDateTime"])
		},
	}, {
		name: "status 8 Completed does not stamp them", source: "the ticket contract: status ids, not labels, decide; 8 Completed leaves both null",
		method: "PATCH", path: api + "Tickets", body: setStatus("8"), status: 200,
		check: func(t *testing.T, tn *tenant, fx fixture, _ response) {
			tk := mustRecord(t, tn.s, "Tickets", fx["open"])
			assert.Nil(t, tk["completedDate"])
			assert.Nil(t, tk["resolvedDateTime"])
		},
	}, {
		name: "reopening a Complete ticket clears them", source: "API: moving a Complete ticket back to an open status clears both dates",
		method: "PATCH", path: api + "Tickets", body: `{"id":{done},"status":1}`, status: 200,
		check: func(t *testing.T, tn *tenant, fx fixture, _ response) {
			tk := mustRecord(t, tn.s, "Tickets", fx["done"])
			assert.Nil(t, tk["completedDate"])
			assert.Nil(t, tk["resolvedDateTime"])
		},
	}, {
		name: "a note through the ticket moves the ticket's lastActivityDate", source: "spec POST /V1.0/Tickets/{parentId}/Notes; API: a note is activity on its ticket",
		method: "POST", path: api + "Tickets/{open}/Notes", body: `{"Title":"Update","Description":"Rebooted","NoteType":1,"Publish":1}`,
		status: 200, setup: snapshot("Tickets", "open"),
		check: func(t *testing.T, tn *tenant, fx fixture, r response) {
			note, ok := tn.s.Record("TicketNotes", num(t, r.json(t)["itemId"]))
			require.True(t, ok)
			assert.Equal(t, fx["open"], itoa(note["ticketID"].(int64)), "ticketID comes from the route")
			assert.NotEqual(t, tn.before["lastActivityDate"], mustRecord(t, tn.s, "Tickets", fx["open"])["lastActivityDate"])
		},
	}, {
		name: "a note needs Title, Description, NoteType and Publish", source: "the ticket contract: a note needs Title, Description, NoteType and Publish",
		method: "POST", path: api + "Tickets/{open}/Notes", body: `{"title":"x"}`, status: 500,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			errs := strings.Join(errorsOf(t, r), " ")
			for _, f := range []string{"description", "noteType", "publish"} {
				assert.Contains(t, errs, f)
			}
		},
	}, {
		name: "a note below a missing ticket is refused", source: "spec POST /V1.0/Tickets/{parentId}/Notes",
		method: "POST", path: api + "Tickets/999999999/Notes", body: `{"title":"x","description":"y","noteType":1,"publish":1}`, status: 500,
	}, {
		name: "time entries are found by ticketID", source: "the ticket contract: time entries are counted by ticketID; spec POST /V1.0/TimeEntries/query/count",
		method: "POST", path: api + "TimeEntries/query/count", body: `{"filter":[{"op":"eq","field":"ticketID","value":{ticket}}]}`, status: 200,
		check: func(t *testing.T, tn *tenant, fx fixture, r response) {
			want := 0
			for _, id := range tn.s.IDs("TimeEntries") {
				if rec, _ := tn.s.Record("TimeEntries", id); itoa(rec["ticketID"].(int64)) == fx["ticket"] {
					want++
				}
			}
			assert.Equal(t, int64(want), num(t, r.json(t)["queryCount"]))
		},
	}}
}
