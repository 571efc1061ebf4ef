// Package media checks, cleans and stores the files attached to posts: images, documents and
// video.
//
// A file's type is decided by its content only, never by its name or by what the browser
// claims. Images are decoded and encoded again, which removes every piece of metadata (EXIF
// with the place a photo was taken, XMP, comments) after the EXIF orientation has been
// applied; each image gets a thumbnail. Documents are checked down to their container
// (the parts list of an Office file, the directory of an old Office file) and stored as they
// are. MP4 video loses its metadata boxes, where phones record the place of recording.
//
// Files live on the local disk in one directory, named by their ID. The database keeps the
// File records; this package knows nothing of posts or of who may see a file.
package media

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/biebplein/biebplein"
)

// Kind is the broad sort of a file, which sets its size limit and how it is shown.
type Kind string

// The kinds of file a post may carry.
const (
	KindImage    Kind = "image"    // JPEG, PNG, WebP or GIF, stored as JPEG or PNG
	KindDocument Kind = "document" // PDF, Office Open XML, OpenDocument, old binary Office
	KindVideo    Kind = "video"    // MP4 or WebM
)

// Default limits, used for every zero field of Limits.
const (
	DefaultImageSize    = 15 << 20
	DefaultDocumentSize = 25 << 20
	DefaultVideoSize    = 200 << 20
	DefaultMaxPixels    = 50_000_000
	DefaultMaxDimension = 12_000
	DefaultDecoders     = 2
)

// Limits bounds what Save accepts. A zero field takes its default.
type Limits struct {
	Image    int64 // largest image upload in bytes; default 15 MiB
	Document int64 // largest document in bytes; default 25 MiB
	Video    int64 // largest video in bytes; default 200 MiB

	// MaxPixels and MaxDimension are checked from an image's header, before its pixels are
	// decoded, so that a small file claiming a huge picture is refused cheaply. Decoding
	// needs up to about 12 bytes per pixel (16 for a progressive CMYK JPEG).
	MaxPixels    int // default 50 megapixels
	MaxDimension int // longest side in pixels; default 12000, at most 65535 (JPEG's limit)

	// Decoders is how many images are decoded at the same time; the others wait. It bounds
	// the memory that uploads can take together. Default 2.
	Decoders int
}

// withDefaults returns l with every zero (or negative) field set to its default.
func (l Limits) withDefaults() Limits {
	if l.Image <= 0 {
		l.Image = DefaultImageSize
	}
	if l.Document <= 0 {
		l.Document = DefaultDocumentSize
	}
	if l.Video <= 0 {
		l.Video = DefaultVideoSize
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultMaxPixels
	}
	if l.MaxDimension <= 0 {
		l.MaxDimension = DefaultMaxDimension
	}
	l.MaxDimension = min(l.MaxDimension, 65535)
	if l.Decoders <= 0 {
		l.Decoders = DefaultDecoders
	}
	return l
}

// size returns the size limit for files of kind k.
func (l Limits) size(k Kind) int64 {
	switch k {
	case KindImage:
		return l.Image
	case KindVideo:
		return l.Video
	}
	return l.Document
}

// File describes a stored file. The caller keeps it (in the database, with the post) and
// hands it back to Serve.
type File struct {
	ID          string // 26 characters, as made by biebplein.NewID; also the name on disk
	Kind        Kind
	ContentType string // of the stored file, for example "image/jpeg"
	Name        string // the original name, cleaned, with an extension that fits ContentType
	Size        int64  // of the stored file in bytes
	Width       int    // of an image as stored (after orientation); 0 for other kinds
	Height      int
	SHA256      string // of the stored bytes, lower-case hex; Serve uses it as the ETag
	HasThumb    bool   // images have a thumbnail of at most 480 pixels on the long side
}

// Store keeps files in one directory on the local disk. It is safe for concurrent use.
type Store struct {
	dir      string
	limits   Limits
	decoders chan struct{} // one token per image being decoded
}

// tempPrefix starts the names of files being written. They are renamed into place when
// complete, so a crash leaves at most a temporary file, which NewStore removes a day later.
const tempPrefix = ".upload-"

// NewStore returns a store for the directory dir, creating it if needed. Zero limits take
// their defaults. It fails with a plain error (for the operator's log) when the directory
// cannot be created or written.
func NewStore(dir string, limits Limits) (*Store, error) {
	if dir == "" {
		return nil, errors.New("media: no directory given")
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("media: %w", err)
	}
	probe, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return nil, fmt.Errorf("media: directory not writable: %w", err)
	}
	probe.Close()
	os.Remove(probe.Name())
	removeStaleTemps(dir, time.Now().Add(-24*time.Hour))

	limits = limits.withDefaults()
	return &Store{dir: dir, limits: limits, decoders: make(chan struct{}, limits.Decoders)}, nil
}

// removeStaleTemps removes temporary files older than before: leftovers of a crash.
func removeStaleTemps(dir string, before time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), tempPrefix) {
			continue
		}
		if info, err := e.Info(); err == nil && info.ModTime().Before(before) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// Save checks and stores an upload. name is the file name the browser sent; it is cleaned
// and used for downloads only. At most the size limit of the file's kind plus one byte is
// read from r.
//
// The type is detected from the content alone. Images are decoded and encoded again
// (JPEG and opaque WebP as JPEG at quality 85; PNG, GIF and WebP with transparency as PNG;
// of an animated GIF only the first frame is kept) and get a thumbnail. MP4 video loses its
// metadata boxes. Other files are stored byte for byte.
//
// Errors are *biebplein.Error values (with Fields{"file": key}):
//   - CodeInvalid: error.file_empty, error.file_type_unsupported, error.image_corrupt,
//     error.image_too_large_dimensions;
//   - CodeTooLarge: error.file_too_large_image, error.file_too_large_document,
//     error.file_too_large_video;
//   - CodeUnavailable: error.storage_unavailable when the disk is full, read-only or not
//     writable (the cause is wrapped for the log; no temporary file is left behind).
//
// An error reading r (a broken connection, *http.MaxBytesError) or the end of ctx is
// returned wrapped, not as a *biebplein.Error.
func (s *Store) Save(ctx context.Context, name string, r io.Reader) (*File, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(&uploadReader{ctx: ctx, r: r}, sniffLen)
	head, err := br.Peek(sniffLen)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, readError(err)
	}
	if len(head) == 0 {
		return nil, invalid("error.file_empty")
	}
	f := sniff(head)
	if f == nil {
		return nil, invalid("error.file_type_unsupported")
	}
	limit := s.limits.size(f.kind)
	if f.kind == KindImage {
		return s.saveImage(ctx, name, f, br, limit)
	}
	return s.saveFile(name, f, br, limit)
}

// saveFile stores a document or a video as it is, after checking its container.
func (s *Store) saveFile(name string, f *format, r io.Reader, limit int64) (*File, error) {
	tmp, err := s.createTemp()
	if err != nil {
		return nil, err
	}
	defer tmp.discard()

	hash := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, hash), io.LimitReader(r, limit+1))
	if err != nil {
		if re, ok := errors.AsType[*readErr](err); ok {
			return nil, readError(re.err)
		}
		return nil, storageError("write", err)
	}
	if n > limit {
		return nil, tooLarge(f.kind)
	}

	if f.container {
		if f = identify(f, tmp, n); f == nil {
			return nil, invalid("error.file_type_unsupported")
		}
	}
	if f == fmtMP4 {
		changed, err := scrubMP4(tmp, n)
		if err != nil {
			return nil, storageError("scrub", err)
		}
		if changed {
			hash.Reset()
			if _, err := io.Copy(hash, io.NewSectionReader(tmp, 0, n)); err != nil {
				return nil, storageError("hash", err)
			}
		}
	}

	file := &File{
		ID:          biebplein.NewID(time.Now()),
		Kind:        f.kind,
		ContentType: f.contentType,
		Name:        CleanName(name, f.exts),
		Size:        n,
		SHA256:      hex.EncodeToString(hash.Sum(nil)),
	}
	if err := tmp.commit(s.path(file.ID, false)); err != nil {
		return nil, err
	}
	return file, nil
}

// Open opens a stored file, or its thumbnail when thumb is set. It fails with CodeNotFound
// (error.file_not_found) for a malformed id or a missing file, and with CodeUnavailable
// when the disk fails.
func (s *Store) Open(id string, thumb bool) (*os.File, error) {
	if !ValidID(id) {
		return nil, notFound()
	}
	f, err := os.Open(s.path(id, thumb))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, notFound()
	}
	if err != nil {
		return nil, storageError("open", err)
	}
	return f, nil
}

// Delete removes a file and its thumbnail. Deleting a missing file is not an error; a
// malformed id gives CodeNotFound, a failing disk CodeUnavailable.
func (s *Store) Delete(id string) error {
	if !ValidID(id) {
		return notFound()
	}
	for _, thumb := range []bool{true, false} {
		if err := os.Remove(s.path(id, thumb)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return storageError("delete", err)
		}
	}
	return nil
}

// ValidID reports whether id has the form of a file ID: 26 characters of Crockford's base32
// in lower case, as made by biebplein.NewID. Nothing else can name a path in the store.
func ValidID(id string) bool {
	if len(id) != 26 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if !strings.ContainsRune("0123456789abcdefghjkmnpqrstvwxyz", rune(id[i])) {
			return false
		}
	}
	return true
}

// path returns where the file or thumbnail with a valid id lives.
func (s *Store) path(id string, thumb bool) string {
	if thumb {
		return filepath.Join(s.dir, id+".thumb")
	}
	return filepath.Join(s.dir, id)
}

// tempFile is a file being written in the store's directory. Renaming it into place is
// atomic: readers see a whole file or none.
type tempFile struct {
	*os.File
	committed bool
}

// createTemp creates a temporary file in the store's directory.
func (s *Store) createTemp() (*tempFile, error) {
	f, err := os.CreateTemp(s.dir, tempPrefix+"*")
	if err != nil {
		return nil, storageError("create", err)
	}
	return &tempFile{File: f}, nil
}

// commit flushes the file to disk and renames it to path.
func (t *tempFile) commit(path string) error {
	if err := t.Sync(); err != nil {
		return storageError("sync", err)
	}
	if err := t.Close(); err != nil {
		return storageError("close", err)
	}
	if err := os.Rename(t.Name(), path); err != nil {
		return storageError("rename", err)
	}
	t.committed = true
	return nil
}

// discard closes and removes the file unless it has been committed; it is meant for defer.
func (t *tempFile) discard() {
	if !t.committed {
		t.Close()
		os.Remove(t.Name())
	}
}

// uploadReader reads the upload, stops when ctx ends and marks its errors as reading errors,
// so that they are not taken for a failing disk.
type uploadReader struct {
	ctx context.Context
	r   io.Reader
}

func (u *uploadReader) Read(p []byte) (int, error) {
	if err := u.ctx.Err(); err != nil {
		return 0, &readErr{err}
	}
	n, err := u.r.Read(p)
	if err != nil && err != io.EOF {
		err = &readErr{err}
	}
	return n, err
}

// readErr is an error of the upload rather than of the store.
type readErr struct{ err error }

func (e *readErr) Error() string { return e.err.Error() }
func (e *readErr) Unwrap() error { return e.err }

// readError wraps an error met reading the upload.
func readError(err error) error {
	if re, ok := errors.AsType[*readErr](err); ok {
		err = re.err
	}
	return fmt.Errorf("media: reading upload: %w", err)
}

// storageError reports a failing disk (full, read-only, not writable, gone): the store is
// unavailable. The cause stays in the chain for the log.
func storageError(op string, err error) error {
	return fmt.Errorf("media: %s: %w: %w", op,
		biebplein.Errorf(biebplein.CodeUnavailable, "error.storage_unavailable"), err)
}

// invalid returns a CodeInvalid error about the uploaded file.
func invalid(key string) error {
	return &biebplein.Error{Code: biebplein.CodeInvalid, Message: key, Fields: map[string]string{"file": key}}
}

// tooLarge returns the CodeTooLarge error for a file of kind k over its limit.
func tooLarge(k Kind) error {
	key := "error.file_too_large_document"
	switch k {
	case KindImage:
		key = "error.file_too_large_image"
	case KindVideo:
		key = "error.file_too_large_video"
	}
	return &biebplein.Error{Code: biebplein.CodeTooLarge, Message: key, Fields: map[string]string{"file": key}}
}

// notFound returns the CodeNotFound error for a file that is not there.
func notFound() error {
	return biebplein.Errorf(biebplein.CodeNotFound, "error.file_not_found")
}
