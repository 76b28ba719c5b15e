package autotask

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"regexp"
	"strings"
)

// MaxPageSize is the most records one query page may hold.
const MaxPageSize = 500

// Query is the body of POST /{Entity}/query.
type Query struct {
	Filter        []Filter // empty -> MatchAll
	IncludeFields []string // empty -> every field
	MaxRecords    int      // records per page; 0 -> 500
}

// PageDetails is the API's pageDetails.
type PageDetails struct {
	Count        int    `json:"count"`
	RequestCount int    `json:"requestCount"`
	PrevPageURL  string `json:"prevPageUrl"`
	NextPageURL  string `json:"nextPageUrl"`
}

// Page is one page of query results.
type Page struct {
	Items   []Record
	Details PageDetails
}

type queryBody struct {
	MaxRecords    int      `json:"maxRecords"`
	IncludeFields []string `json:"includeFields,omitempty"`
	Filter        []Filter `json:"filter"`
}

// unknownFieldRE matches the API's answer to a field it does not know.
var unknownFieldRE = regexp.MustCompile(`(?i)unable to find (\S+) in the (\S+) entity`)

// queryRequest validates q for entity and builds the request body once, so that
// every page of a query is asked for with the same body.
func queryRequest(entity string, q Query) (Entity, []byte, error) {
	e, err := LookupEntity(entity)
	if err != nil {
		return Entity{}, nil, err
	}
	if !e.Capabilities.Query {
		return Entity{}, nil, fmt.Errorf("%w: %s cannot be queried", ErrNotSupported, e.Name)
	}
	body, err := encodeQuery(q)
	if err != nil {
		return Entity{}, nil, err
	}
	return e, body, nil
}

func encodeQuery(q Query) ([]byte, error) {
	perPage := q.MaxRecords
	if perPage == 0 {
		perPage = MaxPageSize
	}
	if perPage < 1 || perPage > MaxPageSize {
		return nil, fmt.Errorf("%w: maxRecords must be between 1 and %d, got %d", ErrValidation, MaxPageSize, q.MaxRecords)
	}
	filters := q.Filter
	if len(filters) == 0 {
		filters = []Filter{MatchAll()}
	}
	if err := ValidateFilters(filters); err != nil {
		return nil, err
	}
	return json.Marshal(queryBody{MaxRecords: perPage, IncludeFields: withID(q.IncludeFields), Filter: canonicalFilters(filters)})
}

// withID adds "id" to a non-empty field list: pages continue from the last id, and
// a record without its id cannot be fetched, updated or cited.
func withID(fields []string) []string {
	if len(fields) == 0 {
		return nil
	}
	out := make([]string, 0, len(fields)+1)
	hasID := false
	for _, f := range fields {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if strings.EqualFold(f, "id") {
			hasID = true
		}
		out = append(out, f)
	}
	if !hasID {
		out = append([]string{"id"}, out...)
	}
	return out
}

// Query asks for the first page of records of entity matching q.
func (c *Client) Query(ctx context.Context, entity string, q Query) (*Page, error) {
	e, body, err := queryRequest(entity, q)
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", entity, err)
	}
	page, err := c.queryPage(ctx, apiRequest{method: "POST", path: e.Name + "/query", body: body, kind: kindRead})
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", e.Name, c.explainUnknownField(ctx, e.Name, err))
	}
	return page, nil
}

// QueryNext follows a nextPageUrl with the same method (POST) and body as the
// first page. It refuses a URL on another host: the credentials go with it.
func (c *Client) QueryNext(ctx context.Context, entity string, q Query, nextPageURL string) (*Page, error) {
	e, body, err := queryRequest(entity, q)
	if err != nil {
		return nil, fmt.Errorf("query %s next page: %w", entity, err)
	}
	path, target, err := c.checkNextPageURL(ctx, nextPageURL)
	if err == nil {
		err = checkQueryPagePath(e.Name, path)
	}
	if err != nil {
		return nil, fmt.Errorf("query %s next page: %w", e.Name, err)
	}
	page, err := c.queryPage(ctx, apiRequest{method: "POST", path: path, url: target, body: body, kind: kindRead})
	if err != nil {
		return nil, fmt.Errorf("query %s next page: %w", e.Name, err)
	}
	return page, nil
}

func (c *Client) queryPage(ctx context.Context, req apiRequest) (*Page, error) {
	var env itemsEnvelope
	if err := c.call(ctx, req, &env); err != nil {
		return nil, err
	}
	items, err := asRecords(req, env.Items)
	if err != nil {
		return nil, err
	}
	return &Page{Items: items, Details: env.PageDetails}, nil
}

// checkNextPageURL makes sure next points at the client's own tenant and returns
// its path relative to V1.0 and the URL to request: the canonical base URL with
// that path, so the casing of ATServicesRest/V1.0 is always ours.
func (c *Client) checkNextPageURL(ctx context.Context, next string) (path, target string, err error) {
	base, err := c.BaseURL(ctx)
	if err != nil {
		return "", "", err
	}
	bu, _ := url.Parse(base)
	nu, err := url.Parse(next)
	if err != nil || !nu.IsAbs() {
		return "", "", fmt.Errorf("%w: next page URL %q is not an absolute URL", ErrValidation, next)
	}
	// The page is always requested through our own base URL, so only the host has to
	// match; a proxy that rewrites the scheme in the cursor does not matter.
	if (nu.Scheme != "http" && nu.Scheme != "https") || !strings.EqualFold(nu.Host, bu.Host) || nu.User != nil {
		return "", "", fmt.Errorf("%w: next page URL is not on the tenant's host %s", ErrValidation, bu.Host)
	}
	prefix := strings.ToLower(bu.EscapedPath())
	escaped := nu.EscapedPath()
	if !strings.HasPrefix(strings.ToLower(escaped), prefix) {
		return "", "", fmt.Errorf("%w: next page URL is not under the tenant's %s", ErrValidation, bu.Path)
	}
	rel := escaped[len(prefix):]
	target = base + rel
	if nu.RawQuery != "" {
		target += "?" + nu.RawQuery
	}
	if path, err = url.PathUnescape(rel); err != nil {
		path = rel
	}
	return path, target, nil
}

// checkQueryPagePath makes sure a next page is a page of the entity's own query. The query body is
// POSTed to it, and POST is also how the API creates: a nextPageUrl that came back in a cursor could
// otherwise aim a read at "Tickets" (a create), "Tickets/1/Notes", or climb out of the query with
// "..", which the server resolves before routing. The API's own next pages are
// {Entity}/query/next?paging=...; anything under {Entity}/query is a read.
func checkQueryPagePath(entity, path string) error {
	segs := strings.Split(path, "/")
	ok := len(segs) >= 2 && strings.EqualFold(segs[0], entity) && strings.EqualFold(segs[1], "query") &&
		!strings.Contains(path, `\`)
	for _, seg := range segs {
		if seg == "." || seg == ".." {
			ok = false
		}
	}
	if !ok {
		return fmt.Errorf("%w: next page URL is not a page of the %s query", ErrValidation, entity)
	}
	return nil
}

// QueryPages yields every page of the query in turn, fetching the next page only
// when the previous one has been consumed, so memory holds one page at a time.
func (c *Client) QueryPages(ctx context.Context, entity string, q Query) iter.Seq2[*Page, error] {
	return func(yield func(*Page, error) bool) {
		page, err := c.Query(ctx, entity, q)
		prev := ""
		for {
			if err != nil {
				yield(nil, err)
				return
			}
			next := page.Details.NextPageURL
			if !yield(page, nil) {
				return
			}
			if next == "" {
				return
			}
			if next == prev {
				yield(nil, fmt.Errorf("query %s: %w: the API returned the same next page URL twice", entity, ErrTransient))
				return
			}
			prev = next
			page = nil // let the consumed page be collected while the next one loads
			page, err = c.QueryNext(ctx, entity, q, next)
		}
	}
}

// QueryAll yields every record of every page, one page in memory at a time.
func (c *Client) QueryAll(ctx context.Context, entity string, q Query) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		for page, err := range c.QueryPages(ctx, entity, q) {
			if err != nil {
				yield(nil, err)
				return
			}
			for i, rec := range page.Items {
				page.Items[i] = nil
				if !yield(rec, nil) {
					return
				}
			}
		}
	}
}

// Count returns how many records of entity match filter, without fetching them.
func (c *Client) Count(ctx context.Context, entity string, filter []Filter) (int, error) {
	e, err := LookupEntity(entity)
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", entity, err)
	}
	if !e.Capabilities.Count {
		return 0, fmt.Errorf("count %s: %w: %s cannot be counted", e.Name, ErrNotSupported, e.Name)
	}
	if len(filter) == 0 {
		filter = []Filter{MatchAll()}
	}
	if err := ValidateFilters(filter); err != nil {
		return 0, fmt.Errorf("count %s: %w", e.Name, err)
	}
	body, err := json.Marshal(struct {
		Filter []Filter `json:"filter"`
	}{canonicalFilters(filter)})
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", e.Name, err)
	}
	var env struct {
		QueryCount json.Number `json:"queryCount"`
	}
	if err := c.call(ctx, apiRequest{method: "POST", path: e.Name + "/query/count", body: body, kind: kindRead}, &env); err != nil {
		return 0, fmt.Errorf("count %s: %w", e.Name, c.explainUnknownField(ctx, e.Name, err))
	}
	n, err := env.QueryCount.Int64()
	if err != nil {
		return 0, fmt.Errorf("count %s: %w: queryCount %q is not a number", e.Name, ErrTransient, env.QueryCount)
	}
	return int(n), nil
}

// explainUnknownField adds the nearest real field names to the API's "Unable to
// find X in the Y Entity", using metadata (cached; fetched once if need be).
func (c *Client) explainUnknownField(ctx context.Context, entity string, err error) error {
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Kind != ErrUnknownField {
		return err
	}
	m := unknownFieldRE.FindStringSubmatch(strings.Join(apiErr.Messages, " "))
	if m == nil {
		return err
	}
	field := m[1]
	meta, merr := c.Metadata(ctx, entity)
	if merr != nil {
		return err
	}
	hint := didYouMean(Closest(field, meta.FieldNames(), 3))
	if hint == "" {
		return fmt.Errorf("no field %q on %s: %w", field, entity, err)
	}
	return fmt.Errorf("no field %q on %s%s: %w", field, entity, hint, err)
}
