package prompts_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
	"github.com/autotask-mcp/autotask-mcp/internal/testclock"
	"github.com/autotask-mcp/autotask-mcp/internal/testenv"
	"github.com/autotask-mcp/autotask-mcp/prompts"
	"github.com/autotask-mcp/autotask-mcp/resources"
)

// TestCompletions: every kind of value completes through completion/complete, for prompt
// arguments and resource-template variables, at most one API request each; asked again, the
// answer comes from the cache without a request; unknown references and arguments complete
// to an empty list, not an error.
func TestCompletions(t *testing.T) {
	env := testenv.New(t, testenv.Options{})
	f := findFacts(t, env)
	ticketPrefix := f.ticketNumber[:8] // T + the year and month it was opened
	companyPrefix := strings.ToLower(f.company[:3])

	tests := []struct {
		name        string
		ref         any
		arg, value  string
		maxRequests int
		check       func(t *testing.T, values []string)
	}{
		{
			name: "entity names of the fields template, from the catalog", ref: resourceRef(resources.FieldsTemplate),
			arg: "entity", value: "ticket", maxRequests: 0,
			check: func(t *testing.T, values []string) {
				assert.Contains(t, values, "Tickets")
				assert.Contains(t, values, "TicketNotes")
				allBeginWith(t, values, "ticket")
			},
		},
		{
			name: "ticket numbers of the by-number template", ref: resourceRef(resources.TicketNumberTemplate),
			arg: "number", value: ticketPrefix, maxRequests: 1,
			check: func(t *testing.T, values []string) {
				assert.NotEmpty(t, values)
				assert.LessOrEqual(t, len(values), 10, "at most 10")
				allBeginWith(t, values, ticketPrefix)
			},
		},
		{
			name: "ticket numbers of summarize_ticket, the same prefix: cached", ref: promptRef("summarize_ticket"),
			arg: "ticket_number", value: ticketPrefix, maxRequests: 0,
			check: func(t *testing.T, values []string) { allBeginWith(t, values, ticketPrefix) },
		},
		{
			name: "ticket number itself, draft_resolution", ref: promptRef("draft_resolution"),
			arg: "ticket_number", value: f.ticketNumber, maxRequests: 1,
			check: func(t *testing.T, values []string) { assert.Equal(t, []string{f.ticketNumber}, values) },
		},
		{
			name: "queue labels of triage_queue", ref: promptRef("triage_queue"),
			arg: "queue", value: "level", maxRequests: 1,
			check: func(t *testing.T, values []string) {
				assert.Equal(t, []string{"Level I Support", "Level II Support"}, values)
			},
		},
		{
			name: "queue labels, another prefix: the picklist is cached whole", ref: promptRef("triage_queue"),
			arg: "queue", value: "T", maxRequests: 0,
			check: func(t *testing.T, values []string) { assert.Equal(t, []string{"Triage"}, values) },
		},
		{
			name: "company names of company_overview", ref: promptRef("company_overview"),
			arg: "company", value: companyPrefix, maxRequests: 1,
			check: func(t *testing.T, values []string) {
				assert.Contains(t, values, f.company)
				allBeginWith(t, values, companyPrefix)
			},
		},
		{
			name: "resource names of my_day, by first name", ref: promptRef("my_day"),
			arg: "resource", value: f.first[:2], maxRequests: 1,
			check: func(t *testing.T, values []string) { assert.Contains(t, values, f.first+" "+f.last) },
		},
		{
			name: "resource names of my_day, by last name", ref: promptRef("my_day"),
			arg: "resource", value: strings.ToUpper(f.last[:3]), maxRequests: 1,
			check: func(t *testing.T, values []string) { assert.Contains(t, values, f.first+" "+f.last) },
		},
		{
			name: "resource names of my_day, first and last", ref: promptRef("my_day"),
			arg: "resource", value: f.first + " " + f.last[:1], maxRequests: 1,
			check: func(t *testing.T, values []string) { assert.Contains(t, values, f.first+" "+f.last) },
		},
		{
			name: "a former employee is not offered", ref: promptRef("my_day"),
			arg: "resource", value: "Jordan F", maxRequests: 1,
			check: func(t *testing.T, values []string) { assert.Empty(t, values) },
		},
		{
			name: "nothing typed yet: no query", ref: promptRef("company_overview"),
			arg: "company", value: "", maxRequests: 0,
			check: func(t *testing.T, values []string) { assert.Empty(t, values) },
		},
		{
			name: "unknown prompt", ref: promptRef("no_such_prompt"), arg: "queue", value: "L", maxRequests: 0,
			check: func(t *testing.T, values []string) { assert.Empty(t, values) },
		},
		{
			name: "unknown argument", ref: promptRef("triage_queue"), arg: "colour", value: "L", maxRequests: 0,
			check: func(t *testing.T, values []string) { assert.Empty(t, values) },
		},
		{
			name: "a template variable that does not complete", ref: resourceRef(resources.TicketTemplate),
			arg: "id", value: "1", maxRequests: 0,
			check: func(t *testing.T, values []string) { assert.Empty(t, values) },
		},
		{
			name: "unknown template", ref: resourceRef("autotask://nothing/{x}"), arg: "x", value: "a", maxRequests: 0,
			check: func(t *testing.T, values []string) { assert.Empty(t, values) },
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := requests(env)
			got := complete(t, env.MCP, tc.ref, tc.arg, tc.value)
			tc.check(t, got.Values)
			assert.LessOrEqual(t, requests(env)-before, tc.maxRequests, "API requests")

			before = requests(env)
			again := complete(t, env.MCP, tc.ref, tc.arg, tc.value)
			assert.Equal(t, got.Values, again.Values)
			assert.Zero(t, requests(env)-before, "asked again: served from the cache")
		})
	}
}

func allBeginWith(t *testing.T, values []string, prefix string) {
	t.Helper()
	for _, v := range values {
		assert.True(t, strings.HasPrefix(strings.ToLower(v), strings.ToLower(prefix)), "%q does not begin with %q", v, prefix)
	}
}

// TestCompletionHasMore: a prefix matching more records than an answer holds says so.
func TestCompletionHasMore(t *testing.T) {
	env := testenv.New(t, testenv.Options{})
	got := complete(t, env.MCP, resourceRef(resources.TicketNumberTemplate), "number", "T2026")
	assert.Len(t, got.Values, 10)
	assert.True(t, got.HasMore)

	got = complete(t, env.MCP, resourceRef(resources.FieldsTemplate), "entity", "Tickets")
	assert.False(t, got.HasMore)
	assert.Equal(t, len(got.Values), got.Total)
}

// TestCompletionCacheExpires: an answer is served from the cache until its TTL has passed
// on the completer's clock, then looked up again.
func TestCompletionCacheExpires(t *testing.T) {
	env := testenv.New(t, testenv.Options{})
	clock := testclock.New(time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC))
	c := prompts.NewCompleter(env.Client, prompts.CompleterOptions{TTL: time.Minute, Now: clock.Now})
	ctx := context.Background()

	lookup := func() int {
		before := requests(env)
		values, _, err := c.Values(ctx, prompts.CompanyNames, "co")
		require.NoError(t, err)
		require.NotEmpty(t, values)
		return requests(env) - before
	}
	assert.Equal(t, 1, lookup(), "first lookup")
	clock.Advance(59 * time.Second)
	assert.Equal(t, 0, lookup(), "within the TTL")
	clock.Advance(time.Second)
	assert.Equal(t, 1, lookup(), "the TTL has passed")
}

// TestCompletionLookupFailure: when the API fails, the completion is an empty list, not an
// error, and the failure is not cached: the next keystroke asks again.
func TestCompletionLookupFailure(t *testing.T) {
	env := testenv.New(t, testenv.Options{})
	env.Sandbox.Faults().Script(http.MethodPost, "Companies/query", 1, sandbox.Fault{Kind: sandbox.FaultStatus, Status: http.StatusBadRequest})
	got := complete(t, env.MCP, promptRef("company_overview"), "company", "co")
	assert.Empty(t, got.Values)

	got = complete(t, env.MCP, promptRef("company_overview"), "company", "co")
	assert.NotEmpty(t, got.Values, "the failure was not cached")
}
