package bench

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// bigTenant is the tenant of the memory benchmarks: enough tickets that paging through them all,
// and reading thousands of different ones into the guard's ledger, would show anything unbounded.
const bigTenant = 20_000

// BenchmarkMemory measures the resident memory of the built binary over stdio;
// one measurement, reported by sub-benchmarks (their ns/op is meaningless and hidden):
//
//   - idle_sandbox: `autotask-mcp --sandbox` after initialize and tools/list; the built-in
//     sandbox shares the process (it seeds its 500 tickets on the first API request, so idle is
//     before that; seeded-MB is after one query_entity).
//   - idle, calls: the server alone, pointed at a sandbox in this test process as at a real
//     tenant (AUTOTASK_API_URL + credentials): idle, after 1,000, 5,000 and 10,000 mixed tool
//     calls on one session (the guard's ledger fills, at its bound of 512 records a session, by
//     call ~1,300). heap-MB is the live heap the binary's collections found (GODEBUG=gctrace=1,
//     whole MB), the least over the 500 calls before the mark: a collection that runs during a
//     call also counts that call's garbage as live, so the least is the one closest to the truth.
//   - paging: a fresh server alone paging through 20,000 tickets with query_entity, 500 a page
//     (the largest page), following next_cursor; peak-MB is VmHWM.
//
// Targets (never asserted): idle <= 30 MB; no growth across the 10,000 calls: every cache, session
// and ledger is bounded, so the heap stops growing once they are full (5k -> 10k flat). The
// built-in sandbox cannot take 10,000 calls: its tenant allows 10,000 requests an hour, and the
// client paces itself to that, as it must with a real tenant; hence the server-alone runs.
func BenchmarkMemory(b *testing.B) {
	st := newStack(b, sandbox.Options{Tickets: bigTenant})
	var idleSandbox, seeded, idle, at1k, at5k, at10k, paging memory
	var heap1k, heap5k, heap10k float64
	func() {
		p := startStdio(b, binaryEnv(b), "--sandbox", "--log-level", "warn")
		defer p.mcp.Close()
		settle()
		idleSandbox = p.memory(b)
		call(b, p.mcp, "query_entity", map[string]any{"entity": "Tickets", "limit": 1})
		seeded = p.memory(b)
	}()
	func() {
		p := startStdio(b, serverOnlyEnv(b, st), "--log-level", "warn")
		defer p.mcp.Close()
		settle()
		idle = p.memory(b)
		mix := newCallMix(st)
		start := time.Now()
		var mark int
		for i := 1; i <= 10_000; i++ {
			mix.next(b, p)
			switch i {
			case 500, 4_500, 9_500:
				mark = p.gcMark()
			case 1_000:
				heap1k = p.liveHeapSince(mark)
				settle()
				at1k = p.memory(b)
			case 5_000:
				heap5k = p.liveHeapSince(mark)
				settle()
				at5k = p.memory(b)
			case 10_000:
				heap10k = p.liveHeapSince(mark)
				settle()
				at10k = p.memory(b)
			}
		}
		b.Logf("10,000 mixed calls over stdio in %v", time.Since(start))
	}()
	func() {
		p := startStdio(b, serverOnlyEnv(b, st), "--log-level", "warn")
		defer p.mcp.Close()
		start := time.Now()
		pages := pageThrough(b, p, 500)
		b.Logf("%d pages of 500 in %v", pages, time.Since(start))
		if want := (bigTenant + 499) / 500; pages != want {
			b.Fatalf("paged %d pages, want %d", pages, want)
		}
		paging = p.memory(b)
	}()
	b.Run("idle_sandbox", func(b *testing.B) {
		b.ReportMetric(0, "ns/op")
		b.ReportMetric(idleSandbox.rss, "RSS-MB")
		b.ReportMetric(seeded.rss, "seeded-MB")
	})
	b.Run("idle", func(b *testing.B) {
		b.ReportMetric(0, "ns/op")
		b.ReportMetric(idle.rss, "RSS-MB")
	})
	b.Run("calls", func(b *testing.B) {
		b.ReportMetric(0, "ns/op")
		b.ReportMetric(at1k.rss, "RSS-1k-MB")
		b.ReportMetric(at5k.rss, "RSS-5k-MB")
		b.ReportMetric(at10k.rss, "RSS-10k-MB")
		b.ReportMetric(heap1k, "heap-1k-MB")
		b.ReportMetric(heap5k, "heap-5k-MB")
		b.ReportMetric(heap10k, "heap-10k-MB")
		b.ReportMetric(at10k.peak, "peak-MB")
	})
	b.Run("paging", func(b *testing.B) {
		b.ReportMetric(0, "ns/op")
		b.ReportMetric(paging.peak, "peak-MB")
		b.ReportMetric(paging.rss, "RSS-MB")
	})
}

// settle lets the binary's runtime return what it freed and finish background registration.
func settle() { time.Sleep(200 * time.Millisecond) }

// callMix is the 10,000 calls: mostly reads of ever different tickets (so the guard's ledger
// sees thousands of records), queries, metadata, other entities, and one note in ten calls.
type callMix struct {
	tickets, companies []int64
	numbers            map[int64]string
	i                  int
	lastRead           int64
}

func newCallMix(st *stack) *callMix {
	m := &callMix{tickets: st.sb.IDs("Tickets"), companies: st.sb.IDs("Companies"), numbers: map[int64]string{}}
	for _, id := range m.tickets {
		rec, _ := st.sb.Record("Tickets", id)
		m.numbers[id], _ = rec["ticketNumber"].(string)
	}
	return m
}

var describedEntities = []string{"Tickets", "Companies", "Contacts", "TimeEntries", "TicketNotes"}

func (m *callMix) next(tb testing.TB, p *process) {
	tb.Helper()
	i := m.i
	m.i++
	ticket := m.tickets[(i*37)%len(m.tickets)]
	switch i % 10 {
	case 0, 1, 2:
		call(tb, p.mcp, "get_ticket", map[string]any{"ticket_id": ticket})
		m.lastRead = ticket
	case 3, 4:
		company := m.companies[i%len(m.companies)]
		call(tb, p.mcp, "query_entity", map[string]any{"entity": "Tickets", "limit": 25,
			"filter": []map[string]any{{"field": "companyID", "op": "eq", "value": company}}})
	case 5, 6:
		call(tb, p.mcp, "describe_fields", map[string]any{"entity": describedEntities[i%len(describedEntities)]})
	case 7:
		call(tb, p.mcp, "get_entity", map[string]any{"entity": "Companies", "id": m.companies[i%len(m.companies)]})
	case 8:
		call(tb, p.mcp, "get_ticket", map[string]any{"ticket_number": m.numbers[ticket]})
	case 9:
		call(tb, p.mcp, "add_ticket_note", map[string]any{"ticket_id": m.lastRead,
			"title": "Called", "description": "Left a voicemail; will try again tomorrow."})
	}
}

// pageThrough reads every ticket with query_entity, a page at a time, and returns the pages read.
func pageThrough(tb testing.TB, p *process, limit int) int {
	tb.Helper()
	args := map[string]any{"entity": "Tickets", "limit": limit}
	for pages := 1; ; pages++ {
		res, err := callTool(context.Background(), p.mcp, "query_entity", args)
		if err != nil {
			tb.Fatalf("page %d: %v", pages, err)
		}
		var out struct {
			NextCursor string `json:"next_cursor"`
		}
		if err := json.Unmarshal(res.RawStructuredContent, &out); err != nil {
			tb.Fatal(err)
		}
		if out.NextCursor == "" {
			return pages
		}
		args = map[string]any{"entity": "Tickets", "cursor": out.NextCursor}
	}
}
