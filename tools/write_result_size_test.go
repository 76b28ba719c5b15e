package tools_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
)

// writeTextBudget is what a successful note or resolve may put in the assistant's context: what
// changed, the ticket's number and title, its new version; the step list only when it tells
// something (a dry run, a failed step).
const writeTextBudget = 500

func TestWriteResultsAreLean(t *testing.T) {
	env := writeEnv(t, &elicitor{action: "accept"}, guard.Options{})
	id := openTickets(t, env.Sandbox, false)[0]
	title := ticketRecord(t, env.Sandbox, id)["title"].(string)
	ok(t, env.Call(t, "get_ticket", args("ticket_id", id)))

	calls := []struct {
		tool string
		args map[string]any
	}{
		{"add_ticket_note", args("ticket_id", id, "title", "Called", "description", "Left a voicemail for the customer.")},
		{"resolve_ticket", args("ticket_id", id, "resolution", "Replaced the toner.", "note", "Toner replaced on site.")},
	}
	for _, c := range calls {
		t.Run(c.tool, func(t *testing.T) {
			res := env.Call(t, c.tool, c.args)
			out := ok(t, res)
			text := testenv.Text(res)
			t.Logf("%d bytes: %s", len(text), text)
			assert.Equal(t, "applied", out["outcome"])
			assert.LessOrEqual(t, len(text), writeTextBudget, "a successful write answers in a few lines")
			assert.NotContains(t, out, "steps", "no step list on success")
			assert.Equal(t, title, out["title"])

			// The server's own words are not fenced; the ticket's text is.
			own, quoted, found := strings.Cut(text, "\n<untrusted>\n")
			require.True(t, found, "the quoted part is fenced: %s", text)
			assert.True(t, strings.HasPrefix(own, `{"summary":`), own)
			assert.NotContains(t, own, title)
			assert.Contains(t, quoted, title)
			assert.Contains(t, out["untrusted"], "title")

			// The version is the ticket's now: reading it again shows the same.
			again := ok(t, env.Call(t, "get_ticket", args("ticket_id", id)))
			assert.Equal(t, again["version"], out["version"])
		})
	}

	t.Run("a dry run shows every step and request", func(t *testing.T) {
		out := ok(t, env.Call(t, "update_ticket", args("ticket_id", id, "changes", args("priority", "Low"), "dry_run", true)))
		assert.NotEmpty(t, out["steps"])
		assert.NotEmpty(t, out["requests"])
	})
}
