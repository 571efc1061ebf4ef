package media

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/gif"
	"runtime"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
)

func TestSaveRemovesMetadata(t *testing.T) {
	s := MustStore(t, Limits{})
	com := jpegSegment(0xFE, []byte("gemaakt bij Jan Jansen thuis"))
	xmp := jpegSegment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>Jan Jansen</x:xmpmeta>"))
	in := jpegBytes(t, halves(64, 32), app1(tiffEXIF(1)), xmp, com)
	for _, marker := range [][]byte{[]byte("Exif"), gpsEntry, []byte("Jan Jansen"), []byte("xmpmeta")} {
		if !bytes.Contains(in, marker) {
			t.Fatalf("the test upload lacks %q", marker)
		}
	}

	f := MustSave(t, s, "vakantie.jpg", in)
	for _, stored := range [][]byte{MustStored(t, s, f, false), MustStored(t, s, f, true)} {
		for _, marker := range [][]byte{[]byte("Exif"), gpsEntry, []byte("Jan Jansen"), []byte("xmpmeta")} {
			if bytes.Contains(stored, marker) {
				t.Errorf("stored file still holds %q", marker)
			}
		}
	}
	if f.Width != 64 || f.Height != 32 || f.ContentType != "image/jpeg" || !f.HasThumb {
		t.Errorf("file = %+v", f)
	}

	t.Run("PNG text chunks", func(t *testing.T) {
		in := pngBytes(t, halves(8, 8), pngChunk("tEXt", []byte("Comment\x00Jan Jansen")), pngChunk("eXIf", tiffEXIF(1)))
		f := MustSave(t, s, "scan.png", in)
		if stored := MustStored(t, s, f, false); bytes.Contains(stored, []byte("Jan Jansen")) || bytes.Contains(stored, gpsEntry) {
			t.Error("stored PNG still holds metadata")
		}
	})
}

func TestSaveAppliesOrientation(t *testing.T) {
	s := MustStore(t, Limits{})

	t.Run("2x1 with orientation 6 becomes 1x2", func(t *testing.T) {
		f := MustSave(t, s, "x.jpg", jpegBytes(t, halves(2, 1), app1(tiffEXIF(6))))
		if f.Width != 1 || f.Height != 2 {
			t.Fatalf("size = %dx%d, want 1x2", f.Width, f.Height)
		}
		if m := decode(t, MustStored(t, s, f, false)); m.Bounds().Dx() != 1 || m.Bounds().Dy() != 2 {
			t.Fatalf("stored image is %v", m.Bounds())
		}
	})

	// Turned a quarter clockwise, the left (red) half comes on top.
	t.Run("JPEG turned clockwise", func(t *testing.T) {
		f := MustSave(t, s, "x.jpg", jpegBytes(t, halves(32, 16), app1(tiffEXIF(6))))
		m := decode(t, MustStored(t, s, f, false))
		if got := m.Bounds().Size(); got != image.Pt(16, 32) {
			t.Fatalf("size = %v, want (16,32)", got)
		}
		if !near(m.At(8, 4), red) || !near(m.At(8, 28), blue) {
			t.Errorf("top %v, bottom %v: want red above blue", m.At(8, 4), m.At(8, 28))
		}
	})

	// Orientation 8 turns anticlockwise: the right (blue) half comes on top. A PNG keeps its
	// colours exactly.
	t.Run("PNG eXIf turned anticlockwise", func(t *testing.T) {
		f := MustSave(t, s, "x.png", pngBytes(t, halves(4, 2), pngChunk("eXIf", tiffEXIF(8))))
		m := decode(t, MustStored(t, s, f, false))
		if m.Bounds().Size() != image.Pt(2, 4) || !near(m.At(0, 0), blue) || !near(m.At(1, 3), red) {
			t.Errorf("got %v with top left %v and bottom right %v", m.Bounds(), m.At(0, 0), m.At(1, 3))
		}
	})

	t.Run("WebP EXIF chunk", func(t *testing.T) {
		f := MustSave(t, s, "x.webp", extendedWebP(t, mustRead(t, "opaque.webp"), 16, 8, tiffEXIF(3)))
		m := decode(t, MustStored(t, s, f, false))
		if m.Bounds().Size() != image.Pt(16, 8) || !near(m.At(2, 4), blue) || !near(m.At(13, 4), red) {
			t.Errorf("turned half round: left %v, right %v; want blue then red", m.At(2, 4), m.At(13, 4))
		}
	})
}

// TestOrient checks all eight orientations, pixel by pixel, against the EXIF definitions.
func TestOrient(t *testing.T) {
	const w, h = 3, 2
	src := image.NewRGBA(image.Rect(10, 20, 10+w, 20+h)) // an origin that is not (0, 0)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			src.Set(10+x, 20+y, color.RGBA{uint8(x), uint8(y), 0, 255})
		}
	}
	// want returns the source pixel that lands at (x, y) of the upright image.
	want := map[int]func(x, y int) (int, int){
		1: func(x, y int) (int, int) { return x, y },
		2: func(x, y int) (int, int) { return w - 1 - x, y },
		3: func(x, y int) (int, int) { return w - 1 - x, h - 1 - y },
		4: func(x, y int) (int, int) { return x, h - 1 - y },
		5: func(x, y int) (int, int) { return y, x },
		6: func(x, y int) (int, int) { return y, h - 1 - x },
		7: func(x, y int) (int, int) { return w - 1 - y, h - 1 - x },
		8: func(x, y int) (int, int) { return w - 1 - y, x },
	}
	for o := 1; o <= 8; o++ {
		m := orient(src, o)
		b := m.Bounds()
		wantSize := image.Pt(w, h)
		if o >= 5 {
			wantSize = image.Pt(h, w)
		}
		if b.Size() != wantSize {
			t.Fatalf("orientation %d: size %v, want %v", o, b.Size(), wantSize)
		}
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < b.Dx(); x++ {
				sx, sy := want[o](x, y)
				if got, want := m.At(b.Min.X+x, b.Min.Y+y), src.At(10+sx, 20+sy); got != want {
					t.Errorf("orientation %d: pixel (%d,%d) = %v, want %v", o, x, y, got, want)
				}
			}
		}
	}
}

func TestExifOrientation(t *testing.T) {
	little := []byte("II*\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x05\x00\x00\x00")
	tests := []struct {
		name string
		exif []byte
		want int
	}{
		{"big-endian", tiffEXIF(6), 6},
		{"little-endian", little, 5},
		{"with Exif header", append([]byte("Exif\x00\x00"), tiffEXIF(7)...), 7},
		{"out of range", tiffEXIF(9), 1},
		{"empty", nil, 1},
		{"IFD past the end", []byte("MM\x00\x2a\xff\xff\xff\xff"), 1},
		{"entries past the end", []byte("MM\x00\x2a\x00\x00\x00\x08\xff\xff"), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := exifOrientation(tt.exif); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
}

func TestSaveRefusesDecompressionBomb(t *testing.T) {
	s := MustStore(t, Limits{})
	bomb := pngHeader(100_000, 100_000)
	bomb = append(bomb, pngChunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := s.Save(t.Context(), "bom.png", bytes.NewReader(bomb))
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)

	wantError(t, err, biebplein.CodeInvalid, "error.image_too_large_dimensions")
	if elapsed > 2*time.Second {
		t.Errorf("took %v", elapsed)
	}
	if allocated := after.TotalAlloc - before.TotalAlloc; allocated > 50<<20 {
		t.Errorf("allocated %d MB", allocated>>20)
	}

	t.Run("each side", func(t *testing.T) {
		s := MustStore(t, Limits{MaxDimension: 1, MaxPixels: 100})
		MustSave(t, s, "punt.png", pngBytes(t, halves(1, 1)))
		_, err := s.Save(t.Context(), "twee.png", bytes.NewReader(pngBytes(t, halves(2, 1))))
		wantError(t, err, biebplein.CodeInvalid, "error.image_too_large_dimensions")
	})
	t.Run("pixels", func(t *testing.T) {
		s := MustStore(t, Limits{MaxPixels: 99})
		MustSave(t, s, "ok.png", pngBytes(t, halves(9, 11)))
		_, err := s.Save(t.Context(), "te-veel.png", bytes.NewReader(pngBytes(t, halves(10, 10))))
		wantError(t, err, biebplein.CodeInvalid, "error.image_too_large_dimensions")
	})
	// A WebP canvas of 16×8 whose frame header claims 16383×16383: the decoder would
	// allocate for the frame, so the frame counts.
	t.Run("WebP frame larger than canvas", func(t *testing.T) {
		webp := extendedWebP(t, mustRead(t, "opaque.webp"), 1, 1, nil)
		_, err := s.Save(t.Context(), "x.webp", bytes.NewReader(webp))
		wantError(t, err, biebplein.CodeInvalid, "error.image_corrupt")
	})
	t.Run("WebP claiming a huge frame", func(t *testing.T) {
		webp := append([]byte{}, mustRead(t, "opaque.webp")...)
		// Width and height follow the start code 9d 01 2a of the VP8 key frame.
		i := bytes.Index(webp, []byte{0x9d, 0x01, 0x2a}) + 3
		binary.LittleEndian.PutUint16(webp[i:], 0x3fff)
		binary.LittleEndian.PutUint16(webp[i+2:], 0x3fff)
		_, err := s.Save(t.Context(), "x.webp", bytes.NewReader(webp))
		wantError(t, err, biebplein.CodeInvalid, "error.image_too_large_dimensions")
	})
}

func TestSaveCorruptImages(t *testing.T) {
	s := MustStore(t, Limits{})
	good := jpegBytes(t, halves(64, 64))
	tests := []struct {
		name string
		data []byte
	}{
		{"truncated JPEG", good[:len(good)/2]},
		{"JPEG header only", good[:20]},
		{"JPEG magic and noise", append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte{0x13, 0x37}, 300)...)},
		{"PNG signature only", []byte("\x89PNG\r\n\x1a\n")},
		{"PNG without image data", pngHeader(10, 10)},
		{"PNG claiming zero width", pngHeader(0, 10)},
		{"GIF header only", []byte("GIF89a\x10\x00\x10\x00\x00\x00\x00")},
		{"WebP header only", []byte("RIFF\x20\x00\x00\x00WEBPVP8 \x14\x00\x00\x00")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Save(t.Context(), "x.jpg", bytes.NewReader(tt.data))
			wantError(t, err, biebplein.CodeInvalid, "error.image_corrupt")
		})
	}
	wantNoTemps(t, s.dir)
}

func TestSaveImageFormats(t *testing.T) {
	s := MustStore(t, Limits{})

	t.Run("WebP with transparency becomes PNG", func(t *testing.T) {
		for _, name := range []string{"alpha-lossy.webp", "alpha-lossless.webp"} {
			f := MustSave(t, s, "logo.webp", mustRead(t, name))
			if f.ContentType != "image/png" || f.Name != "logo.png" {
				t.Fatalf("%s: got %s %q", name, f.ContentType, f.Name)
			}
			m := decode(t, MustStored(t, s, f, false))
			if _, _, _, a := m.At(4, 1).RGBA(); a != 0 {
				t.Errorf("%s: top half has alpha %d, want transparent", name, a)
			}
			if !near(m.At(4, 6), green) {
				t.Errorf("%s: bottom half is %v, want green", name, m.At(4, 6))
			}
			if thumb := MustStored(t, s, f, true); !bytes.HasPrefix(thumb, []byte("\x89PNG")) {
				t.Errorf("%s: thumbnail of a transparent image is not a PNG", name)
			}
		}
	})

	t.Run("GIF keeps its first frame", func(t *testing.T) {
		pal := color.Palette{color.Transparent, red, blue}
		first := image.NewPaletted(image.Rect(0, 0, 4, 4), pal)
		second := image.NewPaletted(image.Rect(2, 2, 4, 4), pal) // a smaller frame, placed
		for i := range first.Pix {
			first.Pix[i] = 1
		}
		for i := range second.Pix {
			second.Pix[i] = 2
		}
		var b bytes.Buffer
		if err := gif.EncodeAll(&b, &gif.GIF{Image: []*image.Paletted{first, second}, Delay: []int{10, 10}}); err != nil {
			t.Fatal(err)
		}
		f := MustSave(t, s, "anim.gif", b.Bytes())
		m := decode(t, MustStored(t, s, f, false))
		if f.ContentType != "image/png" || m.Bounds().Size() != image.Pt(4, 4) || !near(m.At(3, 3), red) {
			t.Errorf("got %s %v with corner %v, want the red first frame", f.ContentType, m.Bounds(), m.At(3, 3))
		}
	})

	t.Run("GIF whose first frame does not cover the canvas", func(t *testing.T) {
		pal := color.Palette{color.Transparent, red}
		frame := image.NewPaletted(image.Rect(2, 2, 4, 4), pal)
		for i := range frame.Pix {
			frame.Pix[i] = 1
		}
		var b bytes.Buffer
		err := gif.EncodeAll(&b, &gif.GIF{Image: []*image.Paletted{frame}, Delay: []int{0},
			Config: image.Config{ColorModel: pal, Width: 4, Height: 4}})
		if err != nil {
			t.Fatal(err)
		}
		f := MustSave(t, s, "klein.gif", b.Bytes())
		m := decode(t, MustStored(t, s, f, false))
		_, _, _, a := m.At(0, 0).RGBA()
		if f.Width != 4 || f.Height != 4 || a != 0 || !near(m.At(3, 3), red) {
			t.Errorf("got %dx%d, corner alpha %d, frame %v", f.Width, f.Height, a, m.At(3, 3))
		}
	})

	t.Run("thumbnail of a large image", func(t *testing.T) {
		f := MustSave(t, s, "groot.png", pngBytes(t, halves(2000, 1000)))
		if f.Width != 2000 || f.Height != 1000 {
			t.Fatalf("size = %dx%d", f.Width, f.Height)
		}
		thumb := MustStored(t, s, f, true)
		if !bytes.HasPrefix(thumb, []byte{0xFF, 0xD8}) {
			t.Fatal("thumbnail of an opaque image is not a JPEG")
		}
		m := decode(t, thumb)
		if m.Bounds().Size() != image.Pt(480, 240) {
			t.Fatalf("thumbnail size = %v, want (480,240)", m.Bounds().Size())
		}
		if !near(m.At(100, 120), red) || !near(m.At(380, 120), blue) {
			t.Errorf("thumbnail colours %v and %v, want red and blue", m.At(100, 120), m.At(380, 120))
		}
	})

	t.Run("thumbnail of a tall image", func(t *testing.T) {
		m := thumbnail(halves(300, 3000))
		if m.Bounds().Size() != image.Pt(48, 480) {
			t.Errorf("size = %v, want (48,480)", m.Bounds().Size())
		}
	})
}

// extendedWebP turns a simple lossy WebP into the extended format with a VP8X header
// claiming a w×h canvas and, when exif is not nil, an EXIF chunk.
func extendedWebP(tb testing.TB, simple []byte, w, h int, exif []byte) []byte {
	tb.Helper()
	if string(simple[12:16]) != "VP8 " {
		tb.Fatal("not a simple lossy WebP")
	}
	le := binary.LittleEndian
	vp8x := make([]byte, 10)
	if exif != nil {
		vp8x[0] = 0x08
	}
	vp8x[4], vp8x[5], vp8x[6] = byte(w-1), byte((w-1)>>8), byte((w-1)>>16)
	vp8x[7], vp8x[8], vp8x[9] = byte(h-1), byte((h-1)>>8), byte((h-1)>>16)
	chunk := func(id string, data []byte) []byte {
		c := append([]byte(id), le.AppendUint32(nil, uint32(len(data)))...)
		c = append(c, data...)
		if len(data)%2 == 1 {
			c = append(c, 0)
		}
		return c
	}
	body := append([]byte("WEBP"), chunk("VP8X", vp8x)...)
	body = append(body, simple[12:]...)
	if exif != nil {
		body = append(body, chunk("EXIF", exif)...)
	}
	return append(append([]byte("RIFF"), le.AppendUint32(nil, uint32(len(body)))...), body...)
}
