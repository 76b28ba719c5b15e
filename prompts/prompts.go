// Package prompts holds the MCP prompts of autotask-mcp: the workflows a service desk
// technician repeats, offered by clients as ready-made commands. One file per prompt holds its
// definition, its arguments and the text it renders; one list (All) registers them all.
//
// A prompt's text is the assistant's plan: it names the tools to call, with concrete
// arguments (the values the person gave already filled in, <NAME> where a value comes from an
// earlier step), and the rules the guard enforces on writes. Rendering a prompt sends no API
// request. The argument completions of prompts and resource templates are here too (Completer).
package prompts

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Deps is what the prompts need to render.
type Deps struct {
	// Now is the clock behind "today" and "recent"; nil means time.Now.
	Now func() time.Time
}

func (d Deps) now() time.Time {
	if d.Now == nil {
		return time.Now().UTC()
	}
	return d.Now().UTC()
}

// Prompt is one prompt: its definition, the handler that renders it, the tools its text names
// and what completes each of its arguments.
type Prompt struct {
	Def     mcp.Prompt
	Handler server.PromptHandlerFunc
	// Tools are the tools the text tells the assistant to call. The prompt is offered only
	// when the server offers every one of them: a read-only server has no triage to apply.
	Tools []string
	// Complete maps an argument to the values that complete it.
	Complete map[string]Kind
}

// constructors is the one list of prompts; a new prompt adds its constructor here.
var constructors = []func(Deps) Prompt{
	triageQueuePrompt,
	summarizeTicketPrompt,
	draftResolutionPrompt,
	myDayPrompt,
	companyOverviewPrompt,
}

// All returns every prompt in a stable order.
func All(deps Deps) []Prompt {
	out := make([]Prompt, 0, len(constructors))
	for _, c := range constructors {
		out = append(out, c(deps))
	}
	return out
}

// Register adds every prompt whose tools s offers. Call it after the tools are registered.
func Register(s *server.MCPServer, deps Deps) {
	for _, p := range All(deps) {
		if offersAll(s, p.Tools) {
			s.AddPrompt(p.Def, p.Handler)
		}
	}
}

func offersAll(s *server.MCPServer, tools []string) bool {
	for _, name := range tools {
		if s.GetTool(name) == nil {
			return false
		}
	}
	return true
}

// maxArgumentRunes bounds an argument value: names and numbers are short, and the value is
// written into the prompt's text.
const maxArgumentRunes = 200

// argument returns a trimmed argument value; "" when it is absent. A required argument that
// is missing, or any value that is too long, is an error naming the argument.
func argument(req mcp.GetPromptRequest, name string, required bool) (string, error) {
	v := strings.TrimSpace(req.Params.Arguments[name])
	if v == "" && required {
		return "", fmt.Errorf("%s: argument %q is required", req.Params.Name, name)
	}
	if utf8.RuneCountInString(v) > maxArgumentRunes {
		return "", fmt.Errorf("%s: argument %q is longer than %d characters", req.Params.Name, name, maxArgumentRunes)
	}
	return v, nil
}

// result is a prompt's answer: one user message holding the plan.
func result(description, text string) *mcp.GetPromptResult {
	return mcp.NewGetPromptResult(description, []mcp.PromptMessage{
		mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent(text)),
	})
}

// ticketNumberPattern is the shape of a ticket number, T20261122.0042: T, the date it was
// opened, a dot and the day's sequence.
var ticketNumberPattern = regexp.MustCompile(`^[Tt][0-9]{8}\.[0-9]{4,6}$`)

// ticketNumberArgument is the required ticket_number argument, checked for its shape so a
// typo is caught here rather than after the assistant has started on it.
func ticketNumberArgument(req mcp.GetPromptRequest) (string, error) {
	v, err := argument(req, "ticket_number", true)
	if err != nil {
		return "", err
	}
	if !ticketNumberPattern.MatchString(v) {
		return "", fmt.Errorf("%s: ticket_number %q is not a ticket number; they look like T20261122.0042", req.Params.Name, v)
	}
	return strings.ToUpper(v[:1]) + v[1:], nil
}

// ticketNumberArgumentOption describes the ticket_number argument the same way everywhere.
var ticketNumberArgumentOption = mcp.WithArgument("ticket_number", mcp.RequiredArgument(),
	mcp.ArgumentDescription("The ticket number as people see it, e.g. T20261122.0042 (completion finds numbers by their start)."))
