// Package bench holds the performance benchmarks of issue 6: what a call costs, how many API
// requests and how many of the assistant's tokens it spends, and how much memory the server needs.
// scripts/bench runs them all and prints one table; run one with, e.g.,
//
//	go test ./bench -run '^$' -bench '^BenchmarkCall$'
//
// What each file measures, and the target it is measured against (timings are reported, never
// asserted: the machines are shared; request counts and byte ratios are deterministic and are
// asserted by the ordinary tests here):
//
//   - cold start (item 1): cmd/autotask-mcp's own BenchmarkColdStart, which scripts/bench runs;
//     it is not repeated here. Target: initialize answered within 15 ms of process start.
//   - calls_test.go (item 2): one tool call through the whole stack, warm caches, with the time
//     spent inside the sandbox's handler; BenchmarkCall through mcp-go's client, BenchmarkServerCall
//     from JSON-RPC bytes in to bytes out. Targets: get_ticket <= 250 µs/op end to end; the
//     server's own share (everything but the sandbox handler) <= 30%.
//   - requests_test.go (item 3): API requests per tool call as the sandbox counts them, warm and
//     cold metadata. Targets: get_ticket 1, query_entity one page 1, add_ticket_note <= 2,
//     resolve_ticket at seed 003's minimum.
//   - tokens_test.go (item 4): result bytes against the API's raw JSON for the same records.
//     Target: <= 40%, labels included.
//   - memory_test.go (item 5): RSS of the built binary idle, across 10,000 calls and while paging
//     through 20,000 tickets. Targets: <= 30 MB idle, no growth.
//   - concurrency_test.go (item 6): 50 MCP sessions over Streamable HTTP on the built binary.
//     Target: the sandbox never sees more than 3 requests in flight per endpoint.
//
// stack_test.go builds the in-process stack (the binary's server options, the sandbox behind a
// timing middleware); binary_test.go builds and runs the real binary, only when a benchmark asks.
package bench
