package tools

import (
	"context"
	"log/slog"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// progress sends notifications/progress for a call whose client asked for them (a progressToken in
// the request's _meta). A nil *progress is valid and silent, so handlers report unconditionally.
type progress struct {
	srv    *server.MCPServer
	token  mcp.ProgressToken
	logger *slog.Logger
}

func newProgress(deps Deps, req mcp.CallToolRequest) *progress {
	if deps.Server == nil || req.Params.Meta == nil || req.Params.Meta.ProgressToken == nil {
		return nil
	}
	return &progress{srv: deps.Server, token: req.Params.Meta.ProgressToken, logger: deps.Logger}
}

// report tells the client how far the call is; total 0 means unknown.
func (p *progress) report(ctx context.Context, done, total float64, message string) {
	if p == nil {
		return
	}
	params := map[string]any{"progressToken": p.token, "progress": done}
	if total > 0 {
		params["total"] = total
	}
	if message != "" {
		params["message"] = message
	}
	if err := p.srv.SendNotificationToClient(ctx, string(mcp.MethodNotificationProgress), params); err != nil && p.logger != nil {
		// A client that cannot take the notification still gets its result.
		p.logger.Debug("progress notification not sent", "err", err)
	}
}
