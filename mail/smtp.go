package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SMTP sends through the configured server, one connection per Send: simple, and nothing
// to keep alive or repair between the sparse messages of an intranet.
type SMTP struct {
	config Config
}

var _ Sender = (*SMTP)(nil)

// NewSMTP returns a sender for c. The configuration is checked by every Send, so that an
// invalid one fails each message with the reason rather than at start-up only.
func NewSMTP(c Config) *SMTP { return &SMTP{config: c} }

// stepError says at which step of the conversation a Send failed. Steps before MAIL FROM
// (connect, greeting, EHLO, STARTTLS, AUTH) concern the server or the configuration, not
// the message, so a 5xx there is not permanent: the message waits until the operator has
// fixed the server, instead of being given up.
type stepError struct {
	step  string
	setup bool
	err   error
}

func (e *stepError) Error() string { return "mail: " + e.step + ": " + e.err.Error() }
func (e *stepError) Unwrap() error { return e.err }

// Permanent reports whether err is a failure that retrying will not fix: a 5xx reply to
// the message (MAIL FROM, RCPT TO, DATA; a bad recipient, say) or an invalid message
// (ErrInvalidMessage). Connection errors, timeouts, 4xx replies and errors of the set-up
// (greeting, STARTTLS, AUTH) are temporary.
func Permanent(err error) bool {
	if errors.Is(err, ErrInvalidMessage) {
		return true
	}
	var se *stepError
	if errors.As(err, &se) && se.setup {
		return false
	}
	var te *textproto.Error
	return errors.As(err, &te) && te.Code >= 500 && te.Code <= 599
}

// Send delivers m to m.To. It honours ctx: cancelling it or passing its deadline (or the
// configured Timeout, whichever comes first) aborts the conversation at once. With
// security "starttls" a server that does not offer STARTTLS is refused before anything
// is sent.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	c := s.config
	if !c.Enabled() {
		return ErrNotConfigured
	}
	if err := c.Validate(); err != nil {
		return err
	}
	sender, err := parseFrom(c.From)
	if err != nil {
		return err
	}
	raw, err := m.Bytes(c.From, time.Now())
	if err != nil {
		return err
	}

	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	wrap := func(step string, setup bool, err error) error {
		if ctx.Err() != nil {
			err = ctx.Err() // the cause, not the "i/o timeout" it provoked
		}
		return &stepError{step: step, setup: setup, err: err}
	}
	setup := func(step string, err error) error { return wrap(step, true, err) }
	fail := func(step string, err error) error { return wrap(step, false, err) }

	addr := net.JoinHostPort(c.Host, strconv.Itoa(c.port()))
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return setup("connect to "+addr, err)
	}
	defer conn.Close()
	// A deadline in the past wakes every blocked read and write; the TLS layers and
	// net/smtp above the raw connection inherit it. ctx.Err() is set before this runs, so
	// the errors it causes are reported as the context's.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	var netConn net.Conn = conn
	if c.security() == SecurityTLS {
		tc := tls.Client(conn, c.tlsConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			return setup("TLS handshake with "+addr, err)
		}
		netConn = tc
	}
	client, err := smtp.NewClient(netConn, c.Host)
	if err != nil {
		return setup("greeting from "+addr, err)
	}
	defer client.Close()
	if err := client.Hello(c.helloName()); err != nil {
		return setup("EHLO", err)
	}
	if c.security() == SecurityStartTLS {
		if ok, _ := client.Extension("STARTTLS"); !ok {
			return setup("STARTTLS", fmt.Errorf("%s does not offer STARTTLS, which security %q requires", addr, SecurityStartTLS))
		}
		if err := client.StartTLS(c.tlsConfig()); err != nil {
			return setup("STARTTLS", err)
		}
	}
	if c.Username != "" {
		if err := client.Auth(plainAuth{c: c}); err != nil {
			return setup("AUTH", err)
		}
	}

	if err := client.Mail(sender.Address); err != nil {
		return fail("MAIL FROM", err)
	}
	if err := client.Rcpt(m.To); err != nil {
		return fail("RCPT TO", err)
	}
	w, err := client.Data()
	if err != nil {
		return fail("DATA", err)
	}
	if _, err := w.Write(raw); err != nil {
		return fail("DATA", err)
	}
	if err := w.Close(); err != nil {
		return fail("DATA", err)
	}
	// The server has accepted the message: a failing QUIT must not make anyone send it again.
	_ = client.Quit()
	return nil
}

// plainAuth is AUTH PLAIN (RFC 4616) under this package's rule for when a password may
// travel: over TLS, or to a loopback host. smtp.PlainAuth knows only a few loopback names.
type plainAuth struct{ c Config }

func (a plainAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if !server.TLS && !isLoopback(a.c.Host) {
		return "", nil, fmt.Errorf("refusing to send the password unencrypted to %s", a.c.Host)
	}
	if !slices.ContainsFunc(server.Auth, func(m string) bool { return strings.EqualFold(m, "PLAIN") }) {
		return "", nil, fmt.Errorf("the server does not offer AUTH PLAIN (only %v)", server.Auth)
	}
	return "PLAIN", []byte("\x00" + a.c.Username + "\x00" + a.c.Password), nil
}

func (a plainAuth) Next(_ []byte, more bool) ([]byte, error) {
	if more {
		return nil, errors.New("unexpected challenge after AUTH PLAIN")
	}
	return nil, nil
}
