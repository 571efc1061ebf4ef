package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/biebplein/biebplein/app"
	"github.com/biebplein/biebplein/backup"
)

// backup writes one archive of the database (SQLite, as one snapshot while the server may go
// on running) and the uploads. On PostgreSQL it archives the uploads and says to use pg_dump.
func (c *CLI) backup(ctx context.Context, args []string) error {
	cfg := app.DefaultConfig()
	fs := c.flagSet("backup", "cli.usage.backup")
	c.configFlags(fs, &cfg)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New(c.texts.T("cli.backup_file"))
	}
	out := fs.Arg(0)
	if err := c.parse(fs, nil, &cfg); err != nil {
		return err
	}
	m := app.NewMain(cfg)
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	man, err := backup.Create(ctx, m.Store, filepath.Join(cfg.DataDir, "files"), out, app.Version())
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintln(c.Stdout, c.texts.T("cli.backup_done", out, man.Schema, man.Files))
	if !man.Database {
		fmt.Fprintln(c.Stdout, c.texts.T("cli.backup_pg_dump"))
	}
	return nil
}

// restore puts an archive of backup back into the data directory (and the SQLite database),
// refusing to overwrite data unless --force.
func (c *CLI) restore(ctx context.Context, args []string) error {
	cfg := app.DefaultConfig()
	fs := c.flagSet("restore", "cli.usage.restore")
	c.configFlags(fs, &cfg)
	force := fs.Bool("force", false, c.texts.T("cli.flag.force"))
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New(c.texts.T("cli.backup_file"))
	}
	archive := fs.Arg(0)
	if err := c.parse(fs, nil, &cfg); err != nil {
		return err
	}
	dbPath, isSQLite := strings.CutPrefix(cfg.DatabaseURL(), "sqlite:")
	if !isSQLite {
		dbPath = ""
	}
	man, err := backup.Restore(ctx, archive, dbPath, filepath.Join(cfg.DataDir, "files"), *force)
	if errors.Is(err, backup.ErrNotEmpty) {
		return errors.New(c.texts.T("cli.restore_not_empty"))
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(c.Stdout, c.texts.T("cli.restore_done", archive, man.Created.Format("2006-01-02 15:04:05 UTC"), man.Schema, man.Files))
	if !man.Database || dbPath == "" {
		fmt.Fprintln(c.Stdout, c.texts.T("cli.backup_pg_dump"))
	}
	return nil
}
