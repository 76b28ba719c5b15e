package docexample

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"strings"
)

// CurlRequest is the request a curl command (its words, "curl" first) sends, for the
// options examples use: -s/--silent, -X/--request, -H/--header, -d/--data/--data-raw
// (which make the request a POST and, as curl does, a form unless a Content-Type is
// given). Any other option is refused, so an example is never sent differently from how
// curl would send it.
func CurlRequest(ctx context.Context, words []string) (*http.Request, error) {
	if len(words) == 0 || words[0] != "curl" {
		return nil, fmt.Errorf("not a curl command: %q", words)
	}
	c := curlCommand{header: http.Header{}}
	for i := 1; i < len(words); i++ {
		w := words[i]
		switch {
		case w == "-s" || w == "--silent":
		case curlValueOptions[w]:
			if i+1 >= len(words) {
				return nil, fmt.Errorf("curl option %s needs a value", w)
			}
			i++
			if err := c.set(w, words[i]); err != nil {
				return nil, err
			}
		case strings.HasPrefix(w, "-"):
			return nil, fmt.Errorf("curl option %s is not supported", w)
		case c.target != "":
			return nil, fmt.Errorf("curl with two URLs (%s, %s) is not supported", c.target, w)
		default:
			c.target = w
		}
	}
	if c.target == "" {
		return nil, fmt.Errorf("curl command without a URL: %q", words)
	}
	return c.request(ctx)
}

// curlValueOptions are the options CurlRequest knows that take a value.
var curlValueOptions = map[string]bool{
	"-X": true, "--request": true,
	"-H": true, "--header": true,
	"-d": true, "--data": true, "--data-raw": true,
}

// curlCommand is what a curl command's words say to send.
type curlCommand struct {
	method, target string
	body           *string
	header         http.Header
}

// set applies one of curlValueOptions with its value.
func (c *curlCommand) set(option, v string) error {
	switch option {
	case "-X", "--request":
		c.method = v
	case "-H", "--header":
		name, val, ok := strings.Cut(v, ":")
		if !ok {
			return fmt.Errorf("curl header %q has no colon", v)
		}
		c.header.Add(textproto.TrimString(name), textproto.TrimString(val))
	default: // -d, --data, --data-raw
		if strings.HasPrefix(v, "@") && option != "--data-raw" {
			return fmt.Errorf("curl %s @file is not supported", option)
		}
		if c.body != nil { // curl joins repeated data with &
			v = *c.body + "&" + v
		}
		c.body = &v
	}
	return nil
}

func (c *curlCommand) request(ctx context.Context) (*http.Request, error) {
	method := c.method
	var body io.Reader
	if c.body != nil {
		body = strings.NewReader(*c.body)
		if c.header.Get("Content-Type") == "" {
			c.header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if method == "" {
			method = http.MethodPost
		}
	}
	if method == "" {
		method = http.MethodGet
	}
	req, err := http.NewRequestWithContext(ctx, method, c.target, body)
	if err != nil {
		return nil, fmt.Errorf("curl request: %w", err)
	}
	req.Header = c.header
	return req, nil
}
