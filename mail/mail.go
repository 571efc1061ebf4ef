// Package mail sends e-mail over SMTP: one message to one recipient per Send, rendered as
// 7-bit clean MIME (quoted-printable UTF-8 bodies, RFC 2047 headers), over STARTTLS or
// implicit TLS. Package mailtest holds an in-process SMTP server for the tests.
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"strings"
	"time"
)

// The connection security settings of Config.Security.
const (
	// SecurityStartTLS connects in plain text and upgrades with STARTTLS before anything else
	// is said; a server that does not offer STARTTLS is refused (no silent downgrade).
	SecurityStartTLS = "starttls"
	// SecurityTLS speaks TLS from the first byte (SMTPS, usually port 465).
	SecurityTLS = "tls"
	// SecurityNone sends everything in plain text. It is never the default: choose it only
	// for a relay on the same host or a trusted private network. A password is sent over it
	// to a loopback host only.
	SecurityNone = "none"
)

// DefaultTimeout bounds one Send (dial and the whole conversation) when Config.Timeout is 0.
const DefaultTimeout = 30 * time.Second

// ErrNotConfigured is returned by Send when Config.Host is empty.
var ErrNotConfigured = errors.New("mail: not configured (no SMTP host)")

// Config is the SMTP connection. The zero value means mail is not configured.
type Config struct {
	Host string // "" means mail is not configured
	// Port defaults by Security: 587 for starttls, 465 for tls, 25 for none.
	Port int
	// Security is "starttls" (the default when empty), "tls" or "none"; see the Security
	// constants.
	Security string
	// Username and Password are sent with AUTH PLAIN when Username is set, only over TLS or
	// to a loopback host.
	Username, Password string
	// From is the sender, e.g. "Biebplein <noreply@example.org>": the From header and, its
	// address alone, the envelope sender.
	From string
	// HelloName is the name given in EHLO; default "localhost".
	HelloName string
	// Timeout bounds one Send, dial and conversation together; default DefaultTimeout.
	Timeout time.Duration
	// TLS is optional (tests set RootCAs); its ServerName defaults to Host.
	TLS *tls.Config
}

// Enabled reports whether mail is configured, that is whether Host is set.
func (c Config) Enabled() bool { return c.Host != "" }

// Validate checks the configuration and says in plain English what is wrong. A
// configuration without Host is valid: mail is off and nothing else is checked.
func (c Config) Validate() error {
	if !c.Enabled() {
		return nil
	}
	if strings.ContainsAny(c.Host, " \t\r\n/") {
		return fmt.Errorf("mail: host %q is not a host name or IP address", c.Host)
	}
	switch c.Security {
	case "", SecurityStartTLS, SecurityTLS, SecurityNone:
	default:
		return fmt.Errorf("mail: unknown security %q (want %q, %q or %q)", c.Security, SecurityStartTLS, SecurityTLS, SecurityNone)
	}
	if c.Port < 0 || c.Port > 65535 {
		return fmt.Errorf("mail: port %d is out of range (1-65535, or 0 for the default)", c.Port)
	}
	if c.From == "" {
		return errors.New("mail: a sender address (From) is required")
	}
	if _, err := parseFrom(c.From); err != nil {
		return err
	}
	if c.Password != "" && c.Username == "" {
		return errors.New("mail: a password is set without a username")
	}
	if c.Username != "" && c.security() == SecurityNone && !isLoopback(c.Host) {
		return fmt.Errorf("mail: refusing to send the password unencrypted to %s; use security %q or %q", c.Host, SecurityStartTLS, SecurityTLS)
	}
	if c.HelloName != "" && (strings.IndexFunc(c.HelloName, func(r rune) bool { return r <= ' ' || r >= 0x7f }) >= 0) {
		return fmt.Errorf("mail: hello name %q must be a host name without spaces", c.HelloName)
	}
	if c.Timeout < 0 {
		return fmt.Errorf("mail: timeout %v is negative", c.Timeout)
	}
	return nil
}

func (c Config) security() string {
	if c.Security == "" {
		return SecurityStartTLS
	}
	return c.Security
}

func (c Config) port() int {
	if c.Port != 0 {
		return c.Port
	}
	switch c.security() {
	case SecurityTLS:
		return 465
	case SecurityNone:
		return 25
	}
	return 587
}

func (c Config) helloName() string {
	if c.HelloName == "" {
		return "localhost"
	}
	return c.HelloName
}

func (c Config) timeout() time.Duration {
	if c.Timeout == 0 {
		return DefaultTimeout
	}
	return c.Timeout
}

// tlsConfig never changes the caller's config: it may be shared.
func (c Config) tlsConfig() *tls.Config {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.TLS != nil {
		cfg = c.TLS.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = c.Host
	}
	return cfg
}

// parseFrom parses a sender such as "Biebplein <noreply@example.org>".
func parseFrom(from string) (*netmail.Address, error) {
	if strings.ContainsAny(from, "\r\n") {
		return nil, fmt.Errorf("mail: sender address %q contains a line break", from)
	}
	a, err := netmail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail: sender address %q is not valid: %v", from, err)
	}
	return a, nil
}

// isLoopback reports whether host is this machine: the name localhost or a loopback IP.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// Sender sends messages. *SMTP is the real one; tests of callers may fake it.
type Sender interface {
	// Send delivers m or returns why not; Permanent tells whether retrying can help.
	Send(ctx context.Context, m Message) error
}
