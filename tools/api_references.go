package tools

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/internal/sanitize"
)

// Reference values handed back: results show a reference as "Contoso (215)", and the assistant
// may give that form wherever the id is expected. The id decides; the name must be the record's
// current name, as a picklist's label must agree with its id, so a value pieced together from the
// wrong row is refused instead of written or searched for.

// nameLookup gives a record's current name; found is false when there is no such record (or it
// has no name).
type nameLookup func(entity string, id int64) (name string, found bool, err error)

// clientNames is a nameLookup over the client's cached names: no request for a name a result has
// just shown.
func clientNames(ctx context.Context, client *autotask.Client) nameLookup {
	return func(entity string, id int64) (string, bool, error) {
		got, err := client.Names(ctx, entity, []int64{id})
		if err != nil {
			return "", false, err
		}
		name, ok := got[id]
		return name, ok, nil
	}
}

// referenceTarget is the entity a reference field points at; false for any other field.
func referenceTarget(f autotask.Field) (autotask.Entity, bool) {
	if !f.IsReference || f.IsPickList || f.ReferenceEntityType == "" {
		return autotask.Entity{}, false
	}
	e, err := autotask.LookupEntity(f.ReferenceEntityType)
	return e, err == nil
}

// namedReference reads a "Name (id)" value of reference field f. ok is false when v is not in that
// form; err says the name is not the record's. Without names the id is taken as is; a name that
// cannot be read (the API failing) does not stop the id either.
func namedReference(f autotask.Field, v any, names nameLookup, at string) (id json.Number, ok bool, err error) {
	target, isRef := referenceTarget(f)
	s, isText := v.(string)
	if !isRef || !isText {
		return "", false, nil
	}
	m := labelledPattern.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", false, nil
	}
	n, perr := strconv.ParseInt(strings.TrimSpace(m[2]), 10, 64)
	if perr != nil {
		return "", false, nil
	}
	given := strings.TrimSpace(m[1])
	if names != nil {
		current, found, lerr := names(target.Name, n)
		switch {
		case lerr != nil:
		case !found:
			return "", true, badArgs("%s: %s has no record %d named %s; give the id alone, or find the record with query_entity", at, target.Name, n, describeValue(given))
		case !strings.EqualFold(normalSpaces(sanitize.Text(current)), normalSpaces(given)):
			return "", true, badArgs("%s: %s %d is %s, not %s; give the id alone, or the name and id as a result shows them", at, target.Name, n, describeValue(sanitize.Text(current)), describeValue(given))
		}
	}
	return json.Number(strconv.FormatInt(n, 10)), true, nil
}

func normalSpaces(s string) string { return strings.Join(strings.Fields(s), " ") }
