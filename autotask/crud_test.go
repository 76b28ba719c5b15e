package autotask_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
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

	// Hours without a window: the template's start and end would have to match them.
	body := autotask.Record{}
	for _, f := range []string{"resourceID", "roleID", "billingCodeID", "dateWorked", "summaryNotes", "timeEntryType"} {
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

// Child collections are paged like queries but followed with GET: a list that stopped after the
// first page would lose every note after it without a word.
func TestListChildrenFollowsEveryPage(t *testing.T) {
	var gets atomic.Int64
	tn := newFrontedTenant(t, sandbox.Options{}, func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/ATServicesRest/V1.0/Tickets/1/Notes" {
			return false
		}
		gets.Add(1)
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method != http.MethodGet:
			w.WriteHeader(http.StatusMethodNotAllowed)
		case r.URL.RawQuery == "":
			fmt.Fprintf(w, `{"items":[{"id":11,"ticketID":1},{"id":12,"ticketID":1}],"pageDetails":{"count":2,"requestCount":2,`+
				`"prevPageUrl":null,"nextPageUrl":"http://%s/ATServicesRest/V1.0/Tickets/1/Notes?page=2"}}`, r.Host)
		case r.URL.RawQuery == "page=2":
			fmt.Fprint(w, `{"items":[{"id":13,"ticketID":1}],"pageDetails":{"count":1,"requestCount":2,"prevPageUrl":null,"nextPageUrl":null}}`)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
		return true
	})
	notes, err := tn.client(t).ListChildren(testCtx(t), "Tickets", 1, "Notes")
	require.NoError(t, err)
	var ids []int64
	for _, n := range notes {
		ids = append(ids, n.ID())
	}
	assert.Equal(t, []int64{11, 12, 13}, ids, "both pages' notes, in order")
	assert.Equal(t, int64(2), gets.Load())
}

// A create the API accepted without saying which record it made cannot be called a success (there
// is no id to read back) nor a failure (it may exist): it is an unknown outcome, and it is not resent.
func TestCreateAnsweredWithoutItemIDIsOutcomeUnknown(t *testing.T) {
	note := autotask.Record{"title": "Called the customer", "description": "d", "noteType": 1, "publish": 1}
	entry := autotask.Record{"ticketID": 1, "resourceID": 1, "hoursWorked": 0.5, "summaryNotes": "s"}
	tests := []struct {
		name   string
		answer string
		create func(context.Context, *autotask.Client) (int64, error)
	}{
		{"{} to a create", `{}`, func(ctx context.Context, c *autotask.Client) (int64, error) {
			return c.Create(ctx, "TimeEntries", entry)
		}},
		{"{} to a create through the parent", `{}`, func(ctx context.Context, c *autotask.Client) (int64, error) {
			return c.CreateChild(ctx, "Tickets", 1, "Notes", note)
		}},
		{"an empty body", ``, func(ctx context.Context, c *autotask.Client) (int64, error) {
			return c.Create(ctx, "TimeEntries", entry)
		}},
		{"a null itemId", `{"itemId":null}`, func(ctx context.Context, c *autotask.Client) (int64, error) {
			return c.Create(ctx, "TimeEntries", entry)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var posts atomic.Int64
			tn := newFrontedTenant(t, sandbox.Options{}, func(w http.ResponseWriter, r *http.Request) bool {
				if r.Method != http.MethodPost {
					return false
				}
				posts.Add(1)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusOK)
				_, _ = w.Write([]byte(tt.answer))
				return true
			})
			id, err := tt.create(testCtx(t), tn.client(t))
			require.ErrorIs(t, err, autotask.ErrOutcomeUnknown)
			assert.Zero(t, id)
			assert.Contains(t, err.Error(), "may or may not have been applied")
			assert.Equal(t, int64(1), posts.Load(), "a create is never resent")
		})
	}
}

// A DELETE whose answer was lost may have been applied: it is not resent (a resend would be
// answered 404 and make the delete that worked look like a failure), and the caller learns that
// the outcome is unknown.
func TestDeleteNotResentWhenTheAnswerIsLost(t *testing.T) {
	tests := []struct {
		name        string
		fault       sandbox.Fault
		wantDeleted int
	}{
		{"the server applied it, then dropped the connection", sandbox.Fault{Kind: sandbox.FaultResetAfterApply}, 1},
		{"the server dropped the connection before applying it", sandbox.Fault{Kind: sandbox.FaultReset}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tn := newTenant(t, sandbox.Options{})
			c := tn.client(t)
			ids := tn.sb.IDs("TimeEntries")
			require.NotEmpty(t, ids)
			before := tn.sb.Count("TimeEntries")
			tn.sb.Faults().Script("DELETE", "TimeEntries", 1, tt.fault)

			err := c.Delete(testCtx(t), "TimeEntries", ids[0])
			require.ErrorIs(t, err, autotask.ErrOutcomeUnknown)
			assert.Contains(t, err.Error(), "may or may not have been applied")
			assert.Equal(t, 1, tn.endpointCount("DELETE TimeEntries/{id}"), "exactly one DELETE was sent")
			assert.Equal(t, before-tt.wantDeleted, tn.sb.Count("TimeEntries"))
		})
	}
}

// Records are decoded as plain JSON objects; an item that is not one is a malformed answer, not a
// record with no fields.
func TestItemThatIsNotAnObjectIsMalformed(t *testing.T) {
	tests := []struct {
		name, body string
		read       func(c *autotask.Client, ctx context.Context) error
	}{
		{"get", `{"item": 5}`, func(c *autotask.Client, ctx context.Context) error {
			_, err := c.Get(ctx, "Tickets", 1)
			return err
		}},
		{"query", `{"items": [{"id": 1}, "x"], "pageDetails": {"count": 2}}`, func(c *autotask.Client, ctx context.Context) error {
			_, err := c.Query(ctx, "Tickets", autotask.Query{MaxRecords: 5})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tn := newFrontedTenant(t, sandbox.Options{}, func(w http.ResponseWriter, r *http.Request) bool {
				if !strings.Contains(r.URL.Path, "/Tickets/") {
					return false
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(tt.body))
				return true
			})
			err := tt.read(tn.client(t), testCtx(t))
			require.ErrorIs(t, err, autotask.ErrTransient)
			assert.Contains(t, err.Error(), "not an object")
		})
	}
}
