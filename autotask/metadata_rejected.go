package autotask

import (
	"net/http"
	"strings"
)

// dropRejectedMetadata forgets, in memory and on disk, an entity's metadata when the API
// refused a field or a picklist value that this metadata lists: the cached copy called valid
// what the tenant no longer has, and the next call fetches it again. A refused name the cache
// does not list either (an assistant's typo) leaves it alone: refetching would not help and
// would cost the hourly budget on every typo.
func (c *Client) dropRejectedMetadata(req apiRequest, apiErr *APIError) {
	if apiErr.StatusCode != http.StatusInternalServerError || (apiErr.Kind != ErrUnknownField && apiErr.Kind != ErrValidation) {
		return
	}
	if entity, ok := c.rejectedListedValue(req, apiErr.Messages); ok {
		c.log.Info("autotask metadata dropped: the API refused a field or picklist value it lists", "entity", entity)
		c.RefreshMetadata(entity)
	}
}

// rejectedListedValue finds, in the API's refusal, an unknown field ("Unable to find X in the Y
// entity") or a missing picklist value ("Picklist value [X] does not exist for Y.") that the
// cached metadata lists, and names its entity.
func (c *Client) rejectedListedValue(req apiRequest, msgs []string) (string, bool) {
	if m := unknownFieldRE.FindStringSubmatch(strings.Join(msgs, " ")); m != nil {
		e, err := LookupEntity(m[2])
		if err != nil {
			return "", false
		}
		meta, ok := c.CachedMetadata(e.Name)
		if !ok {
			return "", false
		}
		_, listed := meta.Field(m[1])
		return meta.Entity, listed
	}
	entity := requestEntity(req.path)
	if entity == "" {
		return "", false
	}
	meta, ok := c.CachedMetadata(entity)
	if !ok {
		return "", false
	}
	for _, msg := range msgs {
		value, field, ok := parsePicklistRefusal(msg)
		if !ok {
			continue
		}
		if p, ok := meta.Picklist(field); ok {
			if _, listed := p.Label(value); listed {
				return meta.Entity, true
			}
		}
	}
	return "", false
}

// parsePicklistRefusal reads "Picklist value [X] does not exist for Y." as (X, Y).
func parsePicklistRefusal(msg string) (value, field string, ok bool) {
	_, rest, ok := strings.Cut(msg, "Picklist value [")
	if !ok {
		return "", "", false
	}
	value, rest, ok = strings.Cut(rest, "] does not exist for ")
	if !ok {
		return "", "", false
	}
	field = strings.TrimSuffix(strings.TrimSpace(rest), ".")
	return value, field, field != ""
}

// requestEntity is the entity whose fields a request's body or filter uses: the child's for
// /{Parent}/{id}/{Segment}, else the first segment's; "" when the path names none.
func requestEntity(path string) string {
	segs := strings.Split(strings.TrimLeft(path, "/"), "/")
	if len(segs) >= 3 {
		if r, err := LookupChildRoute(segs[0], segs[2]); err == nil {
			return r.Entity
		}
	}
	e, err := LookupEntity(segs[0])
	if err != nil {
		return ""
	}
	return e.Name
}
