package mailtest

import (
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"net"
	"net/textproto"
	"runtime"
	"strings"
	"testing"
	"time"
)

// dial opens a raw SMTP conversation with srv and reads the greeting.
func dial(t *testing.T, srv *Server) *textproto.Conn {
	t.Helper()
	c, err := textproto.Dial("tcp", srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	expect(t, c, 220)
	return c
}

// expect reads one reply and fails unless it has code.
func expect(t *testing.T, c *textproto.Conn, code int) string {
	t.Helper()
	got, msg, err := c.ReadResponse(0)
	if err != nil && got == 0 {
		t.Fatalf("reading reply: %v", err)
	}
	if got != code {
		t.Fatalf("reply %d %s, want %d", got, msg, code)
	}
	return msg
}

// cmd sends a command and expects code in reply.
func cmd(t *testing.T, c *textproto.Conn, code int, format string, args ...any) string {
	t.Helper()
	if err := c.PrintfLine(format, args...); err != nil {
		t.Fatal(err)
	}
	return expect(t, c, code)
}

func TestConversation(t *testing.T) {
	t.Run("DotUnstuffingAndCRLF", func(t *testing.T) {
		srv := Start(t, Options{})
		c := dial(t, srv)
		cmd(t, c, 250, "EHLO test")
		cmd(t, c, 250, "MAIL FROM:<a@bieb.example> BODY=7BIT")
		cmd(t, c, 250, "RCPT TO:<b@bieb.example>")
		cmd(t, c, 250, "RCPT TO:<c@bieb.example>")
		cmd(t, c, 354, "DATA")
		cmd(t, c, 250, "Subject: =?utf-8?q?co=C3=B6peratie?=\r\n\r\n..punt\r\nregel\r\n.")
		cmd(t, c, 221, "QUIT")

		got := srv.Wait(t, 1, 5*time.Second)[0]
		if want := "Subject: =?utf-8?q?co=C3=B6peratie?=\r\n\r\n.punt\r\nregel\r\n"; string(got.Raw) != want {
			t.Errorf("Raw = %q, want %q", got.Raw, want)
		}
		if got.Subject != "coöperatie" || got.Text != ".punt\nregel" {
			t.Errorf("Subject, Text = %q, %q; want coöperatie, .punt\\nregel", got.Subject, got.Text)
		}
		if got.From != "a@bieb.example" || strings.Join(got.To, ",") != "b@bieb.example,c@bieb.example" {
			t.Errorf("envelope %q -> %q", got.From, got.To)
		}
	})

	t.Run("SequenceErrors", func(t *testing.T) {
		srv := Start(t, Options{})
		c := dial(t, srv)
		cmd(t, c, 503, "MAIL FROM:<a@bieb.example>")
		cmd(t, c, 250, "HELO test")
		cmd(t, c, 503, "RCPT TO:<b@bieb.example>")
		cmd(t, c, 501, "MAIL FROM:a@bieb.example")
		cmd(t, c, 250, "MAIL FROM:<a@bieb.example>")
		cmd(t, c, 503, "MAIL FROM:<a@bieb.example>")
		cmd(t, c, 503, "DATA")
		cmd(t, c, 250, "RSET")
		cmd(t, c, 503, "RCPT TO:<b@bieb.example>")
		cmd(t, c, 250, "NOOP")
		cmd(t, c, 500, "VRFY b")
		cmd(t, c, 502, "STARTTLS")
		cmd(t, c, 503, "AUTH PLAIN")
	})

	t.Run("AuthAfterSTARTTLSOnly", func(t *testing.T) {
		srv := Start(t, Options{TLS: true, Username: "bieb", Password: "geheim"})
		c := dial(t, srv)
		if ext := cmd(t, c, 250, "EHLO test"); !strings.Contains(ext, "STARTTLS") || strings.Contains(ext, "AUTH") {
			t.Fatalf("EHLO before TLS = %q, want STARTTLS and no AUTH", ext)
		}
		cmd(t, c, 503, "AUTH PLAIN %s", plain("bieb", "geheim"))
		cmd(t, c, 530, "MAIL FROM:<a@bieb.example>")
		cmd(t, c, 220, "STARTTLS")

		raw, err := net.Dial("tcp", srv.Addr()) // a second connection, upgraded by hand
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		tc := textproto.NewConn(raw)
		expect(t, tc, 220)
		cmd(t, tc, 250, "EHLO test")
		cmd(t, tc, 220, "STARTTLS")
		tlsConn := tls.Client(raw, &tls.Config{RootCAs: srv.RootCAs(), ServerName: "127.0.0.1"})
		tc = textproto.NewConn(tlsConn)
		if ext := cmd(t, tc, 250, "EHLO test"); !strings.Contains(ext, "AUTH PLAIN") || strings.Contains(ext, "STARTTLS") {
			t.Fatalf("EHLO after TLS = %q, want AUTH PLAIN and no STARTTLS", ext)
		}
		cmd(t, tc, 535, "AUTH PLAIN %s", plain("bieb", "fout"))
		cmd(t, tc, 504, "AUTH LOGIN")
		cmd(t, tc, 334, "AUTH PLAIN")
		cmd(t, tc, 235, "%s", plain("bieb", "geheim"))
		cmd(t, tc, 250, "MAIL FROM:<a@bieb.example>")
	})

	t.Run("FailNext", func(t *testing.T) {
		srv := Start(t, Options{})
		srv.FailNext(2, 451)
		c := dial(t, srv)
		cmd(t, c, 250, "EHLO test")
		for _, want := range []int{451, 451, 250} {
			cmd(t, c, 250, "MAIL FROM:<a@bieb.example>")
			cmd(t, c, want, "RCPT TO:<b@bieb.example>")
			cmd(t, c, 250, "RSET")
		}
	})
}

func plain(user, pass string) string {
	return base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + pass))
}

func TestStop(t *testing.T) {
	t.Run("ClosesOpenConnections", func(t *testing.T) {
		srv := Start(t, Options{})
		c := dial(t, srv)
		srv.Stop()
		if _, err := c.ReadLine(); err == nil {
			t.Fatal("connection still open after Stop")
		}
		if _, err := net.Dial("tcp", srv.Addr()); err == nil {
			t.Fatal("still accepting after Stop")
		}
	})

	t.Run("NoGoroutinesLeft", func(t *testing.T) {
		before := runtime.NumGoroutine()
		srv := Start(t, Options{TLS: true})
		for range 3 {
			dial(t, srv) // left open: Stop must end them
		}
		srv.Stop()
		srv.Restart(t)
		dial(t, srv)
		srv.Stop()
		deadline := time.Now().Add(2 * time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > before {
			t.Fatalf("%d goroutines after Stop, %d before Start", n, before)
		}
	})
}

// fakeTB records a failure instead of ending the test.
type fakeTB struct {
	testing.TB
	failed string
}

func (f *fakeTB) Helper()                           {}
func (f *fakeTB) Fatalf(format string, args ...any) { f.failed = fmt.Sprintf(format, args...) }

func TestWait(t *testing.T) {
	t.Run("TimeoutFails", func(t *testing.T) {
		srv := Start(t, Options{})
		tb := &fakeTB{TB: t}
		start := time.Now()
		if got := srv.Wait(tb, 1, 100*time.Millisecond); got != nil {
			t.Fatalf("Wait = %v, want nil", got)
		}
		if time.Since(start) > 2*time.Second {
			t.Fatal("Wait did not give up at its timeout")
		}
		if want := "mailtest: 0 messages arrived within 100ms, want at least 1"; tb.failed != want {
			t.Fatalf("failure %q, want %q", tb.failed, want)
		}
	})

	t.Run("ReturnsCopies", func(t *testing.T) {
		srv := Start(t, Options{})
		c := dial(t, srv)
		cmd(t, c, 250, "EHLO test")
		cmd(t, c, 250, "MAIL FROM:<a@bieb.example>")
		cmd(t, c, 250, "RCPT TO:<b@bieb.example>")
		cmd(t, c, 354, "DATA")
		cmd(t, c, 250, "Subject: x\r\n\r\ny\r\n.")
		got := srv.Wait(t, 1, 5*time.Second)
		got[0].To[0], got[0].Raw[0] = "changed", 'X'
		got[0].Header["Subject"][0] = "changed"
		again := srv.Messages()[0]
		if again.To[0] != "b@bieb.example" || again.Raw[0] != 'S' || again.Header.Get("Subject") != "x" {
			t.Fatal("changing a returned message changed the server's copy")
		}
	})
}
