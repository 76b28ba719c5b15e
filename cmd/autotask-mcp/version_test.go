package main

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestStampOf(t *testing.T) {
	t.Parallel()
	vcs := func(revision, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs.revision", Value: revision}, {Key: "vcs.modified", Value: modified}}
	}
	const rev = "0123456789abcdef0123456789abcdef01234567"
	tests := []struct {
		name                   string
		stampedVer, stampedCmt string
		info                   *debug.BuildInfo
		want                   buildStamp
	}{
		{name: "release stamps win over build info", stampedVer: "v1.2.3", stampedCmt: rev,
			info: &debug.BuildInfo{Main: debug.Module{Version: "v9.9.9"}, Settings: vcs("ffffffffffffffff", "true")},
			want: buildStamp{version: "v1.2.3", commit: rev}},
		{name: "release version without a commit takes the VCS revision", stampedVer: "v1.2.3",
			info: &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "false")},
			want: buildStamp{version: "v1.2.3", commit: "0123456789ab"}},
		{name: "go install module@version: the module version", info: &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}},
			want: buildStamp{version: "v1.4.0"}},
		{name: "local build with VCS info", info: &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "false")},
			want: buildStamp{version: "dev-0123456789ab", commit: "0123456789ab"}},
		{name: "local build of a modified tree", info: &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "true")},
			want: buildStamp{version: "dev-0123456789ab-dirty", commit: "0123456789ab-dirty"}},
		{name: "local build without VCS info", info: &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}},
			want: buildStamp{version: "dev"}},
		{name: "no build info", want: buildStamp{version: "dev"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, stampOf(tt.stampedVer, tt.stampedCmt, tt.info))
		})
	}
}

func TestBuildStampString(t *testing.T) {
	t.Parallel()
	assert.Regexp(t, `^v1\.2\.3 \(commit abc, go[^,]+, \w+/\w+\)$`, buildStamp{version: "v1.2.3", commit: "abc"}.String())
	assert.Regexp(t, `^dev \(go[^,]+, \w+/\w+\)$`, buildStamp{version: "dev"}.String())
}
