package prompts

// A completion answer is cached by (kind, lower-cased prefix): a person typing asks for ever longer
// prefixes, and asks again for one they deleted back to. The cache is internal/expiring's: bounded,
// expiring, the oldest answer going first.

type completionKey struct {
	kind   Kind
	prefix string
}

type completionEntry struct {
	values []string // shared with every caller: read only
	more   bool
}
