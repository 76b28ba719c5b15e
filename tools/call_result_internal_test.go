package tools

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An output with third-party text is encoded once: its structured JSON must be byte for byte what
// encoding the whole output gives, and its twin the output without the marker, fenced, '<' escaped.
func TestFencedResultEncodesOnce(t *testing.T) {
	text := `<script>"hi" & bye</script>`
	record := map[string]any{"title": text, "id": json.Number("7")}
	outputs := []carriesRecordText{
		getTicketOutput{Ticket: record, Version: "v", Notes: &ticketNotes{Total: 1, Items: []map[string]any{record}}, Untrusted: untrustedSections{"notes", "ticket"}},
		getEntityOutput{Entity: "Companies", ID: 7, Version: "v", Record: record, Untrusted: untrustedSections{"record"}},
		queryEntityOutput{Entity: "Tickets", Items: []map[string]any{record, record}, NextCursor: "c", Untrusted: untrustedSections{"items"}},
	}
	for _, out := range outputs {
		res, err := structuredResult(out)
		require.NoError(t, err)

		assert.Equal(t, string(encodeNoEscape(t, out)), string(res.StructuredContent.(json.RawMessage)), "%T: structured", out)
		twin := bytes.ReplaceAll(encodeNoEscape(t, out.withoutMarker()), []byte("<"), []byte(`\u003c`))
		require.Len(t, res.Content, 1)
		assert.Equal(t, untrustedOpen+string(twin)+untrustedClose, res.Content[0].(mcp.TextContent).Text, "%T: twin", out)
	}
}

func encodeNoEscape(t *testing.T, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(v))
	return bytes.TrimSpace(buf.Bytes())
}
