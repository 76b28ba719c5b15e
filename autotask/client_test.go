package autotask_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

func TestImpersonationResourceIDIsSent(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	var tech int64
	for _, id := range tn.sb.IDs("Resources") {
		rec, _ := tn.sb.Record("Resources", id)
		if rec["isActive"] == true && id != tn.sb.APIResourceID() {
			tech = id
			break
		}
	}
	require.NotZero(t, tech)
	c := tn.client(t, func(cfg *autotask.Config) { cfg.ResourceID = tech })
	noteID, err := c.AddTicketNote(testCtx(t), tn.anyTicketID(t), autotask.Record{
		"title": "Called", "description": "Left a message", "noteType": 1, "publish": 1,
	})
	require.NoError(t, err)
	note, ok := tn.sb.Record("TicketNotes", noteID)
	require.True(t, ok)
	creator, _ := autotask.Record(note).Int("creatorResourceID")
	assert.Equal(t, tech, creator, "the note is recorded as written by the impersonated resource")
}

func TestHourlyBudgetPacesRequests(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	// 360 an hour is one every 10 s, with a burst of 3.
	c := tn.client(t, func(cfg *autotask.Config) { cfg.HourlyBudget = 360 })
	assert.InDelta(t, 360, c.Pacing().RequestsPerHour, 0.01)
	assert.Equal(t, 3, c.Pacing().Burst)
	ctx := testCtx(t)
	for range 3 {
		_, err := c.Count(ctx, "Tickets", nil)
		require.NoError(t, err)
	}
	// The next slot is 10 s away, past the deadline: the client refuses at once with ErrRateLimited
	// instead of waiting for the deadline to expire (which would end in DeadlineExceeded).
	short, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err := c.Count(short, "Tickets", nil)
	require.ErrorIs(t, err, autotask.ErrRateLimited, "the budget allows no 4th request within the deadline")
	assert.NotErrorIs(t, err, context.DeadlineExceeded, "refused at once rather than after waiting")
	assert.NoError(t, short.Err(), "refused before the deadline")
	assert.Equal(t, 3, tn.endpointCount("POST Tickets/query/count"))
}

func TestSecretNeverLoggedOrInErrors(t *testing.T) {
	const secret = "Hunter2-very-secret"
	creds := sandbox.Credentials{Username: "api@example.com", Secret: secret, IntegrationCode: "INTEGRATION-CODE-1"}
	tn := newTenant(t, sandbox.Options{Credentials: creds})
	var logs testenv.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	discover := func(cfg *autotask.Config) {
		cfg.Username, cfg.Secret, cfg.IntegrationCode = creds.Username, creds.Secret, creds.IntegrationCode
		cfg.APIURL = ""
		cfg.ZoneLookupURL = tn.apiURL()
		cfg.Logger = logger
		cfg.ThresholdInterval = time.Millisecond
	}
	c := tn.client(t, discover)
	bad := tn.client(t, discover, func(cfg *autotask.Config) { cfg.IntegrationCode = "WRONG" })
	ctx := testCtx(t)

	var errs []error
	tn.sb.Faults().Script("", "Tickets", 2, sandbox.Fault{Kind: sandbox.FaultStatus, Status: 500})
	_, err := c.Count(ctx, "Tickets", nil)
	require.NoError(t, err)
	_, err = c.Query(ctx, "Tickets", autotask.Query{Filter: []autotask.Filter{autotask.Eq("nope", 1)}})
	errs = append(errs, err)
	tn.sb.Faults().Script("POST", "Tickets", 1, sandbox.Fault{Kind: sandbox.FaultResetAfterApply})
	_, err = c.AddTicketNote(ctx, tn.anyTicketID(t), autotask.Record{"title": "t", "description": "d", "noteType": 1, "publish": 1})
	errs = append(errs, err)
	_, err = bad.Count(ctx, "Tickets", nil)
	errs = append(errs, err)
	require.NoError(t, c.Close())
	require.NoError(t, bad.Close())

	for _, err := range errs {
		require.Error(t, err)
		assert.NotContains(t, err.Error(), secret)
	}
	out := logs.String()
	assert.Contains(t, out, "autotask request", "debug logging is on")
	assert.NotContains(t, out, secret)
	assert.False(t, strings.Contains(out, "INTEGRATION-CODE-1"), "the integration code is not logged either")
}
