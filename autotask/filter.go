package autotask

import (
	"fmt"
	"reflect"
	"strings"
)

// Op is a filter operator of the query API.
type Op string

// The 13 comparison operators and the two groups.
const (
	OpEq         Op = "eq"
	OpNotEq      Op = "noteq"
	OpGt         Op = "gt"
	OpGte        Op = "gte"
	OpLt         Op = "lt"
	OpLte        Op = "lte"
	OpBeginsWith Op = "beginsWith"
	OpEndsWith   Op = "endsWith"
	OpContains   Op = "contains"
	OpExist      Op = "exist"
	OpNotExist   Op = "notExist"
	OpIn         Op = "in"
	OpNotIn      Op = "notIn"
	OpAnd        Op = "and"
	OpOr         Op = "or"
)

// ComparisonOps are the 13 operators that compare a field.
var ComparisonOps = []Op{OpEq, OpNotEq, OpGt, OpGte, OpLt, OpLte, OpBeginsWith, OpEndsWith,
	OpContains, OpExist, OpNotExist, OpIn, OpNotIn}

// Filter is one condition, or an and/or group of conditions, of a query.
type Filter struct {
	Op    Op       `json:"op"`
	Field string   `json:"field,omitempty"`
	Value any      `json:"value,omitempty"`
	UDF   bool     `json:"udf,omitempty"`
	Items []Filter `json:"items,omitempty"`
}

func allOps() []Op { return append(append([]Op(nil), ComparisonOps...), OpAnd, OpOr) }

// ParseOp resolves an operator name case-insensitively. The real API silently
// ignores an operator it does not know and returns everything, so an unknown name
// must be refused here rather than sent.
func ParseOp(s string) (Op, error) {
	name := strings.TrimSpace(s)
	names := make([]string, 0, 15)
	for _, op := range allOps() {
		if strings.EqualFold(string(op), name) {
			return op, nil
		}
		names = append(names, string(op))
	}
	return "", fmt.Errorf("%w: unknown filter operator %q%s", ErrValidation, s, didYouMean(Closest(name, names, 3)))
}

func (op Op) isGroup() bool { return op == OpAnd || op == OpOr }

func (op Op) takesValue() bool { return op != OpExist && op != OpNotExist && !op.isGroup() }

func (op Op) takesList() bool { return op == OpIn || op == OpNotIn }

func compare(op Op, field string, v any) Filter { return Filter{Op: op, Field: field, Value: v} }

// Eq and its siblings build one comparison each.
func Eq(field string, v any) Filter         { return compare(OpEq, field, v) }
func NotEq(field string, v any) Filter      { return compare(OpNotEq, field, v) }
func Gt(field string, v any) Filter         { return compare(OpGt, field, v) }
func Gte(field string, v any) Filter        { return compare(OpGte, field, v) }
func Lt(field string, v any) Filter         { return compare(OpLt, field, v) }
func Lte(field string, v any) Filter        { return compare(OpLte, field, v) }
func BeginsWith(field string, v any) Filter { return compare(OpBeginsWith, field, v) }
func EndsWith(field string, v any) Filter   { return compare(OpEndsWith, field, v) }
func Contains(field string, v any) Filter   { return compare(OpContains, field, v) }
func Exist(field string) Filter             { return Filter{Op: OpExist, Field: field} }
func NotExist(field string) Filter          { return Filter{Op: OpNotExist, Field: field} }
func In(field string, vs ...any) Filter     { return compare(OpIn, field, vs) }
func NotIn(field string, vs ...any) Filter  { return compare(OpNotIn, field, vs) }
func And(fs ...Filter) Filter               { return Filter{Op: OpAnd, Items: fs} }
func Or(fs ...Filter) Filter                { return Filter{Op: OpOr, Items: fs} }

// AsUDF marks the comparison as one on a user-defined field.
func (f Filter) AsUDF() Filter {
	f.UDF = true
	return f
}

// MatchAll is the filter to send when the caller wants everything: the API
// requires a filter on every query.
func MatchAll() Filter { return Exist("id") }

// ValidateFilters refuses, before anything is sent, what the API would misread or
// reject: unknown operators, comparisons without a field or value, empty groups,
// and more than one UDF filter (the API allows one per query).
func ValidateFilters(fs []Filter) error {
	udfs := 0
	for i, f := range fs {
		if err := validateFilter(f, fmt.Sprintf("filter[%d]", i), &udfs); err != nil {
			return err
		}
	}
	if udfs > 1 {
		return fmt.Errorf("%w: %d UDF filters; the API allows only one user-defined-field filter per query", ErrValidation, udfs)
	}
	return nil
}

func validateFilter(f Filter, at string, udfs *int) error {
	op, err := ParseOp(string(f.Op))
	if err != nil {
		return fmt.Errorf("%s: %w", at, err)
	}
	f.Op = op
	if f.Op.isGroup() {
		if len(f.Items) == 0 {
			return fmt.Errorf("%s: %w: %q group needs at least one item", at, ErrValidation, f.Op)
		}
		if f.Field != "" || f.UDF {
			return fmt.Errorf("%s: %w: %q group takes items, not a field", at, ErrValidation, f.Op)
		}
		for i, item := range f.Items {
			if err := validateFilter(item, fmt.Sprintf("%s.items[%d]", at, i), udfs); err != nil {
				return err
			}
		}
		return nil
	}
	if len(f.Items) > 0 {
		return fmt.Errorf("%s: %w: %q compares a field and takes no items", at, ErrValidation, f.Op)
	}
	if strings.TrimSpace(f.Field) == "" {
		return fmt.Errorf("%s: %w: %q needs a field", at, ErrValidation, f.Op)
	}
	if f.UDF {
		*udfs++
	}
	if !f.Op.takesValue() {
		return nil
	}
	if f.Value == nil {
		return fmt.Errorf("%s: %w: %q on %q needs a value (use notExist to match empty fields)", at, ErrValidation, f.Op, f.Field)
	}
	isList := isListValue(f.Value)
	if f.Op.takesList() && !isList {
		return fmt.Errorf("%s: %w: %q on %q needs a list of values", at, ErrValidation, f.Op, f.Field)
	}
	if !f.Op.takesList() && isList {
		return fmt.Errorf("%s: %w: %q on %q takes one value, not a list (use in)", at, ErrValidation, f.Op, f.Field)
	}
	return nil
}

func isListValue(v any) bool {
	k := reflect.ValueOf(v).Kind()
	return k == reflect.Slice || k == reflect.Array
}

func didYouMean(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return "; did you mean " + strings.Join(quoteAll(names), " or ") + "?"
}

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fmt.Sprintf("%q", n)
	}
	return out
}

// canonicalFilters returns a copy with every operator spelled as the API spells it;
// call it only after ValidateFilters succeeded.
func canonicalFilters(fs []Filter) []Filter {
	out := make([]Filter, len(fs))
	for i, f := range fs {
		if op, err := ParseOp(string(f.Op)); err == nil {
			f.Op = op
		}
		if len(f.Items) > 0 {
			f.Items = canonicalFilters(f.Items)
		}
		out[i] = f
	}
	return out
}
