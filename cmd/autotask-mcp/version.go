package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
)

// Set at release time (scripts/release):
//
//	go build -ldflags "-X main.buildVersion=v1.2.3 -X main.buildCommit=<git commit>"
var buildVersion, buildCommit string

// buildStamp is what `autotask-mcp version` reports about the build.
type buildStamp struct {
	version string // never empty
	commit  string // "" when the build does not know it
}

var stamp = sync.OnceValue(func() buildStamp {
	info, _ := debug.ReadBuildInfo()
	return stampOf(buildVersion, buildCommit, info)
})

// version is the release version, else the module version `go install module@version`
// recorded, else "dev-" and the VCS revision of a local build, else "dev".
func version() string { return stamp().version }

// stampOf prefers what the release stamped in, then what the Go toolchain recorded
// (info may be nil: a binary built without module support).
func stampOf(stampedVersion, stampedCommit string, info *debug.BuildInfo) buildStamp {
	var revision, modified string
	if info != nil {
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
	}
	if len(revision) > 12 {
		revision = revision[:12]
	}
	out := buildStamp{version: stampedVersion, commit: stampedCommit}
	if out.commit == "" && revision != "" {
		out.commit = revision + modified
	}
	if out.version != "" {
		return out
	}
	switch {
	case info != nil && info.Main.Version != "" && info.Main.Version != "(devel)":
		out.version = info.Main.Version
	case revision != "":
		out.version = "dev-" + revision + modified
	default:
		out.version = "dev"
	}
	return out
}

// String is the line `autotask-mcp version` prints, after the program's name.
func (s buildStamp) String() string {
	if s.commit == "" {
		return fmt.Sprintf("%s (%s, %s/%s)", s.version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	}
	return fmt.Sprintf("%s (commit %s, %s, %s/%s)", s.version, s.commit, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

func runVersion(args []string, std stdio) error {
	if len(args) > 0 {
		return usageErrorf("version takes no arguments")
	}
	fmt.Fprintf(std.out, "autotask-mcp %s\n", stamp())
	return nil
}
