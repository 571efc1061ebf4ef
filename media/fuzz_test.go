package media

import (
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"testing"

	"github.com/biebplein/biebplein"
)

// The seed corpora are in testdata/fuzz: one sample of every accepted format and of the
// refused look-alikes, as the helpers in media_test.go make them. Run for longer with
//
//	go test -run=^$ -fuzz=FuzzSniff -fuzztime=60s ./media/
//	go test -run=^$ -fuzz=FuzzImage -fuzztime=60s ./media/

// FuzzSniff runs the type detection and the parsers of metadata on arbitrary bytes: they
// must not panic, whatever the input.
func FuzzSniff(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		head := data[:min(len(data), sniffLen)]
		if ft := sniff(head); ft != nil && ft.container {
			if got := identify(ft, bytes.NewReader(data), int64(len(data))); got != nil && got.container {
				t.Fatal("identify returned a container")
			}
		}
		isWebM(data)
		isMP4(data)
		for _, ft := range []*format{fmtJPEG, fmtPNG, fmtWebP} {
			if o := orientation(ft, data); o < 1 || o > 8 {
				t.Fatalf("orientation %d", o)
			}
		}
		mem := memFile(bytes.Clone(data))
		if _, err := scrubMP4(mem, int64(len(mem))); err != nil {
			t.Fatal(err)
		}
		if len(mem) != len(data) {
			t.Fatal("scrubMP4 changed the size")
		}
	})
}

// FuzzImage saves arbitrary bytes with small limits: the answer is a File or a
// *biebplein.Error, never a panic, and no input makes Save allocate more than 64 MB.
func FuzzImage(f *testing.F) {
	s := MustStore(f, Limits{Image: 1 << 20, Document: 1 << 20, Video: 1 << 20, MaxPixels: 1 << 20, MaxDimension: 4096})
	f.Fuzz(func(t *testing.T, data []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		file, err := s.Save(context.Background(), "x", bytes.NewReader(data))
		runtime.ReadMemStats(&after)

		if allocated := after.TotalAlloc - before.TotalAlloc; allocated > 64<<20 {
			t.Errorf("allocated %d MB for %d bytes", allocated>>20, len(data))
		}
		var e *biebplein.Error
		switch {
		case err != nil && !errors.As(err, &e):
			t.Fatalf("error is not a *biebplein.Error: %v", err)
		case err != nil && e.Code == biebplein.CodeUnavailable:
			t.Fatalf("storage failed: %v", err)
		case err == nil && (file == nil || !ValidID(file.ID)):
			t.Fatalf("file = %+v", file)
		case err == nil:
			if err := s.Delete(file.ID); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// memFile is a file in memory for scrubMP4.
type memFile []byte

func (m memFile) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off > int64(len(m)) {
		return 0, io.EOF
	}
	n := copy(p, m[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (m memFile) WriteAt(p []byte, off int64) (int, error) {
	if off < 0 || off+int64(len(p)) > int64(len(m)) {
		return 0, errors.New("memFile: write past the end")
	}
	return copy(m[off:], p), nil
}
