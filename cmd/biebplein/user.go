package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/app"
	"github.com/biebplein/biebplein/auth"
	"github.com/biebplein/biebplein/demo"
	"github.com/biebplein/biebplein/service"
)

func (c *CLI) user(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(c.Stderr, c.texts.T("cli.usage.user"))
		return fmt.Errorf("%s", c.texts.T("cli.user_subcommand"))
	}
	switch args[0] {
	case "add":
		return c.userAdd(ctx, args[1:])
	case "passwd":
		return c.userPasswd(ctx, args[1:])
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(c.Stderr, c.texts.T("cli.usage.user"))
		return nil
	}
	fmt.Fprintln(c.Stderr, c.texts.T("cli.usage.user"))
	return fmt.Errorf("%s", c.texts.T("cli.unknown_command", "user "+args[0]))
}

func (c *CLI) userAdd(ctx context.Context, args []string) error {
	cfg := app.DefaultConfig()
	fs := c.flagSet("user add", "cli.usage.user_add")
	c.configFlags(fs, &cfg)
	var in biebplein.PersonInput
	var kind, orgName string
	var passwordStdin bool
	fs.StringVar(&in.Email, "email", "", c.texts.T("cli.flag.email"))
	fs.StringVar(&in.Name, "name", "", c.texts.T("cli.flag.name"))
	fs.StringVar(&kind, "kind", "staff", c.texts.T("cli.flag.kind"))
	fs.StringVar(&orgName, "organisation", "", c.texts.T("cli.flag.organisation"))
	fs.StringVar(&in.Function, "function", "", c.texts.T("cli.flag.function"))
	fs.BoolVar(&in.Admin, "admin", false, c.texts.T("cli.flag.admin"))
	fs.BoolVar(&passwordStdin, "password-stdin", false, c.texts.T("cli.flag.password_stdin"))
	if err := c.parse(fs, args, &cfg); err != nil {
		return err
	}
	in.Kind = biebplein.PersonKind(kind)

	m := app.NewMain(cfg)
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	ctx = service.System(ctx)
	org, err := c.organisation(ctx, m.Service, orgName)
	if err != nil {
		return err
	}
	in.OrganisationID = org.ID
	generated := false
	if in.Password, generated, err = c.newPassword(passwordStdin); err != nil {
		return err
	}
	p, _, err := m.Service.CreatePerson(ctx, in)
	if err != nil {
		return c.explain(err)
	}
	fmt.Fprintln(c.Stdout, c.texts.T("cli.user_added", p.Name, p.Email, org.Name, p.ID))
	if generated {
		fmt.Fprintln(c.Stdout, c.texts.T("cli.password_generated", in.Password))
	}
	return nil
}

// organisation finds the organisation by name, or, without a name, the root support
// organisation, creating it on an empty database.
func (c *CLI) organisation(ctx context.Context, svc *service.Service, name string) (*biebplein.Organisation, error) {
	if name != "" {
		orgs, err := svc.Organisations(ctx, biebplein.OrganisationFilter{Name: name})
		if err != nil {
			return nil, err
		}
		if len(orgs) == 0 {
			return nil, fmt.Errorf("%s", c.texts.T("cli.organisation_unknown", name))
		}
		return orgs[0], nil
	}
	orgs, err := svc.Organisations(ctx, biebplein.OrganisationFilter{Kind: biebplein.OrgSupport})
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		if o.ParentID == "" {
			return o, nil
		}
	}
	return svc.CreateOrganisation(ctx, biebplein.OrganisationInput{Name: service.RootOrganisationName, Kind: biebplein.OrgSupport})
}

// newPassword reads a password from stdin (--password-stdin), asks for it twice on a
// terminal, or generates one; it reports whether it generated it.
func (c *CLI) newPassword(fromStdin bool) (string, bool, error) {
	switch {
	case fromStdin:
		line, err := bufio.NewReader(c.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", false, fmt.Errorf("%s", c.texts.T("cli.password_stdin_empty"))
		}
		return strings.TrimRight(line, "\r\n"), false, nil
	case c.StdinIsTerminal:
		fmt.Fprint(c.Stderr, c.texts.T("cli.password_prompt"))
		first, err := term.ReadPassword(int(os.Stdin.Fd()))
		fmt.Fprintln(c.Stderr)
		if err != nil {
			return "", false, err
		}
		fmt.Fprint(c.Stderr, c.texts.T("cli.password_repeat"))
		second, err := term.ReadPassword(int(os.Stdin.Fd()))
		fmt.Fprintln(c.Stderr)
		if err != nil {
			return "", false, err
		}
		if string(first) != string(second) {
			return "", false, fmt.Errorf("%s", c.texts.T("error.password_mismatch"))
		}
		return string(first), false, nil
	}
	return auth.GeneratePassword(), true, nil
}

func (c *CLI) userPasswd(ctx context.Context, args []string) error {
	cfg := app.DefaultConfig()
	fs := c.flagSet("user passwd", "cli.usage.user_passwd")
	c.configFlags(fs, &cfg)
	var email string
	var passwordStdin bool
	fs.StringVar(&email, "email", "", c.texts.T("cli.flag.email"))
	fs.BoolVar(&passwordStdin, "password-stdin", false, c.texts.T("cli.flag.password_stdin"))
	if err := c.parse(fs, args, &cfg); err != nil {
		return err
	}
	m := app.NewMain(cfg)
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	ctx = service.System(ctx)
	people, _, err := m.Service.People(ctx, biebplein.PersonFilter{Email: biebplein.NormalizeEmail(email), Status: biebplein.StatusAll, Limit: 1})
	if err != nil {
		return err
	}
	if len(people) == 0 {
		return fmt.Errorf("%s", c.texts.T("cli.user_unknown", email))
	}
	pw, generated, err := c.newPassword(passwordStdin)
	if err != nil {
		return err
	}
	if err := m.Service.SetPassword(ctx, people[0].ID, pw); err != nil {
		return c.explain(err)
	}
	fmt.Fprintln(c.Stdout, c.texts.T("cli.password_set", people[0].Email))
	if generated {
		fmt.Fprintln(c.Stdout, c.texts.T("cli.password_generated", pw))
	}
	return nil
}

// explain turns a domain error into a message with the translated field problems.
func (c *CLI) explain(err error) error {
	fields := biebplein.ErrorFields(err)
	if biebplein.ErrorCode(err) == biebplein.CodeInternal || (len(fields) == 0 && biebplein.ErrorMessage(err) == "error.internal") {
		return err
	}
	var sb strings.Builder
	sb.WriteString(c.texts.T(biebplein.ErrorMessage(err)))
	for f, key := range fields {
		fmt.Fprintf(&sb, "\n  --%s: %s", strings.ReplaceAll(f, "_", "-"), c.texts.T(key))
	}
	return fmt.Errorf("%s", sb.String())
}

func loadDemo(ctx context.Context, m *app.Main) (*demo.Summary, error) {
	return demo.Load(ctx, m.Store, m.Service)
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
