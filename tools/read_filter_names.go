package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/internal/sanitize"
)

// A reference field in a filter takes a name as well as an id, so "open tickets for Contoso" is
// one call: {"field": "companyID", "op": "eq", "value": "Contoso"}. The name must match one
// record exactly (ignoring case); none or several is an error listing the nearest records with
// their ids, never a guess. "me" on a field that refers to a resource is the resource the server
// acts as: the impersonated one, else the API user's own. Lookups are cached by the client, so a
// name asked again costs no request.

// meWord is the name that means the resource the server acts as.
const meWord = "me"

// reference resolves a name given for reference field f to the record's id; ok is false when v is
// not a name (an id, or a field that is not a reference).
func (r filterResolver) reference(ctx context.Context, f autotask.Field, v any, at string) (json.Number, bool, error) {
	target, isRef := referenceTarget(f)
	s, isText := v.(string)
	if !isRef || !isText {
		return "", false, nil
	}
	if _, isID := integerValue(s); isID {
		return "", false, nil
	}
	s = strings.TrimSpace(s)
	var names nameLookup
	if r.client != nil {
		names = clientNames(ctx, r.client)
	}
	if id, ok, err := namedReference(f, s, names, at); ok || err != nil {
		return id, true, err
	}
	if r.client == nil {
		return "", false, nil
	}
	if strings.EqualFold(s, meWord) {
		id, err := r.me(ctx, f, target, at)
		return id, true, err
	}
	id, err := r.byName(ctx, f, target, s, at)
	return id, true, err
}

func (r filterResolver) me(ctx context.Context, f autotask.Field, target autotask.Entity, at string) (json.Number, error) {
	if target.Name != "Resources" {
		return "", badArgs("%s: %q means the resource you act as; %s refers to %s, so give a name or an id", at, meWord, f.Name, target.Name)
	}
	id, err := r.client.ActingResourceID(ctx)
	if errors.Is(err, autotask.ErrNotFound) {
		return "", badArgs("%s: %q is the resource this server acts as, and the API user has none: give the resource's name or id (the operator can set AUTOTASK_RESOURCE_ID)", at, meWord)
	}
	if err != nil {
		return "", fmt.Errorf("%s: find the resource %q means: %w", at, meWord, err)
	}
	return json.Number(strconv.FormatInt(id, 10)), nil
}

func (r filterResolver) byName(ctx context.Context, f autotask.Field, target autotask.Entity, name, at string) (json.Number, error) {
	found, err := r.client.FindByName(ctx, target.Name, name)
	if errors.Is(err, autotask.ErrNotSupported) {
		return "", badArgs("%s: %s records have no name to look up; give the id of the %s record", at, target.Name, f.Name)
	}
	if err != nil {
		return "", fmt.Errorf("%s: look up %s named %s: %w", at, target.Name, describeValue(name), err)
	}
	switch len(found) {
	case 1:
		return json.Number(strconv.FormatInt(found[0].ID, 10)), nil
	case 0:
		near, err := r.client.NameCandidates(ctx, target.Name, name)
		if err != nil || len(near) == 0 {
			return "", badArgs("%s: no %s record is named %s; give the id, or find the record with query_entity (entity %s)", at, target.Name, describeValue(name), target.Name)
		}
		return "", badArgs("%s: no %s record is named exactly %s. Similar: %s. Give the id, or the exact name", at, target.Name, describeValue(name), namedList(near))
	}
	more := ""
	if len(found) > autotask.NameMatchLimit {
		found, more = found[:autotask.NameMatchLimit], " and more"
	}
	return "", badArgs("%s: several %s records are named %s: %s%s. Give the id", at, target.Name, describeValue(name), namedList(found), more)
}

// namedList shows records as results show references: "Contoso (215), Contoso (260)".
func namedList(rs []autotask.NamedRecord) string {
	parts := make([]string, 0, len(rs))
	for _, r := range rs {
		parts = append(parts, fmt.Sprintf("%s (%d)", truncateRunes(sanitize.Text(r.Name), 60), r.ID))
	}
	return strings.Join(parts, ", ")
}
