// Command autotask-mcp is an MCP server that gives AI assistants safe, fast access to an
// Autotask PSA tenant, plus the small tools that go with it: a sandbox tenant on a port,
// one-shot tool calls, the tool catalog with its schemas, and a credentials check.
//
// Usage:
//
//	autotask-mcp [serve] [flags]        serve MCP over stdio (default), Streamable HTTP or SSE
//	autotask-mcp sandbox [flags]        serve the simulated Autotask REST API on a port
//	autotask-mcp call TOOL ['JSON']     run one tool in-process and print its result
//	autotask-mcp tools                  print every tool with its input and output schemas
//	autotask-mcp check                  verify credentials and zone, show the API usage
//	autotask-mcp version                print the version
//
// Logs go to stderr; on stdio, stdout carries only the MCP protocol.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// env looks up one environment variable; tests pass their own instead of the process's.
type env func(name string) (string, bool)

// stdio is where a subcommand reads and writes; tests pass buffers.
type stdio struct {
	in       io.Reader
	out, err io.Writer
	// terminal: in is a terminal, so a person is at the keyboard rather than an MCP
	// client at the other end of a pipe.
	terminal bool
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	std := stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr, terminal: isTerminal(os.Stdin)}
	code := run(ctx, os.Args[1:], os.LookupEnv, std)
	stop()
	os.Exit(code)
}

// Exit statuses: 0 success, 1 failure (including a tool result with isError), 2 bad usage.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// run dispatches to a subcommand and turns its error into an exit status and one line on stderr.
func run(ctx context.Context, args []string, lookup env, std stdio) int {
	cmd, rest := "serve", args
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, rest = args[0], args[1:]
	}
	if len(args) > 0 && isHelpFlag(args[0]) {
		cmd = "help"
	}
	var err error
	switch cmd {
	case "serve":
		err = runServe(ctx, rest, lookup, std)
	case "sandbox":
		err = runSandbox(ctx, rest, std)
	case "call":
		err = runCall(ctx, rest, lookup, std)
	case "tools":
		err = runTools(ctx, rest, lookup, std)
	case "check":
		err = runCheck(ctx, rest, lookup, std)
	case "version":
		err = runVersion(rest, std)
	case "help":
		// The commands first, then the flags of serve, the command run when none is named.
		fmt.Fprint(std.out, usageText+"\n")
		err = runServe(ctx, []string{"-h"}, lookup, std)
	default:
		err = usageErrorf("unknown command %q (commands: serve, sandbox, call, tools, check, version, help)", cmd)
	}
	return exitStatus(err, std.err)
}

// isHelpFlag is what the flag package treats as a request for help.
func isHelpFlag(arg string) bool {
	switch arg {
	case "-h", "--h", "-help", "--help":
		return true
	}
	return false
}

// stderrPrefix starts every line this program writes to stderr outside its logs.
const stderrPrefix = "autotask-mcp: "

func exitStatus(err error, stderr io.Writer) int {
	var usage *usageError
	var failed toolFailedError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errHelpShown):
		return exitOK
	case errors.As(err, &failed):
		// The tool's own error is already on stdout as its result.
		return exitFailure
	case errors.As(err, &usage):
		fmt.Fprintf(stderr, "%s%v\n", stderrPrefix, err)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "%s%v\n", stderrPrefix, err)
		return exitFailure
	}
}

const usageText = `autotask-mcp: an MCP server for the Autotask PSA REST API

Usage:
  autotask-mcp [serve] [flags]        serve MCP over stdio (default), Streamable HTTP or SSE
  autotask-mcp sandbox [flags]        serve the simulated Autotask REST API on a port
  autotask-mcp call TOOL ['JSON']     run one tool in-process and print its result
  autotask-mcp tools                  print every tool with its input and output schemas
  autotask-mcp check                  verify credentials and zone, show the API usage
  autotask-mcp version                print the version
  autotask-mcp help                   print this help

Run "autotask-mcp COMMAND -h" for the flags of a command. Every flag of serve, call,
tools and check can also be set as AUTOTASK_MCP_<FLAG> (e.g. AUTOTASK_MCP_READ_ONLY=true);
a flag on the command line wins over the environment.
`
