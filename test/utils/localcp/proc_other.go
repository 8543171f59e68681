//go:build !unix

package localcp

import (
	"os"
	"syscall"
)

func sysProcAttr() *syscall.SysProcAttr { return nil }

// terminate kills p: there is no SIGTERM to send.
func terminate(p *os.Process) error {
	return p.Kill()
}
