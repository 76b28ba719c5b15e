package tools

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/guard"
)

// Deps is what every tool handler needs.
type Deps struct {
	Client *autotask.Client
	Guard  *guard.Guard
	Server *server.MCPServer // for elicitation and progress notifications
	Logger *slog.Logger
	// CompleteStatus is the configured id of the "Complete" status; "" means the status labelled
	// exactly "Complete".
	CompleteStatus string

	created *createdRecords // set by All: shared by every tool of one server
}

// Tool is one tool definition and its handler. Write tools are left out of a read-only server, and
// out of one whose allow list names neither the tool nor an entity it writes.
type Tool struct {
	Def     mcp.Tool
	Handler server.ToolHandlerFunc
	Write   bool
	Writes  []string // the entities a write tool creates or changes
}

// constructors is the one list of tools; a new tool adds its constructor here.
var constructors = []func(Deps) Tool{
	queryEntityTool,
	getTicketTool,
	getEntityTool,
	describeFieldsTool,
	addTicketNoteTool,
	resolveTicketTool,
	updateTicketTool,
	createTicketTool,
	logTimeTool,
	createEntityTool,
	updateEntityTool,
}

// All returns every tool, read and write, in a stable order.
func All(deps Deps) []Tool {
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	if deps.created == nil {
		deps.created = newCreatedRecords()
	}
	tools := make([]Tool, 0, len(constructors))
	for _, c := range constructors {
		tools = append(tools, c(deps))
	}
	return tools
}

// WriteTools maps every write tool's name to the entities it writes, the names an allow list may
// use for it. Built once, on first use: building the tools builds every schema, and only allow lists
// need this. Callers must not modify it.
var WriteTools = sync.OnceValue(func() map[string][]string {
	m := map[string][]string{}
	for _, t := range All(Deps{}) {
		if t.Write {
			m[t.Def.Name] = t.Writes
		}
	}
	return m
})

// Register adds every tool to s, leaving write tools out when the guard forbids them: a read-only
// server should not even offer a write to the assistant.
func Register(s *server.MCPServer, deps Deps) {
	for _, t := range All(deps) {
		if t.Write && !writesOffered(deps.Guard, t.Def.Name, t.Writes) {
			continue
		}
		s.AddTool(t.Def, t.Handler)
	}
}

// writesOffered says whether a write tool is listed at all. Without a guard nothing may write: the
// guard is the only road to a write.
func writesOffered(g *guard.Guard, tool string, entities []string) bool {
	return g != nil && !g.ReadOnly() && g.WriteAllowed(tool, entities...)
}

// SessionID is the MCP session of the call; "local" when there is none (the `call` subcommand).
func SessionID(ctx context.Context) string {
	if s := server.ClientSessionFromContext(ctx); s != nil && s.SessionID() != "" {
		return s.SessionID()
	}
	return "local"
}

// definition is what a tool shows the assistant in tools/list.
type definition struct {
	name, title, description string
	input, output            json.RawMessage
	write                    bool
	writes                   []string // entities a write tool creates or changes: its allow-list names
	recordFields             []string // a write tool's names for the record it wrote (writeOutputSchema)
	idempotent               bool
	destructive              bool
}

func (d definition) tool() mcp.Tool {
	t := mcp.NewToolWithRawSchema(d.name, d.description, d.input)
	t.RawOutputSchema = d.output
	t.Title = d.title
	// The title is the tool's own (Tool.title), not repeated in the annotations: every byte of
	// tools/list is paid in every conversation.
	// A hint is given only where it differs from the protocol's default (read-only false,
	// destructive true, idempotent false, open world true): an absent hint means the default.
	if !d.write {
		t.Annotations.ReadOnlyHint = mcp.ToBoolPtr(true)
	} else if !d.destructive {
		t.Annotations.DestructiveHint = mcp.ToBoolPtr(false)
	}
	if d.idempotent {
		t.Annotations.IdempotentHint = mcp.ToBoolPtr(true)
	}
	return t
}

// handlerFunc is a tool's own logic: arguments already decoded into In. Any error it returns becomes
// an isError result worded for the assistant (see toolError).
type handlerFunc[In any] func(ctx context.Context, req mcp.CallToolRequest, in In) (*mcp.CallToolResult, error)

// newTool ties a read tool's definition to its handler. Write tools are built with newWriteTool,
// which runs them inside a writeRun, so that every one of their calls is audited.
func newTool[In any](deps Deps, d definition, h handlerFunc[In]) Tool {
	if d.write {
		panic("tools: write tool " + d.name + " must be built with newWriteTool")
	}
	return buildTool(deps, d, h)
}

// buildTool ties a definition to a handler, decoding arguments strictly and turning every failure,
// a panic included, into a tool error: a bad call must never become a protocol error.
func buildTool[In any](deps Deps, d definition, h handlerFunc[In]) Tool {
	return Tool{
		Def:     d.tool(),
		Write:   d.write,
		Writes:  d.writes,
		Handler: wrap(deps, d.name, h),
	}
}

func wrap[In any](deps Deps, name string, h handlerFunc[In]) server.ToolHandlerFunc {
	logger := deps.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return func(ctx context.Context, req mcp.CallToolRequest) (result *mcp.CallToolResult, err error) {
		defer func() {
			if p := recover(); p != nil {
				logger.Error("tool panicked", "tool", name, "panic", p)
				result, err = mcp.NewToolResultError(name+" failed with an internal error; the call was not completed. Report this to the server's operator."), nil
			}
		}()
		var in In
		if err := decodeArguments(req, &in); err != nil {
			return toolError(logger, name, err), nil
		}
		res, err := h(ctx, req, in)
		if err != nil {
			return toolError(logger, name, err), nil
		}
		return res, nil
	}
}
