// Command baremcp is the yardstick of BenchmarkColdStart: an mcp-go stdio server with nothing
// registered, so what it costs to start is what mcp-go and its dependencies cost, and the rest
// of autotask-mcp's start is autotask-mcp's own.
package main

import (
	"fmt"
	"os"

	"github.com/mark3labs/mcp-go/server"
)

func main() {
	if err := server.ServeStdio(server.NewMCPServer("baremcp", "1.0.0")); err != nil {
		fmt.Fprintln(os.Stderr, "baremcp:", err)
		os.Exit(1)
	}
}
