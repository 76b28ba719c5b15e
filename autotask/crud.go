package autotask

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// The envelopes hold records as any: encoding/json builds a map[string]any by itself only when it
// decodes into an empty interface, while into a Record, a named map, it goes by reflection, an
// allocation and a reflect call for every field. asRecord and asRecords make Records of them.
type itemEnvelope struct {
	Item any `json:"item"`
}

type itemsEnvelope struct {
	Items       []any       `json:"items"`
	PageDetails PageDetails `json:"pageDetails"`
}

// asRecord is a decoded item as a Record; a JSON null is nil. An item that is not an object is a
// malformed answer, transient like any other malformed body of a read.
func asRecord(req apiRequest, item any) (Record, error) {
	switch m := item.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return Record(m), nil
	}
	return nil, &APIError{Method: req.method, Path: req.path, StatusCode: 200, Kind: ErrTransient,
		Err: fmt.Errorf("malformed response body: an item is a JSON %s, not an object", jsonKind(item))}
}

func asRecords(req apiRequest, items []any) ([]Record, error) {
	if items == nil {
		return nil, nil
	}
	out := make([]Record, len(items))
	for i, item := range items {
		rec, err := asRecord(req, item)
		if err != nil {
			return nil, err
		}
		out[i] = rec
	}
	return out, nil
}

// jsonKind names the JSON type of a value decoded with UseNumber.
func jsonKind(v any) string {
	switch v.(type) {
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	}
	return fmt.Sprintf("%T", v)
}

type itemIDEnvelope struct {
	ItemID json.Number `json:"itemId"`
}

// entityFor resolves entity and checks the capability table, so an operation the
// API does not offer fails before any request is spent on it.
func entityFor(entity, op string, allowed func(Capabilities) bool) (Entity, error) {
	e, err := LookupEntity(entity)
	if err != nil {
		return Entity{}, err
	}
	if !allowed(e.Capabilities) {
		return e, fmt.Errorf("%w: the API does not allow %s on %s", ErrNotSupported, op, e.Name)
	}
	return e, nil
}

func childFor(parent, segment, op string, allowed func(Capabilities) bool) (ChildRoute, error) {
	r, err := LookupChildRoute(parent, segment)
	if err != nil {
		return ChildRoute{}, err
	}
	if !allowed(r.Capabilities) {
		return r, fmt.Errorf("%w: the API does not allow %s on %s/{id}/%s", ErrNotSupported, op, r.Parent, r.Segment)
	}
	return r, nil
}

func checkID(what string, id int64) error {
	// Ids start at 0: the owner company of every tenant is Companies 0.
	if id < 0 {
		return fmt.Errorf("%w: %s id must not be negative, got %d", ErrValidation, what, id)
	}
	return nil
}

// Get fetches one record by id; ErrNotFound when the API answers {"item": null}.
func (c *Client) Get(ctx context.Context, entity string, id int64) (Record, error) {
	e, err := entityFor(entity, "get", func(c Capabilities) bool { return c.Get })
	if err == nil {
		err = checkID(e.Name, id)
	}
	if err != nil {
		return nil, fmt.Errorf("get %s %d: %w", entity, id, err)
	}
	rec, err := c.getItem(ctx, fmt.Sprintf("%s/%d", e.Name, id))
	if err != nil {
		return nil, fmt.Errorf("get %s %d: %w", e.Name, id, err)
	}
	return rec, nil
}

// GetChild fetches one record through its parent: /{parent}/{parentID}/{segment}/{id}.
func (c *Client) GetChild(ctx context.Context, parent string, parentID int64, segment string, id int64) (Record, error) {
	r, err := childFor(parent, segment, "get", func(c Capabilities) bool { return c.Get })
	if err == nil {
		err = checkID(parent, parentID)
	}
	if err == nil {
		err = checkID(segment, id)
	}
	if err != nil {
		return nil, fmt.Errorf("get %s %d %s %d: %w", parent, parentID, segment, id, err)
	}
	rec, err := c.getItem(ctx, fmt.Sprintf("%s/%d/%s/%d", r.Parent, parentID, r.Segment, id))
	if err != nil {
		return nil, fmt.Errorf("get %s %d %s %d: %w", r.Parent, parentID, r.Segment, id, err)
	}
	return rec, nil
}

func (c *Client) getItem(ctx context.Context, path string) (Record, error) {
	var env itemEnvelope
	req := apiRequest{method: "GET", path: path, kind: kindRead}
	if err := c.call(ctx, req, &env); err != nil {
		return nil, err
	}
	rec, err := asRecord(req, env.Item)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		return nil, &APIError{Method: "GET", Path: path, StatusCode: 200, Kind: ErrNotFound,
			Messages: []string{"no record with this id"}}
	}
	return rec, nil
}

// ListChildren returns every record under a parent: GET /{parent}/{parentID}/{segment}.
// Child collections have no /query, so pages are followed with GET.
func (c *Client) ListChildren(ctx context.Context, parent string, parentID int64, segment string) ([]Record, error) {
	r, err := childFor(parent, segment, "list", func(c Capabilities) bool { return c.Query })
	if err == nil {
		err = checkID(parent, parentID)
	}
	if err != nil {
		return nil, fmt.Errorf("list %s %d %s: %w", parent, parentID, segment, err)
	}
	req := apiRequest{method: "GET", path: fmt.Sprintf("%s/%d/%s", r.Parent, parentID, r.Segment), kind: kindRead}
	var out []Record
	seen := map[string]bool{}
	for {
		var env itemsEnvelope
		if err := c.call(ctx, req, &env); err != nil {
			return nil, fmt.Errorf("list %s %d %s: %w", r.Parent, parentID, r.Segment, err)
		}
		items, err := asRecords(req, env.Items)
		if err != nil {
			return nil, fmt.Errorf("list %s %d %s: %w", r.Parent, parentID, r.Segment, err)
		}
		out = append(out, items...)
		next := env.PageDetails.NextPageURL
		if next == "" || seen[next] {
			return out, nil
		}
		seen[next] = true
		path, target, err := c.checkNextPageURL(ctx, next)
		if err != nil {
			return nil, fmt.Errorf("list %s %d %s: %w", r.Parent, parentID, r.Segment, err)
		}
		req = apiRequest{method: "GET", path: path, url: target, kind: kindRead}
	}
}

// Create creates a record and returns its id. The request is never resent: if
// the answer is lost the error wraps ErrOutcomeUnknown. An entity the API only
// creates through its parent (TicketNotes) goes through that route, with the
// parent id taken from the body (ticketID).
func (c *Client) Create(ctx context.Context, entity string, body Record) (int64, error) {
	e, err := LookupEntity(entity)
	if err != nil {
		return 0, fmt.Errorf("create %s: %w", entity, err)
	}
	if !e.Capabilities.Create {
		if r, ok := CreateRouteFor(e.Name); ok {
			return c.viaParent(ctx, "create", e, r, body, c.CreateChild)
		}
		return 0, fmt.Errorf("create %s: %w: the API does not allow creating %s", e.Name, ErrNotSupported, e.Name)
	}
	id, err := c.writeRecord(ctx, "POST", e.Name, body, kindCreate)
	if err != nil {
		return 0, fmt.Errorf("create %s: %w", e.Name, err)
	}
	return id, nil
}

// CreateChild creates a record through its parent: POST /{parent}/{parentID}/{segment}.
func (c *Client) CreateChild(ctx context.Context, parent string, parentID int64, segment string, body Record) (int64, error) {
	r, err := childFor(parent, segment, "create", func(c Capabilities) bool { return c.Create })
	if err == nil {
		err = checkID(parent, parentID)
	}
	if err != nil {
		return 0, fmt.Errorf("create %s %d %s: %w", parent, parentID, segment, err)
	}
	id, err := c.writeRecord(ctx, "POST", fmt.Sprintf("%s/%d/%s", r.Parent, parentID, r.Segment), body, kindCreate)
	if err != nil {
		return 0, fmt.Errorf("create %s %d %s: %w", r.Parent, parentID, r.Segment, err)
	}
	return id, nil
}

// Update replaces a record with PUT on the collection URL (id in the body). PUT
// nulls every writable field the body does not carry: send a whole fresh record.
func (c *Client) Update(ctx context.Context, entity string, body Record) (int64, error) {
	return c.replace(ctx, "PUT", "update", entity, body, func(c Capabilities) bool { return c.Put })
}

// Patch changes only the fields the body carries (id in the body). Tickets are
// refused: only GET-then-PUT is known to leave the rest of a ticket untouched
// (UpdateTicket; the ticket contract, package autotask).
func (c *Client) Patch(ctx context.Context, entity string, body Record) (int64, error) {
	e, lookupErr := LookupEntity(entity)
	if lookupErr == nil && e.Name == "Tickets" {
		return 0, fmt.Errorf("patch Tickets: %w: tickets are changed only by a PUT of the fresh ticket (UpdateTicket)", ErrNotSupported)
	}
	id, err := c.replace(ctx, "PATCH", "patch", entity, body, func(c Capabilities) bool { return c.Patch })
	var apiErr *APIError
	if lookupErr == nil && errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusMethodNotAllowed {
		c.patchRefused.Store(e.Name, true)
	}
	return id, err
}

// PatchRefused says whether this tenant answered a PATCH on entity with 405 Method Not Allowed:
// it updates the entity only by PUT, whatever the spec offers, and a 405 applied nothing.
func (c *Client) PatchRefused(entity string) bool {
	e, err := LookupEntity(entity)
	if err != nil {
		return false
	}
	_, refused := c.patchRefused.Load(e.Name)
	return refused
}

func (c *Client) replace(ctx context.Context, method, op, entity string, body Record, allowed func(Capabilities) bool) (int64, error) {
	e, err := LookupEntity(entity)
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", op, entity, err)
	}
	if body.ID() <= 0 {
		if _, ok := body.Int("id"); !ok {
			return 0, fmt.Errorf("%s %s: %w: the body needs the record's id", op, e.Name, ErrValidation)
		}
	}
	if !allowed(e.Capabilities) {
		// A child-only entity is changed through its parent's route.
		for _, route := range generatedChildRoutes {
			if route.Entity == e.Name && allowed(route.Capabilities) {
				write := func(ctx context.Context, parent string, pid int64, segment string, b Record) (int64, error) {
					return c.writeChild(ctx, method, op, parent, pid, segment, b)
				}
				return c.viaParent(ctx, op, e, route, body, write)
			}
		}
		return 0, fmt.Errorf("%s %s: %w: the API does not allow %s on %s", op, e.Name, ErrNotSupported, method, e.Name)
	}
	id, err := c.writeRecord(ctx, method, e.Name, body, kindWrite)
	if err != nil {
		return 0, fmt.Errorf("%s %s %d: %w", op, e.Name, body.ID(), err)
	}
	if id == 0 {
		id = body.ID()
	}
	return id, nil
}

func (c *Client) writeChild(ctx context.Context, method, op, parent string, parentID int64, segment string, body Record) (int64, error) {
	r, err := childFor(parent, segment, op, func(cp Capabilities) bool {
		if method == "PATCH" {
			return cp.Patch
		}
		return cp.Put
	})
	if err != nil {
		return 0, fmt.Errorf("%s %s %d %s: %w", op, parent, parentID, segment, err)
	}
	id, err := c.writeRecord(ctx, method, fmt.Sprintf("%s/%d/%s", r.Parent, parentID, r.Segment), body, kindWrite)
	if err != nil {
		return 0, fmt.Errorf("%s %s %d %s %d: %w", op, r.Parent, parentID, r.Segment, body.ID(), err)
	}
	return id, nil
}

// viaParent sends a write for a child-only entity through its parent route, with
// the parent's id read from the body's reference field (TicketNotes.ticketID).
func (c *Client) viaParent(ctx context.Context, op string, e Entity, r ChildRoute,
	body Record, write func(context.Context, string, int64, string, Record) (int64, error)) (int64, error) {
	field := parentIDField(r.Parent)
	pid, ok := body.Int(field)
	if !ok {
		return 0, fmt.Errorf("%s %s: %w: %s is written through %s/{id}/%s; set %s in the body",
			op, e.Name, ErrNotSupported, e.Name, r.Parent, r.Segment, field)
	}
	return write(ctx, r.Parent, pid, r.Segment, body)
}

// parentIDField is the reference a child carries to its parent: Tickets -> ticketID.
func parentIDField(parent string) string {
	name := parent
	if e, err := LookupEntity(parent); err == nil && e.Model != "" {
		name = e.Model
	}
	return strings.ToLower(name[:1]) + name[1:] + "ID"
}

// Delete deletes a record by id.
func (c *Client) Delete(ctx context.Context, entity string, id int64) error {
	e, err := entityFor(entity, "delete", func(c Capabilities) bool { return c.Delete })
	if err == nil {
		err = checkID(e.Name, id)
	}
	if err != nil {
		return fmt.Errorf("delete %s %d: %w", entity, id, err)
	}
	if _, err := c.send(ctx, "DELETE", fmt.Sprintf("%s/%d", e.Name, id), nil, kindWrite); err != nil {
		return fmt.Errorf("delete %s %d: %w", e.Name, id, err)
	}
	return nil
}

// DeleteChild deletes a record through its parent: DELETE /{parent}/{parentID}/{segment}/{id}.
func (c *Client) DeleteChild(ctx context.Context, parent string, parentID int64, segment string, id int64) error {
	r, err := childFor(parent, segment, "delete", func(c Capabilities) bool { return c.Delete })
	if err == nil {
		err = checkID(segment, id)
	}
	if err != nil {
		return fmt.Errorf("delete %s %d %s %d: %w", parent, parentID, segment, id, err)
	}
	if _, err := c.send(ctx, "DELETE", fmt.Sprintf("%s/%d/%s/%d", r.Parent, parentID, r.Segment, id), nil, kindWrite); err != nil {
		return fmt.Errorf("delete %s %d %s %d: %w", r.Parent, parentID, r.Segment, id, err)
	}
	return nil
}

func (c *Client) writeRecord(ctx context.Context, method, path string, body Record, kind reqKind) (int64, error) {
	if body == nil {
		return 0, fmt.Errorf("%w: empty body", ErrValidation)
	}
	data, err := json.Marshal(body)
	if err != nil {
		return 0, fmt.Errorf("%w: body is not JSON: %w", ErrValidation, err)
	}
	return c.send(ctx, method, path, data, kind)
}

// send performs a write and reads the {"itemId"} answer.
func (c *Client) send(ctx context.Context, method, path string, data []byte, kind reqKind) (int64, error) {
	var env itemIDEnvelope
	if err := c.call(ctx, apiRequest{method: method, path: path, body: data, kind: kind}, &env); err != nil {
		return 0, err
	}
	if env.ItemID == "" {
		if kind == kindCreate {
			return 0, &APIError{Method: method, Path: path, StatusCode: 200, Kind: ErrOutcomeUnknown,
				Err: fmt.Errorf("the API accepted the request but answered without an itemId")}
		}
		return 0, nil
	}
	id, err := env.ItemID.Int64()
	if err != nil {
		return 0, &APIError{Method: method, Path: path, StatusCode: 200, Kind: ErrOutcomeUnknown,
			Err: fmt.Errorf("the API answered with an unreadable itemId %q", env.ItemID)}
	}
	return id, nil
}
