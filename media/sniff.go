package media

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"io"
	"math/bits"
	"net/http"
	"slices"
	"strings"
	"unicode/utf16"
)

// format is a type of file that Save accepts.
type format struct {
	kind        Kind
	contentType string
	exts        []string // extensions a download may have; the first is used to fix a name
	container   bool     // a zip or OLE2 container: identify tells what is inside
}

// The accepted formats. Images are stored as JPEG or PNG whatever they came in as.
var (
	fmtJPEG = &format{kind: KindImage, contentType: "image/jpeg", exts: []string{".jpg", ".jpeg"}}
	fmtPNG  = &format{kind: KindImage, contentType: "image/png", exts: []string{".png"}}
	fmtGIF  = &format{kind: KindImage, contentType: "image/gif", exts: []string{".gif"}}
	fmtWebP = &format{kind: KindImage, contentType: "image/webp", exts: []string{".webp"}}

	fmtPDF  = &format{kind: KindDocument, contentType: "application/pdf", exts: []string{".pdf"}}
	fmtDOCX = &format{kind: KindDocument, exts: []string{".docx"},
		contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
	fmtXLSX = &format{kind: KindDocument, exts: []string{".xlsx"},
		contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
	fmtPPTX = &format{kind: KindDocument, exts: []string{".pptx"},
		contentType: "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
	fmtODT = &format{kind: KindDocument, exts: []string{".odt"},
		contentType: "application/vnd.oasis.opendocument.text"}
	fmtODS = &format{kind: KindDocument, exts: []string{".ods"},
		contentType: "application/vnd.oasis.opendocument.spreadsheet"}
	fmtODP = &format{kind: KindDocument, exts: []string{".odp"},
		contentType: "application/vnd.oasis.opendocument.presentation"}
	fmtDOC = &format{kind: KindDocument, contentType: "application/msword", exts: []string{".doc"}}
	fmtXLS = &format{kind: KindDocument, contentType: "application/vnd.ms-excel", exts: []string{".xls"}}
	fmtPPT = &format{kind: KindDocument, contentType: "application/vnd.ms-powerpoint", exts: []string{".ppt"}}

	fmtMP4  = &format{kind: KindVideo, contentType: "video/mp4", exts: []string{".mp4", ".m4v"}}
	fmtWebM = &format{kind: KindVideo, contentType: "video/webm", exts: []string{".webm"}}

	// Containers, resolved by identify once the whole file is on disk.
	fmtZip  = &format{kind: KindDocument, container: true}
	fmtOLE2 = &format{kind: KindDocument, container: true}
)

// sniffLen is how much of the start of a file sniff looks at (as http.DetectContentType).
const sniffLen = 512

// sniff tells the format of a file from its first bytes, or nil when it is not one that is
// accepted. Zip and OLE2 files come back as containers for identify to open.
func sniff(head []byte) *format {
	switch http.DetectContentType(head) {
	case "image/jpeg":
		return fmtJPEG
	case "image/png":
		return fmtPNG
	case "image/gif":
		return fmtGIF
	case "application/pdf":
		return fmtPDF
	case "application/zip":
		return fmtZip
	}
	switch {
	case len(head) >= 16 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return fmtWebP
	case bytes.HasPrefix(head, oleMagic):
		return fmtOLE2
	case isMP4(head):
		return fmtMP4
	case isWebM(head):
		return fmtWebM
	}
	return nil
}

// mp4Brands are the ftyp brands of MP4 files that browsers play.
var mp4Brands = []string{"isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "dash", "mmp4", "M4V "}

// notMP4Brands are major brands of ISO media files that are not MP4 video, though they may
// list MP4 brands as compatible: QuickTime, audio, HEIF and AVIF pictures, 3GPP.
var notMP4Brands = []string{"qt  ", "M4A ", "M4B ", "M4P ", "heic", "heix", "hevc", "mif1", "msf1", "avif", "avis", "crx "}

// isMP4 reports whether head starts with the ftyp box of an MP4 video.
func isMP4(head []byte) bool {
	if len(head) < 16 || string(head[4:8]) != "ftyp" {
		return false
	}
	size := binary.BigEndian.Uint32(head)
	if size < 16 || size%4 != 0 {
		return false
	}
	major := string(head[8:12])
	if slices.Contains(notMP4Brands, major) || strings.HasPrefix(major, "3g") {
		return false
	}
	if slices.Contains(mp4Brands, major) {
		return true
	}
	for i := 16; i+4 <= int(min(size, uint32(len(head)))); i += 4 {
		if slices.Contains(mp4Brands, string(head[i:i+4])) {
			return true
		}
	}
	return false
}

// isWebM reports whether head starts with an EBML header whose DocType is "webm" (Matroska
// files have the same header with DocType "matroska").
func isWebM(head []byte) bool {
	b, ok := bytes.CutPrefix(head, []byte{0x1A, 0x45, 0xDF, 0xA3})
	if !ok {
		return false
	}
	size, n := ebmlSize(b)
	if n == 0 {
		return false
	}
	if b = b[n:]; size < uint64(len(b)) {
		b = b[:size]
	}
	for len(b) > 0 {
		id, n := ebmlID(b)
		if n == 0 {
			return false
		}
		b = b[n:]
		size, n := ebmlSize(b)
		if n == 0 || size > uint64(len(b)-n) {
			return false
		}
		b = b[n:]
		if id == 0x4282 { // DocType
			return strings.TrimRight(string(b[:size]), "\x00") == "webm"
		}
		b = b[size:]
	}
	return false
}

// ebmlSize reads an EBML variable-length integer: the number of leading zero bits of the
// first byte gives the length; the marker bit is not part of the value. An unknown size
// (all ones) comes back as a large number.
func ebmlSize(b []byte) (uint64, int) {
	if len(b) == 0 {
		return 0, 0
	}
	n := bits.LeadingZeros8(b[0]) + 1
	if n > 8 || len(b) < n {
		return 0, 0
	}
	v := uint64(b[0]) & (0xFF >> n)
	for _, c := range b[1:n] {
		v = v<<8 | uint64(c)
	}
	return v, n
}

// ebmlID reads an EBML element ID, which keeps its marker bit and is at most 4 bytes long.
func ebmlID(b []byte) (uint32, int) {
	if len(b) == 0 {
		return 0, 0
	}
	n := bits.LeadingZeros8(b[0]) + 1
	if n > 4 || len(b) < n {
		return 0, 0
	}
	var v uint32
	for _, c := range b[:n] {
		v = v<<8 | uint32(c)
	}
	return v, n
}

// identify opens a container of size bytes and tells which document it holds, or nil.
func identify(f *format, r io.ReaderAt, size int64) *format {
	switch f {
	case fmtZip:
		return identifyZip(r, size)
	case fmtOLE2:
		return identifyOLE2(r, size)
	}
	return f
}

// ooxmlTypes maps the content type of the main part of an Office Open XML file to its
// format. Macro-enabled and template variants are not accepted.
var ooxmlTypes = map[string]*format{
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml":   fmtDOCX,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml":         fmtXLSX,
	"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": fmtPPTX,
}

// odfTypes maps the content of the "mimetype" entry of an OpenDocument file to its format.
var odfTypes = map[string]*format{
	fmtODT.contentType: fmtODT,
	fmtODS.contentType: fmtODS,
	fmtODP.contentType: fmtODP,
}

// identifyZip tells an Office Open XML file by the main part named in its
// [Content_Types].xml and an OpenDocument file by its mimetype entry. Other zip files are
// refused.
func identifyZip(r io.ReaderAt, size int64) *format {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil
	}
	for _, e := range zr.File {
		switch e.Name {
		case "[Content_Types].xml":
			data, ok := readEntry(e, 1<<20)
			if !ok {
				return nil
			}
			var types struct {
				Override []struct {
					ContentType string `xml:",attr"`
				}
			}
			if xml.Unmarshal(data, &types) != nil {
				return nil
			}
			for _, o := range types.Override {
				if f := ooxmlTypes[o.ContentType]; f != nil {
					return f
				}
			}
			return nil
		case "mimetype":
			data, ok := readEntry(e, 100)
			if !ok {
				return nil
			}
			return odfTypes[strings.TrimSpace(string(data))]
		}
	}
	return nil
}

// readEntry reads a zip entry of at most max bytes (uncompressed: a zip bomb stops there).
func readEntry(e *zip.File, max int64) ([]byte, bool) {
	rc, err := e.Open()
	if err != nil {
		return nil, false
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, max+1))
	return data, err == nil && int64(len(data)) <= max
}

// oleMagic starts an OLE2 compound file, the container of old Office files.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// identifyOLE2 tells an old Word, Excel or PowerPoint file by the streams directly under
// the root of its compound file. Embedded objects live in sub-storages and do not count,
// so an Excel sheet holding a Word document is still an Excel sheet. Other compound files
// (Outlook messages, installers) are refused.
//
// The directory is found by following the sector chains through the FAT; every read is
// checked against the file size and every chain is bounded, so a damaged file is just
// refused.
func identifyOLE2(r io.ReaderAt, size int64) *format {
	var h [512]byte
	if _, err := r.ReadAt(h[:], 0); err != nil || !bytes.HasPrefix(h[:], oleMagic) {
		return nil
	}
	le := binary.LittleEndian
	shift := le.Uint16(h[0x1E:])
	if shift != 9 && shift != 12 {
		return nil
	}
	secSize := int64(1) << shift
	maxSectors := size / secSize
	sector := make([]byte, secSize)
	read := func(n uint32) bool {
		off := (int64(n) + 1) * secSize
		if n >= 0xFFFFFFFA || off+secSize > size {
			return false
		}
		_, err := r.ReadAt(sector, off)
		return err == nil
	}

	// The sectors holding the FAT: up to 109 listed in the header, the rest in a chain of
	// DIFAT sectors.
	nFAT := int64(le.Uint32(h[0x2C:]))
	if nFAT > maxSectors {
		return nil
	}
	fatSectors := make([]uint32, 0, nFAT)
	for i := 0; i < 109 && int64(len(fatSectors)) < nFAT; i++ {
		fatSectors = append(fatSectors, le.Uint32(h[0x4C+4*i:]))
	}
	next := le.Uint32(h[0x44:])
	for steps := int64(0); int64(len(fatSectors)) < nFAT; steps++ {
		if steps > maxSectors || !read(next) {
			return nil
		}
		for i := int64(0); i < secSize/4-1 && int64(len(fatSectors)) < nFAT; i++ {
			fatSectors = append(fatSectors, le.Uint32(sector[4*i:]))
		}
		next = le.Uint32(sector[secSize-4:])
	}
	fat := make([]uint32, 0, nFAT*secSize/4)
	for _, s := range fatSectors {
		if !read(s) {
			return nil
		}
		for i := int64(0); i < secSize; i += 4 {
			fat = append(fat, le.Uint32(sector[i:]))
		}
	}

	// The directory entries, in the order of the directory's chain (their index is their ID).
	type entry struct {
		name               string
		kind               byte // 1 storage, 2 stream, 5 root
		left, right, child uint32
	}
	var dir []entry
	const endOfChain = 0xFFFFFFFE
	for s, steps := le.Uint32(h[0x30:]), int64(0); s != endOfChain; s, steps = fat[s], steps+1 {
		if int64(s) >= int64(len(fat)) || steps > maxSectors || !read(s) {
			return nil
		}
		for e := sector; len(e) >= 128; e = e[128:] {
			n := int(le.Uint16(e[0x40:]))
			if n > 64 || n%2 != 0 {
				n = 0
			}
			u := make([]uint16, 0, n/2)
			for i := 0; i+2 <= n; i += 2 {
				u = append(u, le.Uint16(e[i:]))
			}
			dir = append(dir, entry{
				name: strings.TrimRight(string(utf16.Decode(u)), "\x00"),
				kind: e[0x42],
				left: le.Uint32(e[0x44:]), right: le.Uint32(e[0x48:]), child: le.Uint32(e[0x4C:]),
			})
		}
	}
	if len(dir) == 0 || dir[0].kind != 5 {
		return nil
	}

	// The root's children form a tree through their left and right siblings.
	streams := map[string]bool{}
	seen := make([]bool, len(dir))
	for stack := []uint32{dir[0].child}; len(stack) > 0; {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if int64(id) >= int64(len(dir)) || seen[id] {
			continue
		}
		seen[id] = true
		if e := dir[id]; e.kind == 2 {
			streams[e.name] = true
		}
		stack = append(stack, dir[id].left, dir[id].right)
	}
	switch {
	case streams["WordDocument"]:
		return fmtDOC
	case streams["Workbook"], streams["Book"]:
		return fmtXLS
	case streams["PowerPoint Document"]:
		return fmtPPT
	}
	return nil
}
