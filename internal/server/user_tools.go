package server

import (
	"context"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/autotask-mcp/autotask-mcp/guard"
	"github.com/autotask-mcp/autotask-mcp/tools"
)

// userTools leaves out of tools/list, and refuses in tools/call, the write tools the call's user
// may not use: a read-only user sees no write tool, a user with an allow list only the writes it
// names. A call made for no user (stdio, or HTTP with one shared token) sees every tool registered.
// The guard refuses such a write on its own as well; leaving the tool out keeps the assistant from
// trying.
func userTools(ctx context.Context, list []mcp.Tool) []mcp.Tool {
	u, ok := guard.UserFrom(ctx)
	if !ok {
		return list
	}
	writes := tools.WriteTools()
	out := make([]mcp.Tool, 0, len(list))
	for _, t := range list {
		if entities, isWrite := writes[t.Name]; isWrite && !u.MayWrite(t.Name, entities...) {
			continue
		}
		out = append(out, t)
	}
	return out
}
