package tools_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/tools"
)

// The tools refuse a write on a read-only server before asking the guard, so the guard's own
// refusal is never reached through them. It is asked here directly, for every registered write
// tool and every entity it writes, the way the tool fills in a guard.Write: a read-only guard
// refuses Check and IssueToken alike, and a writable one lets the same calls through.
func TestGuardRefusesEveryWriteToolWhenReadOnly(t *testing.T) {
	ctx := context.Background()
	const session, id = "s1", int64(42)
	record := func() map[string]any {
		return map[string]any{"id": id, "title": "Printer offline", "status": statusNew, "lastActivityDate": "2024-05-01T09:30:00Z"}
	}
	write := writeTools(tools.Deps{})
	require.NotEmpty(t, write)
	for _, tl := range write {
		require.NotEmpty(t, tl.Writes, "%s names the entities it writes", tl.Def.Name)
		for _, entity := range tl.Writes {
			w := guard.Write{
				Session: session, Tool: tl.Def.Name, Entity: entity, ID: id, Writes: tl.Writes,
				Changes: map[string]any{"status": statusComplete},
			}
			t.Run(tl.Def.Name+" on "+entity, func(t *testing.T) {
				for _, readOnly := range []bool{false, true} {
					g, err := guard.New(guard.Options{ReadOnly: readOnly, AllowWrites: append([]string{tl.Def.Name}, tl.Writes...)})
					require.NoError(t, err)
					require.NoError(t, g.RecordRead(ctx, session, entity, id, record()))

					checkErr := g.Check(ctx, w, record())
					tok, _, issueErr := g.IssueToken(ctx, w, guard.VersionOf(record()))
					if !readOnly {
						require.NoError(t, checkErr, "a writable guard lets it through")
						require.NoError(t, issueErr, "a writable guard issues a token")
						continue
					}
					require.ErrorIs(t, checkErr, guard.ErrReadOnly, "Check")
					require.ErrorIs(t, issueErr, guard.ErrReadOnly, "IssueToken")
					assert.Empty(t, tok)
					assert.True(t, strings.Contains(checkErr.Error(), tl.Def.Name), "the refusal names the tool: %v", checkErr)
				}
			})
		}
	}
}
