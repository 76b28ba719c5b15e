package tools

import (
	"html"
	"regexp"
	"strings"
	"unicode"
)

// Ticket titles, descriptions and notes are written by anyone who can email the helpdesk. Before
// such text reaches the assistant it is reduced to what a person would see: no HTML, no characters
// that are invisible or reorder what is shown (zero-width, bidi controls, Unicode tag characters,
// variation selectors), since those are how instructions get smuggled past a human reviewer.

var (
	// Elements whose content is never visible text.
	hiddenElement = regexp.MustCompile(`(?is)<(script|style|head|title|template|noscript|iframe|object|svg)\b[^>]*>.*?</(?:script|style|head|title|template|noscript|iframe|object|svg)\s*>`)
	htmlComment   = regexp.MustCompile(`(?s)<!--.*?(?:-->|$)`)
	// Tags that break a line when rendered.
	lineBreakTag = regexp.MustCompile(`(?i)<\s*(?:br|/p|/div|/li|/tr|/h[1-6]|p|div|li|tr|h[1-6])\b[^>]*>`)
	// Any tag: '<' then a letter, '/', '!' or '?' — so "a < b" and "<3" survive as text.
	anyTag     = regexp.MustCompile(`<[a-zA-Z/!?][^<>]*>`)
	spaceRun   = regexp.MustCompile(`[ \t\f\v]+`)
	blankLines = regexp.MustCompile(`\n{3,}`)
	trailingWS = regexp.MustCompile(` +\n`)
	leadingWS  = regexp.MustCompile(`\n +`)
)

// maxDecodeRounds bounds entity decoding: "&amp;lt;script&amp;gt;" needs two rounds to reveal a tag,
// and no honest text needs more than a few.
const maxDecodeRounds = 3

// sanitizeText returns s as plain, visible text.
func sanitizeText(s string) string {
	if strings.ContainsAny(s, "<&") {
		s = stripHTML(s)
	}
	s = stripInvisible(s)
	return tidyWhitespace(s)
}

func stripHTML(s string) string {
	for range maxDecodeRounds {
		s = hiddenElement.ReplaceAllString(s, "")
		s = htmlComment.ReplaceAllString(s, "")
		s = lineBreakTag.ReplaceAllString(s, "\n")
		s = anyTag.ReplaceAllString(s, "")
		decoded := html.UnescapeString(s)
		if decoded == s {
			break
		}
		s = decoded
	}
	// Whatever decoding revealed in the last round is stripped too.
	s = hiddenElement.ReplaceAllString(s, "")
	return anyTag.ReplaceAllString(s, "")
}

// stripInvisible drops format characters (Cf: zero-width, bidi controls, tag characters, BOM, soft
// hyphen), control characters other than newline and tab, and variation selectors.
func stripInvisible(s string) string {
	if printableASCII(s) {
		return s
	}
	clean := true
	for _, r := range s {
		if invisible(r) || oddSpace(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r == 0x2028 || r == 0x2029 { // line and paragraph separators: keep the break, drop the oddity
			b.WriteByte('\n')
			continue
		}
		switch {
		case oddSpace(r):
			b.WriteByte(' ') // no-break and typographic spaces look like a space: make them one
		case !invisible(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// printableASCII reports whether s is printable ASCII, newlines and tabs: text with nothing for
// stripInvisible to drop, which is most of what records hold, found without Unicode tables.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\n' && c != '\t') || c > 0x7e {
			return false
		}
	}
	return true
}

func invisible(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r == unicode.ReplacementChar:
		return false
	case unicode.Is(unicode.Cf, r), unicode.Is(unicode.Cc, r):
		return true
	case r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0100 && r <= 0xE01EF: // variation selectors
		return true
	case r == 0x115F || r == 0x1160 || r == 0x3164 || r == 0xFFA0: // Hangul fillers render as nothing
		return true
	case r == 0x2028 || r == 0x2029:
		return true
	}
	return false
}

func oddSpace(r rune) bool {
	return r != ' ' && unicode.Is(unicode.Zs, r)
}

func tidyWhitespace(s string) string {
	if !strings.ContainsAny(s, "\n\t\f\v") && !strings.Contains(s, "  ") {
		return strings.TrimSpace(s)
	}
	s = spaceRun.ReplaceAllString(s, " ")
	s = trailingWS.ReplaceAllString(s, "\n")
	s = leadingWS.ReplaceAllString(s, "\n")
	s = blankLines.ReplaceAllString(s, "\n\n")
	return strings.TrimSpace(s)
}
