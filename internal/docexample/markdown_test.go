package docexample_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/autotask-mcp/autotask-mcp/internal/docexample"
)

const doc = "# Title\n" +
	"\n" +
	"```sh\n" +
	"make   # build\n" +
	"```\n" +
	"\n" +
	"## Try it\n" +
	"\n" +
	"Run `tool serve --port 1` first, then ``a `tick` inside``:\n" +
	"\n" +
	"```sh\n" +
	"$ tool call x\n" +
	"out\n" +
	"```\n" +
	"### Deeper\n" +
	"```json\n" +
	"{}\n" +
	"```\n" +
	"## Next\n" +
	"`later`\n"

func TestBlocks(t *testing.T) {
	assert.Equal(t, []docexample.Block{
		{Heading: "", Lang: "sh", Text: "make   # build\n", Line: 4},
		{Heading: "Try it", Lang: "sh", Text: "$ tool call x\nout\n", Line: 12},
		{Heading: "Try it", Lang: "json", Text: "{}\n", Line: 17},
	}, docexample.Blocks(doc))
}

func TestSpans(t *testing.T) {
	assert.Equal(t, []docexample.Span{
		{Heading: "Try it", Text: "tool serve --port 1", Line: 9},
		{Heading: "Try it", Text: "a `tick` inside", Line: 9},
		{Heading: "Next", Text: "later", Line: 20},
	}, docexample.Spans(doc))
}
