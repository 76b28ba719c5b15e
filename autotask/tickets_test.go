package autotask_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

func TestTicketByNumber(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	id := tn.anyTicketID(t)
	rec, ok := tn.sb.Record("Tickets", id)
	require.True(t, ok)

	got, err := c.TicketByNumber(testCtx(t), rec["ticketNumber"].(string))
	require.NoError(t, err)
	byID, err := c.GetTicket(testCtx(t), id)
	require.NoError(t, err)
	assert.Equal(t, byID, got, "the query returns the ticket as a GET does")
	assert.Equal(t, 1, tn.endpointCount("POST Tickets/query"))

	_, err = c.TicketByNumber(testCtx(t), "T19990101.9999")
	require.ErrorIs(t, err, autotask.ErrNotFound)
	_, err = c.TicketByNumber(testCtx(t), "  ")
	require.ErrorIs(t, err, autotask.ErrValidation)
}

func TestGetTicket(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	id := tn.anyTicketID(t)
	rec, err := c.GetTicket(testCtx(t), id)
	require.NoError(t, err)
	assert.Equal(t, id, rec.ID())
	_, isNumber := rec["id"].(json.Number)
	assert.True(t, isNumber, "numbers are decoded as json.Number")

	_, err = c.GetTicket(testCtx(t), 1)
	require.ErrorIs(t, err, autotask.ErrNotFound, `{"item": null} is not found`)
}

// sameExcept asserts that after differs from before only in the named fields
// (and the timestamps the API moves on every write).
func sameExcept(t *testing.T, before, after map[string]any, changed ...string) {
	t.Helper()
	skip := map[string]bool{"lastActivityDate": true, "lastTrackedModificationDateTime": true, "lastActivityPersonType": true,
		"lastActivityResourceID": true}
	for _, f := range changed {
		skip[f] = true
	}
	for k, v := range before {
		if skip[k] {
			continue
		}
		assert.Equal(t, v, after[k], "field %s must not change", k)
	}
}

func TestUpdateTicketChangesOnlyTheNamedFields(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	ctx := testCtx(t)
	id := tn.anyTicketID(t)
	before, _ := tn.sb.Record("Tickets", id)

	m, err := c.Metadata(ctx, "Tickets")
	require.NoError(t, err)
	require.NotEmpty(t, m.UDFs)
	udfName := m.UDFs[0].Name

	sent, err := c.UpdateTicket(ctx, id, autotask.Changes{
		Fields: map[string]any{"Resolution": "Replaced the toner."},
		UDFs:   map[string]any{udfName: "changed-by-test"},
	}, nil)
	require.NoError(t, err)
	assert.Equal(t, "Replaced the toner.", sent["resolution"])
	assert.Equal(t, 1, tn.endpointCount("GET Tickets/{id}"), "GET before the write")
	assert.Equal(t, 1, tn.endpointCount("PUT Tickets"))

	after, _ := tn.sb.Record("Tickets", id)
	assert.Equal(t, "Replaced the toner.", after["resolution"])
	sameExcept(t, before, after, "resolution", "userDefinedFields")
	found := false
	for _, u := range autotask.Record(after).UDFs() {
		if u.Name == udfName {
			found = true
			assert.Equal(t, "changed-by-test", u.Value)
		}
	}
	assert.True(t, found)
}

func TestUpdateTicketStatusCompleteStampsResolution(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	ctx := testCtx(t)
	m, err := c.Metadata(ctx, "Tickets")
	require.NoError(t, err)
	status, _ := m.Picklist("status")
	complete, ok := status.Value("Complete")
	require.True(t, ok)

	// An open ticket: one without a completedDate.
	var id int64
	for _, tid := range tn.sb.IDs("Tickets") {
		rec, _ := tn.sb.Record("Tickets", tid)
		if rec["completedDate"] == nil && rec["status"] != nil {
			id = tid
			break
		}
	}
	require.NotZero(t, id)
	_, err = c.UpdateTicket(ctx, id, autotask.Changes{Fields: map[string]any{"status": complete}}, nil)
	require.NoError(t, err)
	after, _ := tn.sb.Record("Tickets", id)
	assert.NotNil(t, after["completedDate"])
	assert.NotNil(t, after["resolvedDateTime"])
}

func TestUpdateTicketRefusals(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	ctx := testCtx(t)
	id := tn.anyTicketID(t)
	errStale := errors.New("ticket changed since it was read")
	tests := []struct {
		name    string
		ch      autotask.Changes
		verify  func(autotask.Record) error
		wantErr error
		wantMsg string
	}{
		{"verify refuses", autotask.Changes{Fields: map[string]any{"title": "x"}}, func(autotask.Record) error { return errStale }, errStale, "changed"},
		{"unknown field", autotask.Changes{Fields: map[string]any{"titel": "x"}}, nil, autotask.ErrUnknownField, `"title"`},
		{"unknown UDF", autotask.Changes{UDFs: map[string]any{"No Such UDF": "x"}}, nil, autotask.ErrUnknownField, "No Such UDF"},
		{"read-only field", autotask.Changes{Fields: map[string]any{"ticketNumber": "T1"}}, nil, autotask.ErrValidation, "read-only"},
		{"id change", autotask.Changes{Fields: map[string]any{"id": id + 1}}, nil, autotask.ErrValidation, "id cannot be changed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tn.endpointCount("PUT Tickets")
			_, err := c.UpdateTicket(ctx, id, tt.ch, tt.verify)
			require.ErrorIs(t, err, tt.wantErr)
			assert.Contains(t, err.Error(), tt.wantMsg)
			assert.Equal(t, before, tn.endpointCount("PUT Tickets"), "nothing was written")
		})
	}
}

func TestPutTicketNeedsFreshID(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	_, err := c.PutTicket(testCtx(t), autotask.Record{"title": "no id"}, autotask.Changes{Fields: map[string]any{"title": "x"}})
	require.ErrorIs(t, err, autotask.ErrValidation)
	assert.Zero(t, tn.hits.Load())
}

func TestAddTicketNote(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	ctx := testCtx(t)
	ticketID := tn.anyTicketID(t)
	before := tn.sb.Count("TicketNotes")

	noteID, err := c.AddTicketNote(ctx, ticketID, autotask.Record{
		"title": "Called the customer", "description": "Printer restarted.", "noteType": 1, "publish": 1,
	})
	require.NoError(t, err)
	assert.NotZero(t, noteID)
	assert.Equal(t, before+1, tn.sb.Count("TicketNotes"))
	assert.Equal(t, 1, tn.endpointCount("POST Tickets/{id}/Notes"))
	note, ok := tn.sb.Record("TicketNotes", noteID)
	require.True(t, ok)
	id, _ := autotask.Record(note).Int("ticketID")
	assert.Equal(t, ticketID, id)

	_, err = c.AddTicketNote(ctx, ticketID, autotask.Record{"ticketID": ticketID + 1, "title": "t"})
	require.ErrorIs(t, err, autotask.ErrValidation)
}

func TestCountTimeEntries(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	ctx := testCtx(t)
	perTicket := map[int64]int{}
	for _, id := range tn.sb.IDs("TimeEntries") {
		rec, _ := tn.sb.Record("TimeEntries", id)
		if tid, ok := autotask.Record(rec).Int("ticketID"); ok {
			perTicket[tid]++
		}
	}
	require.NotEmpty(t, perTicket, "the sandbox seeds time entries on some tickets")
	var with, without int64
	for _, tid := range tn.sb.IDs("Tickets") {
		if perTicket[tid] > 0 && with == 0 {
			with = tid
		}
		if perTicket[tid] == 0 && without == 0 {
			without = tid
		}
	}
	require.NotZero(t, with)
	require.NotZero(t, without)

	n, err := c.CountTimeEntries(ctx, with)
	require.NoError(t, err)
	assert.Equal(t, perTicket[with], n)
	n, err = c.CountTimeEntries(ctx, without)
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.Equal(t, 2, tn.endpointCount("POST TimeEntries/query/count"), "a count, not a fetch")
	assert.Zero(t, tn.endpointCount("POST TimeEntries/query"))
}
