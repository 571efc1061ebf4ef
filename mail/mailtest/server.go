// Package mailtest runs a real SMTP server in the test process, on a TCP port of 127.0.0.1,
// so that the mail client is exercised over a real connection: STARTTLS or implicit TLS
// with a certificate made on the fly, AUTH PLAIN, injected failures and outages.
package mailtest

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// idleTimeout bounds how long a connection may sit between two commands.
const idleTimeout = 30 * time.Second

// maxMessage bounds one message; a test sending more is broken.
const maxMessage = 16 << 20

// Options say what the server offers and requires.
type Options struct {
	// TLS offers STARTTLS with a self-signed certificate for 127.0.0.1 and localhost.
	TLS bool
	// ImplicitTLS speaks TLS from the first byte (SMTPS); STARTTLS is then not offered.
	ImplicitTLS bool
	// Username and Password, when set, make AUTH PLAIN required before MAIL FROM. With TLS
	// it is offered only after STARTTLS, as a real server would.
	Username, Password string
}

// Server is an SMTP server for one test. Its methods are safe for concurrent use.
type Server struct {
	opts  Options
	tls   *tls.Config // nil without TLS or ImplicitTLS
	roots *x509.CertPool
	addr  string // fixed at Start, so that Restart comes back on the same port

	mu       sync.Mutex
	ln       net.Listener // nil while stopped
	conns    map[net.Conn]struct{}
	msgs     []*Received
	arrived  chan struct{} // closed and replaced at every message, for Wait
	failN    int
	failCode int

	wg sync.WaitGroup // the accept loop and every connection
}

// Start starts a server on 127.0.0.1 at a free port; the test's cleanup stops it.
func Start(tb testing.TB, opts Options) *Server {
	tb.Helper()
	s := &Server{opts: opts, conns: map[net.Conn]struct{}{}, arrived: make(chan struct{})}
	if opts.TLS || opts.ImplicitTLS {
		cfg, roots, err := selfSigned()
		if err != nil {
			tb.Fatalf("mailtest: certificate: %v", err)
		}
		s.tls, s.roots = cfg, roots
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("mailtest: listen: %v", err)
	}
	s.addr = ln.Addr().String()
	s.serve(ln)
	tb.Cleanup(s.Stop)
	return s
}

// Addr is host:port of the server.
func (s *Server) Addr() string { return s.addr }

// Host is the server's IP address, 127.0.0.1.
func (s *Server) Host() string {
	h, _, _ := net.SplitHostPort(s.addr)
	return h
}

// Port is the server's TCP port; it stays the same across Stop and Restart.
func (s *Server) Port() int {
	_, p, _ := net.SplitHostPort(s.addr)
	n, _ := strconv.Atoi(p)
	return n
}

// RootCAs holds the server's certificate, for the client's tls.Config; nil without TLS.
func (s *Server) RootCAs() *x509.CertPool { return s.roots }

// Stop closes the listener and every open connection, as an outage would, and waits
// until all of the server's goroutines have ended. Received messages are kept. Stopping a
// stopped server does nothing.
func (s *Server) Stop() {
	s.mu.Lock()
	if s.ln != nil {
		s.ln.Close()
		s.ln = nil
	}
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// Restart listens again on the same port after Stop. The port may take a moment to be
// free again, so the bind is retried for a few seconds before the test fails.
func (s *Server) Restart(tb testing.TB) {
	tb.Helper()
	s.mu.Lock()
	running := s.ln != nil
	s.mu.Unlock()
	if running {
		return
	}
	var ln net.Listener
	var err error
	for deadline := time.Now().Add(5 * time.Second); ; {
		if ln, err = net.Listen("tcp", s.addr); err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		tb.Fatalf("mailtest: listen again on %s: %v", s.addr, err)
	}
	s.serve(ln)
}

// FailNext makes the next n transactions fail: their RCPT TO is answered with code, a 4xx
// (temporary, such as 451) or 5xx (permanent, such as 550) reply.
func (s *Server) FailNext(n int, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failN, s.failCode = n, code
}

// Messages returns copies of the messages received so far, in arrival order.
func (s *Server) Messages() []*Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Received, len(s.msgs))
	for i, m := range s.msgs {
		out[i] = m.clone()
	}
	return out
}

// Wait waits until at least n messages have arrived and returns them (as Messages does),
// or fails the test after timeout. Call it from the test's goroutine.
func (s *Server) Wait(tb testing.TB, n int, timeout time.Duration) []*Received {
	tb.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		got, arrived := len(s.msgs), s.arrived
		s.mu.Unlock()
		if got >= n {
			return s.Messages()
		}
		select {
		case <-arrived:
		case <-timer.C:
			tb.Fatalf("mailtest: %d messages arrived within %v, want at least %d", got, timeout, n)
			return nil
		}
	}
}

// serve makes ln the server's listener and accepts on it until Stop.
func (s *Server) serve(ln net.Listener) {
	if s.tls != nil && s.opts.ImplicitTLS {
		ln = tls.NewListener(ln, s.tls)
	}
	s.mu.Lock()
	s.ln = ln
	s.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return // closed by Stop
			}
			s.mu.Lock()
			if s.ln != ln { // Stop came between Accept and here
				s.mu.Unlock()
				c.Close()
				return
			}
			s.conns[c] = struct{}{}
			s.wg.Add(1) // while the accept loop counts, so never racing Wait at zero
			s.mu.Unlock()
			go func() {
				defer s.wg.Done()
				s.handle(c)
				s.mu.Lock()
				delete(s.conns, c)
				s.mu.Unlock()
				c.Close()
			}()
		}
	}()
}

// deliver records a message that DATA has completed.
func (s *Server) deliver(r *Received) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, r)
	close(s.arrived)
	s.arrived = make(chan struct{})
}

// failure consumes one injected failure, returning its code or 0.
func (s *Server) failure() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failN <= 0 {
		return 0
	}
	s.failN--
	return s.failCode
}

// session is the state of one connection.
type session struct {
	text   *textproto.Conn
	tls    bool
	helo   bool
	user   string // authenticated as
	from   string
	inMail bool
	to     []string
	failed bool // this transaction has had its injected failure
}

func (ss *session) reply(code int, format string, args ...any) error {
	return ss.text.PrintfLine("%d %s", code, fmt.Sprintf(format, args...))
}

func (ss *session) reset() { ss.from, ss.inMail, ss.to, ss.failed = "", false, nil, false }

// handle speaks SMTP (RFC 5321) on one connection until QUIT, an error or Stop.
func (s *Server) handle(c net.Conn) {
	_, implicit := c.(*tls.Conn)
	ss := &session{text: textproto.NewConn(c), tls: implicit}
	authRequired := s.opts.Username != ""
	authOffered := func() bool { return authRequired && (ss.tls || !s.opts.TLS) }
	c.SetDeadline(time.Now().Add(idleTimeout))
	if ss.reply(220, "mailtest ESMTP ready") != nil {
		return
	}
	for {
		c.SetDeadline(time.Now().Add(idleTimeout))
		line, err := ss.text.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch verb = strings.ToUpper(verb); verb {
		case "EHLO", "HELO":
			ss.reset()
			ss.helo = true
			if verb == "HELO" {
				err = ss.reply(250, "mailtest")
				break
			}
			lines := []string{"mailtest greets " + arg}
			if s.tls != nil && !ss.tls {
				lines = append(lines, "STARTTLS")
			}
			if authOffered() {
				lines = append(lines, "AUTH PLAIN")
			}
			for i, l := range lines {
				sep := "-"
				if i == len(lines)-1 {
					sep = " "
				}
				if err = ss.text.PrintfLine("250%s%s", sep, l); err != nil {
					break
				}
			}
		case "STARTTLS":
			if s.tls == nil || ss.tls {
				err = ss.reply(502, "5.5.1 STARTTLS not available")
				break
			}
			if err = ss.reply(220, "2.0.0 Ready to start TLS"); err != nil {
				break
			}
			tc := tls.Server(c, s.tls)
			if tc.Handshake() != nil {
				return
			}
			// A fresh reader drops anything pipelined before the handshake (RFC 3207 5), and
			// the client must say EHLO again.
			*ss = session{text: textproto.NewConn(tc), tls: true}
		case "AUTH":
			err = s.auth(ss, arg, authOffered())
		case "MAIL":
			addr, ok := path(arg, "FROM:")
			switch {
			case !ss.helo:
				err = ss.reply(503, "5.5.1 Say EHLO first")
			case authRequired && ss.user == "":
				err = ss.reply(530, "5.7.0 Authentication required")
			case ss.inMail:
				err = ss.reply(503, "5.5.1 Nested MAIL command")
			case !ok:
				err = ss.reply(501, "5.5.4 Syntax: MAIL FROM:<address>")
			default:
				ss.from, ss.inMail = addr, true
				err = ss.reply(250, "2.1.0 OK")
			}
		case "RCPT":
			addr, ok := path(arg, "TO:")
			switch {
			case !ss.inMail:
				err = ss.reply(503, "5.5.1 Need MAIL first")
			case !ok || addr == "":
				err = ss.reply(501, "5.5.4 Syntax: RCPT TO:<address>")
			default:
				if !ss.failed {
					ss.failed = true
					if code := s.failure(); code != 0 {
						err = ss.reply(code, "mailtest: failure requested by FailNext")
						break
					}
				}
				ss.to = append(ss.to, addr)
				err = ss.reply(250, "2.1.5 OK")
			}
		case "DATA":
			if len(ss.to) == 0 {
				err = ss.reply(503, "5.5.1 Need RCPT first")
				break
			}
			if err = ss.reply(354, "End data with <CR><LF>.<CR><LF>"); err != nil {
				break
			}
			var raw []byte
			if raw, err = readData(ss.text.R); err != nil {
				return
			}
			r := parse(raw)
			r.From, r.To, r.TLS, r.Username = ss.from, ss.to, ss.tls, ss.user
			s.deliver(r)
			ss.reset()
			err = ss.reply(250, "2.0.0 OK queued")
		case "RSET":
			ss.reset()
			err = ss.reply(250, "2.0.0 OK")
		case "NOOP":
			err = ss.reply(250, "2.0.0 OK")
		case "QUIT":
			ss.reply(221, "2.0.0 Bye")
			return
		default:
			err = ss.reply(500, "5.5.2 Command unrecognized")
		}
		if err != nil {
			return
		}
	}
}

// auth runs AUTH PLAIN (RFC 4616), with the response inline or after a 334 challenge.
func (s *Server) auth(ss *session, arg string, offered bool) error {
	mech, resp, _ := strings.Cut(arg, " ")
	switch {
	case !offered:
		return ss.reply(503, "5.5.1 AUTH not available")
	case ss.user != "":
		return ss.reply(503, "5.5.1 Already authenticated")
	case !strings.EqualFold(mech, "PLAIN"):
		return ss.reply(504, "5.5.4 Unrecognized authentication type")
	}
	if resp == "" {
		if err := ss.text.PrintfLine("334 "); err != nil {
			return err
		}
		var err error
		if resp, err = ss.text.ReadLine(); err != nil {
			return err
		}
		if resp == "*" {
			return ss.reply(501, "5.0.0 Authentication cancelled")
		}
	}
	dec, err := base64.StdEncoding.DecodeString(resp)
	if err != nil {
		return ss.reply(501, "5.5.2 Cannot decode response")
	}
	parts := strings.Split(string(dec), "\x00")
	if len(parts) != 3 || parts[1] != s.opts.Username || parts[2] != s.opts.Password {
		return ss.reply(535, "5.7.8 Authentication credentials invalid")
	}
	ss.user = parts[1]
	return ss.reply(235, "2.7.0 Authentication successful")
}

// path takes the address out of "FROM:<a@example.org> BODY=8BITMIME" after prefix.
func path(arg, prefix string) (string, bool) {
	if len(arg) < len(prefix) || !strings.EqualFold(arg[:len(prefix)], prefix) {
		return "", false
	}
	rest := strings.TrimLeft(arg[len(prefix):], " ")
	if !strings.HasPrefix(rest, "<") {
		return "", false
	}
	addr, _, ok := strings.Cut(rest[1:], ">")
	return addr, ok
}

// readData reads the message after DATA up to the line with the single dot, undoing dot
// stuffing (RFC 5321 4.5.2) and keeping the CRLF line endings as sent, unlike
// textproto.DotReader.
func readData(r *bufio.Reader) ([]byte, error) {
	var b bytes.Buffer
	for {
		line, err := r.ReadSlice('\n')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, err
		}
		if err == nil && (string(line) == ".\r\n" || string(line) == ".\n") {
			return b.Bytes(), nil
		}
		// Only a line's start can be stuffed; ErrBufferFull hands out the rest of a long
		// line in pieces, so remember whether this piece starts a line.
		if (b.Len() == 0 || b.Bytes()[b.Len()-1] == '\n') && len(line) > 0 && line[0] == '.' {
			line = line[1:]
		}
		b.Write(line)
		if b.Len() > maxMessage {
			return nil, fmt.Errorf("mailtest: message larger than %d bytes", maxMessage)
		}
	}
}

// selfSigned makes an ECDSA certificate for 127.0.0.1, ::1 and localhost, valid for a day,
// and a pool that trusts it.
func selfSigned() (*tls.Config, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "mailtest"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	cfg := &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}},
		MinVersion:   tls.VersionTLS12,
	}
	return cfg, roots, nil
}
