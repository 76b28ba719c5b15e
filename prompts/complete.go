package prompts

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/autotask-mcp/autotask-mcp/autotask"
	"github.com/autotask-mcp/autotask-mcp/internal/expiring"
	"github.com/autotask-mcp/autotask-mcp/resources"
)

// Kind is a set of values an argument completes from.
type Kind int

// The kinds of values arguments complete from.
const (
	EntityNames   Kind = iota + 1 // entity names of the client's catalog; no request
	TicketNumbers                 // ticket numbers beginning with the prefix
	QueueLabels                   // labels of the Tickets queueID picklist
	CompanyNames                  // names of active companies beginning with the prefix
	ResourceNames                 // "First Last" of active resources, by first or last name
)

func (k Kind) String() string {
	switch k {
	case EntityNames:
		return "entity names"
	case TicketNumbers:
		return "ticket numbers"
	case QueueLabels:
		return "queue labels"
	case CompanyNames:
		return "company names"
	case ResourceNames:
		return "resource names"
	}
	return "unknown"
}

// templateArguments are the resource-template arguments that complete, by template.
var templateArguments = map[string]map[string]Kind{
	resources.FieldsTemplate:       {"entity": EntityNames},
	resources.TicketNumberTemplate: {"number": TicketNumbers},
}

// CompleterOptions tune a Completer; the zero value is production.
type CompleterOptions struct {
	// TTL is how long an answer is served from the cache; 0 means DefaultCompletionTTL.
	TTL time.Duration
	// MaxEntries bounds the cache; 0 means DefaultCompletionCacheSize.
	MaxEntries int
	// Now is the cache's clock; nil means time.Now.
	Now func() time.Time
	// Offered says whether the server offers a prompt; nil means every prompt of All. A
	// prompt the server leaves out (a read-only server has no triage) completes nothing.
	Offered func(prompt string) bool
	Logger  *slog.Logger
}

// The cache's defaults: a person typing asks for each longer prefix within seconds, and a
// minute is short enough that a new ticket or company shows up soon.
const (
	DefaultCompletionTTL       = time.Minute
	DefaultCompletionCacheSize = 512
)

// Completer answers completion/complete for the prompts' arguments and the resource templates'
// variables. Each answer costs at most one API request, and an answer for a (kind, prefix) it
// gave within the TTL costs none. An unknown prompt, template or argument, and a lookup that
// fails, complete to nothing: a completion is a typing aid, and an error would only interrupt
// the person typing.
type Completer struct {
	client  *autotask.Client
	prompts map[string]map[string]Kind
	offered func(prompt string) bool
	cache   *expiring.Cache[completionKey, completionEntry]
	logger  *slog.Logger
}

// NewCompleter returns a Completer that looks values up through client.
func NewCompleter(client *autotask.Client, opts CompleterOptions) *Completer {
	if opts.TTL <= 0 {
		opts.TTL = DefaultCompletionTTL
	}
	if opts.MaxEntries <= 0 {
		opts.MaxEntries = DefaultCompletionCacheSize
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Offered == nil {
		opts.Offered = func(string) bool { return true }
	}
	byPrompt := map[string]map[string]Kind{}
	for _, p := range All(Deps{}) {
		byPrompt[p.Def.Name] = p.Complete
	}
	return &Completer{
		client:  client,
		prompts: byPrompt,
		offered: opts.Offered,
		cache:   expiring.New[completionKey, completionEntry](opts.MaxEntries, opts.TTL, opts.Now),
		logger:  opts.Logger,
	}
}

// CompletePromptArgument implements mcp-go's PromptCompletionProvider.
func (c *Completer) CompletePromptArgument(ctx context.Context, prompt string, arg mcp.CompleteArgument, _ mcp.CompleteContext) (*mcp.Completion, error) {
	if !c.offered(prompt) {
		return c.complete(ctx, 0, arg.Value), nil
	}
	return c.complete(ctx, c.prompts[prompt][arg.Name], arg.Value), nil
}

// CompleteResourceArgument implements mcp-go's ResourceCompletionProvider. uri is the
// template as resources/templates/list gives it.
func (c *Completer) CompleteResourceArgument(ctx context.Context, uri string, arg mcp.CompleteArgument, _ mcp.CompleteContext) (*mcp.Completion, error) {
	return c.complete(ctx, templateArguments[uri][arg.Name], arg.Value), nil
}

// maxCompletionValues is the most values one answer may carry (the protocol's limit).
const maxCompletionValues = 100

func (c *Completer) complete(ctx context.Context, kind Kind, prefix string) *mcp.Completion {
	if kind == 0 {
		return &mcp.Completion{Values: []string{}}
	}
	values, more, err := c.Values(ctx, kind, prefix)
	if err != nil {
		c.logger.Warn("completion lookup failed", "kind", kind.String(), "err", err)
		return &mcp.Completion{Values: []string{}}
	}
	total := len(values)
	if total > maxCompletionValues {
		values, more = values[:maxCompletionValues], true
	}
	out := &mcp.Completion{Values: values, HasMore: more}
	if !more {
		out.Total = total
	}
	return out
}

// Values returns the values of kind that begin with prefix (case-insensitively), and whether
// there are more than it returns. The slice may be the cache's own: do not modify it.
func (c *Completer) Values(ctx context.Context, kind Kind, prefix string) (values []string, more bool, err error) {
	prefix = strings.TrimSpace(prefix)
	switch kind {
	case EntityNames:
		return entityNames(prefix), false, nil
	case QueueLabels:
		// One picklist answers every prefix: it is cached whole and filtered here.
		all, _, err := c.cached(ctx, kind, "", func(ctx context.Context) ([]string, bool, error) {
			return picklistLabels(ctx, c.client, "Tickets", "queueID")
		})
		return withPrefix(all, prefix), false, err
	case TicketNumbers, CompanyNames, ResourceNames:
		if prefix == "" {
			// Every record would match: the person has not typed enough to narrow it.
			return []string{}, false, nil
		}
		return c.cached(ctx, kind, strings.ToLower(prefix), func(ctx context.Context) ([]string, bool, error) {
			return queryValues(ctx, c.client, kind, prefix)
		})
	}
	return []string{}, false, nil
}

func (c *Completer) cached(ctx context.Context, kind Kind, key string, lookup func(context.Context) ([]string, bool, error)) ([]string, bool, error) {
	if e, ok := c.cache.Get(completionKey{kind, key}); ok {
		return e.values, e.more, nil
	}
	values, more, err := lookup(ctx)
	if err != nil {
		return nil, false, err
	}
	c.cache.Put(completionKey{kind, key}, completionEntry{values: values, more: more})
	return values, more, nil
}
