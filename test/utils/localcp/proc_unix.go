//go:build unix

package localcp

import (
	"os"
	"syscall"
)

// sysProcAttr puts a child in a process group of its own, as envtest does
// for etcd and the apiserver, so a Ctrl-C in the terminal reaches only the
// parent, which stops the child in order.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// terminate asks p to shut down gracefully.
func terminate(p *os.Process) error {
	return p.Signal(syscall.SIGTERM)
}
