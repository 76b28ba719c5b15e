package prompts_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
	"github.com/autotask-mcp/autotask-mcp/prompts"
	"github.com/autotask-mcp/autotask-mcp/tools"
)

func promptNames() []string {
	var names []string
	for _, p := range prompts.All(prompts.Deps{}) {
		names = append(names, p.Def.Name)
	}
	sort.Strings(names)
	return names
}

// TestPromptsAreListed: prompts/list offers every prompt of All, each with a title, a
// description and described arguments.
func TestPromptsAreListed(t *testing.T) {
	env := testenv.New(t, testenv.Options{})
	list, err := env.MCP.ListPrompts(context.Background(), mcp.ListPromptsRequest{})
	require.NoError(t, err)
	var listed []string
	for _, p := range list.Prompts {
		listed = append(listed, p.Name)
		assert.NotEmpty(t, p.Title, p.Name)
		assert.Greater(t, len(p.Description), 30, p.Name)
		for _, a := range p.Arguments {
			assert.Greater(t, len(a.Description), 20, "%s argument %s", p.Name, a.Name)
		}
	}
	sort.Strings(listed)
	assert.Equal(t, promptNames(), listed)
	assert.Equal(t, []string{"company_overview", "draft_resolution", "my_day", "summarize_ticket", "triage_queue"}, listed,
		"the prompts the README's ## Prompts section describes")
}

// TestReadOnlyServerLeavesOutWritingPrompts: a prompt is offered only when every tool its
// text names is, so a read-only server offers no triage and no resolution, and does not
// complete their arguments either.
func TestReadOnlyServerLeavesOutWritingPrompts(t *testing.T) {
	env := testenv.New(t, testenv.Options{Guard: guard.Options{ReadOnly: true}})
	list, err := env.MCP.ListPrompts(context.Background(), mcp.ListPromptsRequest{})
	require.NoError(t, err)
	var listed []string
	for _, p := range list.Prompts {
		listed = append(listed, p.Name)
	}
	sort.Strings(listed)
	assert.Equal(t, []string{"company_overview", "my_day", "summarize_ticket"}, listed)

	_, err = getPrompt(t, env.MCP, "triage_queue", map[string]string{"queue": "Level I Support"})
	assert.Error(t, err, "a prompt left out cannot be got")
	assert.Empty(t, complete(t, env.MCP, promptRef("triage_queue"), "queue", "L").Values)
}

// snakeWord is how tool names and tool arguments are spelled: lower case with underscores.
var snakeWord = regexp.MustCompile(`\b[a-z]+(?:_[a-z]+)+\b`)

// toolVocabulary is every tool name, and every property name and enum value of every tool's
// input and output schema: what a prompt's text may name in snake_case.
func toolVocabulary(t *testing.T) (toolNames, words map[string]bool) {
	t.Helper()
	toolNames, words = map[string]bool{}, map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if props, ok := v["properties"].(map[string]any); ok {
				for name := range props {
					words[name] = true
				}
			}
			if enum, ok := v["enum"].([]any); ok {
				for _, e := range enum {
					if s, ok := e.(string); ok {
						words[s] = true
					}
				}
			}
			for _, child := range v {
				walk(child)
			}
		case []any:
			for _, child := range v {
				walk(child)
			}
		}
	}
	for _, tool := range tools.All(tools.Deps{}) {
		toolNames[tool.Def.Name] = true
		for _, raw := range []json.RawMessage{tool.Def.RawInputSchema, tool.Def.RawOutputSchema} {
			var schema any
			require.NoError(t, json.Unmarshal(raw, &schema), tool.Def.Name)
			walk(schema)
		}
	}
	return toolNames, words
}

// TestPromptsNameRealTools: every snake_case word of a prompt's text is a tool of tools.All,
// an argument or value of a tool's schemas, or one of the prompt's own arguments, so a
// renamed tool or argument fails here; and the tools the text names are exactly the prompt's
// Tools, which decide whether the server offers it.
func TestPromptsNameRealTools(t *testing.T) {
	toolNames, words := toolVocabulary(t)
	for _, p := range prompts.All(prompts.Deps{}) {
		t.Run(p.Def.Name, func(t *testing.T) {
			args := map[string]string{}
			for _, a := range p.Def.Arguments {
				args[a.Name] = exampleArgument(a.Name)
			}
			req := mcp.GetPromptRequest{}
			req.Params.Name, req.Params.Arguments = p.Def.Name, args
			res, err := p.Handler(context.Background(), req)
			require.NoError(t, err)
			text := promptText(t, res)

			named := map[string]bool{}
			for _, w := range snakeWord.FindAllString(text, -1) {
				switch {
				case toolNames[w]:
					named[w] = true
				case words[w], args[w] != "":
				default:
					t.Errorf("the text names %q, which is no tool, tool argument or prompt argument", w)
				}
			}
			var mentioned []string
			for name := range named {
				mentioned = append(mentioned, name)
			}
			assert.ElementsMatch(t, p.Tools, mentioned, "Prompt.Tools must be the tools the text names")
			for _, name := range p.Tools {
				assert.True(t, toolNames[name], "%s is not in tools.All", name)
			}
			for _, rule := range []string{"get_ticket", "confirm", "untrusted"} {
				assert.Contains(t, text, rule, "the text gives the guard's rules")
			}
		})
	}
}

func exampleArgument(name string) string {
	return map[string]string{
		"queue":         "Level I Support",
		"ticket_number": "T20260602.0002",
		"company":       "Acme Dental",
		"resource":      "Dana Whitfield",
	}[name]
}

// sandboxFacts are real records to fill a prompt's arguments and placeholders with: an open
// ticket with a note, its company, and a technician.
type sandboxFacts struct {
	ticketID, noteID, companyID, resourceID int64
	ticketNumber, company, first, last      string
}

func findFacts(t *testing.T, env *testenv.Env) sandboxFacts {
	t.Helper()
	var f sandboxFacts
	for _, noteID := range env.Sandbox.IDs("TicketNotes") {
		note, _ := env.Sandbox.Record("TicketNotes", noteID)
		ticketID := toInt(t, note["ticketID"])
		ticket, ok := env.Sandbox.Record("Tickets", ticketID)
		if !ok || toInt(t, ticket["status"]) == 5 {
			continue
		}
		company, _ := env.Sandbox.Record("Companies", toInt(t, ticket["companyID"]))
		if company["isActive"] != true {
			continue
		}
		f.ticketID, f.noteID, f.ticketNumber = ticketID, noteID, ticket["ticketNumber"].(string)
		f.companyID, f.company = toInt(t, ticket["companyID"]), company["companyName"].(string)
		break
	}
	require.NotZero(t, f.ticketID, "an open ticket with a note")
	for _, id := range env.Sandbox.IDs("Resources") {
		r, _ := env.Sandbox.Record("Resources", id)
		if id != env.Sandbox.APIResourceID() && r["isActive"] == true {
			f.resourceID, f.first, f.last = id, r["firstName"].(string), r["lastName"].(string)
			break
		}
	}
	require.NotZero(t, f.resourceID, "an active technician")
	return f
}

func toInt(t *testing.T, v any) int64 {
	t.Helper()
	switch n := v.(type) {
	case int64:
		return n
	case int:
		return int64(n)
	case float64:
		return int64(n)
	case json.Number:
		i, err := n.Int64()
		require.NoError(t, err)
		return i
	}
	t.Fatalf("not a number: %#v", v)
	return 0
}

// TestPromptCallsRun: every tool call a prompt gives, with its placeholders filled from real
// sandbox records, is accepted by the tool: right tools, right arguments, filters the tools
// take (picklist labels, field names, dates). Writes run as dry runs, after the reads the
// prompt puts before them. The first call of each prompt finds what it looks for.
func TestPromptCallsRun(t *testing.T) {
	env := testenv.New(t, testenv.Options{})
	f := findFacts(t, env)
	cursor := testenv.Structured(t, env.Call(t, "query_entity", map[string]any{"entity": "Tickets", "limit": 1}))["next_cursor"].(string)
	values := map[string]string{
		"TICKET_ID":   strconv.FormatInt(f.ticketID, 10),
		"TICKET_IDS":  strconv.FormatInt(f.ticketID, 10),
		"NOTE_ID":     strconv.FormatInt(f.noteID, 10),
		"COMPANY_ID":  strconv.FormatInt(f.companyID, 10),
		"RESOURCE_ID": strconv.FormatInt(f.resourceID, 10),
		"ROLE_ID":     "29682861",
		"NEXT_CURSOR": cursor,
		"PRIORITY":    "High",
		"RESOLUTION":  "Replaced the failed power supply; the machine has run for a day without a restart.",
		"NOTE":        "Power supply swapped; watch for further restarts.",
		"FIRST_NAME":  f.first,
		"LAST_NAME":   f.last,
	}
	writes := testenv.WriteToolNames()
	tests := []struct {
		prompt string
		args   map[string]string
	}{
		{"triage_queue", map[string]string{"queue": "Level I Support"}},
		{"summarize_ticket", map[string]string{"ticket_number": f.ticketNumber}},
		{"draft_resolution", map[string]string{"ticket_number": strings.ToLower(f.ticketNumber)}},
		{"my_day", map[string]string{"resource": f.first + " " + f.last}},
		{"my_day", map[string]string{}},
		{"company_overview", map[string]string{"company": f.company}},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s %v", tc.prompt, tc.args), func(t *testing.T) {
			mc := env.NewSession(t) // the reads before the writes are this session's own
			res, err := getPrompt(t, mc, tc.prompt, tc.args)
			require.NoError(t, err)
			text := promptText(t, res)
			found := calls(text)
			require.NotEmpty(t, found, "the text gives tool calls:\n%s", text)
			for i, c := range found {
				args := fill(t, c, values)
				if slices.Contains(writes, c.tool) {
					args["dry_run"] = true
				}
				out := testenv.CallOn(t, mc, c.tool, args, nil)
				require.False(t, out.IsError, "%s %s: %s", c.tool, c.args, testenv.Text(out))
				if i == 0 {
					if items, ok := testenv.Structured(t, out)["items"]; ok || c.tool == "query_entity" {
						assert.NotEmpty(t, items, "the first call finds what it looks for: %s", c.args)
					}
				}
			}
		})
	}
}

// TestPromptArgumentsAreQuoted: whatever a person types as an argument stays one JSON string
// value of the calls: quotes, backslashes and backticks cannot end the value or the call.
func TestPromptArgumentsAreQuoted(t *testing.T) {
	env := testenv.New(t, testenv.Options{})
	hostile := "Acme \"Dental\" \\ `rm` } ]"
	res, err := getPrompt(t, env.MCP, "company_overview", map[string]string{"company": hostile})
	require.NoError(t, err)
	found := calls(promptText(t, res))
	require.NotEmpty(t, found)
	args := fill(t, found[0], nil)
	filter := args["filter"].([]any)[0].(map[string]any)
	assert.Equal(t, hostile, filter["value"])
	assert.Equal(t, "companyName", filter["field"])
}

// TestPromptArgumentErrors: a missing required argument, a ticket number of the wrong
// shape, an argument too long and an unknown prompt are errors that say what is wrong.
func TestPromptArgumentErrors(t *testing.T) {
	env := testenv.New(t, testenv.Options{})
	tests := []struct {
		prompt string
		args   map[string]string
		want   string
	}{
		{"triage_queue", nil, `argument "queue" is required`},
		{"company_overview", map[string]string{"company": "  "}, `argument "company" is required`},
		{"summarize_ticket", map[string]string{"ticket_number": "12345"}, "not a ticket number"},
		{"draft_resolution", map[string]string{}, `argument "ticket_number" is required`},
		{"my_day", map[string]string{"resource": strings.Repeat("x", 201)}, "longer than 200"},
		{"no_such_prompt", nil, "not found"},
	}
	for _, tc := range tests {
		t.Run(tc.prompt+" "+tc.want, func(t *testing.T) {
			_, err := getPrompt(t, env.MCP, tc.prompt, tc.args)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestPromptDatesFollowTheClock: "today" and "recent" are computed from Deps.Now, in UTC.
func TestPromptDatesFollowTheClock(t *testing.T) {
	now := time.Date(2026, 3, 4, 22, 30, 0, 0, time.FixedZone("UTC-5", -5*3600)) // 03:30 UTC on the 5th
	byName := map[string]prompts.Prompt{}
	for _, p := range prompts.All(prompts.Deps{Now: func() time.Time { return now }}) {
		byName[p.Def.Name] = p
	}
	tests := []struct {
		prompt string
		args   map[string]string
		want   string
	}{
		{"my_day", map[string]string{"resource": "Dana Whitfield"}, `"dueDateTime","op":"lte","value":"2026-03-05T23:59:59Z"`},
		{"company_overview", map[string]string{"company": "Acme"}, `"createDateTime","op":"gte","value":"2026-02-03T00:00:00Z"`},
	}
	for _, tc := range tests {
		t.Run(tc.prompt, func(t *testing.T) {
			req := mcp.GetPromptRequest{}
			req.Params.Name, req.Params.Arguments = tc.prompt, tc.args
			res, err := byName[tc.prompt].Handler(context.Background(), req)
			require.NoError(t, err)
			assert.Contains(t, promptText(t, res), tc.want)
		})
	}
}
