package chaos

import (
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"k8s.io/client-go/tools/clientcmd"
)

// proxy is a loopback TCP proxy in front of the API server. Refusing, it
// resets every connection it holds and every new one, which is what a
// manager sees of an API server that is down; it counts the connections
// the manager attempts meanwhile.
type proxy struct {
	ln     net.Listener
	target string

	mu        sync.Mutex
	refusing  bool
	conns     map[net.Conn]struct{}
	opened    int         // connections accepted, refused ones included
	refusedAt []time.Time // when each connection reset on arrival came
}

func startProxy(target string) (*proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &proxy{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	go p.serve()
	return p, nil
}

func (p *proxy) addr() string { return p.ln.Addr().String() }

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return // closed
		}
		p.mu.Lock()
		p.opened++
		if p.refusing {
			p.refusedAt = append(p.refusedAt, time.Now())
			p.mu.Unlock()
			reset(c)
			continue
		}
		p.conns[c] = struct{}{}
		p.mu.Unlock()
		go p.pipe(c)
	}
}

func (p *proxy) pipe(c net.Conn) {
	defer p.drop(c)
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	p.mu.Lock()
	p.conns[up] = struct{}{}
	p.mu.Unlock()
	defer p.drop(up)
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(up, c); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, up); done <- struct{}{} }()
	<-done
}

func (p *proxy) drop(c net.Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
	_ = c.Close()
}

// refuse resets every open connection and every new one until restore.
func (p *proxy) refuse() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refusing = true
	for c := range p.conns {
		reset(c)
		delete(p.conns, c)
	}
}

func (p *proxy) restore() {
	p.mu.Lock()
	p.refusing = false
	p.mu.Unlock()
}

// counts returns how many connections were accepted, and when those
// refused came.
func (p *proxy) counts() (opened int, refused []time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.opened, slices.Clone(p.refusedAt)
}

func (p *proxy) close() { _ = p.ln.Close(); p.refuse() }

// reset closes c with a TCP RST, as a host with nothing listening answers.
func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}

// proxiedKubeconfig writes a copy of kubeconfig whose server is the proxy.
// The API server's certificate is for the loopback IP, not for a port, so
// TLS verification holds through the proxy.
func proxiedKubeconfig(kubeconfig, dir string, p *proxy) (path, apiserver string, err error) {
	cfg, err := clientcmd.LoadFromFile(kubeconfig)
	if err != nil {
		return "", "", err
	}
	for _, cluster := range cfg.Clusters {
		u, err := url.Parse(cluster.Server)
		if err != nil {
			return "", "", err
		}
		apiserver = u.Host
		u.Host = p.addr()
		cluster.Server = u.String()
	}
	path = filepath.Join(dir, "kubeconfig-proxied")
	return path, apiserver, clientcmd.WriteToFile(*cfg, path)
}

// controlPlanePids finds the etcd and kube-apiserver processes envtest
// started as children of this process.
func controlPlanePids() ([]int, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	self := os.Getpid()
	var pids []int
	found := map[string]bool{}
	for _, d := range entries {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", d.Name(), "stat"))
		if err != nil {
			continue // gone meanwhile
		}
		// pid (comm) state ppid ...: comm may hold spaces, so split after ')'.
		s := string(stat)
		open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || end < open {
			continue
		}
		comm, rest := s[open+1:end], strings.Fields(s[end+1:])
		if len(rest) < 2 || (comm != "etcd" && comm != "kube-apiserver") {
			continue
		}
		if ppid, _ := strconv.Atoi(rest[1]); ppid == self {
			pids = append(pids, pid)
			found[comm] = true
		}
	}
	if !found["etcd"] || !found["kube-apiserver"] {
		return nil, fmt.Errorf("found %v among this process's children, want etcd and kube-apiserver", found)
	}
	return pids, nil
}

// signalAll sends sig to every pid.
func signalAll(pids []int, sig syscall.Signal) error {
	for _, pid := range pids {
		if err := syscall.Kill(pid, sig); err != nil {
			return fmt.Errorf("signal %v to %d: %w", sig, pid, err)
		}
	}
	return nil
}
