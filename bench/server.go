package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"sync"
	"syscall"
	"time"
)

// Server is the real Biebplein, started as a child process so that the load generator's own
// work is not counted in the server's process, and so that a test can kill it the hard way.
type Server struct {
	cmd    *exec.Cmd
	base   string // http://127.0.0.1:port
	stderr *tail
	done   chan struct{} // closed when the process has ended, with its error in exit
	exit   error
}

// serverURL finds the address in the line serve prints when it listens.
var serverURL = regexp.MustCompile(`http://\S+:(\d+)`)

// StartServer runs bin serve on a free port of 127.0.0.1 with the database dsn, and returns
// once the server answers /readyz.
func StartServer(ctx context.Context, bin, dsn, dataDir string) (*Server, error) {
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--database", dsn, "--data-dir", dataDir,
		"--log-level", "warn")
	// English, so that the line with the address is known; the address comes from the flags.
	cmd.Env = append(os.Environ(), "LC_ALL=en_GB.UTF-8", "LANG=en_GB.UTF-8")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	s := &Server{cmd: cmd, stderr: &tail{max: 4096}, done: make(chan struct{})}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start server: %w", err)
	}
	port := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stdout)
		for lines.Scan() {
			if m := serverURL.FindStringSubmatch(lines.Text()); m != nil {
				select {
				case port <- m[1]:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		s.exit = cmd.Wait()
		close(s.done)
	}()

	select {
	case p := <-port:
		s.base = "http://127.0.0.1:" + p
	case <-s.done:
		return nil, fmt.Errorf("server exited: %v\n%s", s.exit, s.stderr)
	case <-time.After(2 * time.Minute):
		s.kill()
		return nil, fmt.Errorf("server printed no address within 2 minutes\n%s", s.stderr)
	case <-ctx.Done():
		s.kill()
		return nil, ctx.Err()
	}
	if err := s.waitReady(ctx); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// waitReady polls /readyz until it answers 200, for at most a minute.
func (s *Server) waitReady(ctx context.Context) error {
	hc := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{Proxy: nil}}
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base+"/readyz", nil)
		if err != nil {
			return err
		}
		if resp, err := hc.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("server at %s not ready within a minute\n%s", s.base, s.stderr)
}

// URL returns the server's address, http://127.0.0.1:port.
func (s *Server) URL() string { return s.base }

// PID returns the server's process id.
func (s *Server) PID() int { return s.cmd.Process.Pid }

// Log returns the last lines the server wrote to its standard error.
func (s *Server) Log() string { return s.stderr.String() }

// Stop ends the server with SIGTERM, as an operator would, and kills it if it has not
// stopped within 30 seconds.
func (s *Server) Stop() error {
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		s.kill()
		return err
	}
	select {
	case <-s.done:
		if s.exit != nil {
			return fmt.Errorf("server: %v\n%s", s.exit, s.stderr)
		}
		return nil
	case <-time.After(30 * time.Second):
		s.kill()
		return fmt.Errorf("server did not stop within 30 seconds of SIGTERM")
	}
}

// Kill ends the server with SIGKILL, as a crash would: no shutdown, no last write, and
// returns once the process is gone. Killing a server that has ended does nothing.
func (s *Server) Kill() error {
	select {
	case <-s.done:
		return nil
	default:
	}
	s.kill()
	select {
	case <-s.done:
		return nil
	case <-time.After(30 * time.Second):
		return fmt.Errorf("server %d still running 30 seconds after SIGKILL", s.PID())
	}
}

func (s *Server) kill() {
	_ = s.cmd.Process.Kill()
}

// tail keeps the last max bytes written to it: the server's recent log lines for an error.
type tail struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = t.buf[len(t.buf)-t.max:]
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// localOnly reports whether base is a loopback address, which is all the load talks to.
func localOnly(base string) bool {
	u, err := url.Parse(base)
	return err == nil && u.Hostname() == "127.0.0.1"
}
