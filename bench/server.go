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

// server is the real Biebplein, started as a child process so that the load generator's own
// work is not counted in the server's process.
type server struct {
	cmd    *exec.Cmd
	base   string // http://127.0.0.1:port
	stderr *tail
	done   chan error
}

// serverURL finds the address in the line serve prints when it listens.
var serverURL = regexp.MustCompile(`http://\S+:(\d+)`)

// startServer runs bin serve on a free port of 127.0.0.1 with the database dsn, and returns
// once the server answers /readyz.
func startServer(ctx context.Context, bin, dsn, dataDir string) (*server, error) {
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--database", dsn, "--data-dir", dataDir,
		"--log-level", "warn")
	// English, so that the line with the address is known; the address comes from the flags.
	cmd.Env = append(os.Environ(), "LC_ALL=en_GB.UTF-8", "LANG=en_GB.UTF-8")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, stderr: &tail{max: 4096}, done: make(chan error, 1)}
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
		s.done <- cmd.Wait()
	}()

	select {
	case p := <-port:
		s.base = "http://127.0.0.1:" + p
	case err := <-s.done:
		return nil, fmt.Errorf("server exited: %v\n%s", err, s.stderr)
	case <-time.After(2 * time.Minute):
		s.kill()
		return nil, fmt.Errorf("server printed no address within 2 minutes\n%s", s.stderr)
	case <-ctx.Done():
		s.kill()
		return nil, ctx.Err()
	}
	if err := s.waitReady(ctx); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

// waitReady polls /readyz until it answers 200, for at most a minute.
func (s *server) waitReady(ctx context.Context) error {
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

// pid returns the server's process id.
func (s *server) pid() int { return s.cmd.Process.Pid }

// stop ends the server with SIGTERM, as an operator would, and kills it if it has not
// stopped within 30 seconds.
func (s *server) stop() error {
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		s.kill()
		return err
	}
	select {
	case err := <-s.done:
		if err != nil {
			return fmt.Errorf("server: %v\n%s", err, s.stderr)
		}
		return nil
	case <-time.After(30 * time.Second):
		s.kill()
		return fmt.Errorf("server did not stop within 30 seconds of SIGTERM")
	}
}

func (s *server) kill() {
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
