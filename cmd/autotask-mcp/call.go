package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/autotask-mcp/autotask-mcp/internal/server"
)

// toolFailedError means the tool answered with isError; its result is already printed.
type toolFailedError struct{ tool string }

func (e toolFailedError) Error() string { return "tool " + e.tool + " returned an error" }

// maxCallArgs bounds arguments read from stdin, like the HTTP transport's body limit.
const maxCallArgs = server.MaxBody

// runCall runs one tool through a real MCP client and server in this process and
// prints its result: the structured result when there is one, else the whole MCP
// result. Exit status 1 when the result is an error.
func runCall(ctx context.Context, args []string, lookup env, std stdio) error {
	fs := newFlagSet("call")
	shared := addServerFlags(fs)
	full := fs.Bool("full", false, "print the whole MCP result (content, structuredContent, isError)")
	timeout := fs.Duration("timeout", 2*time.Minute, "give up on the call after this long")
	positional, err := parseFlags(fs, args, lookup, true, std.out)
	if err != nil {
		return err
	}
	if len(positional) == 0 || len(positional) > 2 {
		return usageErrorf(`call: want TOOL ['JSON' | -], e.g. autotask-mcp call get_ticket '{"ticket_number":"T20240101.0001"}'`)
	}
	tool := positional[0]
	rawArgs := "{}"
	if len(positional) == 2 {
		rawArgs = positional[1]
	}
	if rawArgs == "-" {
		b, err := io.ReadAll(io.LimitReader(std.in, maxCallArgs+1))
		if err != nil {
			return fmt.Errorf("call: read arguments from stdin: %w", err)
		}
		if int64(len(b)) > maxCallArgs {
			return usageErrorf("call: arguments on stdin exceed %d MiB", maxCallArgs>>20)
		}
		rawArgs = string(b)
	}
	var arguments map[string]any
	dec := json.NewDecoder(strings.NewReader(rawArgs))
	dec.UseNumber() // ids above 2^53 must survive the trip
	if err := dec.Decode(&arguments); err != nil || arguments == nil {
		return usageErrorf(`call: arguments must be one JSON object, e.g. '{"ticket_id": 12345}'`)
	}
	cfg, err := shared.finish(lookup)
	if err != nil {
		return err
	}

	logger := newLogger(std.err, cfg.LogLevel)
	a, err := openApp(cfg, lookup, logger, std.err)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	defer func() { _ = a.Close(context.WithoutCancel(ctx)) }()

	c, err := client.NewInProcessClient(a.Server)
	if err != nil {
		return fmt.Errorf("call: in-process client: %w", err)
	}
	defer c.Close()
	if err := c.Start(ctx); err != nil {
		return fmt.Errorf("call: start client: %w", err)
	}
	if _, err := c.Initialize(ctx, initializeRequest("autotask-mcp call")); err != nil {
		return fmt.Errorf("call: initialize: %w", err)
	}
	res, err := c.CallTool(ctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: tool, Arguments: arguments}})
	if err != nil {
		if names, listErr := toolNames(ctx, c); listErr == nil && !slices.Contains(names, tool) {
			return usageErrorf("call: no tool %q; tools: %s", tool, strings.Join(names, ", "))
		}
		return fmt.Errorf("call %s: %w", tool, err)
	}

	var out any = res
	if !*full && !res.IsError && res.StructuredContent != nil {
		out = res.StructuredContent
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return fmt.Errorf("call %s: encode result: %w", tool, err)
	}
	if _, err := fmt.Fprintf(std.out, "%s\n", b); err != nil {
		return fmt.Errorf("call %s: write result: %w", tool, err)
	}
	if res.IsError {
		return toolFailedError{tool: tool}
	}
	return nil
}

// initializeRequest asks for the newest protocol revision with sessions (the server
// refuses the stateless one), so the client need not probe for the stateless one first.
func initializeRequest(clientName string) mcp.InitializeRequest {
	return mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: mcp.LATEST_LEGACY_PROTOCOL_VERSION,
		ClientInfo:      mcp.Implementation{Name: clientName, Version: version()},
	}}
}

func toolNames(ctx context.Context, c *client.Client) ([]string, error) {
	list, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(list.Tools))
	for _, t := range list.Tools {
		names = append(names, t.Name)
	}
	slices.Sort(names)
	return names, nil
}
