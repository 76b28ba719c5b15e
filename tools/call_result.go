package tools

import (
	"bytes"
	"encoding/json"
	"fmt"

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
// what the structured "untrusted" list (marker) says, so the twin leaves the list out
// (withoutMarker). The list is the output's last field: the structured JSON is the twin's with the
// list appended, exactly what encoding the whole output gives, so the output is encoded once.
type carriesRecordText interface {
	marker() untrustedSections
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
	if c, ok := v.(carriesRecordText); ok && len(c.marker()) > 0 {
		return fencedResult(enc, &buf, c)
	}
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
	}
	return mcp.NewToolResultStructured(json.RawMessage(raw), text), nil
}

// fencedResult is the result of an output holding third-party text: the twin is the output without
// its marker, fenced; the structured JSON is the same bytes with the marker appended.
func fencedResult(enc *json.Encoder, buf *bytes.Buffer, c carriesRecordText) (*mcp.CallToolResult, error) {
	if err := enc.Encode(c.withoutMarker()); err != nil {
		return nil, err
	}
	twin := bytes.TrimSpace(buf.Bytes())
	marker, err := json.Marshal(c.marker())
	if err != nil {
		return nil, err
	}
	if len(twin) < 2 || twin[len(twin)-1] != '}' {
		return nil, fmt.Errorf("structured result: %T does not encode as a JSON object", c)
	}
	raw := make([]byte, 0, len(twin)+len(marker)+len(`,"untrusted":`))
	raw = append(raw, twin[:len(twin)-1]...)
	if len(twin) > 2 {
		raw = append(raw, ',')
	}
	raw = append(append(append(raw, `"untrusted":`...), marker...), '}')
	text := untrustedOpen + string(bytes.ReplaceAll(twin, []byte("<"), []byte(`\u003c`))) + untrustedClose
	return mcp.NewToolResultStructured(json.RawMessage(raw), text), nil
}
