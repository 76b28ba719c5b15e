package tools

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// fuzzFilterEntities are the entities FuzzFilterDecoding picks from: picklists (Tickets), UDFs
// (Tickets, Companies), dates, booleans and decimals (TimeEntries), and plain text (Contacts).
var fuzzFilterEntities = []string{"Tickets", "Companies", "Contacts", "TimeEntries"}

// maxFilterErrorBytes bounds a refusal's text: every byte goes into the assistant's context, and an
// echo of a 60 KB argument would push out what the assistant was working on.
const maxFilterErrorBytes = 2048

// newFuzzClient is the REST client against the sandbox over HTTP, as internal/testenv builds it
// (testenv imports this package, so an internal test cannot use it).
func newFuzzClient(tb testing.TB) *autotask.Client {
	tb.Helper()
	// A small tenant keeps every count cheap; the metadata is the same at any size.
	api := httptest.NewServer(sandbox.New(sandbox.Options{Tickets: 40, Companies: 5, HourlyLimit: 1 << 30}))
	tb.Cleanup(api.Close)
	creds := sandbox.DefaultCredentials
	c, err := autotask.New(autotask.Config{
		APIURL:            api.URL + "/ATServicesRest/V1.0/",
		Username:          creds.Username,
		Secret:            creds.Secret,
		IntegrationCode:   creds.IntegrationCode,
		RetryBaseDelay:    time.Millisecond,
		CacheDir:          tb.TempDir(),
		Logger:            slog.New(slog.NewTextHandler(io.Discard, nil)),
		HourlyBudget:      1 << 30,
		ThresholdInterval: -1,
	})
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = c.Close() })
	return c
}

// FuzzFilterDecoding decodes query_entity's filter argument as the tool does and resolves it against
// the sandbox's metadata. A refusal must be an argument error the assistant can act
// on; a filter we accept must be one the API accepts too, because the API answers a bad filter with
// a bare 500 that tells the assistant nothing.
func FuzzFilterDecoding(f *testing.F) {
	client := newFuzzClient(f)
	ctx := context.Background()
	mds := make([]*autotask.Metadata, len(fuzzFilterEntities))
	for i, e := range fuzzFilterEntities {
		md, err := client.Metadata(ctx, e)
		require.NoError(f, err)
		mds[i] = md
	}

	const (
		tickets byte = iota
		companies
		contacts
		timeEntries
	)
	seeds := []struct {
		entity byte
		filter string
	}{
		// Every operator, on fields of each type.
		{tickets, `[{"field":"id","op":"eq","value":10001}]`},
		{tickets, `[{"field":"priority","op":"noteq","value":"Low"}]`},
		{tickets, `[{"field":"createDate","op":"gt","value":"2026-01-01T00:00:00Z"}]`},
		{tickets, `[{"field":"createDate","op":"gte","value":"2026-01-31"}]`},
		{tickets, `[{"field":"dueDateTime","op":"lt","value":"2026-06-02T12:30"}]`},
		{tickets, `[{"field":"estimatedHours","op":"lte","value":2.5}]`},
		{tickets, `[{"field":"title","op":"beginsWith","value":"Printer"}]`},
		{tickets, `[{"field":"ticketNumber","op":"endsWith","value":".0002"}]`},
		{tickets, `[{"field":"description","op":"contains","value":"toner"}]`},
		{tickets, `[{"field":"assignedResourceID","op":"exist"}]`},
		{tickets, `[{"field":"completedDate","op":"notExist"}]`},
		{tickets, `[{"field":"status","op":"in","value":["New","In Progress (10)",5]}]`},
		{tickets, `[{"field":"priority","op":"notIn","value":[1,"Critical"]}]`},
		{tickets, `[{"field":"STATUS","op":"EQ","value":"complete"}]`},
		// Picklist labels in their forms, right and wrong.
		{tickets, `[{"field":"status","op":"eq","value":"Complete (5)"}]`},
		{tickets, `[{"field":"status","op":"eq","value":"Complete"}]`},
		{tickets, `[{"field":"status","op":"eq","value":"Complete (6)"}]`},
		{tickets, `[{"field":"status","op":"eq","value":"Compleet"}]`},
		{tickets, `[{"field":"subIssueType","op":"eq","value":"Desktop / Laptop"}]`},
		{tickets, `[{"field":"queueID","op":"in","value":"Triage"}]`},
		// Groups, nested and deep.
		{tickets, `[{"op":"or","items":[{"field":"status","op":"eq","value":"New"},{"op":"and","items":[{"field":"priority","op":"eq","value":"High"},{"field":"companyID","op":"eq","value":174}]}]}]`},
		{tickets, `[{"op":"and","items":[{"op":"or","items":[{"op":"and","items":[{"op":"or","items":[{"op":"and","items":[{"op":"or","items":[{"op":"and","items":[{"op":"or","items":[{"op":"and","items":[{"field":"id","op":"exist"}]}]}]}]}]}]}]}]}]}]`},
		{tickets, `[{"op":"or","items":[]}]`},
		{tickets, `[{"op":"and","field":"id","items":[{"field":"id","op":"exist"}]}]`},
		// User-defined fields: one is allowed, two are not, and the flag must match the field.
		{tickets, `[{"field":"Customer Impact","op":"eq","value":"Single User","udf":true}]`},
		{companies, `[{"field":"Contract Tier","op":"contains","value":"Gold","udf":true}]`},
		{tickets, `[{"field":"Customer Impact","op":"exist","udf":true},{"op":"or","items":[{"field":"Root Cause","op":"eq","value":"x","udf":true}]}]`},
		{tickets, `[{"field":"title","op":"eq","value":"x","udf":true}]`},
		{tickets, `[{"field":"Customer Impact","op":"eq","value":"x"}]`},
		// Wrong types and values.
		{tickets, `[{"field":"companyID","op":"eq","value":"abc"}]`},
		{tickets, `[{"field":"companyID","op":"eq","value":1e400}]`},
		{tickets, `[{"field":"companyID","op":"gt","value":1.5}]`},
		{tickets, `[{"field":"createDate","op":"gt","value":"yesterday"}]`},
		{tickets, `[{"field":"createDate","op":"gt","value":20260101}]`},
		{timeEntries, `[{"field":"hoursWorked","op":"gte","value":"lots"}]`},
		{timeEntries, `[{"field":"isNonBillable","op":"eq","value":"maybe"}]`},
		{timeEntries, `[{"field":"isNonBillable","op":"eq","value":true}]`},
		{timeEntries, `[{"field":"isNonBillable","op":"noteq","value":"FALSE"}]`},
		{timeEntries, `[{"field":"hoursWorked","op":"in","value":["1.5",2,"NaN"]}]`},
		{timeEntries, `[{"field":"hoursWorked","op":"lt","value":"Inf"}]`},
		{timeEntries, `[{"field":"dateWorked","op":"gte","value":"9999-12-31T23:00:00-05:00"}]`},
		{timeEntries, `[{"field":"dateWorked","op":"lt","value":"0001-01-01T00:30:00+01:00"}]`},
		{timeEntries, `[{"field":"dateWorked","op":"contains","value":"2026-06"}]`},
		{tickets, `[{"field":"id","op":"eq","value":"10001"},{"field":"companyID","op":"notIn","value":[" 174 ","1e2"]}]`},
		{tickets, `[{"field":"id","op":"gt","value":-9223372036854775808}]`},
		{tickets, `[{"field":"id","op":"beginsWith","value":100}]`},
		{tickets, `[{"field":"title","op":"eq","value":{"a":1}}]`},
		{tickets, `[{"field":"title","op":"eq","value":["a"]}]`},
		{tickets, `[{"field":"title","op":"in","value":[]}]`},
		{tickets, `[{"field":"title","op":"eq"}]`},
		{tickets, `[{"field":"title","op":"eq","value":null}]`},
		{tickets, `[{"field":"title","op":"like","value":"x"}]`},
		{tickets, `[{"field":"title","value":"x"}]`},
		{tickets, `[{"op":"eq","value":"x"}]`},
		// Unknown fields, near misses and odd names.
		{tickets, `[{"field":"accountID","op":"eq","value":1}]`},
		{contacts, `[{"field":"emailAddress","op":"endsWith","value":"@example.com"}]`},
		{contacts, `[{"field":"firstName ","op":"beginsWith","value":"Ann"}]`},
		{contacts, `[{"field":"","op":"exist"}]`},
		{companies, `[{"field":"companyName","op":"eq","value":"` + strings.Repeat("A", 300) + `"}]`},
		// Not a filter at all.
		{tickets, `{"field":"id","op":"exist"}`}, {tickets, `null`}, {tickets, `[]`}, {tickets, `[null]`},
		{tickets, `[{"field":"id","op":"exist","extra":1}]`}, {tickets, `"[]"`}, {tickets, `[`},
	}
	for _, s := range seeds {
		f.Add(s.entity, s.filter)
	}

	f.Fuzz(func(t *testing.T, entity byte, filter string) {
		i := int(entity) % len(fuzzFilterEntities)
		name, md := fuzzFilterEntities[i], mds[i]

		// The filter goes through the tool's own argument decoding, strict as for a real call.
		var req mcp.CallToolRequest
		req.Params.RawArguments = []byte(`{"entity":"` + name + `","filter":` + filter + `}`)
		var in queryEntityInput
		if err := decodeArguments(req, &in); err != nil {
			requireArgError(t, filter, err)
			return
		}
		resolved, err := filterResolver{entity: name, md: md, client: client}.resolve(ctx, in.Filter)
		if err != nil {
			requireArgError(t, filter, err)
			return
		}
		requireCanonical(t, md, resolved)
		if len(resolved) == 0 {
			resolved = []autotask.Filter{autotask.MatchAll()}
		}
		// Whatever we accept, the API accepts: the count is one request, and the sandbox compiles
		// its filter exactly as it does for a query.
		_, err = client.Count(ctx, name, resolved)
		require.NoError(t, err, "%s filter %.300s was accepted, but the API refused it", name, filter)
	})
}

// requireArgError: a refusal is the assistant's to fix, so it must say what was wrong, briefly.
func requireArgError(t *testing.T, filter string, err error) {
	t.Helper()
	var ae *argError
	require.ErrorAs(t, err, &ae, "filter %.300s: refused with something other than an argument error", filter)
	msg := ae.Error()
	require.NotEmpty(t, strings.TrimSpace(msg), "filter %.300s: refused with an empty message", filter)
	require.LessOrEqual(t, len(msg), maxFilterErrorBytes, "filter %.300s: the refusal is too long for the assistant's context", filter)
	require.True(t, utf8.ValidString(msg), "filter %.300s: the refusal is not valid UTF-8: %q", filter, msg)
}

// requireCanonical: the resolver sends the metadata's own spelling of every field, so nothing depends
// on how forgiving the API is about case or spaces.
func requireCanonical(t *testing.T, md *autotask.Metadata, fs []autotask.Filter) {
	t.Helper()
	for _, f := range fs {
		if len(f.Items) > 0 {
			requireCanonical(t, md, f.Items)
			continue
		}
		lookup := md.Field
		if f.UDF {
			lookup = md.UDF
		}
		got, ok := lookup(f.Field)
		require.True(t, ok && got.Name == f.Field, "resolved field %q (udf %t) is not a canonical %s field name", f.Field, f.UDF, md.Entity)
	}
}
