package mail

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"maps"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"time"
)

// ErrInvalidMessage is wrapped by every error about the message itself (a line break in a
// header, a bad address, no text). Such a message will never be sent, so Permanent reports
// true for it.
var ErrInvalidMessage = errors.New("mail: invalid message")

// Message is one e-mail to one recipient.
type Message struct {
	To, ToName string // the address alone ("a@example.org") and an optional display name
	Subject    string
	Text       string // the plain text part (required)
	HTML       string // optional; with it the message is multipart/alternative
	// MessageID is a stable id without angle brackets, e.g. "outbox-123@biebplein", so that
	// a retried message keeps its identity; generated when empty.
	MessageID string
	// Unsubscribe, when set, is an http(s) URL announced as List-Unsubscribe with one-click
	// List-Unsubscribe-Post (RFC 8058, which asks for https).
	Unsubscribe string
	Language    string            // e.g. "nl": the Content-Language header (optional)
	Headers     map[string]string // extra headers, e.g. "Auto-Submitted": "auto-replied"
}

// reservedHeaders are set by Bytes from the fields of Message; Cc and Bcc would name
// recipients the envelope does not have.
var reservedHeaders = []string{
	"Date", "From", "To", "Cc", "Bcc", "Subject", "Message-Id", "Mime-Version",
	"Content-Type", "Content-Transfer-Encoding", "Content-Language",
	"List-Unsubscribe", "List-Unsubscribe-Post",
}

// Bytes renders the message as RFC 5322 with MIME, sent from from (e.g. "Biebplein
// <noreply@example.org>") at now. The result is 7-bit ASCII with CRLF line endings: bodies
// are quoted-printable UTF-8, the Subject, display names and non-ASCII extra headers RFC 2047
// encoded. Auto-Submitted: auto-generated is set unless Headers says otherwise. A header
// value with a line break (header injection) is refused with an error wrapping
// ErrInvalidMessage.
func (m Message) Bytes(from string, now time.Time) ([]byte, error) {
	sender, err := parseFrom(from)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidMessage, err)
	}
	if err := m.validate(); err != nil {
		return nil, err
	}
	id := m.MessageID
	if id == "" {
		// The sender's domain keeps generated ids unique across installations.
		id = rand.Text() + "@" + sender.Address[strings.LastIndexByte(sender.Address, '@')+1:]
	}

	var b bytes.Buffer
	writeHeader(&b, "Date", now.Format(time.RFC1123Z))
	writeHeader(&b, "From", sender.String())
	writeHeader(&b, "To", (&netmail.Address{Name: m.ToName, Address: m.To}).String())
	writeHeader(&b, "Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	writeHeader(&b, "Message-ID", "<"+id+">")
	writeHeader(&b, "MIME-Version", "1.0")
	if m.Language != "" {
		writeHeader(&b, "Content-Language", m.Language)
	}
	if m.Unsubscribe != "" {
		writeHeader(&b, "List-Unsubscribe", "<"+m.Unsubscribe+">")
		writeHeader(&b, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	}
	extra := map[string]string{"Auto-Submitted": "auto-generated"}
	for k, v := range m.Headers {
		extra[textproto.CanonicalMIMEHeaderKey(k)] = v
	}
	for _, k := range slices.Sorted(maps.Keys(extra)) {
		writeHeader(&b, k, mime.QEncoding.Encode("utf-8", extra[k]))
	}

	if m.HTML == "" {
		writeHeader(&b, "Content-Type", "text/plain; charset=utf-8")
		writeHeader(&b, "Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		writeQP(&b, m.Text)
		b.WriteString("\r\n")
		return b.Bytes(), nil
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, p := range []struct{ typ, s string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {p.typ + "; charset=utf-8"},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		writeQP(w, p.s)
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	writeHeader(&b, "Content-Type", "multipart/alternative; boundary="+mw.Boundary())
	b.WriteString("\r\n")
	b.Write(body.Bytes())
	return b.Bytes(), nil
}

// validate checks every field that ends up in a header or the envelope.
func (m Message) validate() error {
	invalid := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidMessage, fmt.Sprintf(format, args...))
	}
	for _, f := range []struct{ name, v string }{
		{"recipient address", m.To}, {"recipient name", m.ToName}, {"subject", m.Subject},
		{"message id", m.MessageID}, {"unsubscribe URL", m.Unsubscribe}, {"language", m.Language},
	} {
		if strings.ContainsAny(f.v, "\r\n\x00") {
			return invalid("the %s contains a line break", f.name)
		}
	}
	if m.To == "" {
		return invalid("no recipient")
	}
	if a, err := netmail.ParseAddress(m.To); err != nil || a.Name != "" || a.Address != m.To {
		return invalid("recipient %q is not a plain address such as name@example.org", m.To)
	}
	if m.Text == "" {
		return invalid("no text")
	}
	if id := m.MessageID; id != "" && (!strings.Contains(id, "@") || strings.ContainsFunc(id, func(r rune) bool {
		return r <= ' ' || r >= 0x7f || r == '<' || r == '>'
	})) {
		return invalid("message id %q must look like local@domain, without angle brackets or spaces", id)
	}
	if u := m.Unsubscribe; u != "" {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" || strings.ContainsAny(u, "<> ") {
			return invalid("unsubscribe URL %q is not an absolute http(s) URL", u)
		}
	}
	if l := m.Language; l != "" && strings.ContainsFunc(l, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-')
	}) {
		return invalid("language %q is not a language tag such as nl or en-GB", l)
	}
	for k, v := range m.Headers {
		if k == "" || strings.ContainsFunc(k, func(r rune) bool { return r <= ' ' || r >= 0x7f || r == ':' }) {
			return invalid("header name %q is not valid", k)
		}
		if slices.Contains(reservedHeaders, textproto.CanonicalMIMEHeaderKey(k)) {
			return invalid("header %s is set from the message fields, not from Headers", k)
		}
		if strings.ContainsAny(v, "\r\n\x00") {
			return invalid("header %s contains a line break", k)
		}
	}
	return nil
}

// writeHeader writes "name: value" folded at spaces so that lines stay near 78 characters
// (RFC 5322 2.1.1); encoded words are separated by spaces, so they fold too.
func writeHeader(b *bytes.Buffer, name, value string) {
	b.WriteString(name)
	b.WriteString(":")
	n := len(name) + 1
	for i, word := range strings.Split(value, " ") {
		// Never fold before an empty word: a folded line of only white space is not allowed.
		if i > 0 && word != "" && n+1+len(word) > 78 {
			b.WriteString("\r\n")
			n = 0
		}
		b.WriteString(" ")
		b.WriteString(word)
		n += 1 + len(word)
	}
	b.WriteString("\r\n")
}

// writeQP writes s quoted-printable with CRLF line endings, whatever line endings s has.
func writeQP(w interface{ Write([]byte) (int, error) }, s string) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	qp := quotedprintable.NewWriter(w)
	// Writes to a bytes.Buffer or a multipart part of one cannot fail.
	_, _ = qp.Write([]byte(s))
	_ = qp.Close()
}
