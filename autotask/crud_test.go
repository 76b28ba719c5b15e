package autotask_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

func TestCapabilityTableRefusesBeforeSending(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	ctx := testCtx(t)
	tests := []struct {
		name string
		do   func() error
		want error
	}{
		{"delete a ticket", func() error { return c.Delete(ctx, "Tickets", 1) }, autotask.ErrNotSupported},
		{"create a billing code", func() error { _, err := c.Create(ctx, "BillingCodes", autotask.Record{"name": "x"}); return err }, autotask.ErrNotSupported},
		{"create a note without its ticket", func() error {
			_, err := c.Create(ctx, "TicketNotes", autotask.Record{"title": "x"})
			return err
		}, autotask.ErrNotSupported},
		{"patch a ticket", func() error { _, err := c.Patch(ctx, "Tickets", autotask.Record{"id": 1}); return err }, autotask.ErrNotSupported},
		{"update without id", func() error { _, err := c.Update(ctx, "TimeEntries", autotask.Record{"hoursWorked": 1}); return err }, autotask.ErrValidation},
		{"unknown entity", func() error { _, err := c.Get(ctx, "Tikets", 1); return err }, autotask.ErrUnknownEntity},
		{"unknown child route", func() error { _, err := c.ListChildren(ctx, "Tickets", 1, "Noets"); return err }, autotask.ErrUnknownEntity},
		{"negative id", func() error { _, err := c.Get(ctx, "Tickets", -1); return err }, autotask.ErrValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.ErrorIs(t, tt.do(), tt.want)
		})
	}
	assert.Zero(t, tn.hits.Load(), "no request was spent")
}

func TestCreateChildOnlyEntityGoesThroughParent(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	ctx := testCtx(t)
	ticketID := tn.anyTicketID(t)
	before := tn.sb.Count("TicketNotes")
	id, err := c.Create(ctx, "ticketnotes", autotask.Record{
		"ticketID": ticketID, "title": "Via parent", "description": "d", "noteType": 1, "publish": 1,
	})
	require.NoError(t, err)
	assert.NotZero(t, id)
	assert.Equal(t, before+1, tn.sb.Count("TicketNotes"))
	assert.Equal(t, 1, tn.endpointCount("POST Tickets/{id}/Notes"))
	assert.Zero(t, tn.endpointCount("POST TicketNotes"))

	note, err := c.GetChild(ctx, "Tickets", ticketID, "Notes", id)
	require.NoError(t, err)
	assert.Equal(t, "Via parent", note.String("title"))
	byEntity, err := c.Get(ctx, "TicketNotes", id)
	require.NoError(t, err)
	assert.Equal(t, id, byEntity.ID())

	notes, err := c.ListChildren(ctx, "Tickets", ticketID, "Notes")
	require.NoError(t, err)
	var ids []int64
	for _, n := range notes {
		ids = append(ids, n.ID())
	}
	assert.Contains(t, ids, id)
}

func TestGenericCRUD(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	ctx := testCtx(t)
	ticketID := tn.anyTicketID(t)
	var template map[string]any
	for _, id := range tn.sb.IDs("TimeEntries") {
		template, _ = tn.sb.Record("TimeEntries", id)
		break
	}
	require.NotNil(t, template, "the sandbox seeds time entries")

	body := autotask.Record{}
	for _, f := range []string{"resourceID", "roleID", "billingCodeID", "dateWorked", "startDateTime", "endDateTime", "summaryNotes", "timeEntryType"} {
		if v, ok := template[f]; ok && v != nil {
			body[f] = v
		}
	}
	body["ticketID"] = ticketID
	body["hoursWorked"] = 0.5
	body["summaryNotes"] = "Created by the client test"

	before := tn.sb.Count("TimeEntries")
	id, err := c.Create(ctx, "TimeEntries", body)
	require.NoError(t, err)
	assert.Equal(t, before+1, tn.sb.Count("TimeEntries"))

	rec, err := c.Get(ctx, "TimeEntries", id)
	require.NoError(t, err)
	assert.Equal(t, "Created by the client test", rec.String("summaryNotes"))

	_, err = c.Patch(ctx, "TimeEntries", autotask.Record{"id": id, "summaryNotes": "Patched"})
	require.NoError(t, err)
	rec, err = c.Get(ctx, "TimeEntries", id)
	require.NoError(t, err)
	assert.Equal(t, "Patched", rec.String("summaryNotes"))

	rec["summaryNotes"] = "Put whole"
	gotID, err := c.Update(ctx, "TimeEntries", rec)
	require.NoError(t, err)
	assert.Equal(t, id, gotID)
	after, _ := tn.sb.Record("TimeEntries", id)
	assert.Equal(t, "Put whole", after["summaryNotes"])

	require.NoError(t, c.Delete(ctx, "TimeEntries", id))
	assert.Equal(t, before, tn.sb.Count("TimeEntries"))
	_, err = c.Get(ctx, "TimeEntries", id)
	require.ErrorIs(t, err, autotask.ErrNotFound)
}

func TestCreateValidationErrorKeepsAPIText(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	_, err := c.Create(testCtx(t), "Tickets", autotask.Record{"title": "Missing everything else"})
	require.ErrorIs(t, err, autotask.ErrValidation)
	var apiErr *autotask.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.NotEmpty(t, apiErr.Messages)
	assert.Equal(t, 1, tn.endpointCount("POST Tickets"))
}
