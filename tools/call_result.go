package tools

import (
	"bytes"
	"encoding/json"

	"github.com/mark3labs/mcp-go/mcp"
)

// Results carry the structured value (valid against the tool's output schema) and a text twin for
// clients that show the model only text. The twin is the same compact JSON; when the result holds
// third-party text (its "untrusted" list is not empty) the JSON sits inside an <untrusted> block, so
// the model can tell record text from the server's own words. '<' is escaped in the twin's JSON, so
// no record text can close the block early.

const (
	untrustedOpen  = "<untrusted>\n"
	untrustedClose = "\n</untrusted>"
)

// carriesRecordText is implemented by outputs that may hold third-party text. The twin's fence says
// what the structured "untrusted" list says, so the twin leaves the list out (withoutMarker).
type carriesRecordText interface {
	recordText() bool
	withoutMarker() any
}

// quotesRecordText is implemented by outputs that are the server's own words with record text
// quoted in them (the write tools): the twin shows the words unfenced and fences only the quoted
// part, so the assistant can take the server's account of what happened at its word.
type quotesRecordText interface {
	ownAndQuoted() (own, quoted any)
}

// structuredResult builds a tool's success result from its output value.
func structuredResult(v any) (*mcp.CallToolResult, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // "&" stays one byte; the twin escapes what matters below
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	raw := bytes.Clone(bytes.TrimSpace(buf.Bytes()))
	text := string(raw)
	if q, ok := v.(quotesRecordText); ok {
		own, quoted := q.ownAndQuoted()
		buf.Reset()
		if err := enc.Encode(own); err != nil {
			return nil, err
		}
		// '<' is escaped here too: a label the tenant configured is in these words.
		text = string(bytes.ReplaceAll(bytes.TrimSpace(buf.Bytes()), []byte("<"), []byte(`\u003c`)))
		if quoted != nil {
			buf.Reset()
			if err := enc.Encode(quoted); err != nil {
				return nil, err
			}
			text += "\n" + untrustedOpen + string(bytes.ReplaceAll(bytes.TrimSpace(buf.Bytes()), []byte("<"), []byte(`\u003c`))) + untrustedClose
		}
	} else if c, ok := v.(carriesRecordText); ok && c.recordText() {
		buf.Reset()
		if err := enc.Encode(c.withoutMarker()); err != nil {
			return nil, err
		}
		escaped := bytes.ReplaceAll(bytes.TrimSpace(buf.Bytes()), []byte("<"), []byte(`\u003c`))
		text = untrustedOpen + string(escaped) + untrustedClose
	}
	return mcp.NewToolResultStructured(json.RawMessage(raw), text), nil
}
