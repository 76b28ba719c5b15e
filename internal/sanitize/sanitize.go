// Package sanitize reduces untrusted text (ticket titles, descriptions, notes: anything someone
// outside the company can write by emailing the helpdesk) to what a person would see, before it
// reaches an assistant. It is small on purpose, has no dependencies beyond the standard library, and
// is fuzzed (FuzzSanitizeText).
package sanitize

import (
	"html"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// Ticket titles, descriptions and notes are written by anyone who can email the helpdesk. Before
// such text reaches the assistant it is reduced to what a person would see: no HTML, nothing from
// elements a browser does not show, no characters that are invisible or reorder what is shown
// (zero-width, bidi controls, Unicode tag characters, variation selectors, private use), since
// those are how instructions get smuggled past a human reviewer.

// maxDecodeRounds bounds entity decoding: "&amp;amp;lt;script&amp;amp;gt;" needs three rounds to
// reveal a tag, and no honest text needs more than a few.
const maxDecodeRounds = 3

// maxMarkupPasses bounds the passes over the markup: one per decoding round, and the rest for
// markup that removing other markup put together ("<<b>script>" is "<script>" once <b> is gone).
const maxMarkupPasses = 8

var (
	// leftoverTag is what a tag looks like to anything that reads the text later: '<' then a letter,
	// '/', '!' or '?', up to a '>'. "a < b" and "<3" are not tags.
	leftoverTag = lazyRegexp(`<[a-zA-Z/!?][^<>]*>`)
	// tagOpener is a run of '<' that would open a tag; the run is dropped whole, so that no '<'
	// before it ends up next to the letter.
	tagOpener  = lazyRegexp(`<+([a-zA-Z/!?])`)
	spaceRun   = lazyRegexp(`[ \t\f\v]+`)
	blankLines = lazyRegexp(`\n{3,}`)
	trailingWS = lazyRegexp(` +\n`)
	leadingWS  = lazyRegexp(`\n +`)
)

// lazyRegexp compiles expr on first use: the patterns are needed once text is cleaned, not for
// the process to start and answer its first request.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// Text returns s as plain, visible text.
func Text(s string) string {
	// Invalid UTF-8 becomes U+FFFD before anything is removed: removing a tag between two stray
	// bytes ("\xc2<a>\x82") would otherwise join them into a character (here the C1 control
	// U+0082) that the steps before had no way to see.
	s = strings.ToValidUTF8(s, "\uFFFD")
	// Invisible characters go first as well as after every decoding, so none can split a tag
	// ("<\u200bscript>") that only becomes one when it is removed.
	s = stripInvisible(s)
	if strings.ContainsAny(s, "<&") {
		s = stripHTML(s)
	}
	return tidyWhitespace(s)
}

// stripHTML removes markup and decodes entities in turn until neither changes anything: a pass
// decodes only once the text holds no markup, so whatever a decoding reveals is markup for the
// next pass. Text built to outlast the passes loses every '<' that would still open a tag.
func stripHTML(s string) string {
	decodes := 0
	for range maxMarkupPasses {
		next := stripMarkup(s)
		if next == s {
			if decodes == maxDecodeRounds || !strings.Contains(s, "&") {
				return s
			}
			decodes++
			if next = stripInvisible(html.UnescapeString(s)); next == s {
				return s
			}
		}
		s = next
	}
	s = stripMarkup(s)
	if leftoverTag().MatchString(s) {
		s = tagOpener().ReplaceAllString(s, "$1")
	}
	return s
}

// stripMarkup removes one layer of markup: comments, every element a reader does not see together
// with all it holds, and every other tag, with a line break where the tag breaks the line.
func stripMarkup(s string) string {
	lastGT := strings.LastIndexByte(s, '>')
	if lastGT < 0 && !strings.Contains(s, "<!--") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		b.WriteString(s[i : i+j])
		i += j
		t, ok := scanTag(s, i, lastGT)
		if !ok {
			b.WriteByte('<')
			i++
			continue
		}
		switch {
		case t.comment:
		case hidesContent(t):
			t.end = skipElement(s, t, lastGT)
		case lineBreakTags[t.name]:
			b.WriteByte('\n')
		}
		i = t.end
	}
	return b.String()
}

// tag is one tag, comment or other "<...>" of markup.
type tag struct {
	end         int    // index just past it
	comment     bool   // a comment, doctype or processing instruction: nothing to show
	name        string // lower case; empty for a comment
	closing     bool   // </name>
	selfClosing bool   // <name ... />
	hidden      bool   // has the hidden attribute
	style       string // the style attribute, entities decoded
}

// scanTag reads the markup starting at s[i] == '<' the way a browser tokenises it: a '>' inside
// a quoted attribute value does not end the tag, and a tag still open at the end of the text
// swallows the rest. Where no '>' follows at all (lastGT < i) only a comment is markup, so plain
// text like "x <y" survives. ok is false when s[i] starts no markup.
func scanTag(s string, i, lastGT int) (t tag, ok bool) {
	if strings.HasPrefix(s[i:], "<!--") {
		end := strings.Index(s[i+4:], "-->")
		if end < 0 {
			return tag{end: len(s), comment: true}, true
		}
		return tag{end: i + 4 + end + 3, comment: true}, true
	}
	if i+1 >= len(s) || i > lastGT {
		return tag{}, false
	}
	c := s[i+1]
	switch {
	case c == '!' || c == '?' || (c == '/' && (i+2 >= len(s) || !isASCIILetter(s[i+2]))):
		// Doctype, processing instruction, "</>" or "</ x>": a bogus comment up to the next '>'.
		return tag{end: i + strings.IndexByte(s[i:], '>') + 1, comment: true}, true
	case c == '/':
		t.closing = true
		i += 2
	case isASCIILetter(c):
		i++
	default:
		return tag{}, false
	}
	n := i
	for n < len(s) && !isTagSpace(s[n]) && s[n] != '/' && s[n] != '>' {
		n++
	}
	t.name = strings.ToLower(s[i:n])
	t.end = len(s) // unless a '>' ends it
	styleSeen := false
	for i = n; i < len(s); {
		switch {
		case s[i] == '>':
			t.end = i + 1
			t.selfClosing = s[i-1] == '/'
			return t, true
		case isTagSpace(s[i]) || s[i] == '/':
			i++
			continue
		}
		n = i + 1 // an attribute name may start with '='
		for n < len(s) && !isTagSpace(s[n]) && s[n] != '/' && s[n] != '>' && s[n] != '=' {
			n++
		}
		name := strings.ToLower(s[i:n])
		value := ""
		i = skipTagSpace(s, n)
		if i < len(s) && s[i] == '=' {
			i = skipTagSpace(s, i+1)
			switch {
			case i >= len(s):
			case s[i] == '"' || s[i] == '\'':
				q := strings.IndexByte(s[i+1:], s[i])
				if q < 0 {
					return t, true // an unclosed quote: the rest of the text is inside the tag
				}
				value, i = s[i+1:i+1+q], i+1+q+1
			default:
				n = i
				for n < len(s) && !isTagSpace(s[n]) && s[n] != '>' {
					n++
				}
				value, i = s[i:n], n
			}
		}
		switch {
		case name == "hidden":
			t.hidden = true
		case name == "style" && !styleSeen: // a browser keeps the first of two style attributes
			styleSeen = true
			t.style = html.UnescapeString(value)
		}
	}
	return t, true
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isTagSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func skipTagSpace(s string, i int) int {
	for i < len(s) && isTagSpace(s[i]) {
		i++
	}
	return i
}

var (
	// rawTextHidden are elements whose text is never shown and holds no tags up to their own end
	// tag: a "</div>" inside a script ends nothing.
	rawTextHidden = map[string]bool{"script": true, "style": true, "title": true, "iframe": true,
		"noembed": true, "noframes": true, "noscript": true}
	// alwaysHidden are elements whose content a page never shows as text.
	alwaysHidden = map[string]bool{"head": true, "template": true, "object": true, "svg": true}
	// voidElements have no content, so hiding one hides nothing after it.
	voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true,
		"hr": true, "img": true, "input": true, "link": true, "meta": true, "source": true,
		"track": true, "wbr": true}
	// lineBreakTags break a line where they stand, opening or closing.
	lineBreakTags = map[string]bool{"br": true, "p": true, "div": true, "li": true, "tr": true,
		"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true}
)

// hidesContent says whether t opens an element whose content is not shown: the elements that never
// show text, and any element with the hidden attribute or a style that hides it.
func hidesContent(t tag) bool {
	if t.closing || t.comment || hasNoContent(t) {
		return false
	}
	return rawTextHidden[t.name] || alwaysHidden[t.name] || t.hidden || styleHides(t.style)
}

// hasNoContent says whether the element t opens is closed by t itself: a void element, or an svg
// written "<svg/>" (in HTML, "/>" closes only void and foreign elements: "<div/>" opens a div).
func hasNoContent(t tag) bool {
	return voidElements[t.name] || (t.selfClosing && t.name == "svg")
}

// skipElement returns where the element t opens ends: past its end tag, counting same-named
// elements nested in it, or the end of the text when it is never closed (a browser hides the rest
// too).
func skipElement(s string, t tag, lastGT int) int {
	if rawTextHidden[t.name] {
		return skipRawText(s, t.name, t.end)
	}
	depth := 1
	for i := t.end; i < len(s); {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			break
		}
		i += j
		inner, ok := scanTag(s, i, lastGT)
		if !ok {
			i++
			continue
		}
		i = inner.end
		switch {
		case inner.comment:
		case !inner.closing && rawTextHidden[inner.name]:
			i = skipRawText(s, inner.name, inner.end)
		case inner.name != t.name:
		case inner.closing:
			if depth--; depth == 0 {
				return i
			}
		case !hasNoContent(inner):
			depth++
		}
	}
	return len(s)
}

// skipRawText returns the index past "</name ...>" at or after from, or the end of the text.
func skipRawText(s, name string, from int) int {
	for i := from; ; {
		j := strings.Index(s[i:], "</")
		if j < 0 {
			return len(s)
		}
		i += j + 2
		if len(s)-i < len(name) || strings.ToLower(s[i:i+len(name)]) != name {
			continue
		}
		i += len(name)
		if i == len(s) || isTagSpace(s[i]) || s[i] == '/' || s[i] == '>' {
			if k := strings.IndexByte(s[i:], '>'); k >= 0 {
				return i + k + 1
			}
			return len(s)
		}
	}
}

// cssComment and cssEscape are removed and decoded before a style is read, as a browser does:
// "display:/**/none" and "display:\6e one" hide as well as "display:none".
var (
	cssComment = lazyRegexp(`(?s)/\*.*?(?:\*/|$)`)
	cssEscape  = lazyRegexp(`\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|(.))`)
)

// styleHides says whether an inline style makes its element's text invisible: display:none,
// visibility:hidden or collapse, a zero font size, or zero opacity.
func styleHides(style string) bool {
	if style == "" {
		return false
	}
	style = cssComment().ReplaceAllString(style, "")
	style = cssEscape().ReplaceAllStringFunc(style, func(m string) string {
		sub := cssEscape().FindStringSubmatch(m)
		if sub[1] == "" {
			return sub[2]
		}
		r, err := strconv.ParseUint(sub[1], 16, 32)
		if err != nil || r == 0 || r > unicode.MaxRune {
			return string(unicode.ReplacementChar)
		}
		return string(rune(r))
	})
	for _, decl := range strings.Split(strings.ToLower(style), ";") {
		prop, value, ok := strings.Cut(decl, ":")
		if !ok {
			continue
		}
		prop = strings.TrimSpace(prop)
		value = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(value), "!important"))
		switch prop {
		case "display":
			if value == "none" {
				return true
			}
		case "visibility":
			if value == "hidden" || value == "collapse" {
				return true
			}
		case "font-size", "opacity":
			if isZero(value) {
				return true
			}
		}
	}
	return false
}

// isZero says whether a CSS length or number is zero in any unit: "0", "0px", "0.0em", "-0%".
func isZero(value string) bool {
	num := strings.TrimRight(value, "abcdefghijklmnopqrstuvwxyz%")
	f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	return err == nil && f == 0
}

// invisibleSets is every character dropped from untrusted text besides tab and newline, each set
// from the Unicode Character Database as Go's unicode package carries it.
//
// Default_Ignorable_Code_Point (DerivedCoreProperties.txt) is defined as
// Other_Default_Ignorable_Code_Point + Cf + Variation_Selector, less White_Space, FFF9..FFFB,
// 13430..1343F and Prepended_Concatenation_Mark. Those exceptions are format characters as well
// and are dropped with the rest of Cf, so the first three sets cover the property whole: 00AD,
// 034F, 061C, 115F..1160, 17B4..17B5, 180B..180F, 200B..200F, 202A..202E, 2060..206F, 3164,
// FE00..FE0F, FEFF, FFA0, FFF0..FFF8, 1BCA0..1BCA3, 1D173..1D17A, E0000..E0FFF. The last holds
// the tag characters E0000..E007F.
var invisibleSets = []*unicode.RangeTable{
	// 034F combining grapheme joiner; Hangul fillers 115F..1160, 3164, FFA0; Khmer inherent
	// vowels 17B4..17B5; reserved 2065, FFF0..FFF8, E0000, E0002..E001F, E0080..E00FF, E01F0..E0FFF.
	unicode.Other_Default_Ignorable_Code_Point,
	// Format characters: soft hyphen, zero-width space and joiners, bidi marks, embeddings,
	// overrides and isolates, word joiner, invisible operators, BOM, interlinear annotation,
	// language tag E0001 and tags E0020..E007F.
	unicode.Cf,
	// Variation selectors: 180B..180D, 180F, FE00..FE0F, E0100..E01EF.
	unicode.Variation_Selector,
	// Private use: E000..F8FF and planes 15 and 16 (F0000..FFFFD, 100000..10FFFD). No agreed glyph,
	// so a reader sees nothing, a box, or whatever a font put there.
	unicode.Co,
	// C0 controls, DEL and C1 controls (tab and newline are kept before this is asked).
	unicode.Cc,
	// Characters of other categories that are drawn as nothing.
	invisibleGlyphs,
}

// invisibleGlyphs: 2800 BRAILLE PATTERN BLANK, a symbol drawn as a blank and used as an invisible
// spacer where a real space would be collapsed or noticed; 2028 and 2029, the line and paragraph
// separators, which stripInvisible turns into newlines.
var invisibleGlyphs = &unicode.RangeTable{R16: []unicode.Range16{
	{Lo: 0x2028, Hi: 0x2029, Stride: 1},
	{Lo: 0x2800, Hi: 0x2800, Stride: 1},
}}

// stripInvisible drops the characters of invisibleSets, keeps the break of a line or paragraph
// separator as a newline, and makes no-break and typographic spaces plain spaces.
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
		switch {
		case r == 0x2028 || r == 0x2029:
			b.WriteByte('\n')
		case oddSpace(r):
			b.WriteByte(' ') // they look like a space: make them one
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
	if r == '\n' || r == '\t' {
		return false
	}
	return unicode.In(r, invisibleSets...)
}

func oddSpace(r rune) bool {
	return r != ' ' && unicode.Is(unicode.Zs, r)
}

func tidyWhitespace(s string) string {
	if !strings.ContainsAny(s, "\n\t\f\v") && !strings.Contains(s, "  ") {
		return strings.TrimSpace(s)
	}
	s = spaceRun().ReplaceAllString(s, " ")
	s = trailingWS().ReplaceAllString(s, "\n")
	s = leadingWS().ReplaceAllString(s, "\n")
	s = blankLines().ReplaceAllString(s, "\n\n")
	return strings.TrimSpace(s)
}
