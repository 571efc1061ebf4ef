package media

import (
	"bytes"
	"encoding/binary"
)

// orientation returns the EXIF orientation (1 to 8) of an image file, 1 when it has none.
// Cameras store a photo as the sensor saw it and record in this tag how to turn it; since
// re-encoding drops the tag, the turn is applied to the pixels instead.
func orientation(f *format, data []byte) int {
	var exif []byte
	switch f {
	case fmtJPEG:
		exif = jpegEXIF(data)
	case fmtPNG:
		exif = pngEXIF(data)
	case fmtWebP:
		exif = webpEXIF(data)
	}
	return exifOrientation(exif)
}

var exifHeader = []byte("Exif\x00\x00")

// jpegEXIF returns the content of the first APP1 segment holding EXIF, or nil. Metadata
// segments all come before the first scan.
func jpegEXIF(b []byte) []byte {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return nil
	}
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xFF {
			return nil
		}
		marker := b[i+1]
		switch {
		case marker == 0xFF: // fill byte
			i++
			continue
		case marker == 0x01 || marker >= 0xD0 && marker <= 0xD8: // markers without a length
			i += 2
			continue
		case marker == 0xDA || marker == 0xD9: // start of scan, end of image
			return nil
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return nil
		}
		if seg := b[i+4 : i+2+n]; marker == 0xE1 && bytes.HasPrefix(seg, exifHeader) {
			return seg
		}
		i += 2 + n
	}
	return nil
}

// pngEXIF returns the content of the eXIf chunk, which must come before the image data, or
// nil.
func pngEXIF(b []byte) []byte {
	for i := 8; i+8 <= len(b); {
		n := int64(binary.BigEndian.Uint32(b[i:]))
		typ := string(b[i+4 : i+8])
		if typ == "IDAT" || n > int64(len(b)-i-12) {
			return nil
		}
		if typ == "eXIf" {
			return b[i+8 : i+8+int(n)]
		}
		i += 12 + int(n)
	}
	return nil
}

// webpEXIF returns the content of the EXIF chunk of a WebP file, or nil.
func webpEXIF(b []byte) []byte {
	for i := 12; i+8 <= len(b); {
		n := int64(binary.LittleEndian.Uint32(b[i+4:]))
		if n > int64(len(b)-i-8) {
			return nil
		}
		if string(b[i:i+4]) == "EXIF" {
			return b[i+8 : i+8+int(n)]
		}
		i += 8 + int(n) + int(n&1) // chunks are padded to an even length
	}
	return nil
}

// exifOrientation reads the Orientation tag (0x0112) from the first IFD of an EXIF block: a
// TIFF structure, with or without the "Exif\0\0" header. It returns 1 when the tag is
// missing or invalid.
func exifOrientation(b []byte) int {
	b = bytes.TrimPrefix(b, exifHeader)
	if len(b) < 8 {
		return 1
	}
	var order binary.ByteOrder
	switch string(b[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return 1
	}
	if order.Uint16(b[2:]) != 42 {
		return 1
	}
	ifd := int64(order.Uint32(b[4:]))
	if ifd+2 > int64(len(b)) {
		return 1
	}
	count := int64(order.Uint16(b[ifd:]))
	for i := int64(0); i < count; i++ {
		e := ifd + 2 + 12*i
		if e+12 > int64(len(b)) {
			return 1
		}
		const tagOrientation, typeShort = 0x0112, 3
		if order.Uint16(b[e:]) == tagOrientation && order.Uint16(b[e+2:]) == typeShort {
			if v := int(order.Uint16(b[e+8:])); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}
