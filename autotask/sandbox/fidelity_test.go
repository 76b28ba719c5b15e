package sandbox_test

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/autotask-mcp/autotask-mcp/autotask/sandbox"
)

// fidelityCase is one behaviour of the real API the sandbox reproduces, with where we know
// it from, in a form a reader of the repository can check:
//   - "spec ...": a path or definition of the vendor spec in internal/spec/autotask-api
//     (entity-capabilities.json there is the per-entity capability table);
//   - "the ticket contract: ...": one of the rules listed in package autotask's doc;
//   - "measured: ...": seen on a live tenant, with the answer it gave;
//   - "reported ...": an issue of another Autotask client, by owner/repo#number;
//   - "API: ...": the behaviour itself, stated, when it is known from the product and
//     its clients rather than from one document;
//   - "sandbox only: ...": the sandbox's own data or test aid, not a claim about the API.
type fidelityCase struct {
	name   string
	source string
	opts   sandbox.Options
	setup  func(t *testing.T, tn *tenant, fx fixture)

	method, path, body string // {placeholders} filled from the fixture
	headers            map[string]string
	status             int
	check              func(t *testing.T, tn *tenant, fx fixture, r response)
}

// smallTenant is enough for every row and quick to seed.
var smallTenant = sandbox.Options{Tickets: 60, Companies: 8}

func TestFidelity(t *testing.T) {
	for _, tc := range fidelityCases() {
		t.Run(tc.name, func(t *testing.T) {
			require.NotEmpty(t, tc.source, "every behaviour names its source")
			opts := tc.opts
			if opts.Tickets == 0 {
				opts = smallTenant
			}
			tn := newTenant(t, opts)
			fx := fixtureOf(t, tn.s)
			if tc.setup != nil {
				tc.setup(t, tn, fx)
			}
			headers := map[string]string{}
			for k, v := range tc.headers {
				headers[k] = fx.fill(v)
			}
			r := tn.do(t, tc.method, fx.fill(tc.path), fx.fill(tc.body), headers)
			require.Equal(t, tc.status, r.status, "source: %s\nbody: %s", tc.source, r.raw)
			if tc.check != nil {
				tc.check(t, tn, fx, r)
			}
		})
	}
}

const matchAll = `{"op":"exist","field":"id"}`

func fidelityCases() []fidelityCase {
	var cases []fidelityCase
	cases = append(cases, routingCases()...)
	cases = append(cases, authCases()...)
	cases = append(cases, queryCases()...)
	cases = append(cases, writeCases()...)
	cases = append(cases, ticketCases()...)
	cases = append(cases, timeEntryCases()...)
	cases = append(cases, metadataCases()...)
	cases = append(cases, limitCases()...)
	return cases
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func mustRecord(t testing.TB, s *sandbox.Sandbox, entity, id string) map[string]any {
	t.Helper()
	n, err := strconv.ParseInt(id, 10, 64)
	require.NoError(t, err)
	rec, ok := s.Record(entity, n)
	require.True(t, ok, "%s %s", entity, id)
	return rec
}
