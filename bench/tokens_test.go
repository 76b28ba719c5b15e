package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// tokenSizes compares what a tool returns with what the API itself returns for the same records:
// the bytes an assistant would read if it were handed the raw JSON.
type tokenSizes struct {
	calls                  int
	raw, structured, text  int
	worstStructured, worst float64 // the largest single-call ratios (structured, text)
}

func (s *tokenSizes) add(raw, structured, text int) {
	s.calls++
	s.raw += raw
	s.structured += structured
	s.text += text
	s.worstStructured = max(s.worstStructured, float64(structured)/float64(raw))
	s.worst = max(s.worst, float64(text)/float64(raw))
}

func (s tokenSizes) structuredRatio() float64 { return float64(s.structured) / float64(s.raw) }
func (s tokenSizes) textRatio() float64       { return float64(s.text) / float64(s.raw) }

func (s tokenSizes) String() string {
	return fmt.Sprintf("%d calls: raw %d B, structuredContent %d B (%.1f%%, worst %.1f%%), text %d B (%.1f%%, worst %.1f%%)",
		s.calls, s.raw, s.structured, 100*s.structuredRatio(), 100*s.worstStructured, s.text, 100*s.textRatio(), 100*s.worst)
}

// resultSizes are the wire bytes of a result's structuredContent and of its text content.
func resultSizes(tb testing.TB, res *mcp.CallToolResult) (structuredBytes, textBytes int) {
	tb.Helper()
	raw := res.RawStructuredContent
	if len(raw) == 0 {
		raw = structured(tb, res)
	}
	return len(raw), len(resultText(res))
}

// measureGetTicketTokens reads every step-th sandbox ticket with get_ticket and with a raw GET.
func measureGetTicketTokens(tb testing.TB, st *stack, step int) tokenSizes {
	tb.Helper()
	var s tokenSizes
	ids := st.sb.IDs("Tickets")
	for i := 0; i < len(ids); i += step {
		raw := st.rawAPI(tb, http.MethodGet, fmt.Sprintf("Tickets/%d", ids[i]), nil)
		require.True(tb, bytes.HasPrefix(raw, []byte(`{"item":{`)), "%.80s", raw)
		res := call(tb, st.mcp, "get_ticket", map[string]any{"ticket_id": ids[i]})
		sb, tx := resultSizes(tb, res)
		s.add(len(raw), sb, tx)
	}
	return s
}

// measureQueryTokens pages through every ticket 25 at a time with query_entity and with the raw
// query (following nextPageUrl with the same body, as the API requires), page for page, and checks
// both saw the same records. all asks query_entity for every field (["*"]) rather than its default
// set; the raw query always has every field.
func measureQueryTokens(tb testing.TB, st *stack, all bool) tokenSizes {
	tb.Helper()
	var s tokenSizes
	body := []byte(`{"maxRecords":25,"filter":[{"op":"exist","field":"id"}]}`)
	path := "Tickets/query"
	args := map[string]any{"entity": "Tickets", "limit": 25}
	if all {
		args["fields"] = []string{"*"}
	}
	for {
		raw := st.rawAPI(tb, http.MethodPost, path, body)
		var page struct {
			Items       []struct{ ID json.Number } `json:"items"`
			PageDetails struct {
				NextPageURL string `json:"nextPageUrl"`
			} `json:"pageDetails"`
		}
		require.NoError(tb, json.Unmarshal(raw, &page))
		res := call(tb, st.mcp, "query_entity", args)
		var out struct {
			Items      []struct{ ID json.Number } `json:"items"`
			NextCursor string                     `json:"next_cursor"`
		}
		require.NoError(tb, json.Unmarshal(res.RawStructuredContent, &out))
		require.Equal(tb, page.Items, out.Items, "the same records, in the same order")
		sb, tx := resultSizes(tb, res)
		s.add(len(raw), sb, tx)

		if page.PageDetails.NextPageURL == "" {
			require.Empty(tb, out.NextCursor)
			return s
		}
		require.NotEmpty(tb, out.NextCursor)
		_, path, _ = strings.Cut(page.PageDetails.NextPageURL, "/V1.0/")
		args = map[string]any{"entity": "Tickets", "cursor": out.NextCursor}
	}
}

// rawAPI is the API's own answer, as any client would read it.
func (st *stack) rawAPI(tb testing.TB, method, path string, body []byte) []byte {
	tb.Helper()
	req, err := http.NewRequest(method, st.api.URL+"/ATServicesRest/V1.0/"+path, bytes.NewReader(body))
	require.NoError(tb, err)
	creds := sandbox.DefaultCredentials
	req.Header.Set("ApiIntegrationCode", creds.IntegrationCode)
	req.Header.Set("UserName", creds.Username)
	req.Header.Set("Secret", creds.Secret)
	req.Header.Set("Content-Type", "application/json")
	resp, err := st.api.Client().Do(req)
	require.NoError(tb, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(tb, err)
	require.Equal(tb, http.StatusOK, resp.StatusCode, "%s %s: %s", method, path, out)
	return out
}

// Byte ratios are deterministic (same seed, same tenant), so they are asserted (every byte returned
// costs the assistant's context):
// a result, as structuredContent and as its text twin, is at most 40% of the raw API JSON for the
// same records, labels and names included; a query_entity page with no fields named (its default
// set of eight ticket fields) is at most 15%. A page of every field (["*"]) is reported, not
// asserted: it is what the assistant asked for.
// get_ticket reads every 5th ticket (every 10th with -short) to keep go test -race quick;
// BenchmarkTokens and tools' TestGetTicketIsAtMost40PercentOfRaw cover all of them.
func TestTokensReturned(t *testing.T) {
	t.Parallel()
	const target = 0.40
	st := newStack(t, sandbox.Options{})
	step := 5
	if testing.Short() {
		step = 10
	}
	get := measureGetTicketTokens(t, st, step)
	query := measureQueryTokens(t, st, false)
	all := measureQueryTokens(t, st, true)
	t.Logf("get_ticket: %v", get)
	t.Logf("query_entity (25 rows): %v", query)
	t.Logf("query_entity (25 rows, every field): %v", all)
	assert.LessOrEqual(t, get.structuredRatio(), target, "get_ticket structuredContent: %v", get)
	assert.LessOrEqual(t, get.textRatio(), target, "get_ticket text: %v", get)
	assert.LessOrEqual(t, query.structuredRatio(), target, "query_entity structuredContent: %v", query)
	assert.LessOrEqual(t, query.textRatio(), target, "query_entity text: %v", query)
	const defaultRowsTarget = 0.15
	assert.LessOrEqual(t, query.structuredRatio(), defaultRowsTarget, "query_entity default rows, structuredContent: %v", query)
	assert.LessOrEqual(t, query.textRatio(), defaultRowsTarget, "query_entity default rows, text: %v", query)
}

// BenchmarkTokens reports the same ratios over every sandbox ticket (500) as metrics; one
// measurement, reported by a sub-benchmark per tool (their ns/op is meaningless and hidden).
//
// Targets (asserted by TestTokensReturned): <= 40% of the raw bytes, labels and names included
// (struct-% and text-%); query_entity's default rows <= 15%; every field (["*"]) has none.
func BenchmarkTokens(b *testing.B) {
	st := newStack(b, sandbox.Options{})
	results := []struct {
		name string
		s    tokenSizes
	}{
		{"get_ticket", measureGetTicketTokens(b, st, 1)},
		{"query_entity_25", measureQueryTokens(b, st, false)},
		{"query_entity_25_all_fields", measureQueryTokens(b, st, true)},
	}
	for _, r := range results {
		b.Run(r.name, func(b *testing.B) {
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(float64(r.s.raw)/float64(r.s.calls), "raw-B/call")
			b.ReportMetric(float64(r.s.structured)/float64(r.s.calls), "struct-B/call")
			b.ReportMetric(float64(r.s.text)/float64(r.s.calls), "text-B/call")
			b.ReportMetric(100*r.s.structuredRatio(), "struct-%")
			b.ReportMetric(100*r.s.textRatio(), "text-%")
			b.ReportMetric(100*r.s.worstStructured, "worst-struct-%")
		})
	}
}
