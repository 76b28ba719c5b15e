package prompts

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/autotask-mcp/autotask-mcp/autotask"
)

// queryLimit is how many records a completion query asks for: the values a person can scan
// while typing. One more is asked for, to know whether there are more.
const queryLimit = 10

var errNoClient = errors.New("no Autotask client")

// entityNames are the catalog's entities whose fields can be described, beginning with prefix.
func entityNames(prefix string) []string {
	out := []string{}
	for _, e := range autotask.Entities() {
		if e.Capabilities.EntityInfo && hasPrefixFold(e.Name, prefix) {
			out = append(out, e.Name)
		}
	}
	return out
}

// picklistLabels are the active labels of a picklist, in the tenant's order.
func picklistLabels(ctx context.Context, client *autotask.Client, entity, field string) ([]string, bool, error) {
	if client == nil {
		return nil, false, errNoClient
	}
	p, err := client.FieldPicklist(ctx, entity, field)
	if err != nil {
		return nil, false, err
	}
	out := make([]string, 0, len(p.Values))
	for _, v := range p.Values {
		if v.IsActive {
			out = append(out, v.Label)
		}
	}
	return out, false, nil
}

// queryValues looks up the records of kind matching prefix with one query.
func queryValues(ctx context.Context, client *autotask.Client, kind Kind, prefix string) ([]string, bool, error) {
	if client == nil {
		return nil, false, errNoClient
	}
	var (
		entity string
		q      = autotask.Query{MaxRecords: queryLimit + 1}
		value  func(autotask.Record) string
	)
	switch kind {
	case TicketNumbers:
		entity = "Tickets"
		q.Filter = []autotask.Filter{autotask.BeginsWith("ticketNumber", prefix)}
		q.IncludeFields = []string{"ticketNumber"}
		value = func(r autotask.Record) string { return r.String("ticketNumber") }
	case CompanyNames:
		entity = "Companies"
		q.Filter = []autotask.Filter{autotask.BeginsWith("companyName", prefix), autotask.Eq("isActive", true)}
		q.IncludeFields = []string{"companyName"}
		value = func(r autotask.Record) string { return r.String("companyName") }
	case ResourceNames:
		entity = "Resources"
		q.Filter = append(resourceNameFilter(prefix), autotask.Eq("isActive", true))
		q.IncludeFields = []string{"firstName", "lastName"}
		value = func(r autotask.Record) string {
			return strings.TrimSpace(r.String("firstName") + " " + r.String("lastName"))
		}
	default:
		return nil, false, fmt.Errorf("%s: not a queried kind", kind)
	}
	page, err := client.Query(ctx, entity, q)
	if err != nil {
		return nil, false, fmt.Errorf("complete %s %q: %w", kind, prefix, err)
	}
	more := len(page.Items) > queryLimit || page.Details.NextPageURL != ""
	out := make([]string, 0, len(page.Items))
	for _, r := range page.Items {
		v := value(r)
		if v == "" || slices.Contains(out, v) {
			continue
		}
		out = append(out, v)
	}
	slices.Sort(out)
	if len(out) > queryLimit {
		out, more = out[:queryLimit], true
	}
	return out, more, nil
}

// resourceNameFilter matches a person by what was typed of their name: one word begins the
// first or the last name; more words are the first name's start and the last name's start.
func resourceNameFilter(prefix string) []autotask.Filter {
	words := strings.Fields(prefix)
	if len(words) == 1 {
		return []autotask.Filter{autotask.Or(
			autotask.BeginsWith("firstName", words[0]),
			autotask.BeginsWith("lastName", words[0]),
		)}
	}
	return []autotask.Filter{
		autotask.BeginsWith("firstName", words[0]),
		autotask.BeginsWith("lastName", words[len(words)-1]),
	}
}

// withPrefix keeps the values that begin with prefix, ignoring case.
func withPrefix(values []string, prefix string) []string {
	out := []string{}
	for _, v := range values {
		if hasPrefixFold(v, prefix) {
			out = append(out, v)
		}
	}
	return out
}

func hasPrefixFold(s, prefix string) bool {
	return strings.HasPrefix(strings.ToLower(s), strings.ToLower(prefix))
}
