package docexample

import (
	"context"
	"fmt"
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
	var (
		method, target string
		body           *string
		header         = http.Header{}
	)
	for i := 1; i < len(words); i++ {
		w := words[i]
		value := func() (string, error) {
			if i+1 >= len(words) {
				return "", fmt.Errorf("curl option %s needs a value", w)
			}
			i++
			return words[i], nil
		}
		switch w {
		case "-s", "--silent":
		case "-X", "--request":
			v, err := value()
			if err != nil {
				return nil, err
			}
			method = v
		case "-H", "--header":
			v, err := value()
			if err != nil {
				return nil, err
			}
			name, val, ok := strings.Cut(v, ":")
			if !ok {
				return nil, fmt.Errorf("curl header %q has no colon", v)
			}
			header.Add(textproto.TrimString(name), textproto.TrimString(val))
		case "-d", "--data", "--data-raw":
			v, err := value()
			if err != nil {
				return nil, err
			}
			if strings.HasPrefix(v, "@") && w != "--data-raw" {
				return nil, fmt.Errorf("curl %s @file is not supported", w)
			}
			if body != nil { // curl joins repeated data with &
				v = *body + "&" + v
			}
			body = &v
		default:
			if strings.HasPrefix(w, "-") {
				return nil, fmt.Errorf("curl option %s is not supported", w)
			}
			if target != "" {
				return nil, fmt.Errorf("curl with two URLs (%s, %s) is not supported", target, w)
			}
			target = w
		}
	}
	if target == "" {
		return nil, fmt.Errorf("curl command without a URL: %q", words)
	}
	if method == "" {
		method = http.MethodGet
		if body != nil {
			method = http.MethodPost
		}
	}
	var reader *strings.Reader
	if body != nil {
		reader = strings.NewReader(*body)
		if header.Get("Content-Type") == "" {
			header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	}
	var req *http.Request
	var err error
	if reader != nil {
		req, err = http.NewRequestWithContext(ctx, method, target, reader)
	} else {
		req, err = http.NewRequestWithContext(ctx, method, target, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("curl request: %w", err)
	}
	req.Header = header
	return req, nil
}
