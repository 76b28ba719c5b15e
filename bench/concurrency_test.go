package bench

import (
	"context"
	"os/exec"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

const (
	sessions        = 50
	callsPerSession = 40
)

// BenchmarkConcurrency runs the built binary on Streamable HTTP (--transport http) against a
// sandbox in this process, as against a real tenant, so the sandbox's counters can be read: 50
// MCP sessions each make 40 calls (get_ticket, query_entity 25 rows, describe_fields in turn), all
// at once. One measurement, reported as: calls/s over the whole run, p50 and p99 latency of a call
// as a session sees it, the sandbox's peak in-flight requests per endpoint family (the API refuses
// a 4th), and the binary's RSS afterwards. The 50 clients share the 2 cores with the server.
//
// Target: peak in-flight <= 3, which is a hard limit of the API (a 4th is a 429), so it fails the
// benchmark; throughput and latency have no target and are never asserted.
func BenchmarkConcurrency(b *testing.B) {
	st := newStack(b, sandbox.Options{})
	ids := st.sb.IDs("Tickets")
	url, cmd := startHTTP(b, serverOnlyEnv(b, st))

	clients := make([]*client.Client, sessions)
	for i := range clients {
		clients[i] = httpSession(b, url)
	}
	for j := range 3 { // warm caches: the figures are the steady state
		tool, args := concurrentCall(ids, j)
		call(b, clients[0], tool, args)
	}
	st.sb.ResetStats()

	latencies := make([][]time.Duration, sessions)
	var wg sync.WaitGroup
	begin := make(chan struct{})
	errs := make(chan error, sessions)
	for s := range sessions {
		wg.Go(func() {
			<-begin
			for k := range callsPerSession {
				j := s*callsPerSession + k
				tool, args := concurrentCall(ids, j)
				start := time.Now()
				if _, err := callTool(context.Background(), clients[s], tool, args); err != nil {
					errs <- err
					return
				}
				latencies[s] = append(latencies[s], time.Since(start))
			}
		})
	}
	start := time.Now()
	close(begin)
	wg.Wait()
	wall := time.Since(start)
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	stats := st.sb.Stats()
	all := slices.Concat(latencies...)
	slices.Sort(all)
	peak := 0
	for family, n := range stats.PeakInFlight {
		peak = max(peak, n)
		if n > 3 {
			b.Errorf("%d requests in flight on %s: the API refuses a 4th", n, family)
		}
	}
	rss := readMemory(b, cmd.Process.Pid)

	b.Run("http_50_sessions", func(b *testing.B) {
		b.ReportMetric(0, "ns/op")
		b.ReportMetric(float64(len(all))/wall.Seconds(), "calls/s")
		b.ReportMetric(ms(all[len(all)/2]), "p50-ms")
		b.ReportMetric(ms(all[len(all)*99/100]), "p99-ms")
		b.ReportMetric(float64(peak), "peak-in-flight")
		b.ReportMetric(float64(stats.Requests)/float64(len(all)), "requests/call")
		b.ReportMetric(rss.rss, "RSS-MB")
	})
	b.Logf("%d calls in %v; peak in flight per family %v; requests %v", len(all), wall, stats.PeakInFlight, stats.ByEndpoint)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func concurrentCall(ids []int64, j int) (string, map[string]any) {
	switch j % 3 {
	case 0:
		return "get_ticket", map[string]any{"ticket_id": ids[(j*7)%len(ids)]}
	case 1:
		return "query_entity", map[string]any{"entity": "Tickets", "limit": 25}
	default:
		return "describe_fields", map[string]any{"entity": "Tickets"}
	}
}

var servingURL = regexp.MustCompile(`url=(http://\S+/mcp)`)

// startHTTP runs the binary on Streamable HTTP on a free loopback port and returns its MCP URL.
func startHTTP(tb testing.TB, env []string) (string, *exec.Cmd) {
	tb.Helper()
	stderr := &testenv.Buffer{}
	cmd := exec.Command(serverBinary(tb), "--transport", "http", "--addr", "127.0.0.1:0")
	cmd.Env = env
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := servingURL.FindStringSubmatch(stderr.String()); m != nil {
			return m[1], cmd
		}
		time.Sleep(10 * time.Millisecond)
	}
	tb.Fatalf("the binary did not report its URL:\n%s", stderr.String())
	return "", nil
}

func httpSession(tb testing.TB, url string) *client.Client {
	tb.Helper()
	mc, err := client.NewStreamableHttpClient(url)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := mc.Start(ctx); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = mc.Close() })
	if _, err := mc.Initialize(ctx, initializeRequest()); err != nil {
		tb.Fatalf("initialize over HTTP: %v", err)
	}
	return mc
}
