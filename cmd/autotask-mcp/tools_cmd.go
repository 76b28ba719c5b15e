package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
)

// runTools prints the tools a client of this configuration would see, exactly as
// tools/list sends them (name, description, annotations, input and output schema),
// sorted by name and indented, so the output is stable enough to diff.
func runTools(ctx context.Context, args []string, lookup env, std stdio) error {
	fs := newFlagSet("tools")
	shared := addServerFlags(fs)
	positional, err := parseFlags(fs, args, lookup, true, std.out)
	if err != nil {
		return err
	}
	if len(positional) > 0 {
		return usageErrorf("tools: unexpected argument %q", positional[0])
	}
	cfg, err := shared.finish(lookup)
	if err != nil {
		return err
	}
	a, err := openApp(cfg, lookup, newLogger(std.err, cfg.LogLevel), nil)
	if err != nil {
		return err
	}
	defer func() { _ = a.Close(context.WithoutCancel(ctx)) }()

	listed, err := listToolsJSON(ctx, a)
	if err != nil {
		return err
	}
	_, err = std.out.Write(listed)
	return err
}

// listToolsJSON asks the server for tools/list over JSON-RPC and returns the tools as
// an indented JSON array sorted by name: the wire form, not a re-encoding of it.
func listToolsJSON(ctx context.Context, a *app) ([]byte, error) {
	initialize := fmt.Sprintf(`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":%q,"capabilities":{},"clientInfo":{"name":"autotask-mcp tools","version":%q}}}`,
		initializeRequest("").Params.ProtocolVersion, version())
	if _, err := rpc(ctx, a, initialize); err != nil {
		return nil, err
	}
	var cursor string
	var tools []json.RawMessage
	for {
		params := "{}"
		if cursor != "" {
			params = fmt.Sprintf(`{"cursor":%q}`, cursor)
		}
		result, err := rpc(ctx, a, `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":`+params+`}`)
		if err != nil {
			return nil, err
		}
		var page struct {
			Tools      []json.RawMessage `json:"tools"`
			NextCursor string            `json:"nextCursor"`
		}
		if err := json.Unmarshal(result, &page); err != nil {
			return nil, fmt.Errorf("tools/list: decode: %w", err)
		}
		tools = append(tools, page.Tools...)
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	type namedTool struct {
		Name string `json:"name"`
		raw  json.RawMessage
	}
	named := make([]namedTool, len(tools))
	for i, raw := range tools {
		if err := json.Unmarshal(raw, &named[i]); err != nil {
			return nil, fmt.Errorf("tools/list: decode tool: %w", err)
		}
		named[i].raw = raw
	}
	slices.SortFunc(named, func(x, y namedTool) int { return cmp.Compare(x.Name, y.Name) })
	sorted := make([]json.RawMessage, len(named))
	for i, t := range named {
		sorted[i] = t.raw
	}
	compact, err := json.Marshal(sorted)
	if err != nil {
		return nil, fmt.Errorf("tools/list: encode: %w", err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, compact, "", "  "); err != nil {
		return nil, fmt.Errorf("tools/list: indent: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// rpc sends one JSON-RPC request straight to the server and returns its result.
func rpc(ctx context.Context, a *app, request string) (json.RawMessage, error) {
	resp := a.Server.HandleMessage(ctx, json.RawMessage(request))
	b, err := json.Marshal(resp)
	if err != nil {
		return nil, fmt.Errorf("encode response: %w", err)
	}
	var envelope struct {
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(b, &envelope); err != nil {
		return nil, fmt.Errorf("decode response: %w", err)
	}
	if envelope.Error != nil {
		return nil, fmt.Errorf("server error %d: %s", envelope.Error.Code, envelope.Error.Message)
	}
	return envelope.Result, nil
}
