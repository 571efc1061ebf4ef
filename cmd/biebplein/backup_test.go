package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/app"
	"github.com/biebplein/biebplein/auth"
	"github.com/biebplein/biebplein/store"
)

// A backup taken while another connection keeps writing restores into a fresh directory
// where the server starts and finds every write committed before the backup began, and the
// uploads byte for byte.
func TestBackupRestoreUnderWrites(t *testing.T) {
	t.Setenv("LANG", "en_GB.UTF-8")
	dataDir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dataDir, "biebplein.db")
	db, err := store.Open(context.Background(), dsn, store.Options{Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	upload := filepath.Join(dataDir, "files", "ab", "abcdef.jpg")
	if err := os.MkdirAll(filepath.Dir(upload), 0o750); err != nil {
		t.Fatal(err)
	}
	content := bytes.Repeat([]byte("biebplein "), 1000)
	if err := os.WriteFile(upload, content, 0o600); err != nil {
		t.Fatal(err)
	}

	// The write load: organisations, one transaction each, as fast as the writer goes.
	var (
		mu        sync.Mutex
		committed []string
		stop      = make(chan struct{})
		wg        sync.WaitGroup
	)
	ids := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), committed...)
	}
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			o := &biebplein.Organisation{Name: fmt.Sprintf("Bibliotheek %d", i), Kind: biebplein.OrgLibrary}
			if err := db.CreateOrganisation(context.Background(), o); err != nil {
				t.Errorf("create organisation: %v", err)
				return
			}
			mu.Lock()
			committed = append(committed, o.ID)
			mu.Unlock()
		}
	})
	for len(ids()) < 50 {
		time.Sleep(5 * time.Millisecond)
	}
	before := ids()
	archive := filepath.Join(t.TempDir(), "backup.tar.gz")
	out, _, err := run(t, "", "backup", "--data-dir", dataDir, archive)
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	if !strings.Contains(out, "1 uploaded files") {
		t.Errorf("backup said %q, want 1 uploaded file", out)
	}
	close(stop)
	wg.Wait()
	if after := ids(); len(after) == len(before) {
		t.Fatalf("no writes during the backup (%d before and after): the test proves nothing", len(before))
	}

	restored := t.TempDir()
	if out, _, err := run(t, "", "restore", "--data-dir", restored, archive); err != nil {
		t.Fatalf("restore = %q, %v", out, err)
	}
	got, err := os.ReadFile(filepath.Join(restored, "files", "ab", "abcdef.jpg"))
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("restored upload: %d bytes, %v; want %d bytes", len(got), err, len(content))
	}

	t.Run("ServerFindsTheData", func(t *testing.T) {
		m := app.NewMain(app.Config{Addr: "127.0.0.1:0", DataDir: restored, LogFormat: "text", LogLevel: "error",
			Password: auth.FastParams, Stdout: &bytes.Buffer{}})
		if err := m.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		resp, err := http.Get(m.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("/readyz = %d", resp.StatusCode)
		}
		for _, id := range before {
			if _, err := m.Store.FindOrganisationByID(context.Background(), id); err != nil {
				t.Fatalf("organisation %s, committed before the backup: %v", id, err)
			}
		}
		if err := m.Store.CheckIntegrity(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("RefusesToOverwrite", func(t *testing.T) {
		_, _, err := run(t, "", "restore", "--data-dir", restored, archive)
		if err == nil || !strings.Contains(err.Error(), "--force") {
			t.Fatalf("restore over data = %v, want a refusal naming --force", err)
		}
		if _, _, err := run(t, "", "restore", "--force", "--data-dir", restored, archive); err != nil {
			t.Fatalf("restore --force: %v", err)
		}
	})
	t.Run("RefusesADamagedArchive", func(t *testing.T) {
		data, err := os.ReadFile(archive)
		if err != nil {
			t.Fatal(err)
		}
		damaged := filepath.Join(t.TempDir(), "damaged.tar.gz")
		if err := os.WriteFile(damaged, data[:len(data)/2], 0o600); err != nil {
			t.Fatal(err)
		}
		target := t.TempDir()
		if _, _, err := run(t, "", "restore", "--data-dir", target, damaged); err == nil {
			t.Fatal("restore of half an archive succeeded")
		}
		if _, err := os.Stat(filepath.Join(target, "biebplein.db")); err == nil {
			t.Fatal("a damaged archive left a database behind")
		}
	})
}
