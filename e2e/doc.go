// Package e2e holds the end-to-end suite that drives the built autotask-mcp binary with a client
// we did not write: the official MCP TypeScript SDK (@modelcontextprotocol/sdk, pinned in
// package.json and package-lock.json), over stdio and Streamable HTTP against the sandbox tenant.
//
// The suite itself is JavaScript run by Node's built-in test runner (*.test.js, lib/). The Go
// test in this package builds the binary, installs the pinned SDK with npm ci when needed and
// runs node --test, so `go test ./...` covers it. Node.js 20+ and npm must be installed.
package e2e
