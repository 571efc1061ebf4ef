package media

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/biebplein/biebplein"
)

// The helpers below build real files of every accepted type (and some refused ones) in
// memory, small enough to read in a hex dump. The WebP samples in testdata were made with
// cwebp 1.2 from 16×8 and 8×8 PNGs: opaque.webp (lossy, left half red, right half blue),
// alpha-lossy.webp and alpha-lossless.webp (8×8 green, top half transparent).

var (
	red   = color.RGBA{220, 30, 30, 255}
	blue  = color.RGBA{30, 30, 220, 255}
	green = color.RGBA{30, 160, 30, 255}
)

// MustStore returns a store in a fresh temporary directory.
func MustStore(tb testing.TB, limits Limits) *Store {
	tb.Helper()
	s, err := NewStore(tb.TempDir(), limits)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// MustSave saves data under name and fails the test on an error.
func MustSave(tb testing.TB, s *Store, name string, data []byte) *File {
	tb.Helper()
	f, err := s.Save(context.Background(), name, bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("Save(%q): %v", name, err)
	}
	return f
}

// MustStored returns the stored bytes of f (or of its thumbnail).
func MustStored(tb testing.TB, s *Store, f *File, thumb bool) []byte {
	tb.Helper()
	data, err := os.ReadFile(s.path(f.ID, thumb))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// wantError fails the test unless err is a *biebplein.Error with code and message key.
func wantError(tb testing.TB, err error, code, key string) {
	tb.Helper()
	if got := biebplein.ErrorCode(err); got != code {
		tb.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
	if got := biebplein.ErrorMessage(err); got != key {
		tb.Fatalf("error message = %q, want %q", got, key)
	}
}

// wantNoTemps fails the test if a temporary upload file is left in dir.
func wantNoTemps(tb testing.TB, dir string) {
	tb.Helper()
	left, _ := filepath.Glob(filepath.Join(dir, tempPrefix+"*"))
	if len(left) > 0 {
		tb.Fatalf("temporary files left: %v", left)
	}
}

// halves returns a w×h image whose left half is red and right half blue.
func halves(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if x < (w+1)/2 {
				m.Set(x, y, red)
			} else {
				m.Set(x, y, blue)
			}
		}
	}
	return m
}

// jpegBytes encodes m as a JPEG and inserts the given APP segments after SOI.
func jpegBytes(tb testing.TB, m image.Image, segments ...[]byte) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: 95}); err != nil {
		tb.Fatal(err)
	}
	out := append([]byte{}, b.Bytes()[:2]...)
	for _, s := range segments {
		out = append(out, s...)
	}
	return append(out, b.Bytes()[2:]...)
}

// pngBytes encodes m as a PNG and inserts the given chunks after IHDR.
func pngBytes(tb testing.TB, m image.Image, chunks ...[]byte) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		tb.Fatal(err)
	}
	const ihdrEnd = 8 + 8 + 13 + 4
	out := append([]byte{}, b.Bytes()[:ihdrEnd]...)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, b.Bytes()[ihdrEnd:]...)
}

// pngChunk returns a PNG chunk with its length and checksum.
func pngChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// pngHeader returns the start of a PNG claiming w×h pixels: enough for DecodeConfig, and a
// decompression bomb when the numbers are large.
func pngHeader(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8 bits, RGBA
	return append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr)...)
}

// gifBytes encodes m as a single-frame GIF.
func gifBytes(tb testing.TB, m image.Image) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := gif.Encode(&b, m, nil); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// tiffEXIF returns an EXIF block (big-endian TIFF) with an orientation, the photographer's
// name and a GPS IFD placing the photo in Amsterdam.
func tiffEXIF(orientation uint16) []byte {
	be := binary.BigEndian
	const ifd0, artist, gpsIFD, latitude = 8, 50, 62, 92
	b := []byte("MM\x00\x2a")
	b = be.AppendUint32(b, ifd0)
	b = be.AppendUint16(b, 3)
	entry := func(tag, typ uint16, count, value uint32) {
		b = be.AppendUint16(b, tag)
		b = be.AppendUint16(b, typ)
		b = be.AppendUint32(b, count)
		b = be.AppendUint32(b, value)
	}
	entry(0x0112, 3, 1, uint32(orientation)<<16) // SHORT, left-justified in the value
	entry(0x013B, 2, 11, artist)                 // ASCII
	entry(0x8825, 4, 1, gpsIFD)                  // LONG: where the GPS IFD is
	b = be.AppendUint32(b, 0)
	b = append(b, "Jan Jansen\x00\x00"...)
	b = be.AppendUint16(b, 2)
	entry(0x0001, 2, 2, 'N'<<24) // GPSLatitudeRef
	entry(0x0002, 5, 3, latitude)
	b = be.AppendUint32(b, 0)
	for _, r := range [][2]uint32{{52, 1}, {22, 1}, {1234, 100}} {
		b = be.AppendUint32(b, r[0])
		b = be.AppendUint32(b, r[1])
	}
	return b
}

// gpsEntry is the IFD entry pointing at GPS data, as tiffEXIF writes it.
var gpsEntry = []byte{0x88, 0x25, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01}

// app1 wraps an EXIF block in a JPEG APP1 segment.
func app1(exif []byte) []byte {
	payload := append([]byte("Exif\x00\x00"), exif...)
	seg := []byte{0xFF, 0xE1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(payload)+2))
	return append(seg, payload...)
}

// jpegSegment returns a JPEG segment with a length.
func jpegSegment(marker byte, payload []byte) []byte {
	seg := []byte{0xFF, marker}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(payload)+2))
	return append(seg, payload...)
}

// zipBytes returns a zip archive holding the given files, in order.
func zipBytes(tb testing.TB, files ...[2]string) []byte {
	tb.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f[0], Method: zip.Deflate})
		if err != nil {
			tb.Fatal(err)
		}
		w.Write([]byte(f[1]))
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// contentTypes returns a [Content_Types].xml naming main as the type of the main part.
func contentTypes(main string) [2]string {
	return [2]string{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="` + main + `"/>
</Types>`}
}

// docxBytes returns a minimal Word document.
func docxBytes(tb testing.TB) []byte {
	return zipBytes(tb,
		contentTypes("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
		[2]string{"_rels/.rels", `<Relationships/>`},
		[2]string{"word/document.xml", `<w:document><w:body><w:p><w:r><w:t>Hallo</w:t></w:r></w:p></w:body></w:document>`},
	)
}

// pdfBytes returns a minimal PDF.
func pdfBytes() []byte {
	return []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n" +
		"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
}

// box returns an ISO media box.
func box(typ string, content ...[]byte) []byte {
	body := bytes.Join(content, nil)
	b := binary.BigEndian.AppendUint32(nil, uint32(8+len(body)))
	return append(append(b, typ...), body...)
}

// ftyp returns an ftyp box with a major brand and compatible brands.
func ftyp(major string, compatible ...string) []byte {
	return box("ftyp", []byte(major), []byte{0, 0, 2, 0}, []byte(strings.Join(compatible, "")))
}

// mp4Bytes returns an MP4 whose moov holds a udta box with the place of recording (as
// phones write it) and media data of n bytes.
func mp4Bytes(n int) []byte {
	place := box("\xa9xyz", []byte{0, 17, 0x15, 0xc7}, []byte("+52.3731+004.8922/"))
	moov := box("moov", box("mvhd", make([]byte, 100)), box("trak", box("tkhd", make([]byte, 84)), box("meta", []byte("track place"))), box("udta", place))
	return bytes.Join([][]byte{ftyp("isom", "isom", "iso2", "avc1", "mp41"), moov, box("mdat", bytes.Repeat([]byte{0x42}, n))}, nil)
}

// ebml returns an EBML element.
func ebml(id []byte, data []byte) []byte {
	b := append([]byte{}, id...)
	b = append(b, 0x80|byte(len(data))) // one-byte size; data is short here
	return append(b, data...)
}

// webmBytes returns the start of a WebM (or, with another doctype, Matroska) file.
func webmBytes(docType string) []byte {
	header := bytes.Join([][]byte{
		ebml([]byte{0x42, 0x86}, []byte{1}), // EBMLVersion
		ebml([]byte{0x42, 0xF7}, []byte{1}), // EBMLReadVersion
		ebml([]byte{0x42, 0xF2}, []byte{4}), // EBMLMaxIDLength
		ebml([]byte{0x42, 0xF3}, []byte{8}), // EBMLMaxSizeLength
		ebml([]byte{0x42, 0x82}, []byte(docType)),
		ebml([]byte{0x42, 0x87}, []byte{4}), // DocTypeVersion
		ebml([]byte{0x42, 0x85}, []byte{2}), // DocTypeReadVersion
	}, nil)
	segment := append([]byte{0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, make([]byte, 200)...)
	return append(ebml([]byte{0x1A, 0x45, 0xDF, 0xA3}, header), segment...)
}

// oleEntry is a directory entry for oleBytes.
type oleEntry struct {
	name               string
	kind               byte // 1 storage, 2 stream, 5 root
	left, right, child uint32
}

const noStream = 0xFFFFFFFF

// oleBytes returns a compound file (version 3, 512-byte sectors) with one FAT sector
// (sector 0) and the given directory in sector 1 and on. Stream contents are not needed
// to tell the type.
func oleBytes(entries ...oleEntry) []byte {
	le := binary.LittleEndian
	for len(entries)%4 != 0 {
		entries = append(entries, oleEntry{left: noStream, right: noStream, child: noStream})
	}
	dirSectors := len(entries) / 4
	h := make([]byte, 512)
	copy(h, oleMagic)
	le.PutUint16(h[0x18:], 0x3E)
	le.PutUint16(h[0x1A:], 3)
	le.PutUint16(h[0x1C:], 0xFFFE)
	le.PutUint16(h[0x1E:], 9)
	le.PutUint16(h[0x20:], 6)
	le.PutUint32(h[0x2C:], 1) // one FAT sector
	le.PutUint32(h[0x30:], 1) // the directory starts in sector 1
	le.PutUint32(h[0x38:], 4096)
	le.PutUint32(h[0x3C:], 0xFFFFFFFE)
	le.PutUint32(h[0x44:], 0xFFFFFFFE)
	for i := 0; i < 109; i++ {
		le.PutUint32(h[0x4C+4*i:], 0xFFFFFFFF)
	}
	le.PutUint32(h[0x4C:], 0) // the FAT is sector 0

	fat := make([]byte, 512)
	for i := 0; i < 128; i++ {
		le.PutUint32(fat[4*i:], 0xFFFFFFFF)
	}
	le.PutUint32(fat, 0xFFFFFFFD) // sector 0 holds the FAT
	for s := 1; s <= dirSectors; s++ {
		next := uint32(s + 1)
		if s == dirSectors {
			next = 0xFFFFFFFE
		}
		le.PutUint32(fat[4*s:], next)
	}

	var dir []byte
	for _, e := range entries {
		d := make([]byte, 128)
		name := []rune(e.name)
		for i, r := range name {
			le.PutUint16(d[2*i:], uint16(r))
		}
		if e.name != "" {
			le.PutUint16(d[0x40:], uint16(2*len(name)+2))
		}
		d[0x42] = e.kind
		le.PutUint32(d[0x44:], e.left)
		le.PutUint32(d[0x48:], e.right)
		le.PutUint32(d[0x4C:], e.child)
		dir = append(dir, d...)
	}
	return bytes.Join([][]byte{h, fat, dir}, nil)
}

// oleDoc returns a compound file whose root holds the named streams, chained as right
// siblings.
func oleDoc(streams ...string) []byte {
	entries := []oleEntry{{name: "Root Entry", kind: 5, left: noStream, right: noStream, child: 1}}
	for i, s := range streams {
		right := uint32(i + 2)
		if i == len(streams)-1 {
			right = noStream
		}
		entries = append(entries, oleEntry{name: s, kind: 2, left: noStream, right: right, child: noStream})
	}
	return oleBytes(entries...)
}

// mustRead reads a file from testdata.
func mustRead(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// decode decodes a stored image and fails the test if that is not possible.
func decode(tb testing.TB, data []byte) image.Image {
	tb.Helper()
	m, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// near reports whether two colours are within 40 of each other in every channel, as lossy
// compression allows.
func near(a, b color.Color) bool {
	r1, g1, b1, a1 := a.RGBA()
	r2, g2, b2, a2 := b.RGBA()
	d := func(x, y uint32) bool { return max(x, y)-min(x, y) <= 40*257 }
	return d(r1, r2) && d(g1, g2) && d(b1, b2) && d(a1, a2)
}
