package testenv

import (
	"context"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/tools"
)

// GuardProbeTool is the name of a test-only tool that asks the guard whether the calling session
// could write to a record now ({"entity": "Tickets", "id": 10001}). It answers "ok" or the guard's
// error as an isError result, so tests can prove a read tool or resource recorded its read for the
// right session.
const GuardProbeTool = "test_guard_probe"

// RegisterGuardProbe adds GuardProbeTool to s. fresh returns the record as the tenant holds it now.
func RegisterGuardProbe(s *server.MCPServer, deps tools.Deps, fresh func(entity string, id int64) map[string]any) {
	t := mcp.NewTool(GuardProbeTool,
		mcp.WithString("entity", mcp.Required()),
		mcp.WithNumber("id", mcp.Required()),
	)
	s.AddTool(t, func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		entity := req.GetString("entity", "")
		id := int64(req.GetFloat("id", 0))
		w := guard.Write{Session: tools.SessionID(ctx), Tool: GuardProbeTool, Entity: entity, ID: id,
			Changes: map[string]any{"title": "probe"}}
		if err := deps.Guard.Check(ctx, w, fresh(entity, id)); err != nil {
			return mcp.NewToolResultError(err.Error()), nil
		}
		return mcp.NewToolResultText("ok"), nil
	})
}
