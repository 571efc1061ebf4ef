package mailtest

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"slices"
	"strings"
)

// Received is one message as the server got it.
type Received struct {
	From     string   // envelope sender (MAIL FROM)
	To       []string // envelope recipients (RCPT TO)
	TLS      bool     // whether it came over TLS (STARTTLS or implicit)
	Username string   // who authenticated with AUTH PLAIN, "" when nobody did
	Raw      []byte   // the message as sent, CRLF line endings, dot stuffing undone

	// The parsed message; Header is nil when Raw is not a parsable message.
	Header  mail.Header
	Subject string // decoded from RFC 2047
	// Text and HTML are the decoded text/plain and text/html parts (a single part or within
	// multipart/*), with \n line endings and without the final line breaks.
	Text, HTML string
}

// clone copies r deeply enough that a test cannot change what the server holds.
func (r *Received) clone() *Received {
	c := *r
	c.To = slices.Clone(r.To)
	c.Raw = bytes.Clone(r.Raw)
	if r.Header != nil {
		c.Header = make(mail.Header, len(r.Header))
		for k, v := range r.Header {
			c.Header[k] = slices.Clone(v)
		}
	}
	return &c
}

// parse reads what it can of raw; a malformed message still is recorded with its Raw.
func parse(raw []byte) *Received {
	r := &Received{Raw: raw}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return r
	}
	r.Header = msg.Header
	var dec mime.WordDecoder
	if r.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		r.Subject = msg.Header.Get("Subject")
	}
	r.parts(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
	return r
}

// parts fills Text and HTML from a body of the given type, descending into multipart.
func (r *Received) parts(contentType, encoding string, body io.Reader) {
	typ, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		typ = "text/plain" // RFC 2045 5.2: the default
	}
	if strings.HasPrefix(typ, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			// NextRawPart: decode the transfer encoding here, the same way for every level.
			p, err := mr.NextRawPart()
			if err != nil {
				return
			}
			r.parts(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p)
		}
	}
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return
	}
	s := strings.TrimRight(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	switch {
	case typ == "text/plain" && r.Text == "":
		r.Text = s
	case typ == "text/html" && r.HTML == "":
		r.HTML = s
	}
}
