package sandbox_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// rawDo sends one request on a fresh connection, so a dropped connection is not hidden by
// net/http's transparent retry of idempotent requests on reused connections.
func rawDo(ctx context.Context, tn *tenant, method, path, body string) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, tn.url(path), strings.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	for k, v := range defaultHeaders {
		req.Header.Set(k, v)
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp, raw, err
}

const noteBody = `{"title":"Called back","description":"Customer confirmed","noteType":1,"publish":1}`

// TestFaults: one row per kind of injected failure, each the way the real API or network
// fails, so the client's retries and its never-resend-a-write rule can be tested offline.
func TestFaults(t *testing.T) {
	cases := []struct {
		name   string
		fault  sandbox.Fault
		method string
		// check gets the outcome and how many notes the write added.
		check func(t *testing.T, resp *http.Response, raw []byte, err error, added int)
	}{{
		name: "status with errors envelope and Retry-After", method: "POST",
		fault: sandbox.Fault{Kind: sandbox.FaultStatus, Status: 503, RetryAfter: 1500 * time.Millisecond},
		check: func(t *testing.T, resp *http.Response, raw []byte, err error, added int) {
			require.NoError(t, err)
			assert.Equal(t, 503, resp.StatusCode)
			assert.Equal(t, "2", resp.Header.Get("Retry-After"), "rounded up to whole seconds")
			assert.Contains(t, string(raw), `"errors":[`)
			assert.Zero(t, added, "not applied")
		},
	}, {
		name: "status 429 speaks the thread-threshold message", method: "POST",
		fault: sandbox.Fault{Kind: sandbox.FaultStatus, Status: 429},
		check: func(t *testing.T, resp *http.Response, raw []byte, err error, added int) {
			require.NoError(t, err)
			assert.Equal(t, 429, resp.StatusCode)
			assert.JSONEq(t, `{"errors":["API thread threshold of 3 threads has been exceeded"]}`, string(raw))
		},
	}, {
		name: "status with a custom body", method: "POST",
		fault: sandbox.Fault{Kind: sandbox.FaultStatus, Status: 500, Body: `{"errors":["Timeout expired."]}`},
		check: func(t *testing.T, resp *http.Response, raw []byte, err error, added int) {
			require.NoError(t, err)
			assert.Equal(t, 500, resp.StatusCode)
			assert.JSONEq(t, `{"errors":["Timeout expired."]}`, string(raw))
		},
	}, {
		name: "hang then answer", method: "POST",
		fault: sandbox.Fault{Kind: sandbox.FaultHang, Hang: 80 * time.Millisecond},
		check: func(t *testing.T, resp *http.Response, raw []byte, err error, added int) {
			require.NoError(t, err)
			assert.Equal(t, 200, resp.StatusCode)
			assert.Equal(t, 1, added)
		},
	}, {
		name: "hang past the client's deadline", method: "POST",
		fault: sandbox.Fault{Kind: sandbox.FaultHang},
		check: func(t *testing.T, resp *http.Response, raw []byte, err error, added int) {
			require.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Zero(t, added, "a request abandoned while hanging is not applied")
		},
	}, {
		name: "reset before answering", method: "POST",
		fault: sandbox.Fault{Kind: sandbox.FaultReset},
		check: func(t *testing.T, resp *http.Response, raw []byte, err error, added int) {
			require.Error(t, err)
			assert.Zero(t, added, "not applied")
		},
	}, {
		name: "reset after applying", method: "POST",
		fault: sandbox.Fault{Kind: sandbox.FaultResetAfterApply},
		check: func(t *testing.T, resp *http.Response, raw []byte, err error, added int) {
			require.Error(t, err)
			assert.Equal(t, 1, added, "applied although the client got no answer")
		},
	}, {
		name: "malformed JSON", method: "POST",
		fault: sandbox.Fault{Kind: sandbox.FaultMalformedJSON},
		check: func(t *testing.T, resp *http.Response, raw []byte, err error, added int) {
			require.NoError(t, err)
			assert.Equal(t, 200, resp.StatusCode)
			var v any
			assert.Error(t, json.Unmarshal(raw, &v), "body %q must not parse", raw)
			assert.Equal(t, 1, added, "the write happened; only the answer is broken")
		},
	}, {
		name: "HTML error page", method: "POST",
		fault: sandbox.Fault{Kind: sandbox.FaultHTML},
		check: func(t *testing.T, resp *http.Response, raw []byte, err error, added int) {
			require.NoError(t, err)
			assert.Equal(t, 502, resp.StatusCode)
			assert.Contains(t, resp.Header.Get("Content-Type"), "text/html")
			assert.Contains(t, string(raw), "<html>")
			assert.Zero(t, added)
		},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tn := newTenant(t, sandbox.Options{Tickets: 30, Companies: 5})
			ticket := tn.s.IDs("Tickets")[0]
			path := api + "Tickets/" + itoa(ticket) + "/Notes"
			tn.s.Faults().Script(tc.method, "tickets/"+itoa(ticket)+"/notes", 1, tc.fault)
			before := tn.s.Count("TicketNotes")
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			resp, raw, err := rawDo(ctx, tn, tc.method, path, noteBody)
			tc.check(t, resp, raw, err, tn.s.Count("TicketNotes")-before)

			// The script was for one request: the next one is served normally.
			after := tn.s.Count("TicketNotes")
			r := tn.post(t, path, noteBody)
			assert.Equal(t, http.StatusOK, r.status, "%s", r.raw)
			assert.Equal(t, after+1, tn.s.Count("TicketNotes"))
		})
	}
}

func TestFaultScriptMatching(t *testing.T) {
	tn := newTenant(t, sandbox.Options{Tickets: 30, Companies: 5})
	f := tn.s.Faults()
	f.Script("POST", "TICKETS/query", 2, sandbox.Fault{Kind: sandbox.FaultStatus, Status: 500})
	q := `{"filter":[{"op":"exist","field":"id"}]}`
	assert.Equal(t, 200, tn.get(t, api+"Tickets/query?search="+q).status, "method does not match")
	assert.Equal(t, 200, tn.post(t, api+"Companies/query", q).status, "path does not match")
	assert.Equal(t, 500, tn.post(t, api+"tickets/query", q).status, "prefix matches in any case")
	assert.Equal(t, 500, tn.post(t, api+"Tickets/query/count", q).status, "a prefix, so count matches too")
	assert.Equal(t, 200, tn.post(t, api+"Tickets/query", q).status, "n=2 consumed")

	f.Script("", "ZoneInformation", 1, sandbox.Fault{Kind: sandbox.FaultStatus, Status: 503})
	assert.Equal(t, 503, tn.get(t, api+"ZoneInformation?user="+sandbox.DefaultCredentials.Username).status, "discovery can fail too")

	f.Script("", "", 5, sandbox.Fault{Kind: sandbox.FaultStatus, Status: 500})
	f.Clear()
	assert.Equal(t, 200, tn.get(t, api+"Version").status, "Clear removes scripts")
}

func TestFaultRandomIsSeeded(t *testing.T) {
	pattern := func() []int {
		tn := newTenant(t, sandbox.Options{Tickets: 30, Companies: 5})
		tn.s.Faults().Random(0.5, 42, sandbox.Fault{Kind: sandbox.FaultStatus, Status: 500})
		var out []int
		for range 40 {
			out = append(out, tn.get(t, api+"Version").status)
		}
		return out
	}
	first := pattern()
	assert.Equal(t, first, pattern(), "same seed, same faults")
	assert.Contains(t, first, 500)
	assert.Contains(t, first, 200)

	tn := newTenant(t, sandbox.Options{Tickets: 30, Companies: 5})
	tn.s.Faults().Random(1, 1, sandbox.Fault{Kind: sandbox.FaultHTML, Status: 200})
	r := tn.get(t, api+"Version")
	assert.Equal(t, 200, r.status)
	assert.Contains(t, string(r.raw), "<html>", "an HTML page with a 200 status")
	tn.s.Faults().Random(0, 0, sandbox.Fault{})
	assert.JSONEq(t, `{"majorVersion":"2026","minorVersion":"1","build":"sandbox","customerType":"Sandbox"}`, string(tn.get(t, api+"Version").raw))
}

// TestFaultHangHoldsAThread: a hanging request keeps its thread, as a slow real request does.
func TestFaultHangHoldsAThread(t *testing.T) {
	tn := newTenant(t, sandbox.Options{Tickets: 30, Companies: 5, ThreadLimit: 1})
	tn.s.Faults().Script("GET", "Tickets", 1, sandbox.Fault{Kind: sandbox.FaultHang, Hang: 300 * time.Millisecond})
	done := make(chan error, 1)
	go func() {
		_, _, err := rawDo(context.Background(), tn, "GET", api+"Tickets/10001", "")
		done <- err
	}()
	require.Eventually(t, func() bool { return tn.s.Stats().PeakInFlight["Tickets"] == 1 }, 2*time.Second, time.Millisecond)
	assert.Equal(t, http.StatusTooManyRequests, tn.get(t, api+"Tickets/10002").status)
	require.NoError(t, <-done, "the hung request is answered once the hang is over")
}
