package tools_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

// Every API failure reaches the assistant as a tool error that says what happened and what to do,
// and never carries the credentials.
func TestAPIFailuresBecomeClearToolErrors(t *testing.T) {
	creds := sandbox.Credentials{Username: "api-user@example.test", Secret: "s3cr3t-DO-NOT-LEAK", IntegrationCode: "IC-DO-NOT-LEAK"}
	env := testenv.New(t, testenv.Options{Sandbox: sandbox.Options{Credentials: creds}})
	id, _ := firstTicket(t, env)
	// Warm the metadata so each case fails on the read itself.
	ok(t, env.Call(t, "get_ticket", args("ticket_id", id)))

	tests := []struct {
		name      string
		fault     sandbox.Fault
		fragments []string
	}{
		{"auth", sandbox.Fault{Kind: sandbox.FaultStatus, Status: http.StatusUnauthorized}, []string{"credentials", "operator"}},
		{"thread limit", sandbox.Fault{Kind: sandbox.FaultStatus, Status: http.StatusTooManyRequests}, []string{"too many requests at once", "retry"}},
		{"hourly limit", sandbox.Fault{Kind: sandbox.FaultStatus, Status: http.StatusTooManyRequests, RetryAfter: time.Hour,
			Body: `{"errors":["API request threshold of 10000 requests per hour has been exceeded."]}`}, []string{"10,000 requests an hour", "in about 1h0m0s"}},
		{"server error", sandbox.Fault{Kind: sandbox.FaultStatus, Status: http.StatusBadGateway}, []string{"try again"}},
		{"html error page", sandbox.Fault{Kind: sandbox.FaultHTML, Status: http.StatusBadGateway}, nil},
		{"malformed json", sandbox.Fault{Kind: sandbox.FaultMalformedJSON}, nil},
		{"connection reset", sandbox.Fault{Kind: sandbox.FaultReset}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env.Sandbox.Faults().Clear()
			env.Sandbox.Faults().Script(http.MethodGet, "Tickets/", 100, tt.fault)
			defer env.Sandbox.Faults().Clear()
			text := failed(t, env.Call(t, "get_ticket", args("ticket_id", id)), tt.fragments...)
			for _, secret := range []string{creds.Secret, creds.IntegrationCode} {
				assert.NotContains(t, text, secret)
			}
			assert.NotContains(t, strings.ToLower(text), "panic")
		})
	}
}

// A transient failure is retried by the client; the read succeeds.
func TestTransientFailureRecovers(t *testing.T) {
	env := newEnv(t)
	id, _ := firstTicket(t, env)
	ok(t, env.Call(t, "get_ticket", args("ticket_id", id)))
	env.Sandbox.Faults().Script(http.MethodGet, "Tickets/", 1, sandbox.Fault{Kind: sandbox.FaultStatus, Status: http.StatusServiceUnavailable})
	ok(t, env.Call(t, "get_ticket", args("ticket_id", id)))
}
