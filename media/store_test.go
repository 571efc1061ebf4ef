package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/biebplein/biebplein"
)

func TestSaveSizeLimits(t *testing.T) {
	img := pngBytes(t, halves(64, 64))
	doc := pdfBytes()
	video := mp4Bytes(500)
	s := MustStore(t, Limits{Image: int64(len(img)), Document: int64(len(doc)), Video: int64(len(video))})

	// Exactly at the limit is fine.
	for _, data := range [][]byte{img, doc, video} {
		MustSave(t, s, "x", data)
	}
	tests := []struct {
		name string
		data []byte
		key  string
	}{
		{"image", append(img, 0), "error.file_too_large_image"},
		{"document", append(doc, '\n'), "error.file_too_large_document"},
		{"video", mp4Bytes(501), "error.file_too_large_video"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Save(t.Context(), "x", bytes.NewReader(tt.data))
			wantError(t, err, biebplein.CodeTooLarge, tt.key)
			if got, want := biebplein.ErrorFields(err), map[string]string{"file": tt.key}; !maps.Equal(got, want) {
				t.Errorf("fields = %v, want %v", got, want)
			}
		})
	}
	wantNoTemps(t, s.dir)

	t.Run("reads no more than the limit and one byte", func(t *testing.T) {
		r := &countingReader{r: io.MultiReader(bytes.NewReader(video), endless{})}
		_, err := s.Save(t.Context(), "x.mp4", r)
		wantError(t, err, biebplein.CodeTooLarge, "error.file_too_large_video")
		if max := int64(len(video)) + 1 + sniffLen; r.n > max {
			t.Errorf("read %d bytes, want at most %d", r.n, max)
		}
	})
}

func TestSaveEmpty(t *testing.T) {
	s := MustStore(t, Limits{})
	_, err := s.Save(t.Context(), "leeg.txt", bytes.NewReader(nil))
	wantError(t, err, biebplein.CodeInvalid, "error.file_empty")
}

func TestSaveReadErrors(t *testing.T) {
	s := MustStore(t, Limits{})

	t.Run("broken upload", func(t *testing.T) {
		broken := errors.New("connection reset")
		r := io.MultiReader(bytes.NewReader(pdfBytes()), iotest.ErrReader(broken))
		_, err := s.Save(t.Context(), "x.pdf", r)
		if !errors.Is(err, broken) || biebplein.ErrorCode(err) != biebplein.CodeInternal {
			t.Errorf("err = %v, want the reading error", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := s.Save(ctx, "x.pdf", bytes.NewReader(pdfBytes())); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("cancelled while reading", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		r := io.MultiReader(bytes.NewReader(mp4Bytes(100)), readerFunc(func([]byte) (int, error) {
			cancel()
			return 0, nil
		}), endless{})
		if _, err := s.Save(ctx, "x.mp4", r); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
	wantNoTemps(t, s.dir)
}

// The store's directory is replaced by a file, so that nothing can be created in it (a
// read-only or full disk fails the same way, and root ignores permissions).
func TestSaveStorageUnavailable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "media")
	s, err := NewStore(dir, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, []byte("not a directory"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"image": pngBytes(t, halves(8, 8)), "document": pdfBytes()} {
		t.Run(name, func(t *testing.T) {
			_, err := s.Save(t.Context(), "x", bytes.NewReader(data))
			wantError(t, err, biebplein.CodeUnavailable, "error.storage_unavailable")
			if !errors.Is(err, os.ErrNotExist) && !strings.Contains(err.Error(), "not a directory") {
				t.Errorf("the cause is lost: %v", err)
			}
		})
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

// A write that fails after the temporary file exists (a full disk) and a rename that fails
// (the target is in the way) leave no temporary file.
func TestWriteFileFailures(t *testing.T) {
	s := MustStore(t, Limits{})
	full := errors.New("no space left on device")
	_, _, err := s.writeFile(filepath.Join(s.dir, "a"), func(w io.Writer) error {
		w.Write(make([]byte, 100_000))
		return full
	})
	wantError(t, err, biebplein.CodeUnavailable, "error.storage_unavailable")
	if !errors.Is(err, full) {
		t.Errorf("the cause is lost: %v", err)
	}

	inTheWay := filepath.Join(s.dir, "b")
	if err := os.MkdirAll(filepath.Join(inTheWay, "c"), 0o700); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.writeFile(inTheWay, func(w io.Writer) error { _, err := w.Write([]byte("x")); return err })
	wantError(t, err, biebplein.CodeUnavailable, "error.storage_unavailable")
	wantNoTemps(t, s.dir)
}

func TestSaveReadOnlyDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes to read-only directories; TestSaveStorageUnavailable covers this")
	}
	dir := t.TempDir()
	s, err := NewStore(dir, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o700)
	_, err = s.Save(t.Context(), "x.pdf", bytes.NewReader(pdfBytes()))
	wantError(t, err, biebplein.CodeUnavailable, "error.storage_unavailable")
	wantNoTemps(t, dir)
}

func TestNewStore(t *testing.T) {
	t.Run("removes stale temporary files", func(t *testing.T) {
		dir := t.TempDir()
		stale, fresh := filepath.Join(dir, tempPrefix+"1"), filepath.Join(dir, tempPrefix+"2")
		os.WriteFile(stale, nil, 0o600)
		os.WriteFile(fresh, nil, 0o600)
		old := time.Now().AddDate(0, 0, -2)
		os.Chtimes(stale, old, old)
		if _, err := NewStore(dir, Limits{}); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
			t.Error("stale temporary file kept")
		}
		if _, err := os.Stat(fresh); err != nil {
			t.Error("fresh temporary file removed: an upload may be writing it")
		}
	})
	t.Run("fails on a file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "f")
		os.WriteFile(path, nil, 0o600)
		if _, err := NewStore(path, Limits{}); err == nil {
			t.Error("no error")
		}
	})
	t.Run("defaults", func(t *testing.T) {
		got := MustStore(t, Limits{Video: 1}).limits
		want := Limits{Image: 15 << 20, Document: 25 << 20, Video: 1, MaxPixels: 50_000_000, MaxDimension: 12_000, Decoders: 2}
		if got != want {
			t.Errorf("limits = %+v, want %+v", got, want)
		}
	})
}

func TestOpenAndDelete(t *testing.T) {
	s := MustStore(t, Limits{})
	f := MustSave(t, s, "x.png", pngBytes(t, halves(8, 8)))
	for _, thumb := range []bool{false, true} {
		file, err := s.Open(f.ID, thumb)
		if err != nil {
			t.Fatal(err)
		}
		file.Close()
	}
	if len(f.ID) != 26 || !ValidID(f.ID) {
		t.Errorf("ID %q", f.ID)
	}
	if got := MustSave(t, s, "x.png", pngBytes(t, halves(8, 8))); got.ID == f.ID {
		t.Error("the same ID twice")
	}

	for _, id := range []string{"", "../x", "a/b", "..", "/etc/passwd", f.ID + ".thumb", strings.ToUpper(f.ID), f.ID[:25] + "/", f.ID[:25] + "\x00", f.ID[:25] + "i", f.ID + "0"} {
		if _, err := s.Open(id, false); biebplein.ErrorCode(err) != biebplein.CodeNotFound {
			t.Errorf("Open(%q): %v, want not found", id, err)
		}
		if err := s.Delete(id); biebplein.ErrorCode(err) != biebplein.CodeNotFound {
			t.Errorf("Delete(%q): %v, want not found", id, err)
		}
	}

	if err := s.Delete(f.ID); err != nil {
		t.Fatal(err)
	}
	for _, thumb := range []bool{false, true} {
		_, err := s.Open(f.ID, thumb)
		wantError(t, err, biebplein.CodeNotFound, "error.file_not_found")
	}
	if err := s.Delete(f.ID); err != nil {
		t.Errorf("deleting twice: %v", err)
	}
}

func TestSaveScrubsVideoMetadata(t *testing.T) {
	s := MustStore(t, Limits{})
	in := mp4Bytes(1000)
	f := MustSave(t, s, "film.mp4", in)
	stored := MustStored(t, s, f, false)
	if len(stored) != len(in) || f.Size != int64(len(in)) {
		t.Fatalf("size changed: %d, want %d", len(stored), len(in))
	}
	for _, marker := range []string{"udta", "meta", "\xa9xyz", "+52.3731", "track place"} {
		if bytes.Contains(stored, []byte(marker)) {
			t.Errorf("%q still in the stored file", marker)
		}
	}
	if n := bytes.Count(stored, []byte("free")); n != 2 {
		t.Errorf("%d free boxes, want 2 (udta and the track's meta)", n)
	}
	if !bytes.Equal(stored[len(stored)-1000:], in[len(in)-1000:]) {
		t.Error("media data changed")
	}
	if sum := sha256.Sum256(stored); f.SHA256 != hex.EncodeToString(sum[:]) {
		t.Error("SHA256 is not that of the stored bytes")
	}

	t.Run("malformed boxes", func(t *testing.T) {
		for _, data := range [][]byte{
			append(ftyp("isom", "mp41"), 0, 0, 0, 9, 'm', 'o', 'o', 'v'),                            // cut short
			append(ftyp("isom", "mp41"), 0, 0, 0, 1, 'm', 'o', 'o', 'v', 0xff, 0, 0, 0, 0, 0, 0, 0), // 64-bit size past the end
			append(ftyp("isom", "mp41"), 0, 0, 0, 0, 'u', 'd', 't', 'a', 1, 2, 3),                   // to the end of the file
		} {
			MustSave(t, s, "x.mp4", data)
		}
	})
}

func TestCleanName(t *testing.T) {
	long := strings.Repeat("é", 200)
	tests := []struct {
		in   string
		exts []string
		want string
	}{
		{"notulen.pdf", []string{".pdf"}, "notulen.pdf"},
		{"C:\\Users\\jan\\Documenten\\notulen.pdf", []string{".pdf"}, "notulen.pdf"},
		{"../../etc/passwd", nil, "passwd"},
		{"foto.JPEG", []string{".jpg", ".jpeg"}, "foto.JPEG"},
		{"foto.webp", []string{".jpg", ".jpeg"}, "foto.jpg"},
		{"factuur\u202Efdp.exe", []string{".pdf"}, "factuurfdp.pdf"},
		{"a\x00b\nc\td.pdf", []string{".pdf"}, "ab c d.pdf"},
		{"cafe\u0301.pdf", []string{".pdf"}, "café.pdf"},
		{"wat?<is>:dit*.pdf", []string{".pdf"}, "wat__is__dit_.pdf"},
		{"  .verborgen.pdf. ", []string{".pdf"}, "verborgen.pdf"},
		{"Verslag 12.3 notulen", []string{".pdf"}, "Verslag 12.3 notulen.pdf"},
		{"", []string{".pdf"}, "bestand.pdf"},
		{"...", nil, "bestand"},
		{"/", []string{".png"}, "bestand.png"},
		{".pdf", []string{".pdf"}, "pdf.pdf"},
		{"\xff\xfe.pdf", []string{".pdf"}, "pdf.pdf"},
		{long + ".docx", []string{".docx"}, strings.Repeat("é", 115) + ".docx"},
		{long, nil, strings.Repeat("é", 120)},
	}
	for _, tt := range tests {
		if got := CleanName(tt.in, tt.exts); got != tt.want {
			t.Errorf("CleanName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// endless reads as an upload that never ends.
type endless struct{}

func (endless) Read(p []byte) (int, error) { return len(p), nil }

// readerFunc turns a function into an io.Reader.
type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }
