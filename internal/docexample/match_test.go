package docexample_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/internal/docexample"
)

const actual = `{"ticket":{"id":10019,"status":"New (1)","title":"Scanner","udfs":{"Impact":"One"},"hours":3.5,"open":true,"due":null},
"untrusted":["ticket"],"url":"http://h/next?paging=eyJtIjo"}`

func TestMatchJSON(t *testing.T) {
	tests := []struct {
		name  string
		shown string
		want  []string // what the error must say; none: a match
	}{
		{name: "everything, another layout", shown: `{"url":"http://h/next?paging=eyJtIjo","untrusted":["ticket"],
			"ticket":{"due":null,"open":true,"hours":3.5,"udfs":{"Impact":"One"},"title":"Scanner","status":"New (1)","id":10019}}`},
		{name: "members elided", shown: "{\n \"ticket\": {\n  \"id\": 10019,\n  ...\n },\n ...\n}"},
		{name: "elision first, with a comma", shown: `{..., "untrusted": ["ticket"], "ticket": {...}}`},
		{name: "text elided in a string", shown: `{"url": "http://h/next?paging=...", "ticket": {"title": "Sc...er", ...}, ...}`},
		{name: "array tail elided", shown: `{"untrusted": [...], ...}`},
		{name: "array tail after an element", shown: `{"untrusted": ["ticket", ...], ...}`},

		{name: "wrong value", shown: `{"ticket": {"id": 10020, ...}, ...}`, want: []string{"$.ticket.id", "10020", "10019"}},
		{name: "wrong string", shown: `{"ticket": {"status": "Done (5)", ...}, ...}`, want: []string{"$.ticket.status", `"Done (5)"`, `"New (1)"`}},
		{name: "same text, other type", shown: `{"ticket": {"id": "10019", ...}, ...}`, want: []string{"$.ticket.id"}},
		{name: "number formatted differently", shown: `{"ticket": {"hours": 3.50, ...}, ...}`, want: []string{"$.ticket.hours"}},
		{name: "missing member", shown: `{"ticket": {"priority": "High (1)", ...}, ...}`, want: []string{`"priority" is missing`}},
		{name: "unshown member without elision", shown: `{"ticket": {...}, "untrusted": ["ticket"]}`, want: []string{`"url" is not shown`}},
		{name: "more elements than shown", shown: `{"untrusted": [], ...}`, want: []string{"$.untrusted", "shown 0 elements, got 1"}},
		{name: "fewer elements than shown", shown: `{"untrusted": ["ticket", "x", ...], ...}`, want: []string{"shown 2 elements, got 1"}},
		{name: "object for a string", shown: `{"url": {...}, ...}`, want: []string{"$.url", "shown an object"}},
		{name: "elision text that is not there", shown: `{"url": "https://...", ...}`, want: []string{"$.url"}},
		{name: "elision mid-array", shown: `{"untrusted": [..., "ticket"], ...}`, want: []string{"only for the elements after"}},
		{name: "every difference listed", shown: `{"ticket": {"id": 1, "title": "x", ...}, ...}`, want: []string{"$.ticket.id", "$.ticket.title"}},
		{name: "shown is not JSON", shown: `{"ticket": {"id": 10019 ...}}`, want: []string{"shown output is not JSON"}},
		{name: "elision outside JSON", shown: `...`, want: []string{"outside any object"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := docexample.MatchJSON(tt.shown, actual)
			if len(tt.want) == 0 {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestMatchJSONRefusesOutputThatIsNotJSON(t *testing.T) {
	assert.ErrorContains(t, docexample.MatchJSON(`{...}`, `{"a":1} trailing`), "output")
	assert.ErrorContains(t, docexample.MatchJSON(`{...}`, `not json`), "not JSON")
}

func TestMatchText(t *testing.T) {
	tests := []struct {
		shown, actual string
		want          bool
	}{
		{"a: no credentials (...): sandbox", "a: no credentials (X, Y): sandbox", true},
		{"a: no credentials (...): sandbox", "a: no credentials (X, Y): real tenant", false},
		{"exact", "exact", true},
		{"exact", "exact but longer", false},
		{"...tail", "any tail", true},
		{"head...", "head and more", true},
		{"a...b...c", "a1b2c", true},
		{"a...b...c", "a1c2b", false},
		{"ab...ba", "aba", false}, // the two ends may not overlap
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, docexample.MatchText(tt.shown, tt.actual), "%q vs %q", tt.shown, tt.actual)
	}
}
