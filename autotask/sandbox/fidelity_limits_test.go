package sandbox_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

func limitCases() []fidelityCase {
	return []fidelityCase{{
		name: "ThresholdInformation counts the hour", source: "spec GET /V1.0/ThresholdInformation (ThresholdStatusResultModel); the hour's budget is per tenant",
		opts:   sandbox.Options{Tickets: 60, Companies: 8, HourlyLimit: 1234},
		setup:  func(t *testing.T, tn *tenant, fx fixture) { tn.get(t, api+"Tickets/"+fx["ticket"]) },
		method: "GET", path: api + "ThresholdInformation", status: 200,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.JSONEq(t, `{"externalRequestThreshold":1234,"requestThresholdTimeframe":60,"currentTimeframeRequestCount":2}`, string(r.raw))
		},
	}, {
		name: "past the hourly threshold: 429 with Retry-After", source: "API: 10,000 requests an hour per tenant, shared by every integration; past it, 429",
		opts: sandbox.Options{Tickets: 60, Companies: 8, HourlyLimit: 2},
		setup: func(t *testing.T, tn *tenant, fx fixture) {
			tn.get(t, api+"Version")
			tn.get(t, api+"Version")
		},
		method: "GET", path: api + "Tickets/{ticket}", status: 429,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			errorsOf(t, r)
			assert.NotEmpty(t, r.header.Get("Retry-After"))
		},
	}, {
		name: "latency is added past 50% of the hour", source: "API: responses slow down progressively past 50% and 75% of the hourly threshold",
		opts: sandbox.Options{Tickets: 60, Companies: 8, HourlyLimit: 4, SlowdownAt50: 150 * time.Millisecond},
		setup: func(t *testing.T, tn *tenant, fx fixture) {
			tn.get(t, api+"Version")
			tn.get(t, api+"Version")
			fx["start"] = time.Now().Format(time.RFC3339Nano)
		},
		method: "GET", path: api + "Version", status: 200,
		check: func(t *testing.T, _ *tenant, fx fixture, r response) {
			start, err := time.Parse(time.RFC3339Nano, fx["start"])
			require.NoError(t, err)
			assert.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond, "a lower bound: sleep guarantees it")
		},
	}, {
		name: "Version", source: "spec GET /V1.0/Version (AutotaskVersionResultModel)",
		method: "GET", path: api + "Version", status: 200,
		check: func(t *testing.T, _ *tenant, _ fixture, r response) {
			assert.ElementsMatch(t, []string{"majorVersion", "minorVersion", "build", "customerType"}, keys(r.json(t)))
		},
	}, {
		name: "Stats count requests per endpoint", source: "sandbox only: request counts per endpoint, so tests assert how many calls a tool makes",
		setup: func(t *testing.T, tn *tenant, fx fixture) {
			tn.s.ResetStats()
			tn.get(t, api+"Tickets/"+fx["ticket"])
			tn.get(t, "/atservicesrest/v1.0/tickets/"+fx["open"])
		},
		method: "POST", path: api + "Tickets/{ticket}/Notes", body: `{"title":"x","description":"y","noteType":1,"publish":1}`, status: 200,
		check: func(t *testing.T, tn *tenant, _ fixture, _ response) {
			st := tn.s.Stats()
			assert.Equal(t, 2, st.ByEndpoint["GET Tickets/{id}"])
			assert.Equal(t, 1, st.ByEndpoint["POST Tickets/{id}/Notes"])
			assert.Equal(t, 3, st.Requests)
			assert.Equal(t, 1, st.Writes)
			assert.Equal(t, 1, st.PeakInFlight["Tickets"])
		},
	}}
}
