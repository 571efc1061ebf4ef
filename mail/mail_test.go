package mail_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"mime"
	"net"
	netmail "net/mail"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/biebplein/biebplein/mail"
	"github.com/biebplein/biebplein/mail/mailtest"
)

const (
	from    = "Biebplein <noreply@biebplein.example>"
	subject = "Reactie op je bericht — coöperatie"
)

// config is a configuration for srv that trusts its certificate.
func config(srv *mailtest.Server, security string) mail.Config {
	return mail.Config{
		Host: srv.Host(), Port: srv.Port(), Security: security, From: from,
		Timeout: 5 * time.Second, TLS: &tls.Config{RootCAs: srv.RootCAs()},
	}
}

// message is a typical notification.
func message() mail.Message {
	return mail.Message{
		To: "anna@bibliotheek.example", ToName: "Anna de Vries", Subject: subject,
		Text: "Hallo Anna,\n\nJoël reageerde op je bericht over de coöperatie.\n.Een regel die met een punt begint.\n",
	}
}

// mustSend sends m and fails the test on an error.
func mustSend(t *testing.T, c mail.Config, m mail.Message) {
	t.Helper()
	if err := mail.NewSMTP(c).Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
}

// checkWire checks what every message must be on the wire: 7-bit and CRLF throughout.
func checkWire(t *testing.T, raw []byte) {
	t.Helper()
	for i, b := range raw {
		if b >= 0x80 {
			t.Fatalf("byte %d of the message is %#x: not 7-bit", i, b)
		}
		if b == '\n' && (i == 0 || raw[i-1] != '\r') {
			t.Fatalf("line feed without carriage return at byte %d", i)
		}
	}
	for _, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 998 {
			t.Fatalf("line of %d characters, RFC 5322 allows 998", len(line))
		}
	}
}

func TestSend(t *testing.T) {
	t.Run("STARTTLSWithAuthText", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{TLS: true, Username: "bieb", Password: "geheim"})
		c := config(srv, "starttls")
		c.Username, c.Password = "bieb", "geheim"
		m := message()
		m.MessageID = "outbox-123@biebplein"
		m.Unsubscribe = "https://biebplein.example/meldingen/uit?t=abc"
		m.Language = "nl"
		mustSend(t, c, m)

		got := srv.Wait(t, 1, 5*time.Second)[0]
		checkWire(t, got.Raw)
		if !got.TLS || got.Username != "bieb" {
			t.Errorf("TLS, Username = %v, %q; want true, bieb", got.TLS, got.Username)
		}
		if got.From != "noreply@biebplein.example" || len(got.To) != 1 || got.To[0] != m.To {
			t.Errorf("envelope = %q -> %q, want noreply@biebplein.example -> [%s]", got.From, got.To, m.To)
		}
		if got.Subject != subject {
			t.Errorf("Subject = %q, want %q", got.Subject, subject)
		}
		if want := strings.TrimRight(m.Text, "\n"); got.Text != want {
			t.Errorf("Text = %q, want %q", got.Text, want)
		}
		if got.HTML != "" {
			t.Errorf("HTML = %q, want none", got.HTML)
		}
		to, err := got.Header.AddressList("To")
		if err != nil || len(to) != 1 || to[0].Name != "Anna de Vries" || to[0].Address != m.To {
			t.Errorf("To header = %v (%v), want Anna de Vries <%s>", to, err, m.To)
		}
		for k, want := range map[string]string{
			"Message-Id":            "<outbox-123@biebplein>",
			"List-Unsubscribe":      "<https://biebplein.example/meldingen/uit?t=abc>",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
			"Content-Language":      "nl",
			"Auto-Submitted":        "auto-generated",
			"Mime-Version":          "1.0",
		} {
			if v := got.Header.Get(k); v != want {
				t.Errorf("%s = %q, want %q", k, v, want)
			}
		}
		if _, err := got.Header.Date(); err != nil {
			t.Errorf("Date: %v", err)
		}
	})

	t.Run("STARTTLSHTMLAndText", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{TLS: true})
		m := message()
		m.ToName = "Joël Müller"
		m.HTML = "<p>Hallo Anna,</p>\n<p>Joël reageerde op je bericht over de <b>coöperatie</b>.</p>"
		mustSend(t, config(srv, ""), m) // "" is starttls

		got := srv.Wait(t, 1, 5*time.Second)[0]
		checkWire(t, got.Raw)
		if !got.TLS {
			t.Error("message did not come over TLS")
		}
		if ct := got.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/alternative;") {
			t.Errorf("Content-Type = %q, want multipart/alternative", ct)
		}
		if want := strings.TrimRight(m.Text, "\n"); got.Text != want {
			t.Errorf("Text = %q, want %q", got.Text, want)
		}
		if got.HTML != m.HTML {
			t.Errorf("HTML = %q, want %q", got.HTML, m.HTML)
		}
		if to, err := got.Header.AddressList("To"); err != nil || to[0].Name != "Joël Müller" {
			t.Errorf("To header = %v (%v), want the name Joël Müller", to, err)
		}
		if id := got.Header.Get("Message-Id"); !regexp.MustCompile(`^<[A-Z2-7]{20,}@biebplein\.example>$`).MatchString(id) {
			t.Errorf("generated Message-ID = %q, want <random@biebplein.example>", id)
		}
		if got.Header.Get("List-Unsubscribe") != "" {
			t.Error("List-Unsubscribe set without Unsubscribe")
		}
	})

	t.Run("ImplicitTLS", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{ImplicitTLS: true, Username: "bieb", Password: "geheim"})
		c := config(srv, "tls")
		c.Username, c.Password = "bieb", "geheim"
		mustSend(t, c, message())
		if got := srv.Wait(t, 1, 5*time.Second)[0]; !got.TLS || got.Subject != subject {
			t.Errorf("TLS, Subject = %v, %q; want true, %q", got.TLS, got.Subject, subject)
		}
	})

	t.Run("NoneOnLoopback", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{Username: "bieb", Password: "geheim"})
		c := config(srv, "none")
		c.Username, c.Password = "bieb", "geheim"
		mustSend(t, c, message())
		if got := srv.Wait(t, 1, 5*time.Second)[0]; got.TLS || got.Username != "bieb" {
			t.Errorf("TLS, Username = %v, %q; want false, bieb", got.TLS, got.Username)
		}
	})

	t.Run("LongSubjectFolds", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{TLS: true})
		m := message()
		m.Subject = strings.Repeat("Nieuw in de groep ‘Leesbevordering & coöperatie’: ", 5)
		mustSend(t, config(srv, "starttls"), m)
		got := srv.Wait(t, 1, 5*time.Second)[0]
		checkWire(t, got.Raw)
		if got.Subject != m.Subject {
			t.Errorf("Subject = %q, want %q", got.Subject, m.Subject)
		}
	})

	t.Run("ErrNotConfigured", func(t *testing.T) {
		if err := mail.NewSMTP(mail.Config{}).Send(context.Background(), message()); !errors.Is(err, mail.ErrNotConfigured) {
			t.Fatalf("Send = %v, want ErrNotConfigured", err)
		}
	})
}

func TestSendRefused(t *testing.T) {
	t.Run("STARTTLSNotOffered", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{})
		err := mail.NewSMTP(config(srv, "starttls")).Send(context.Background(), message())
		if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
			t.Fatalf("Send = %v, want an error about STARTTLS", err)
		}
		if n := len(srv.Messages()); n != 0 {
			t.Fatalf("%d messages delivered without TLS, want 0", n)
		}
	})

	t.Run("UntrustedCertificate", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{TLS: true})
		c := config(srv, "starttls")
		c.TLS = nil // the system roots do not know the test certificate
		if err := mail.NewSMTP(c).Send(context.Background(), message()); err == nil {
			t.Fatal("Send succeeded with an untrusted certificate")
		}
		if n := len(srv.Messages()); n != 0 {
			t.Fatalf("%d messages delivered, want 0", n)
		}
	})

	t.Run("WrongPasswordIsTemporary", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{TLS: true, Username: "bieb", Password: "geheim"})
		c := config(srv, "starttls")
		c.Username, c.Password = "bieb", "fout"
		err := mail.NewSMTP(c).Send(context.Background(), message())
		if err == nil || !strings.Contains(err.Error(), "535") {
			t.Fatalf("Send = %v, want 535", err)
		}
		// The configuration is wrong, not the message: it must wait for the fix.
		if mail.Permanent(err) {
			t.Error("Permanent = true for a failed AUTH, want false")
		}
	})

	t.Run("HeaderInjection", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{})
		for name, m := range map[string]mail.Message{
			"Subject":   {To: "a@bieb.example", Subject: "Hoi\r\nBcc: evil@example.com", Text: "x"},
			"SubjectLF": {To: "a@bieb.example", Subject: "Hoi\nBcc: evil@example.com", Text: "x"},
			"To":        {To: "a@bieb.example\r\nBcc: evil@example.com", Text: "x"},
			"ToName":    {To: "a@bieb.example", ToName: "Anna\r\nBcc: evil@example.com", Text: "x"},
			"Header":    {To: "a@bieb.example", Text: "x", Headers: map[string]string{"X-Tag": "a\r\nBcc: evil@example.com"}},
		} {
			t.Run(name, func(t *testing.T) {
				err := mail.NewSMTP(config(srv, "none")).Send(context.Background(), m)
				if !errors.Is(err, mail.ErrInvalidMessage) || !mail.Permanent(err) {
					t.Fatalf("Send = %v, want a permanent ErrInvalidMessage", err)
				}
			})
		}
		if n := len(srv.Messages()); n != 0 {
			t.Fatalf("%d messages delivered, want 0", n)
		}
	})
}

func TestPermanent(t *testing.T) {
	t.Run("550IsPermanent", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{TLS: true})
		srv.FailNext(1, 550)
		err := mail.NewSMTP(config(srv, "starttls")).Send(context.Background(), message())
		if err == nil || !mail.Permanent(err) {
			t.Fatalf("Send = %v, Permanent = %v; want a permanent error", err, mail.Permanent(err))
		}
		mustSend(t, config(srv, "starttls"), message()) // the failure was for one transaction
		if n := len(srv.Messages()); n != 1 {
			t.Fatalf("%d messages delivered, want 1", n)
		}
	})

	t.Run("451IsTemporary", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{TLS: true})
		srv.FailNext(1, 451)
		err := mail.NewSMTP(config(srv, "starttls")).Send(context.Background(), message())
		if err == nil || mail.Permanent(err) {
			t.Fatalf("Send = %v, Permanent = %v; want a temporary error", err, mail.Permanent(err))
		}
	})

	t.Run("ConnectionRefusedIsTemporary", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{TLS: true})
		srv.Stop()
		err := mail.NewSMTP(config(srv, "starttls")).Send(context.Background(), message())
		if err == nil || mail.Permanent(err) {
			t.Fatalf("Send = %v, Permanent = %v; want a temporary error", err, mail.Permanent(err))
		}
	})

	t.Run("Nil", func(t *testing.T) {
		if mail.Permanent(nil) {
			t.Fatal("Permanent(nil) = true")
		}
	})
}

func TestStopRestart(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{TLS: true})
	c := config(srv, "starttls")
	mustSend(t, c, message())
	port := srv.Port()

	srv.Stop()
	if err := mail.NewSMTP(c).Send(context.Background(), message()); err == nil {
		t.Fatal("Send to a stopped server succeeded")
	}
	srv.Restart(t)
	if srv.Port() != port {
		t.Fatalf("port after Restart = %d, want %d", srv.Port(), port)
	}
	mustSend(t, c, message())
	if got := srv.Wait(t, 2, 5*time.Second); len(got) != 2 {
		t.Fatalf("%d messages, want 2 (kept across the outage)", len(got))
	}
}

// silentServer accepts connections and never says a word, like a hung server.
func silentServer(t *testing.T) (host string, port int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
		wg    sync.WaitGroup
	)
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	})
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
		for _, c := range conns {
			c.Close()
		}
	})
	a := ln.Addr().(*net.TCPAddr)
	return a.IP.String(), a.Port
}

func TestSendContext(t *testing.T) {
	host, port := silentServer(t)
	c := mail.Config{Host: host, Port: port, Security: "none", From: from}

	// send sends with ctx and checks that it gave up with want within a second of limit.
	send := func(t *testing.T, ctx context.Context, c mail.Config, limit time.Duration, want error) {
		t.Helper()
		start := time.Now()
		err := mail.NewSMTP(c).Send(ctx, message())
		if elapsed := time.Since(start); elapsed > limit+time.Second {
			t.Errorf("Send took %v, want about %v", elapsed, limit)
		}
		if !errors.Is(err, want) || mail.Permanent(err) {
			t.Fatalf("Send = %v, want a temporary %v", err, want)
		}
	}

	t.Run("ConfigTimeout", func(t *testing.T) {
		c := c
		c.Timeout = 200 * time.Millisecond
		send(t, context.Background(), c, c.Timeout, context.DeadlineExceeded)
	})
	t.Run("ContextDeadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		send(t, ctx, c, 200*time.Millisecond, context.DeadlineExceeded)
	})
	t.Run("ContextCancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		send(t, ctx, c, 100*time.Millisecond, context.Canceled)
	})
}

func TestValidate(t *testing.T) {
	valid := mail.Config{Host: "smtp.example.org", From: from}
	for _, tc := range []struct {
		name   string
		change func(*mail.Config)
		err    string // "" for valid
	}{
		{"Valid", func(c *mail.Config) {}, ""},
		{"NotConfiguredIsValid", func(c *mail.Config) { *c = mail.Config{} }, ""},
		{"AllSecurities", func(c *mail.Config) { c.Security = "tls" }, ""},
		{"ErrUnknownSecurity", func(c *mail.Config) { c.Security = "ssl" }, `unknown security "ssl"`},
		{"ErrPortNegative", func(c *mail.Config) { c.Port = -1 }, "port -1 is out of range"},
		{"ErrPortTooHigh", func(c *mail.Config) { c.Port = 70000 }, "port 70000 is out of range"},
		{"ErrFromRequired", func(c *mail.Config) { c.From = "" }, "sender address (From) is required"},
		{"ErrFromInvalid", func(c *mail.Config) { c.From = "Biebplein noreply" }, `sender address "Biebplein noreply" is not valid`},
		{"ErrFromLineBreak", func(c *mail.Config) { c.From = "a@b.example\r\nBcc: x@y.example" }, "line break"},
		{"ErrPasswordWithoutUsername", func(c *mail.Config) { c.Password = "geheim" }, "password is set without a username"},
		{"ErrPasswordUnencrypted", func(c *mail.Config) { c.Security, c.Username = "none", "bieb" }, "refusing to send the password unencrypted"},
		{"PasswordUnencryptedToLoopback", func(c *mail.Config) { c.Host, c.Security, c.Username = "127.0.0.1", "none", "bieb" }, ""},
		{"PasswordUnencryptedToLocalhost", func(c *mail.Config) { c.Host, c.Security, c.Username = "localhost", "none", "bieb" }, ""},
		{"ErrHelloName", func(c *mail.Config) { c.HelloName = "bieb plein" }, "hello name"},
		{"ErrTimeout", func(c *mail.Config) { c.Timeout = -time.Second }, "timeout -1s is negative"},
		{"ErrHost", func(c *mail.Config) { c.Host = "smtp example" }, "not a host name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := valid
			tc.change(&c)
			err := c.Validate()
			switch {
			case tc.err == "" && err != nil:
				t.Fatalf("Validate = %v, want nil", err)
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Fatalf("Validate = %v, want an error containing %q", err, tc.err)
			}
		})
	}
	t.Run("Enabled", func(t *testing.T) {
		if (mail.Config{}).Enabled() || !valid.Enabled() {
			t.Fatal("Enabled must be true exactly when Host is set")
		}
	})
}

func TestBytes(t *testing.T) {
	now := time.Date(2025, 3, 14, 9, 30, 0, 0, time.FixedZone("CET", 3600))
	parse := func(t *testing.T, m mail.Message) *netmail.Message {
		t.Helper()
		raw, err := m.Bytes(from, now)
		if err != nil {
			t.Fatalf("Bytes: %v", err)
		}
		checkWire(t, raw)
		msg, err := netmail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("ReadMessage: %v\n%s", err, raw)
		}
		return msg
	}

	t.Run("Headers", func(t *testing.T) {
		m := message()
		m.MessageID = "outbox-7@biebplein"
		msg := parse(t, m)
		for k, want := range map[string]string{
			"Date":                      "Fri, 14 Mar 2025 09:30:00 +0100",
			"From":                      `"Biebplein" <noreply@biebplein.example>`,
			"To":                        `"Anna de Vries" <anna@bibliotheek.example>`,
			"Message-Id":                "<outbox-7@biebplein>",
			"Content-Type":              "text/plain; charset=utf-8",
			"Content-Transfer-Encoding": "quoted-printable",
			"Auto-Submitted":            "auto-generated",
			"Content-Language":          "",
		} {
			if got := msg.Header.Get(k); got != want {
				t.Errorf("%s = %q, want %q", k, got, want)
			}
		}
		if s := msg.Header.Get("Subject"); !strings.HasPrefix(s, "=?utf-8?q?") {
			t.Errorf("Subject = %q, want RFC 2047 Q-encoded", s)
		}
	})

	t.Run("ExtraHeaders", func(t *testing.T) {
		m := message()
		m.Headers = map[string]string{"auto-submitted": "auto-replied", "X-Biebplein-Kind": "reactie", "X-Groep": "Leesclub Zoë"}
		msg := parse(t, m)
		if got := msg.Header.Get("Auto-Submitted"); got != "auto-replied" {
			t.Errorf("Auto-Submitted = %q, want the override auto-replied", got)
		}
		if got := msg.Header.Get("X-Biebplein-Kind"); got != "reactie" {
			t.Errorf("X-Biebplein-Kind = %q, want reactie", got)
		}
		if got, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("X-Groep")); got != "Leesclub Zoë" {
			t.Errorf("X-Groep = %q, want Leesclub Zoë", got)
		}
	})

	for _, tc := range []struct {
		name   string
		change func(*mail.Message)
	}{
		{"ErrNoText", func(m *mail.Message) { m.Text = "" }},
		{"ErrNoRecipient", func(m *mail.Message) { m.To = "" }},
		{"ErrRecipientWithName", func(m *mail.Message) { m.To = "Anna <anna@bieb.example>" }},
		{"ErrRecipientInvalid", func(m *mail.Message) { m.To = "anna" }},
		{"ErrReservedHeader", func(m *mail.Message) { m.Headers = map[string]string{"from": "evil@example.com"} }},
		{"ErrBccHeader", func(m *mail.Message) { m.Headers = map[string]string{"Bcc": "evil@example.com"} }},
		{"ErrHeaderName", func(m *mail.Message) { m.Headers = map[string]string{"X-Evil: a\r\nBcc": "x"} }},
		{"ErrMessageIDBrackets", func(m *mail.Message) { m.MessageID = "<a@b>" }},
		{"ErrMessageIDNoAt", func(m *mail.Message) { m.MessageID = "outbox-1" }},
		{"ErrUnsubscribeScheme", func(m *mail.Message) { m.Unsubscribe = "javascript:alert(1)" }},
		{"ErrUnsubscribeRelative", func(m *mail.Message) { m.Unsubscribe = "/uit" }},
		{"ErrLanguage", func(m *mail.Message) { m.Language = "nl; x" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := message()
			tc.change(&m)
			if _, err := m.Bytes(from, now); !errors.Is(err, mail.ErrInvalidMessage) {
				t.Fatalf("Bytes = %v, want ErrInvalidMessage", err)
			}
		})
	}
	t.Run("ErrFrom", func(t *testing.T) {
		if _, err := message().Bytes("noreply", now); err == nil {
			t.Fatal("Bytes with an invalid sender succeeded")
		}
	})
}
