package notify

import (
	"bytes"
	"embed"
	htmltemplate "html/template"
	"net/url"
	texttemplate "text/template"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/i18n"
	"github.com/biebplein/biebplein/mail"
)

//go:embed templates
var templateFS embed.FS

// templates renders every e-mail: one HTML and one plain-text layout for notices, digests
// and invitations alike, so they look and read the same.
type templates struct {
	html *htmltemplate.Template
	text *texttemplate.Template
}

func parseTemplates() (*templates, error) {
	h, err := htmltemplate.ParseFS(templateFS, "templates/mail.html")
	if err != nil {
		return nil, err
	}
	t, err := texttemplate.ParseFS(templateFS, "templates/mail.txt")
	if err != nil {
		return nil, err
	}
	return &templates{html: h, text: t}, nil
}

// mailData is what an e-mail says; the templates only lay it out.
type mailData struct {
	Lang, Subject, Intro string
	Sections             []section
	More, MoreURL        string
	Button, ButtonURL    string
	// Footer says why the mail came, with links to the settings and to stop this kind.
	Footer, Settings, SettingsURL, Unsubscribe, UnsubscribeURL string
}

type section struct {
	Heading string
	Items   []item
}

// item is one notification: what happened, the start of the post (unless the organisation
// keeps post text out of e-mail) and a link.
type item struct {
	Sentence, Text, Hidden, Link, URL string
}

// message renders d as an e-mail to p.
func (t *templates) message(p *biebplein.Person, d mailData, id string) (mail.Message, error) {
	var h, txt bytes.Buffer
	if err := t.html.Execute(&h, d); err != nil {
		return mail.Message{}, err
	}
	if err := t.text.Execute(&txt, d); err != nil {
		return mail.Message{}, err
	}
	return mail.Message{
		To: p.Email, ToName: p.Name, Subject: d.Subject, Text: txt.String(), HTML: h.String(),
		MessageID: id, Unsubscribe: d.UnsubscribeURL, Language: d.Lang,
	}, nil
}

// composer writes the texts of e-mails in the recipient's language.
type composer struct {
	bundle  *i18n.Bundle
	baseURL string
}

// sentence says what a notification is about: "Anna de Vries and 4 others reacted to your
// post in Leesbevordering".
func (c composer) sentence(l i18n.Localizer, n *biebplein.Notification) string {
	key := "mail.notice." + string(n.Kind)
	switch n.Others() {
	case 0:
	case 1:
		key += ".other"
	default:
		key += ".others"
	}
	return l.T(key, n.Actor.Name, n.Group.Name, n.Others())
}

// item is one notification as an e-mail shows it.
func (c composer) item(l i18n.Localizer, n *biebplein.Notification) item {
	it := item{Sentence: c.sentence(l, n)}
	if n.Kind.AboutGroup() {
		it.Link, it.URL = l.T("mail.open_group"), c.baseURL+"/groups/"+url.PathEscape(n.Group.ID)
		return it
	}
	it.Link, it.URL = l.T("mail.open_post"), c.baseURL+"/posts/"+url.PathEscape(n.PostID)
	if n.CommentID != "" {
		it.URL += "#comment-" + url.PathEscape(n.CommentID)
	}
	switch {
	case n.HideText:
		it.Hidden = l.T("mail.text_hidden")
	case n.CommentText != "":
		it.Text = biebplein.Snippet(n.CommentText, 300) // what was said to the reader
	default:
		it.Text = biebplein.Snippet(n.PostText, 300)
	}
	return it
}

// footer fills in why the mail came and where to change that.
func (c composer) footer(l i18n.Localizer, d *mailData, why, unsubscribe, token string) {
	d.Footer, d.Settings, d.SettingsURL = why, l.T("mail.settings"), c.baseURL+"/settings/notifications"
	d.Unsubscribe, d.UnsubscribeURL = unsubscribe, c.baseURL+"/unsubscribe/"+token
}
