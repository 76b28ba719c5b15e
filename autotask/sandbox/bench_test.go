package sandbox_test

import (
	"testing"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// BenchmarkNew measures startup: go test -run '^$' -bench BenchmarkNew ./autotask/sandbox/
func BenchmarkNew(b *testing.B) {
	for _, tc := range []struct {
		name    string
		tickets int
	}{{"500tickets", 500}, {"20000tickets", 20000}} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				s := sandbox.New(sandbox.Options{Tickets: tc.tickets})
				if s.Count("Tickets") != tc.tickets {
					b.Fatalf("seeded %d tickets, want %d", s.Count("Tickets"), tc.tickets)
				}
			}
		})
	}
}
