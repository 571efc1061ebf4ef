package media

import (
	"bytes"
	"testing"

	"github.com/biebplein/biebplein"
)

func TestSaveDetectsTypeByContent(t *testing.T) {
	s := MustStore(t, Limits{})
	small := halves(16, 8)

	accepted := []struct {
		name     string
		file     string
		data     []byte
		kind     Kind
		ctype    string
		wantName string
	}{
		{"JPEG", "foto.JPG", jpegBytes(t, small), KindImage, "image/jpeg", "foto.JPG"},
		{"PNG named as PDF", "x.pdf", pngBytes(t, small), KindImage, "image/png", "x.png"},
		{"GIF becomes PNG", "anim.gif", gifBytes(t, small), KindImage, "image/png", "anim.png"},
		{"WebP becomes JPEG", "foto.webp", mustRead(t, "opaque.webp"), KindImage, "image/jpeg", "foto.jpg"},
		{"PDF", "notulen.pdf", pdfBytes(), KindDocument, "application/pdf", "notulen.pdf"},
		{"DOCX named as TXT", "brief.txt", docxBytes(t), KindDocument, fmtDOCX.contentType, "brief.docx"},
		{"XLSX", "cijfers.xlsx", zipBytes(t, contentTypes("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")), KindDocument, fmtXLSX.contentType, "cijfers.xlsx"},
		{"PPTX", "dia.pptx", zipBytes(t, contentTypes("application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml")), KindDocument, fmtPPTX.contentType, "dia.pptx"},
		{"ODT", "tekst.odt", zipBytes(t, [2]string{"mimetype", "application/vnd.oasis.opendocument.text"}, [2]string{"content.xml", "<office:document-content/>"}), KindDocument, fmtODT.contentType, "tekst.odt"},
		{"ODS", "blad.ods", zipBytes(t, [2]string{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"}), KindDocument, fmtODS.contentType, "blad.ods"},
		{"ODP", "show.odp", zipBytes(t, [2]string{"mimetype", "application/vnd.oasis.opendocument.presentation"}), KindDocument, fmtODP.contentType, "show.odp"},
		{"DOC", "oud.doc", oleDoc("\x01CompObj", "WordDocument", "1Table"), KindDocument, "application/msword", "oud.doc"},
		{"XLS", "oud.xls", oleDoc("Workbook", "\x05SummaryInformation"), KindDocument, "application/vnd.ms-excel", "oud.xls"},
		{"Excel 95 XLS", "ouder.xls", oleDoc("Book"), KindDocument, "application/vnd.ms-excel", "ouder.xls"},
		{"PPT named as DOC", "dia.doc", oleDoc("Current User", "PowerPoint Document"), KindDocument, "application/vnd.ms-powerpoint", "dia.ppt"},
		{"MP4", "film.mp4", mp4Bytes(1000), KindVideo, "video/mp4", "film.mp4"},
		{"WebM", "film.webm", webmBytes("webm"), KindVideo, "video/webm", "film.webm"},
	}
	for _, tt := range accepted {
		t.Run(tt.name, func(t *testing.T) {
			f := MustSave(t, s, tt.file, tt.data)
			if f.Kind != tt.kind || f.ContentType != tt.ctype || f.Name != tt.wantName {
				t.Errorf("got %s %s %q, want %s %s %q", f.Kind, f.ContentType, f.Name, tt.kind, tt.ctype, tt.wantName)
			}
		})
	}

	// An Excel sheet holding an embedded Word document: only the root's own streams count.
	t.Run("XLS with embedded Word document", func(t *testing.T) {
		data := oleBytes(
			oleEntry{name: "Root Entry", kind: 5, left: noStream, right: noStream, child: 2},
			oleEntry{name: "WordDocument", kind: 2, left: noStream, right: noStream, child: noStream},
			oleEntry{name: "MBD0001", kind: 1, left: 3, right: noStream, child: 1},
			oleEntry{name: "Workbook", kind: 2, left: noStream, right: noStream, child: noStream},
		)
		if f := MustSave(t, s, "begroting.xls", data); f.ContentType != "application/vnd.ms-excel" {
			t.Errorf("content type = %s, want application/vnd.ms-excel", f.ContentType)
		}
	})

	refused := []struct {
		name string
		file string
		data []byte
	}{
		{"HTML named as JPEG", "x.jpg", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")},
		{"HTML after white space", "x.png", []byte("\n\n  <html><body onload=alert(1)>")},
		{"SVG", "logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)},
		{"SVG with XML declaration", "logo.png", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`)},
		{"plain text", "x.txt", []byte("Hallo allemaal")},
		{"zip that is not OOXML", "x.docx", zipBytes(t, [2]string{"evil.exe", "MZ"})},
		{"macro-enabled Word", "x.docx", zipBytes(t, contentTypes("application/vnd.ms-word.document.macroEnabled.main+xml"))},
		{"JAR", "x.docx", zipBytes(t, [2]string{"META-INF/MANIFEST.MF", "Manifest-Version: 1.0"})},
		{"broken zip", "x.docx", []byte("PK\x03\x04 this is not really a zip")},
		{"Outlook message", "x.doc", oleDoc("__substg1.0_0037001F", "__properties_version1.0")},
		{"OLE2 without directory", "x.doc", append(append([]byte{}, oleMagic...), make([]byte, 600)...)},
		{"QuickTime", "x.mp4", append(ftyp("qt  ", "qt  "), box("mdat", make([]byte, 100))...)},
		{"HEIC", "x.mp4", append(ftyp("heic", "mif1", "heic"), box("mdat", make([]byte, 100))...)},
		{"Matroska", "x.webm", webmBytes("matroska")},
		{"Windows program", "x.pdf", append([]byte("MZ\x90\x00"), make([]byte, 100)...)},
		{"TIFF", "x.jpg", []byte("II*\x00\x08\x00\x00\x00")},
		{"BMP", "x.jpg", append([]byte("BM"), make([]byte, 60)...)},
		{"PDF not at the start", "x.pdf", append([]byte("garbage\n"), pdfBytes()...)},
	}
	for _, tt := range refused {
		t.Run("Refuses "+tt.name, func(t *testing.T) {
			_, err := s.Save(t.Context(), tt.file, bytes.NewReader(tt.data))
			wantError(t, err, biebplein.CodeInvalid, "error.file_type_unsupported")
		})
	}
	wantNoTemps(t, s.dir)
}

func TestIsWebM(t *testing.T) {
	if !isWebM(webmBytes("webm")) {
		t.Error("webm not recognised")
	}
	for _, b := range [][]byte{
		webmBytes("matroska"),
		{0x1A, 0x45, 0xDF, 0xA3},
		{0x1A, 0x45, 0xDF, 0xA3, 0x00},
		{0x1A, 0x45, 0xDF, 0xA3, 0x85, 0x42, 0x82, 0x88, 'w', 'e'}, // size past the end
	} {
		if isWebM(b) {
			t.Errorf("isWebM(% x) = true", b)
		}
	}
}
