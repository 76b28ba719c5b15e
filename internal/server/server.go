// Package server builds the autotask-mcp MCP server and serves it: the server's options, the
// registration of its tools, resources and prompts, and the stdio, Streamable HTTP and SSE transports with
// their access policy, limits and sessions. The binary, the tests' environment and the benchmarks
// all build their server with New or Start, so what they test and measure is what ships.
package server

import (
	"sync"

	mcpserver "github.com/mark3labs/mcp-go/server"

	"github.com/autotask-mcp/autotask-mcp/prompts"
	"github.com/autotask-mcp/autotask-mcp/resources"
	"github.com/autotask-mcp/autotask-mcp/tools"
)

// Name is the server's name in the answer to initialize.
const Name = "autotask-mcp"

// Config is what a server is built from.
type Config struct {
	// Version is the server's version in the answer to initialize; "" means "dev".
	Version string
	// Deps are what the tools need; Deps.Server is set to the new server, which the tools
	// use for elicitation and progress.
	Deps tools.Deps
	// ValidateOutput checks every structured tool result against its tool's output schema,
	// turning a mismatch into an isError result. It costs time on each call, so the binary
	// leaves it to --validate-output; tests turn it on.
	ValidateOutput bool
	// Register adds the tools, resources and prompts; nil registers every tool the guard in
	// Deps allows, every resource, and every prompt whose tools are offered. Tests that offer
	// a different set pass their own.
	Register func(s *mcpserver.MCPServer, deps tools.Deps)
	// Options are added after the server's own, so one of them that sets the same thing wins.
	Options []mcpserver.ServerOption
}

// New builds the server and returns once every tool, resource and prompt is registered.
func New(cfg Config) *mcpserver.MCPServer {
	s, reg := Start(cfg)
	reg.begin()
	<-reg.done
	return s
}

// Registration is the registering of a server's tools, resources and prompts. Building the
// tools' schemas is the costliest part of a start, and a client's initialize should not wait
// for it, nor share the CPU with it: it begins once initialize is answered (or with the first
// request that needs it, from a client that skipped initialize). Every request but initialize
// and ping waits for it to end, so nothing can see a partial tool list.
type Registration struct {
	once sync.Once
	done chan struct{}
	run  func()
}

// begin starts the registration on a goroutine, unless it was begun or stopped.
func (r *Registration) begin() {
	r.once.Do(func() {
		go func() {
			defer close(r.done)
			r.run()
		}()
	})
}

// Stop waits for a registration in progress to end; one not begun never begins (the server is
// closing without a client having asked for anything).
func (r *Registration) Stop() {
	r.once.Do(func() { close(r.done) })
	<-r.done
}

// Start returns the server at once; its tools, resources and prompts are registered in the
// background once initialize is answered (see Registration).
func Start(cfg Config) (s *mcpserver.MCPServer, reg *Registration) {
	reg = &Registration{done: make(chan struct{})}
	completer := prompts.NewCompleter(cfg.Deps.Client, prompts.CompleterOptions{
		Logger: cfg.Deps.Logger,
		// s is set below, before any request can arrive.
		Offered: func(prompt string) bool { _, ok := s.ListPrompts()[prompt]; return ok },
	})
	// Every capability is declared here, not by the registration: initialize is answered
	// before the registration ends. Elicitation is not among them: it is the client's
	// capability, and asking a client that declared it needs nothing from the server's.
	opts := []mcpserver.ServerOption{
		mcpserver.WithToolCapabilities(false),
		mcpserver.WithResourceCapabilities(false, false),
		mcpserver.WithPromptCapabilities(false),
		mcpserver.WithCompletions(),
		mcpserver.WithPromptCompletionProvider(completer),
		mcpserver.WithResourceCompletionProvider(completer),
		mcpserver.WithInstructions(tools.Instructions),
		mcpserver.WithRecovery(),
		mcpserver.WithResourceRecovery(),
		mcpserver.WithLogging(),
		mcpserver.WithHooks(requestHooks(reg)),
		mcpserver.WithToolFilter(userTools),
	}
	if cfg.ValidateOutput {
		opts = append(opts, mcpserver.WithOutputSchemaValidation())
	}
	version := cfg.Version
	if version == "" {
		version = "dev"
	}
	s = mcpserver.NewMCPServer(Name, version, append(opts, cfg.Options...)...)
	register := cfg.Register
	if register == nil {
		register = registerAll
	}
	deps := cfg.Deps
	deps.Server = s
	reg.run = func() { register(s, deps) }
	return s, reg
}

// registerAll adds every tool the guard allows, every resource, and every prompt whose
// tools are among those offered (so after the tools).
func registerAll(s *mcpserver.MCPServer, deps tools.Deps) {
	tools.Register(s, deps)
	resources.Register(s, deps)
	prompts.Register(s, prompts.Deps{})
}
