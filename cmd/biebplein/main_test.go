package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/app"
	"github.com/biebplein/biebplein/auth"
	"github.com/biebplein/biebplein/service"
	"github.com/biebplein/biebplein/store/storetest"
)

// run runs the command line with the given standard input and returns its output.
func run(tb testing.TB, stdin string, args ...string) (string, string, error) {
	tb.Helper()
	var out, errOut bytes.Buffer
	c := &CLI{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut,
		Configure: func(cfg *app.Config) { cfg.Password = auth.FastParams; cfg.LogLevel = "error" },
	}
	err := c.Run(context.Background(), args)
	return out.String(), errOut.String(), err
}

// signIn checks that email can sign in with password on the database.
func signIn(tb testing.TB, dsn, email, password string) *biebplein.Person {
	tb.Helper()
	m := app.NewMain(app.Config{Database: dsn, LogFormat: "text", LogLevel: "error", DataDir: tb.TempDir()})
	defer m.Close()
	if err := m.Open(context.Background()); err != nil {
		tb.Fatal(err)
	}
	_, _, p, err := m.Service.SignIn(context.Background(), service.Credentials{Email: email, Password: password, IP: "127.0.0.1"})
	if err != nil {
		tb.Fatalf("sign in as %s: %v", email, err)
	}
	return p
}

func TestUserAdd(t *testing.T) {
	t.Setenv("LANG", "en_GB.UTF-8")
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dsn := storetest.DSN(t, dialect)
			t.Run("FirstAdminCreatesRootOrganisation", func(t *testing.T) {
				out, _, err := run(t, "een lang wachtwoord\n", "user", "add", "--database", dsn,
					"--email", "Beheer@Example.nl", "--name", "Anna Beheer", "--admin", "--password-stdin")
				if err != nil {
					t.Fatalf("user add: %v", err)
				}
				if !strings.Contains(out, "beheer@example.nl") || !strings.Contains(out, service.RootOrganisationName) {
					t.Fatalf("output = %q", out)
				}
				p := signIn(t, dsn, "beheer@example.nl", "een lang wachtwoord")
				if !p.Admin || p.Organisation.Name != service.RootOrganisationName || p.Organisation.Kind != biebplein.OrgSupport {
					t.Fatalf("person = %+v, want an admin in the root support organisation", p)
				}
			})
			t.Run("GeneratedPasswordPrintedOnce", func(t *testing.T) {
				out, _, err := run(t, "", "user", "add", "--database", dsn, "--email", "vrijwilliger@example.nl",
					"--name", "Henk Vrijwilliger", "--kind", "volunteer", "--organisation", service.RootOrganisationName)
				if err != nil {
					t.Fatalf("user add: %v", err)
				}
				pw := regexp.MustCompile(`[a-z0-9]{5}(-[a-z0-9]{5}){3}`).FindString(out)
				if pw == "" {
					t.Fatalf("no generated password in %q", out)
				}
				if p := signIn(t, dsn, "vrijwilliger@example.nl", pw); p.Kind != biebplein.KindVolunteer {
					t.Fatalf("kind = %q, want volunteer", p.Kind)
				}
			})
			t.Run("DuplicateEmail", func(t *testing.T) {
				_, _, err := run(t, "nog een wachtwoord\n", "user", "add", "--database", dsn, "--email", "BEHEER@example.nl", "--name", "X", "--password-stdin")
				if err == nil || !strings.Contains(err.Error(), "already an account") {
					t.Fatalf("err = %v, want duplicate e-mail message", err)
				}
			})
			t.Run("BadInput", func(t *testing.T) {
				_, _, err := run(t, "kort\n", "user", "add", "--database", dsn, "--email", "geen-adres", "--name", "", "--kind", "robot", "--password-stdin")
				if err == nil {
					t.Fatal("user add with bad input succeeded")
				}
				for _, want := range []string{"--email", "--name", "--kind", "--password"} {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error %q does not mention %s", err, want)
					}
				}
			})
			t.Run("UnknownOrganisation", func(t *testing.T) {
				_, _, err := run(t, "", "user", "add", "--database", dsn, "--email", "x@example.nl", "--name", "X", "--organisation", "Nergens")
				if err == nil || !strings.Contains(err.Error(), "Nergens") {
					t.Fatalf("err = %v, want unknown organisation", err)
				}
			})
			t.Run("Passwd", func(t *testing.T) {
				if _, _, err := run(t, "een ander wachtwoord\n", "user", "passwd", "--database", dsn, "--email", "beheer@example.nl", "--password-stdin"); err != nil {
					t.Fatalf("user passwd: %v", err)
				}
				signIn(t, dsn, "beheer@example.nl", "een ander wachtwoord")
				if _, _, err := run(t, "een ander wachtwoord\n", "user", "passwd", "--database", dsn, "--email", "niemand@example.nl", "--password-stdin"); err == nil {
					t.Fatal("user passwd for an unknown address succeeded")
				}
			})
		})
	}
}

func TestHelpAndVersion(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}, {"migrate", "--help"}, {"user", "add", "--help"}, {"user", "passwd", "--help"}, {"demo", "--help"}, {"version", "--help"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			_, errOut, err := run(t, "", args...)
			if !errors.Is(err, flag.ErrHelp) {
				t.Fatalf("err = %v, want flag.ErrHelp", err)
			}
			if !strings.Contains(errOut, "biebplein") {
				t.Fatalf("help output = %q", errOut)
			}
		})
	}
	out, _, err := run(t, "", "version")
	if err != nil || !strings.HasPrefix(out, "biebplein ") {
		t.Fatalf("version = %q, %v", out, err)
	}
	if _, _, err := run(t, "", "frobnicate"); err == nil {
		t.Fatal("unknown command succeeded")
	}
}

func TestMigrateAndDemo(t *testing.T) {
	dsn := storetest.DSN(t, "sqlite")
	if out, _, err := run(t, "", "migrate", "--database", dsn); err != nil || out == "" {
		t.Fatalf("migrate = %q, %v", out, err)
	}
	out, _, err := run(t, "", "demo", "--database", dsn)
	if err != nil || !strings.Contains(out, "ingrid.bakker@") {
		t.Fatalf("demo = %q, %v", out, err)
	}
}

// The real binary stops cleanly on SIGTERM: exit status 0 and the SQLite write-ahead log
// checkpointed into the database file.
func TestBinaryGracefulShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "biebplein")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	data := filepath.Join(dir, "data")
	cmd := exec.Command(bin, "--addr", "127.0.0.1:0", "--data-dir", data, "--log-level", "warn")
	cmd.Env = append(os.Environ(), "LANG=en_GB.UTF-8", "BIEBPLEIN_DATABASE=")
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(stdout)
	var url, setup string
	deadline := time.Now().Add(30 * time.Second)
	for (url == "" || setup == "") && time.Now().Before(deadline) && lines.Scan() {
		line := lines.Text()
		if m := regexp.MustCompile(`running at (http://\S+) `).FindStringSubmatch(line); m != nil {
			url = m[1]
		}
		if m := regexp.MustCompile(`(http://\S+/setup/\S+)`).FindStringSubmatch(line); m != nil {
			setup = m[1]
		}
	}
	if url == "" || setup == "" {
		t.Fatalf("no address or setup link printed; stderr:\n%s", stderr.String())
	}
	if code, _ := httpGet(t, url+"/readyz"); code != 200 {
		t.Fatalf("/readyz = %d", code)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		for lines.Scan() {
		}
		done <- cmd.Wait()
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no exit within 30 s of SIGTERM")
	}
	if _, err := os.Stat(filepath.Join(data, "biebplein.db")); err != nil {
		t.Fatalf("database file: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(data, "biebplein.db-wal")); err == nil && fi.Size() > 0 {
		t.Fatalf("write-ahead log left with %d bytes: the database was not closed cleanly", fi.Size())
	}
}
