package tools

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/invopop/jsonschema"

	"github.com/autotask-mcp/autotask-mcp/autotask"
)

// count_only with group_by answers "how many tickets did each queue get this month" in one call
// and a few hundred bytes, whatever the tenant's size. There are two ways to count, and the
// cheaper one is taken once the total is known (one count request):
//
//   - one count request per picklist value: the picklist's size, however many records match;
//   - paging through the matching records, 500 a page, reading only the field: one request per
//     500 records, for any picklist or reference field.
//
// Records without a value are the total less the counted ones when counting per value. The
// result states the requests it cost. A grouping that would cost more than maxGroupRequests is
// refused with what to do instead, rather than spending a fifth of the tenant's hourly budget on
// one answer.

const (
	maxGroupRequests = 50
	groupsShown      = 50
)

// groupCount is one value of the group_by field and how many matching records hold it.
type groupCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// The groups' schemas are their properties' descriptions (query_entity's output).
func (groupCount) JSONSchema() *jsonschema.Schema { return &jsonschema.Schema{Type: "object"} }
func (groupRest) JSONSchema() *jsonschema.Schema  { return &jsonschema.Schema{Type: "object"} }

// groupRest sums up the groups beyond the ones listed.
type groupRest struct {
	Groups int `json:"groups"`
	Count  int `json:"count"`
}

// groupCounts fills out with the total and the per-value counts of field groupBy over filter; the
// caller states the requests it cost.
func groupCounts(ctx context.Context, deps Deps, md *autotask.Metadata, filter []autotask.Filter, groupBy string, out *queryEntityOutput) error {
	f, err := groupField(md, groupBy)
	if err != nil {
		return err
	}
	total, err := deps.Client.Count(ctx, md.Entity, filter)
	if err != nil {
		return fmt.Errorf("count %s: %w", md.Entity, err)
	}
	var values []autotask.PicklistValue
	if p, ok := md.Picklist(f.Name); ok && f.IsPickList {
		values = p.Values
	}
	pages := (total + autotask.MaxPageSize - 1) / autotask.MaxPageSize
	perValue := len(values) > 0 && len(values) <= pages
	cost := pages
	if perValue {
		cost = len(values)
	}
	if cost > maxGroupRequests {
		return badArgs("group_by %s over %d %s would cost %d requests (the most one answer may spend is %d); narrow the filter (a date range, a queue), then group", f.Name, total, md.Entity, cost, maxGroupRequests)
	}
	var counts map[string]int
	switch {
	case total == 0:
	case perValue:
		counts, err = countPerValue(ctx, deps, md.Entity, filter, f, values, total)
	default:
		counts, err = countByPaging(ctx, deps, md.Entity, filter, f)
	}
	if err != nil {
		return err
	}
	groups, rest := sortGroups(counts)
	out.Total, out.GroupBy = &total, f.Name
	out.Groups = labelGroups(ctx, deps, md, f, groups, out)
	out.OtherGroups = rest
	return nil
}

// groupField is the field to group by: a picklist or a reference.
func groupField(md *autotask.Metadata, name string) (autotask.Field, error) {
	f, ok := md.Field(strings.TrimSpace(name))
	if !ok {
		return autotask.Field{}, unknownFieldError("group_by", md.Entity, name, md)
	}
	if _, isRef := referenceTarget(f); !f.IsPickList && !isRef {
		return autotask.Field{}, badArgs("group_by: %s.%s is neither a picklist nor a reference, so it has no values to count by; describe_fields with entity %q shows which fields are", md.Entity, f.Name, md.Entity)
	}
	return f, nil
}

// countPerValue sends one count per picklist value, a few at a time (the client keeps the
// endpoint within its in-flight limit); records with no value are the rest of total.
func countPerValue(ctx context.Context, deps Deps, entity string, filter []autotask.Filter, f autotask.Field, values []autotask.PicklistValue, total int) (map[string]int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	counts := make(map[string]int, len(values)+1)
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	slots := make(chan struct{}, autotask.DefaultMaxInFlight)
	for _, v := range values {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			n, err := deps.Client.Count(ctx, entity, append(slices.Clone(filter), autotask.Eq(f.Name, typedID(f, v.Value))))
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = fmt.Errorf("count %s by %s %s: %w", entity, f.Name, v.Value, err)
					cancel()
				}
				return
			}
			if n > 0 {
				counts[v.Value] += n
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	counted := 0
	for _, n := range counts {
		counted += n
	}
	if rest := total - counted; rest > 0 {
		counts[""] = rest
	}
	return counts, nil
}

// countByPaging reads the field of every matching record, 500 a page.
func countByPaging(ctx context.Context, deps Deps, entity string, filter []autotask.Filter, f autotask.Field) (map[string]int, error) {
	counts := map[string]int{}
	q := autotask.Query{Filter: filter, IncludeFields: []string{f.Name}, MaxRecords: autotask.MaxPageSize}
	for rec, err := range deps.Client.QueryAll(ctx, entity, q) {
		if err != nil {
			return nil, fmt.Errorf("count %s by %s: %w", entity, f.Name, err)
		}
		key := ""
		if v := rec[f.Name]; !isEmpty(v) {
			key = scalarString(v)
		}
		counts[key]++
	}
	return counts, nil
}

type rawGroup struct {
	key   string // the stored value; "" for none
	count int
}

// sortGroups orders the groups by count, largest first, and keeps groupsShown of them.
func sortGroups(counts map[string]int) ([]rawGroup, *groupRest) {
	groups := make([]rawGroup, 0, len(counts))
	for k, n := range counts {
		groups = append(groups, rawGroup{k, n})
	}
	slices.SortFunc(groups, func(a, b rawGroup) int {
		return cmp.Or(cmp.Compare(b.count, a.count), cmp.Compare(a.key, b.key))
	})
	if len(groups) <= groupsShown {
		return groups, nil
	}
	rest := &groupRest{Groups: len(groups) - groupsShown}
	for _, g := range groups[groupsShown:] {
		rest.Count += g.count
	}
	return groups[:groupsShown], rest
}

// labelGroups shows each group's value as records show it: a picklist's label, a reference's name
// (one request per referenced entity, through the result's namer), "(empty)" for none.
func labelGroups(ctx context.Context, deps Deps, md *autotask.Metadata, f autotask.Field, groups []rawGroup, out *queryEntityOutput) []groupCount {
	items := make([]map[string]any, len(groups))
	var names referenceNamer
	for i, g := range groups {
		item := map[string]any{}
		if g.key != "" {
			v, _ := compactValue(typedID(f, g.key), f, true, md)
			item[f.Name] = v
			names.add("groups", item, md)
		}
		items[i] = item
	}
	for _, section := range names.name(ctx, deps) {
		out.Untrusted.add(section, true)
	}
	result := make([]groupCount, len(groups))
	for i, g := range groups {
		value := emptyValue
		if v, ok := items[i][f.Name]; ok {
			value = scalarString(v)
		}
		result[i] = groupCount{Value: value, Count: g.count}
	}
	return result
}
