// Package backup writes and restores one archive (tar.gz) holding a consistent copy of an
// SQLite database, the uploads directory and a manifest. PostgreSQL is backed up with
// pg_dump; for it the archive holds the uploads and the manifest only.
package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/biebplein/biebplein/store"
)

// Manifest describes an archive; it is its first entry.
type Manifest struct {
	Format   int       `json:"format"`   // 1
	Version  string    `json:"version"`  // of the program that wrote it
	Schema   int       `json:"schema"`   // the database's migration level
	Dialect  string    `json:"dialect"`  // sqlite or postgres
	Created  time.Time `json:"created"`  // UTC
	Database bool      `json:"database"` // whether database.db is in the archive (SQLite)
	Files    int       `json:"files"`    // how many uploaded files
}

const (
	manifestName = "manifest.json"
	databaseName = "database.db"
	filesDir     = "files/"
)

// Create writes the archive to out (a new file): the database db as one snapshot (SQLite),
// then every file under uploads. A running server may go on writing meanwhile; an upload
// made after the snapshot may be in the archive without the post that points to it, never
// the other way round (uploads are written before their post).
func Create(ctx context.Context, db *store.DB, uploads, out, version string) (*Manifest, error) {
	m := &Manifest{Format: 1, Version: version, Dialect: db.Dialect(), Created: time.Now().UTC()}
	var err error
	if m.Schema, err = db.SchemaVersion(ctx); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(out), ".biebplein-backup-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	snapshot := filepath.Join(tmp, databaseName)
	if m.Dialect == "sqlite" {
		if err := db.SnapshotTo(ctx, snapshot); err != nil {
			return nil, err
		}
		m.Database = true
	}
	var files []string
	err = filepath.WalkDir(uploads, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == uploads {
			return fs.SkipDir
		}
		if err != nil || d.IsDir() || !d.Type().IsRegular() {
			return err
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	m.Files = len(files)

	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	err = writeArchive(f, m, snapshot, uploads, files)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out)
		return nil, err
	}
	return m, nil
}

func writeArchive(w io.Writer, m *Manifest, snapshot, uploads string, files []string) error {
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	man, _ := json.MarshalIndent(m, "", "  ")
	if err := tw.WriteHeader(&tar.Header{Name: manifestName, Mode: 0o600, Size: int64(len(man)), ModTime: m.Created}); err != nil {
		return err
	}
	if _, err := tw.Write(man); err != nil {
		return err
	}
	if m.Database {
		if err := addFile(tw, snapshot, databaseName); err != nil {
			return err
		}
	}
	for _, p := range files {
		rel, err := filepath.Rel(uploads, p)
		if err != nil {
			return err
		}
		if err := addFile(tw, p, filesDir+filepath.ToSlash(rel)); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

func addFile(tw *tar.Writer, src, name string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: info.Size(), ModTime: info.ModTime()}); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// ErrNotEmpty is returned by Restore when the target already holds data and force is off.
var ErrNotEmpty = errors.New("backup: the data directory or database is not empty (use --force to overwrite)")

// Restore unpacks archive: the database to dbPath (SQLite; empty for PostgreSQL, when the
// archive's database is ignored) and the uploads into uploads. It refuses a target that
// holds data unless force, checks every entry's name and the manifest first, unpacks into
// temporary names and checks the database's integrity before anything is replaced.
func Restore(ctx context.Context, archive, dbPath, uploads string, force bool) (*Manifest, error) {
	if !force && (nonEmpty(uploads) || exists(dbPath)) {
		return nil, ErrNotEmpty
	}
	staging, err := os.MkdirTemp(filepath.Dir(filepath.Clean(uploads)), ".biebplein-restore-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(staging)
	m, err := unpack(archive, staging)
	if err != nil {
		return nil, fmt.Errorf("backup: %s: %w", archive, err)
	}
	if m.Database && dbPath != "" {
		db, err := store.Open(ctx, "sqlite:"+filepath.Join(staging, databaseName), store.Options{})
		if err != nil {
			return nil, fmt.Errorf("backup: the archive's database: %w", err)
		}
		err = db.CheckIntegrity(ctx)
		db.Close()
		if err != nil {
			return nil, fmt.Errorf("backup: the archive's database: %w", err)
		}
		for _, suffix := range []string{"-wal", "-shm"} {
			os.Remove(dbPath + suffix)
			os.Remove(filepath.Join(staging, databaseName+suffix))
		}
		if err := os.MkdirAll(filepath.Dir(dbPath), 0o750); err != nil {
			return nil, err
		}
		if err := os.Rename(filepath.Join(staging, databaseName), dbPath); err != nil {
			return nil, err
		}
	}
	if err := os.RemoveAll(uploads); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(staging, "files"), 0o750); err != nil {
		return nil, err
	}
	if err := os.Rename(filepath.Join(staging, "files"), uploads); err != nil {
		return nil, err
	}
	return m, nil
}

// unpack reads the archive into dir: the manifest must come first, and only the names an
// archive of Create holds are accepted (no paths out of dir, no links).
func unpack(archive, dir string) (*Manifest, error) {
	f, err := os.Open(archive)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("not a backup archive: %w", err)
	}
	tr := tar.NewReader(gz)
	var m *Manifest
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("damaged archive: %w", err)
		}
		name := h.Name
		switch {
		case m == nil && name != manifestName:
			return nil, errors.New("not a backup archive: no manifest first")
		case name == manifestName:
			if m != nil {
				return nil, errors.New("two manifests")
			}
			m = &Manifest{}
			if err := json.NewDecoder(io.LimitReader(tr, 1<<20)).Decode(m); err != nil || m.Format != 1 {
				return nil, errors.New("unknown manifest")
			}
			continue
		case h.Typeflag != tar.TypeReg:
			return nil, fmt.Errorf("unexpected entry %q", name)
		case name != databaseName && (!strings.HasPrefix(name, filesDir) || path.Clean(name) != name ||
			strings.Contains(name, "..") || !filepath.IsLocal(filepath.FromSlash(name))):
			return nil, fmt.Errorf("unexpected entry %q", name)
		}
		dst := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
			return nil, err
		}
		out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, err
		}
		_, err = io.Copy(out, tr)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("damaged archive: %w", err)
		}
	}
	if m == nil {
		return nil, errors.New("not a backup archive: empty")
	}
	if m.Database != exists(filepath.Join(dir, databaseName)) {
		return nil, errors.New("the manifest and the database in the archive disagree")
	}
	return m, nil
}

func exists(p string) bool {
	if p == "" {
		return false
	}
	_, err := os.Stat(p)
	return err == nil
}

func nonEmpty(dir string) bool {
	entries, err := os.ReadDir(dir)
	return err == nil && len(entries) > 0
}
