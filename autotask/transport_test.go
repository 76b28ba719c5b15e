package autotask_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

func TestBadCredentials(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	const wrongSecret = "wrong-secret-value"
	tests := []struct {
		name       string
		mutate     func(*autotask.Config)
		wantStatus int
		wantMsg    string
	}{
		{"wrong secret is a 401", func(c *autotask.Config) { c.Secret = wrongSecret }, http.StatusUnauthorized, ""},
		{"wrong user is a 401", func(c *autotask.Config) { c.Username = "nobody@example.com"; c.Secret = wrongSecret }, http.StatusUnauthorized, ""},
		{"wrong integration code is a 500 with a message", func(c *autotask.Config) { c.IntegrationCode = "NOPE" }, http.StatusInternalServerError, "IntegrationCode is invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tn.client(t, tt.mutate)
			before := tn.hits.Load()
			_, err := c.GetTicket(testCtx(t), tn.anyTicketID(t))
			require.ErrorIs(t, err, autotask.ErrAuth)
			var apiErr *autotask.APIError
			require.ErrorAs(t, err, &apiErr)
			if tt.wantStatus != 0 {
				assert.Equal(t, tt.wantStatus, apiErr.StatusCode)
			}
			if tt.wantMsg != "" {
				assert.Contains(t, apiErr.Messages, "IntegrationCode is invalid.")
			}
			assert.Equal(t, int64(1), tn.hits.Load()-before, "an auth failure is not retried")
			assert.NotContains(t, err.Error(), wrongSecret)
			assert.NotContains(t, err.Error(), sandbox.DefaultCredentials.Secret)
		})
	}
}

func TestReadRetriesTransientFailures(t *testing.T) {
	tests := []struct {
		name      string
		fault     sandbox.Fault
		failures  int
		wantErr   error // nil: the third attempt succeeds
		wantCalls int
	}{
		{"500 twice then success", sandbox.Fault{Kind: sandbox.FaultStatus, Status: 500}, 2, nil, 3},
		{"503 twice then success", sandbox.Fault{Kind: sandbox.FaultStatus, Status: 503}, 2, nil, 3},
		{"html error page then success", sandbox.Fault{Kind: sandbox.FaultHTML}, 1, nil, 2},
		{"malformed JSON then success", sandbox.Fault{Kind: sandbox.FaultMalformedJSON}, 1, nil, 2},
		{"connection reset then success", sandbox.Fault{Kind: sandbox.FaultReset}, 2, nil, 3},
		{"500 three times gives up after 3 attempts", sandbox.Fault{Kind: sandbox.FaultStatus, Status: 500}, 3, autotask.ErrTransient, 3},
		{"validation 500 is not retried", sandbox.Fault{Kind: sandbox.FaultStatus, Status: 500,
			Body: `{"errors":["Unable to find foo in the Ticket Entity."]}`}, 1, autotask.ErrUnknownField, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tn := newTenant(t, sandbox.Options{})
			c := tn.client(t)
			tn.sb.Faults().Script("POST", "Tickets/query", tt.failures, tt.fault)
			page, err := c.Query(testCtx(t), "Tickets", autotask.Query{MaxRecords: 5})
			assert.Equal(t, tt.wantCalls, tn.endpointCount("POST Tickets/query"))
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Len(t, page.Items, 5)
		})
	}
}

// A 429's Retry-After is waited out before the one resend, in either of its spellings. The wait is
// read from the client's own log of the delay it chose, not timed: an HTTP date is measured from the
// response's Date (both on the server's clock), so the wait is exactly one second even though the
// dates are decades in the past.
func TestRateLimitedHonoursRetryAfter(t *testing.T) {
	serverDate := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	tests := []struct {
		name       string
		retryAfter string
		date       time.Time // zero: the server's real clock
	}{
		{"delta-seconds", "1", time.Time{}},
		{"HTTP date one second after the response's Date", serverDate.Add(time.Second).Format(http.TimeFormat), serverDate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var gets atomic.Int64
			tn := newFrontedTenant(t, sandbox.Options{}, func(w http.ResponseWriter, r *http.Request) bool {
				if r.Method != http.MethodGet || !strings.Contains(r.URL.Path, "/Tickets/") || gets.Add(1) > 1 {
					return false
				}
				if !tt.date.IsZero() {
					w.Header().Set("Date", tt.date.Format(http.TimeFormat))
				}
				w.Header().Set("Retry-After", tt.retryAfter)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusTooManyRequests)
				_, _ = w.Write([]byte(`{"errors":["Too many requests."]}`))
				return true
			})
			var logs testenv.Buffer
			c := tn.client(t, func(cfg *autotask.Config) {
				cfg.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			})
			rec, err := c.GetTicket(testCtx(t), tn.anyTicketID(t))
			require.NoError(t, err)
			assert.NotZero(t, rec.ID())
			assert.Equal(t, int64(2), gets.Load(), "one 429, then one resend")
			delays := retryDelays(t, logs.String())
			require.Len(t, delays, 1)
			assert.GreaterOrEqual(t, delays[0], time.Second, "the client waits for Retry-After")
		})
	}
}

// retryDelays are the waits the client logged before each resend (JSON log lines).
func retryDelays(t *testing.T, logs string) []time.Duration {
	t.Helper()
	var delays []time.Duration
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var entry struct {
			Msg   string        `json:"msg"`
			Delay time.Duration `json:"delay"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &entry), line)
		if entry.Msg == "autotask retry" {
			delays = append(delays, entry.Delay)
		}
	}
	return delays
}

func TestRateLimitedLongRetryAfterReturnsAtOnce(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	tn.sb.Faults().Script("GET", "Tickets", 1, sandbox.Fault{Kind: sandbox.FaultStatus, Status: 429, RetryAfter: time.Hour})
	// Waiting out the hour would end in the deadline instead of ErrRateLimited.
	ctx, cancel := context.WithTimeout(testCtx(t), 30*time.Second)
	defer cancel()
	_, err := c.GetTicket(ctx, tn.anyTicketID(t))
	require.ErrorIs(t, err, autotask.ErrRateLimited)
	assert.NotErrorIs(t, err, context.DeadlineExceeded, "refused at once, not after waiting")
	var apiErr *autotask.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, time.Hour, apiErr.RetryAfter)
	assert.Equal(t, 1, tn.endpointCount("GET Tickets/{id}"))
	assert.Contains(t, err.Error(), "retry after 1h0m0s")
}

func TestHourlyThresholdExceededIsRateLimited(t *testing.T) {
	tn := newTenant(t, sandbox.Options{HourlyLimit: 3})
	c := tn.client(t)
	ctx := testCtx(t)
	for range 3 {
		_, err := c.Count(ctx, "Tickets", nil)
		require.NoError(t, err)
	}
	_, err := c.Count(ctx, "Tickets", nil)
	require.ErrorIs(t, err, autotask.ErrRateLimited)
	var apiErr *autotask.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Greater(t, apiErr.RetryAfter, time.Duration(0))
	assert.Contains(t, strings.Join(apiErr.Messages, " "), "threshold")
}

func TestCreateNeverResentWhenConnectionDropsAfterSending(t *testing.T) {
	tests := []struct {
		name         string
		fault        sandbox.Fault
		wantNewNotes int
	}{
		{"dropped after the note was applied", sandbox.Fault{Kind: sandbox.FaultResetAfterApply}, 1},
		{"dropped before an answer", sandbox.Fault{Kind: sandbox.FaultReset}, 0},
		{"malformed answer to an applied create", sandbox.Fault{Kind: sandbox.FaultMalformedJSON}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tn := newTenant(t, sandbox.Options{})
			c := tn.client(t)
			ticketID := tn.anyTicketID(t)
			notesBefore := tn.sb.Count("TicketNotes")
			tn.sb.Faults().Script("POST", "Tickets", 1, tt.fault)

			_, err := c.AddTicketNote(testCtx(t), ticketID, autotask.Record{
				"title": "Called the customer", "description": "Printer restarted.", "noteType": 1, "publish": 1,
			})
			require.ErrorIs(t, err, autotask.ErrOutcomeUnknown)
			assert.Contains(t, err.Error(), "outcome unknown")
			assert.Contains(t, err.Error(), "may or may not have been applied")
			assert.Equal(t, 1, tn.endpointCount("POST Tickets/{id}/Notes"), "a create is never resent")
			assert.Equal(t, notesBefore+tt.wantNewNotes, tn.sb.Count("TicketNotes"))
		})
	}
}

func TestWritesAreNotRetriedAfterReachingTheServer(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	ctx := testCtx(t)
	id := tn.anyTicketID(t)
	tn.sb.Faults().Script("PUT", "Tickets", 1, sandbox.Fault{Kind: sandbox.FaultStatus, Status: 503})
	_, err := c.UpdateTicket(ctx, id, autotask.Changes{Fields: map[string]any{"title": "New title"}}, nil)
	require.ErrorIs(t, err, autotask.ErrTransient)
	assert.Equal(t, 1, tn.endpointCount("PUT Tickets"))

	tn.sb.Faults().Script("PUT", "Tickets", 1, sandbox.Fault{Kind: sandbox.FaultReset})
	_, err = c.UpdateTicket(ctx, id, autotask.Changes{Fields: map[string]any{"title": "New title"}}, nil)
	require.ErrorIs(t, err, autotask.ErrOutcomeUnknown)
	assert.Equal(t, 2, tn.endpointCount("PUT Tickets"))
}

func TestWriteRetriedAfter429(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	id := tn.anyTicketID(t)
	tn.sb.Faults().Script("PUT", "Tickets", 1, sandbox.Fault{Kind: sandbox.FaultStatus, Status: 429})
	_, err := c.UpdateTicket(testCtx(t), id, autotask.Changes{Fields: map[string]any{"title": "After 429"}}, nil)
	require.NoError(t, err, "a 429 proves the write was not applied, so it is resent")
	assert.Equal(t, 2, tn.endpointCount("PUT Tickets"))
	rec, _ := tn.sb.Record("Tickets", id)
	assert.Equal(t, "After 429", rec["title"])
}

func TestWriteRetriedWhenNeverSent(t *testing.T) {
	// A listener that is closed: every dial is refused, so nothing is ever sent.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())

	tn := newTenant(t, sandbox.Options{})
	tests := []struct {
		name        string
		do          func(c *autotask.Client) error
		wantRetries int
	}{
		{"PUT is resent: it provably never left", func(c *autotask.Client) error {
			_, err := c.Update(testCtx(t), "TimeEntries", autotask.Record{"id": 1, "hoursWorked": 1})
			return err
		}, 2},
		{"a create is never resent, even then", func(c *autotask.Client) error {
			_, err := c.Create(testCtx(t), "TimeEntries", autotask.Record{"ticketID": 1, "hoursWorked": 1})
			return err
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs testenv.Buffer
			c := tn.client(t, func(cfg *autotask.Config) {
				cfg.APIURL = "http://" + addr + "/ATServicesRest/"
				cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			})
			err := tt.do(c)
			require.ErrorIs(t, err, autotask.ErrTransient)
			assert.NotErrorIs(t, err, autotask.ErrOutcomeUnknown, "a refused dial proves nothing was sent")
			assert.Equal(t, tt.wantRetries, strings.Count(logs.String(), "autotask retry"))
		})
	}
}

func TestContextDeadlineWhileServerHangs(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	tn.sb.Faults().Script("GET", "Tickets", 1, sandbox.Fault{Kind: sandbox.FaultHang})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := c.GetTicket(ctx, tn.anyTicketID(t))
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "the caller's deadline ends the wait: %v", err)
}

func TestInFlightCapUnderFiftyConcurrentCallers(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	ids := tn.sb.IDs("Tickets")
	// Each request is held for a moment so that callers genuinely overlap.
	tn.sb.Faults().Script("", "Tickets", 50, sandbox.Fault{Kind: sandbox.FaultHang, Hang: 20 * time.Millisecond})

	ctx := testCtx(t)
	errs := make(chan error, 50)
	for i := range 50 {
		go func() {
			if i%2 == 0 {
				_, err := c.GetTicket(ctx, ids[i])
				errs <- err
				return
			}
			_, err := c.Query(ctx, "Tickets", autotask.Query{Filter: []autotask.Filter{autotask.Eq("id", ids[i])}})
			errs <- err
		}()
	}
	for range 50 {
		require.NoError(t, <-errs)
	}
	stats := tn.sb.Stats()
	assert.LessOrEqual(t, stats.PeakInFlight["Tickets"], 3)
	assert.GreaterOrEqual(t, stats.PeakInFlight["Tickets"], 2, "callers did overlap")
	assert.Equal(t, 25, stats.ByEndpoint["GET Tickets/{id}"], "no request was refused and resent")
	assert.Equal(t, 25, stats.ByEndpoint["POST Tickets/query"])
}

func TestEndpointFamiliesAreLimitedSeparately(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	tn.sb.Faults().Script("", "", 12, sandbox.Fault{Kind: sandbox.FaultHang, Hang: 50 * time.Millisecond})
	ctx := testCtx(t)
	errs := make(chan error, 12)
	for i := range 12 {
		go func() {
			var err error
			if i%2 == 0 {
				_, err = c.Count(ctx, "Tickets", nil)
			} else {
				_, err = c.Count(ctx, "Companies", nil)
			}
			errs <- err
		}()
	}
	for range 12 {
		require.NoError(t, <-errs)
	}
	stats := tn.sb.Stats()
	assert.LessOrEqual(t, stats.PeakInFlight["Tickets"], 3)
	assert.LessOrEqual(t, stats.PeakInFlight["Companies"], 3)
}

func TestUnknownRouteAndMethod(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	// PATCH /Tickets is refused locally (tickets change only by GET-then-PUT);
	// DELETE on Tickets is not in the capability table. Neither reaches the server.
	_, err := c.Patch(testCtx(t), "Tickets", autotask.Record{"id": 1})
	require.ErrorIs(t, err, autotask.ErrNotSupported)
	err = c.Delete(testCtx(t), "Tickets", 1)
	require.ErrorIs(t, err, autotask.ErrNotSupported)
	assert.Zero(t, tn.hits.Load())
}

// What a write's failure tells the caller decides whether the assistant resends it: "not
// applied" must be provable, anything else is ErrOutcomeUnknown. The sandbox's counts say what
// really happened.
func TestWriteFailureKinds(t *testing.T) {
	note := autotask.Record{"title": "Called the customer", "description": "Printer restarted.", "noteType": 1, "publish": 1}
	tests := []struct {
		name      string
		method    string // the write under test: POST (a note) or PUT (a ticket)
		fault     sandbox.Fault
		wantErr   error // nil: the write succeeds after a retry
		wantSent  int   // write requests the sandbox saw
		wantApply int   // notes created or titles changed
	}{
		{"429 on a create is resent: the API refused it before acting", "POST",
			sandbox.Fault{Kind: sandbox.FaultStatus, Status: 429}, nil, 2, 1},
		{"unexplained 500 on a create may have been applied", "POST",
			sandbox.Fault{Kind: sandbox.FaultStatus, Status: 500}, autotask.ErrOutcomeUnknown, 1, 0},
		{"validation 500 on a create was refused", "POST",
			sandbox.Fault{Kind: sandbox.FaultStatus, Status: 500, Body: `{"errors":["Title is required."]}`}, autotask.ErrValidation, 1, 0},
		{"503 on a create was not taken", "POST",
			sandbox.Fault{Kind: sandbox.FaultStatus, Status: 503}, autotask.ErrTransient, 1, 0},
		{"502 page on a PUT may have been applied", "PUT",
			sandbox.Fault{Kind: sandbox.FaultHTML}, autotask.ErrOutcomeUnknown, 1, 0},
		{"hang past the attempt timeout on a create may have been applied", "POST",
			sandbox.Fault{Kind: sandbox.FaultHang}, autotask.ErrOutcomeUnknown, 1, 0},
		{"hang past the attempt timeout on a PUT may have been applied", "PUT",
			sandbox.Fault{Kind: sandbox.FaultHang}, autotask.ErrOutcomeUnknown, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tn := newTenant(t, sandbox.Options{})
			c := tn.client(t, func(cfg *autotask.Config) { cfg.AttemptTimeout = time.Second })
			id := tn.anyTicketID(t)
			notesBefore := tn.sb.Count("TicketNotes")
			tn.sb.Faults().Script(tt.method, "Tickets", 1, tt.fault)

			var err error
			var endpoint string
			if tt.method == "POST" {
				endpoint = "POST Tickets/{id}/Notes"
				_, err = c.AddTicketNote(testCtx(t), id, note)
			} else {
				endpoint = "PUT Tickets"
				_, err = c.UpdateTicket(testCtx(t), id, autotask.Changes{Fields: map[string]any{"title": "Changed by the test"}}, nil)
			}
			if tt.wantErr == nil {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, tt.wantErr)
			}
			assert.Equal(t, tt.wantSent, tn.endpointCount(endpoint))
			applied := tn.sb.Count("TicketNotes") - notesBefore
			if tt.method == "PUT" {
				rec, _ := tn.sb.Record("Tickets", id)
				applied = 0
				if rec["title"] == "Changed by the test" {
					applied = 1
				}
			}
			assert.Equal(t, tt.wantApply, applied)
		})
	}
}

func TestHungReadIsAbandonedAndRetried(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t, func(cfg *autotask.Config) { cfg.AttemptTimeout = time.Second })
	tn.sb.Faults().Script("GET", "Tickets", 1, sandbox.Fault{Kind: sandbox.FaultHang})
	rec, err := c.GetTicket(testCtx(t), tn.anyTicketID(t))
	require.NoError(t, err, "the attempt's own timeout is a lost answer, not the caller giving up")
	assert.NotZero(t, rec.ID())
	assert.Equal(t, 2, tn.endpointCount("GET Tickets/{id}"))
}

func TestCredentialsEchoedByTheAPIAreRedacted(t *testing.T) {
	tn := newTenant(t, sandbox.Options{})
	c := tn.client(t)
	creds := sandbox.DefaultCredentials
	tn.sb.Faults().Script("GET", "Tickets", 1, sandbox.Fault{Kind: sandbox.FaultStatus, Status: 500,
		Body: `{"errors":["Value ` + creds.Secret + ` is not valid for field title (` + creds.IntegrationCode + `)."]}`})
	_, err := c.GetTicket(testCtx(t), tn.anyTicketID(t))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), creds.Secret)
	assert.NotContains(t, err.Error(), creds.IntegrationCode)
	assert.Contains(t, err.Error(), "Value [redacted] is not valid")
}
