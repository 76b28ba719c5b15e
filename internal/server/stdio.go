package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	mcpserver "github.com/mark3labs/mcp-go/server"
)

// ServeStdio speaks MCP on in and out until in closes or ctx ends. out carries nothing but
// the protocol: logs go to logger.
func ServeStdio(ctx context.Context, s *mcpserver.MCPServer, in io.Reader, out io.Writer, logger *slog.Logger) error {
	stdioServer := mcpserver.NewStdioServer(s)
	stdioServer.SetErrorLogger(slog.NewLogLogger(logger.Handler(), slog.LevelError))
	err := stdioServer.Listen(ctx, in, out)
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, io.EOF) {
		return nil
	}
	return fmt.Errorf("stdio transport: %w", err)
}
