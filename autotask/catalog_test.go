package autotask_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
)

func TestCatalogCounts(t *testing.T) {
	assert.Len(t, autotask.Entities(), 225)
	assert.Len(t, autotask.ChildRoutes(), 142)
}

func TestLookupEntity(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Tickets", "Tickets"},
		{"tickets", "Tickets"},
		{"TICKETS", "Tickets"},
		{"Ticket", "Tickets"},
		{"  ticketnotes ", "TicketNotes"},
		{"timeentries", "TimeEntries"},
		{"Companies", "Companies"},
		{"company", "Companies"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			e, err := autotask.LookupEntity(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, e.Name)
		})
	}
}

func TestLookupEntityUnknownSuggestsClosest(t *testing.T) {
	tests := []struct{ in, suggestion string }{
		{"Tikets", "Tickets"},
		{"TicketNots", "TicketNotes"},
		{"Compnies", "Companies"},
		{"TimeEntrys", "TimeEntries"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := autotask.LookupEntity(tt.in)
			require.ErrorIs(t, err, autotask.ErrUnknownEntity)
			require.ErrorIs(t, err, autotask.ErrValidation)
			assert.Contains(t, err.Error(), `"`+tt.suggestion+`"`)
		})
	}
	_, err := autotask.LookupEntity("Zebras")
	require.ErrorIs(t, err, autotask.ErrUnknownEntity)
}

func TestCapabilities(t *testing.T) {
	tickets, err := autotask.LookupEntity("Tickets")
	require.NoError(t, err)
	assert.Equal(t, autotask.Capabilities{Query: true, Count: true, Get: true, Create: true, Put: true, Patch: true, Delete: false, EntityInfo: true}, tickets.Capabilities)

	notes, err := autotask.LookupEntity("TicketNotes")
	require.NoError(t, err)
	assert.False(t, notes.Capabilities.Create, "POST /TicketNotes is a 404")
}

func TestChildRoutes(t *testing.T) {
	r, err := autotask.LookupChildRoute("tickets", "notes")
	require.NoError(t, err)
	assert.Equal(t, "Tickets", r.Parent)
	assert.Equal(t, "Notes", r.Segment)
	assert.Equal(t, "TicketNotes", r.Entity)
	assert.True(t, r.Capabilities.Create)

	byEntity, err := autotask.LookupChildRoute("Tickets", "TicketNotes")
	require.NoError(t, err)
	assert.Equal(t, r, byEntity)

	_, err = autotask.LookupChildRoute("Tickets", "Noets")
	require.ErrorIs(t, err, autotask.ErrUnknownEntity)
	assert.Contains(t, err.Error(), `"Notes"`)

	_, err = autotask.LookupChildRoute("Nope", "Notes")
	require.ErrorIs(t, err, autotask.ErrUnknownEntity)

	children := autotask.ChildRoutesOf("TICKETS")
	require.NotEmpty(t, children)
	for _, c := range children {
		assert.Equal(t, "Tickets", c.Parent)
	}
	assert.Empty(t, autotask.ChildRoutesOf("Nope"))
}

func TestCreateRouteFor(t *testing.T) {
	r, ok := autotask.CreateRouteFor("TicketNotes")
	require.True(t, ok)
	assert.Equal(t, "Tickets", r.Parent)
	assert.Equal(t, "Notes", r.Segment)

	_, ok = autotask.CreateRouteFor("Tickets")
	assert.False(t, ok, "Tickets are created at their own URL")
	_, ok = autotask.CreateRouteFor("Nope")
	assert.False(t, ok)
}

func TestClosest(t *testing.T) {
	fields := []string{"companyID", "contactID", "ticketNumber", "title", "status", "priority", "queueID"}
	tests := []struct {
		in   string
		want string
	}{
		{"stauts", "status"},
		{"TicketNumbr", "ticketNumber"},
		{"ticketnumber", "ticketNumber"},
		{"compnyID", "companyID"},
		{"priorty", "priority"},
		{"ticket", "ticketNumber"},
		{"accountID", "companyID"}, // the SOAP API's name for it
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := autotask.Closest(tt.in, fields, 3)
			require.NotEmpty(t, got)
			assert.Equal(t, tt.want, got[0])
			assert.LessOrEqual(t, len(got), 3)
		})
	}
	assert.Empty(t, autotask.Closest("xylophone", fields, 3))
	assert.Equal(t, []string{"Tickets"}, autotask.Closest("Tikets", []string{"Tickets", "Taxes", "Roles"}, 3),
		"far candidates are noise, not hints")
	assert.Empty(t, autotask.Closest("status", fields, 0))
	// A name longer than any real one is not a typo: no hint (and no edit distances over kilobytes).
	assert.Empty(t, autotask.Closest(strings.Repeat("status ", 20), fields, 3))
}
