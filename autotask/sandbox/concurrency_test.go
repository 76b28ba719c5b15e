package sandbox_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// TestConcurrentWriters: 50 writers and readers at once lose nothing and race on nothing;
// one sandbox answers many clients at once (parallel tests, `autotask-mcp sandbox` on a
// port), so it must stay -race clean under 50 concurrent writers.
func TestConcurrentWriters(t *testing.T) {
	tn := newTenant(t, sandbox.Options{Tickets: 100, Companies: 10, ThreadLimit: 200})
	ids := tn.s.IDs("Tickets")
	notesBefore := tn.s.Count("TicketNotes")
	ticketsBefore := tn.s.Count("Tickets")
	const writers = 50
	var wg sync.WaitGroup
	errs := make(chan string, writers*8)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			target := ids[w%5] // five hot tickets: writers collide on purpose
			steps := []struct{ method, path, body string }{
				{"POST", api + "Tickets/" + itoa(target) + "/Notes", fmt.Sprintf(`{"title":"w%d","description":"note","noteType":1,"publish":1}`, w)},
				{"PATCH", api + "Tickets", fmt.Sprintf(`{"id":%d,"priority":%d}`, target, 1+w%4)},
				{"POST", api + "Tickets", fmt.Sprintf(`{"title":"writer %d","companyID":174,"status":1,"priority":2}`, w)},
				{"POST", api + "Tickets/query", `{"maxRecords":50,"filter":[{"op":"gte","field":"priority","value":1}]}`},
				{"GET", api + "Tickets/" + itoa(target), ""},
			}
			for _, st := range steps {
				r := tn.do(t, st.method, st.path, st.body, nil)
				if r.status != http.StatusOK {
					errs <- fmt.Sprintf("%s %s: %d %s", st.method, st.path, r.status, r.raw)
				}
			}
			if err := tn.s.Modify("Tickets", target, map[string]any{"description": fmt.Sprintf("edited by %d", w)}); err != nil {
				errs <- err.Error()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	assert.Equal(t, notesBefore+writers, tn.s.Count("TicketNotes"), "every note stored exactly once")
	assert.Equal(t, ticketsBefore+writers, tn.s.Count("Tickets"), "every ticket stored exactly once")
	numbers := map[any]bool{}
	for _, id := range tn.s.IDs("Tickets") {
		rec, _ := tn.s.Record("Tickets", id)
		assert.False(t, numbers[rec["ticketNumber"]], "duplicate ticket number %v", rec["ticketNumber"])
		numbers[rec["ticketNumber"]] = true
	}
	assert.Equal(t, 3*writers, tn.s.Stats().Writes)
}

// hangAll makes every request to Tickets hang until its client goes away.
func hangAll(s *sandbox.Sandbox, n int) {
	s.Faults().Script("", "Tickets", n, sandbox.Fault{Kind: sandbox.FaultHang})
}

// TestThreadLimit: the 4th request in flight on one endpoint family is a 429 with the API's
// message; other families are not affected (the API allows 3 requests in flight per endpoint
// per integration code; a 4th is HTTP 429).
func TestThreadLimit(t *testing.T) {
	tn := newTenant(t, sandbox.Options{Tickets: 30, Companies: 5})
	hangAll(tn.s, 3)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, tn.url(api+"Tickets/10001"), nil)
			for k, v := range defaultHeaders {
				req.Header.Set(k, v)
			}
			if resp, err := tn.srv.Client().Do(req); err == nil {
				resp.Body.Close()
			}
		}()
	}
	require.Eventually(t, func() bool { return tn.s.Stats().PeakInFlight["Tickets"] == 3 }, 5*time.Second, 5*time.Millisecond)

	r := tn.get(t, api+"Tickets/10001")
	assert.Equal(t, http.StatusTooManyRequests, r.status)
	assert.Equal(t, []string{"API thread threshold of 3 threads has been exceeded"}, errorsOf(t, r))
	assert.Equal(t, http.StatusOK, tn.get(t, api+"Companies/0").status, "another endpoint family has its own threads")
	assert.Equal(t, 4, tn.s.Stats().PeakInFlight["Tickets"], "the refused request is counted in the peak")

	cancel()
	wg.Wait()
	assert.Eventually(t, func() bool { return tn.get(t, api+"Tickets/10001").status == http.StatusOK }, 5*time.Second, 10*time.Millisecond)
}

// TestThreadLimitUnderLoad: 30 concurrent callers against 3 threads: everyone is answered
// 200 or 429, and no more than 3 are ever served at once.
func TestThreadLimitUnderLoad(t *testing.T) {
	tn := newTenant(t, sandbox.Options{Tickets: 30, Companies: 5})
	tn.s.Faults().Script("", "Tickets", 30, sandbox.Fault{Kind: sandbox.FaultHang, Hang: 30 * time.Millisecond})
	var wg sync.WaitGroup
	var mu sync.Mutex
	counts := map[int]int{}
	start := make(chan struct{})
	for range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r := tn.get(t, api+"Tickets/10001")
			mu.Lock()
			counts[r.status]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	assert.Equal(t, 30, counts[200]+counts[429], "%v", counts)
	assert.Positive(t, counts[200])
	assert.Positive(t, counts[429], "30 simultaneous requests on 3 threads must overflow")
	assert.Greater(t, tn.s.Stats().PeakInFlight["Tickets"], 3, "clients overran the cap and the peak shows it")
}
