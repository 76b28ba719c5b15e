//go:build unix

package e2e

import (
	"os/exec"
	"syscall"
)

// ownProcessGroup puts node in a process group of its own and makes a cancelled run kill the
// whole group, so a timed-out suite leaves no server binary behind listening on a port.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
