package prompts_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

// getPrompt renders a prompt through the MCP session, as a client asks for it.
func getPrompt(t *testing.T, mc *client.Client, name string, args map[string]string) (*mcp.GetPromptResult, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req := mcp.GetPromptRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	return mc.GetPrompt(ctx, req)
}

// promptText is the text of a rendered prompt's one message.
func promptText(t *testing.T, res *mcp.GetPromptResult) string {
	t.Helper()
	require.Len(t, res.Messages, 1)
	require.Equal(t, mcp.RoleUser, res.Messages[0].Role)
	text, ok := res.Messages[0].Content.(mcp.TextContent)
	require.True(t, ok, "a text message, got %T", res.Messages[0].Content)
	return text.Text
}

// complete asks the session for a completion.
func complete(t *testing.T, mc *client.Client, ref any, arg, value string) *mcp.Completion {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req := mcp.CompleteRequest{}
	req.Params.Ref = ref
	req.Params.Argument = mcp.CompleteArgument{Name: arg, Value: value}
	res, err := mc.Complete(ctx, req)
	require.NoError(t, err, "a completion is never an error")
	require.NotNil(t, res.Completion.Values, "values is an array, never null")
	return &res.Completion
}

func promptRef(name string) mcp.PromptReference {
	return mcp.PromptReference{Type: "ref/prompt", Name: name}
}

func resourceRef(uri string) mcp.ResourceReference {
	return mcp.ResourceReference{Type: "ref/resource", URI: uri}
}

// requests is how many API requests the sandbox has answered.
func requests(env *testenv.Env) int { return env.Sandbox.Stats().Requests }

// toolCall is one call a prompt's text gives: `tool {json}`.
type toolCall struct {
	tool string
	args string // JSON, with <PLACEHOLDERS> still in it
}

var callPattern = regexp.MustCompile("`([a-z_]+) (\\{[^`]*\\})`")

func calls(text string) []toolCall {
	var out []toolCall
	for _, m := range callPattern.FindAllStringSubmatch(text, -1) {
		out = append(out, toolCall{tool: m[1], args: m[2]})
	}
	return out
}

var placeholderPattern = regexp.MustCompile(`<([A-Z_]+)>`)

// fill replaces every <PLACEHOLDER> with its value and decodes the arguments; a placeholder
// without a value fails the test, so a new one must be given a real value here.
func fill(t *testing.T, c toolCall, values map[string]string) map[string]any {
	t.Helper()
	filled := placeholderPattern.ReplaceAllStringFunc(c.args, func(p string) string {
		name := strings.Trim(p, "<>")
		v, ok := values[name]
		require.True(t, ok, "%s: no test value for placeholder %s in %s", c.tool, p, c.args)
		return v
	})
	var args map[string]any
	require.NoError(t, json.Unmarshal([]byte(filled), &args), "%s: arguments are not JSON: %s", c.tool, filled)
	return args
}
