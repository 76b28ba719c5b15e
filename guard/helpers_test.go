package guard

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/internal/testclock"
)

// ticketJSON is a ticket as GET /Tickets/{id} returns it under "item".
const ticketJSON = `{
	"id": 42,
	"ticketNumber": "T20240501.0001",
	"title": "Printer on fire",
	"description": "The printer in room 4 is on fire.",
	"status": 1,
	"priority": 2,
	"companyID": 174,
	"queueID": 29682833,
	"assignedResourceID": null,
	"estimatedHours": 1.5,
	"dueDateTime": "2024-05-02T17:00:00",
	"lastActivityDate": "2024-05-01T09:30:00.123Z",
	"completedDate": null,
	"resolvedDateTime": null,
	"userDefinedFields": [{"name": "Site", "value": "HQ"}, {"name": "Asset Tag", "value": null}]
}`

func decodeTicket(t testing.TB, useNumber bool) map[string]any {
	t.Helper()
	return decodeJSON(t, ticketJSON, useNumber)
}

func decodeJSON(t testing.TB, s string, useNumber bool) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	if useNumber {
		dec.UseNumber()
	}
	var m map[string]any
	require.NoError(t, dec.Decode(&m))
	return m
}

// ticketWith is a fresh copy of the ticket with fields replaced.
func ticketWith(t testing.TB, fields map[string]any) map[string]any {
	t.Helper()
	rec := decodeTicket(t, true)
	for k, v := range fields {
		rec[k] = v
	}
	return rec
}

// newClock is a test clock at a fixed, ordinary moment.
func newClock() *testclock.Clock {
	return testclock.New(time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC))
}

var testKey = []byte("0123456789abcdef0123456789abcdef")

func newGuard(t testing.TB, opts Options) *Guard {
	t.Helper()
	if opts.Key == nil {
		opts.Key = testKey
	}
	g, err := New(opts)
	require.NoError(t, err)
	return g
}

func ticketWrite(session string, changes map[string]any) Write {
	return Write{Session: session, Tool: "update_ticket", Entity: "Tickets", ID: 42, Changes: changes}
}

var bg = context.Background()

func jsonNumber(s string) json.Number { return json.Number(s) }
