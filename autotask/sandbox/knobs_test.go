package sandbox_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// requestLog collects what a sandbox's RequestLog is handed.
type requestLog struct {
	mu   sync.Mutex
	seen []sandbox.LoggedRequest
	ends chan sandbox.LoggedRequest
}

func newRequestLog() *requestLog { return &requestLog{ends: make(chan sandbox.LoggedRequest, 64)} }

func (l *requestLog) record(r sandbox.LoggedRequest) {
	l.mu.Lock()
	l.seen = append(l.seen, r)
	l.mu.Unlock()
	l.ends <- r
}

func (l *requestLog) all() []sandbox.LoggedRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]sandbox.LoggedRequest(nil), l.seen...)
}

func TestFaultNamed(t *testing.T) {
	cases := []struct {
		name   string
		kind   sandbox.FaultKind
		status int
	}{
		{"429-thread", sandbox.FaultStatus, 429},
		{"429-hourly", sandbox.FaultStatus, 429},
		{"500", sandbox.FaultStatus, 500},
		{"hang", sandbox.FaultHang, 0},
		{"reset", sandbox.FaultReset, 0},
		{"reset-after-apply", sandbox.FaultResetAfterApply, 0},
		{"malformed-json", sandbox.FaultMalformedJSON, 0},
		{"HTML-502", sandbox.FaultHTML, 0},
	}
	require.Len(t, sandbox.FaultNames(), len(cases), "every name is in this table")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := sandbox.FaultNamed(tc.name)
			require.NoError(t, err)
			assert.Equal(t, tc.kind, f.Kind)
			assert.Equal(t, tc.status, f.Status)
		})
	}
	hourly, err := sandbox.FaultNamed("429-hourly")
	require.NoError(t, err)
	assert.Equal(t, 40*time.Minute, hourly.RetryAfter, "the hourly limit says when to come back")

	_, err = sandbox.FaultNamed("503")
	require.Error(t, err)
	assert.Equal(t, `unknown fault "503": want one of 429-thread, 429-hourly, 500, hang, reset, reset-after-apply, malformed-json, html-502`, err.Error())
}

func TestParseRandomFault(t *testing.T) {
	cases := []struct {
		in      string
		kind    sandbox.FaultKind
		rate    float64
		wantErr string
	}{
		{in: "500:0.05", kind: sandbox.FaultStatus, rate: 0.05},
		{in: " hang:1 ", kind: sandbox.FaultHang, rate: 1},
		{in: "reset:2.5%", kind: sandbox.FaultReset, rate: 0.025},
		{in: "html-502:0", kind: sandbox.FaultHTML, rate: 0},
		{in: "500", wantErr: "want NAME:RATE"},
		{in: "teapot:0.1", wantErr: `unknown fault "teapot": want one of 429-thread,`},
		{in: "500:1.5", wantErr: "not a fraction from 0 to 1"},
		{in: "500:101%", wantErr: "not a fraction from 0 to 1"},
		{in: "500:-0.1", wantErr: "not a fraction from 0 to 1"},
		{in: "500:NaN", wantErr: "not a fraction from 0 to 1"},
		{in: "500:often", wantErr: "not a fraction from 0 to 1"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			rf, err := sandbox.ParseRandomFault(tc.in)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.kind, rf.Fault.Kind)
			assert.InDelta(t, tc.rate, rf.Rate, 1e-12)
		})
	}
}

// TestRandomFaultMix: several faults, each at its own rate, drawn from the seed: the same seed
// replays the same faults, and every request meets at most one.
func TestRandomFaultMix(t *testing.T) {
	mix := []sandbox.RandomFault{
		{Fault: sandbox.Fault{Kind: sandbox.FaultStatus, Status: 500}, Rate: 0.3},
		{Fault: sandbox.Fault{Kind: sandbox.FaultHTML}, Rate: 0.3},
	}
	pattern := func() []int {
		tn := newTenant(t, sandbox.Options{Tickets: 30, Companies: 5, RandomFaults: mix})
		var out []int
		for range 60 {
			out = append(out, tn.get(t, api+"Version").status)
		}
		return out
	}
	first := pattern()
	assert.Equal(t, first, pattern(), "same seed, same faults")
	assert.Contains(t, first, 500)
	assert.Contains(t, first, 502)
	assert.Contains(t, first, 200)
	for _, st := range first {
		assert.Contains(t, []int{200, 500, 502}, st)
	}
}

// TestLatencyRespectsCancellation: a request whose client gives up during the latency is
// never served, so a write the client abandoned is not applied behind its back.
func TestLatencyRespectsCancellation(t *testing.T) {
	log := newRequestLog()
	tn := newTenant(t, sandbox.Options{Tickets: 30, Companies: 5, Latency: time.Hour, RequestLog: log.record})
	ticket := tn.s.IDs("Tickets")[0]
	before := tn.s.Count("TicketNotes")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // a failed assertion must not leave the request held for an hour
	done := make(chan error, 1)
	go func() {
		_, _, err := rawDo(ctx, tn, "POST", api+"Tickets/"+itoa(ticket)+"/Notes", noteBody)
		done <- err
	}()
	// The request is inside the sandbox once it holds its thread slot.
	require.Eventually(t, func() bool { return tn.s.Stats().PeakInFlight["Tickets"] == 1 }, 10*time.Second, time.Millisecond)
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	ended := <-log.ends
	assert.Equal(t, 0, ended.Status, "nothing answered")
	assert.Equal(t, before, tn.s.Count("TicketNotes"), "the abandoned note was not written")

	tn.s.SetLatency(0, 0)
	assert.Equal(t, http.StatusOK, tn.post(t, api+"Tickets/"+itoa(ticket)+"/Notes", noteBody).status, "latency switched off")
}

// TestLatencyHoldsTheThreadSlot: a slow request occupies its thread as a slow real one does,
// so a client that overlaps more requests than the API allows meets the thread limit.
func TestLatencyHoldsTheThreadSlot(t *testing.T) {
	tn := newTenant(t, sandbox.Options{Tickets: 30, Companies: 5, ThreadLimit: 1, Latency: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // a failed assertion must not leave the request held for an hour
	done := make(chan error, 1)
	go func() {
		_, _, err := rawDo(ctx, tn, "GET", api+"Tickets/10001", "")
		done <- err
	}()
	require.Eventually(t, func() bool { return tn.s.Stats().PeakInFlight["Tickets"] == 1 }, 10*time.Second, time.Millisecond)
	assert.Equal(t, http.StatusTooManyRequests, tn.get(t, api+"Tickets/10002").status)
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
}

// TestRequestLog: one entry per request, method, path, status and duration, whatever the
// outcome; the sandbox's credentials are in none of it, although every request carries them
// and a zone lookup names the user in its query.
func TestRequestLog(t *testing.T) {
	creds := sandbox.Credentials{Username: "api-user-7f3a@example.test", Secret: "s3cr3t-9b1c-value", IntegrationCode: "CODE-4d2e-VALUE"}
	log := newRequestLog()
	tn := newTenant(t, sandbox.Options{Tickets: 30, Companies: 5, Credentials: creds, RequestLog: log.record})
	headers := map[string]string{"UserName": creds.Username, "Secret": creds.Secret, "ApiIntegrationCode": creds.IntegrationCode}
	ticket := itoa(tn.s.IDs("Tickets")[0])
	tn.s.Faults().Script("GET", "Companies", 1, sandbox.Fault{Kind: sandbox.FaultReset})

	requests := []struct {
		method, path, body string
		headers            map[string]string
		status             int
		loggedPath         string
	}{
		{"GET", api + "Tickets/" + ticket, "", headers, 200, api + "Tickets/" + ticket},
		{"GET", api + "ZoneInformation?user=" + creds.Username, "", headers, 200, api + "ZoneInformation"},
		{"GET", api + "Tickets/query?search=" + `{"filter":[{"op":"eq","field":"title","value":"` + creds.Secret + `"}]}`, "", headers, 200, api + "Tickets/query"},
		{"POST", api + "Tickets/" + ticket + "/Notes", noteBody, headers, 200, api + "Tickets/" + ticket + "/Notes"},
		{"GET", api + "Tickets/" + ticket, "", map[string]string{"UserName": creds.Username, "Secret": creds.Secret + "-wrong", "ApiIntegrationCode": creds.IntegrationCode}, 401, api + "Tickets/" + ticket},
		{"GET", api + "Companies/174", "", headers, 0, api + "Companies/174"},
	}
	for _, rq := range requests {
		if rq.status == 0 {
			req, err := http.NewRequest(rq.method, tn.url(rq.path), nil)
			require.NoError(t, err)
			for k, v := range rq.headers {
				req.Header.Set(k, v)
			}
			client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
			_, err = client.Do(req) //nolint:bodyclose // there is no response: the connection was reset
			require.Error(t, err, "the connection was reset")
		} else {
			assert.Equal(t, rq.status, tn.do(t, rq.method, rq.path, rq.body, rq.headers).status, rq.path)
		}
		got := <-log.ends
		assert.Equal(t, rq.method, got.Method)
		assert.Equal(t, rq.loggedPath, got.Path)
		assert.Equal(t, rq.status, got.Status)
		assert.False(t, got.Start.IsZero())
		assert.Equal(t, fmt.Sprintf("%s %s %s %s", got.Method, got.Path, statusText(rq.status), got.Duration.Round(100*time.Microsecond)), got.String())
	}

	var all strings.Builder
	for _, r := range log.all() {
		fmt.Fprintf(&all, "%s\n%+v\n%#v\n", r, r, r)
	}
	for _, secret := range []string{creds.Username, creds.Secret, creds.IntegrationCode, "api-user-7f3a", "s3cr3t-9b1c", "4d2e-VALUE"} {
		assert.NotContains(t, all.String(), secret)
	}
}

func statusText(status int) string {
	if status == 0 {
		return "-"
	}
	return itoa(int64(status))
}
