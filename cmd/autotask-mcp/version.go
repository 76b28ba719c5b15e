package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
)

// buildVersion is set at release time: go build -ldflags "-X main.buildVersion=v1.2.3".
var buildVersion string

// version is the release version, else the module version `go install` recorded, else
// the VCS revision of a local build, else "dev".
var version = sync.OnceValue(func() string {
	if buildVersion != "" {
		return buildVersion
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var revision, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "-dirty"
			}
		}
	}
	if len(revision) > 12 {
		revision = revision[:12]
	}
	if revision == "" {
		return "dev"
	}
	return "dev-" + revision + modified
})

func runVersion(args []string, std stdio) error {
	if len(args) > 0 {
		return usageErrorf("version takes no arguments")
	}
	fmt.Fprintf(std.out, "autotask-mcp %s (%s, %s/%s)\n", version(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}
