package docexample

import "strings"

// Block is a fenced code block of a Markdown document.
type Block struct {
	Heading string // the nearest level-2 heading above the block ("" before the first one)
	Lang    string // the fence's info string, e.g. "sh"
	Text    string // the lines between the fences, each ending in a newline
	Line    int    // 1-based line of the block's first text line
}

// Span is an inline code span (`like this`) outside the fenced blocks.
type Span struct {
	Heading string
	Text    string
	Line    int
}

// Blocks lists the document's fenced code blocks (``` fences) in order.
func Blocks(doc string) []Block {
	var blocks []Block
	scanLines(doc, func(heading string, line int, text string, fence *Block) {
		if fence != nil {
			blocks = append(blocks, *fence)
		}
	})
	return blocks
}

// Spans lists the document's inline code spans in order. A span is on one line.
func Spans(doc string) []Span {
	var spans []Span
	scanLines(doc, func(heading string, line int, text string, fence *Block) {
		if fence != nil {
			return
		}
		for rest := text; ; {
			open := strings.IndexByte(rest, '`')
			if open < 0 {
				return
			}
			ticks := len(rest[open:]) - len(strings.TrimLeft(rest[open:], "`"))
			body := rest[open+ticks:]
			end := strings.Index(body, strings.Repeat("`", ticks))
			if end < 0 {
				return
			}
			spans = append(spans, Span{Heading: heading, Text: strings.TrimSpace(body[:end]), Line: line})
			rest = body[end+ticks:]
		}
	})
	return spans
}

// scanLines walks the document's lines outside fenced blocks, calling visit for each such
// line (fence nil) and once for each whole fenced block (text empty).
func scanLines(doc string, visit func(heading string, line int, text string, fence *Block)) {
	heading := ""
	var open *Block
	for i, text := range strings.Split(doc, "\n") {
		line := i + 1
		trimmed := strings.TrimSpace(text)
		switch {
		case open != nil && strings.HasPrefix(trimmed, "```"):
			visit(heading, open.Line, "", open)
			open = nil
		case open != nil:
			open.Text += text + "\n"
		case strings.HasPrefix(trimmed, "```"):
			open = &Block{Heading: heading, Lang: strings.TrimSpace(strings.TrimLeft(trimmed, "`")), Line: line + 1}
		default:
			if h, ok := strings.CutPrefix(text, "## "); ok {
				heading = strings.TrimSpace(h)
			}
			visit(heading, line, text, nil)
		}
	}
}
