package media

import (
	"bytes"
	"encoding/binary"
	"io"
)

// xmpUUID marks the "uuid" box in which Adobe tools put XMP metadata.
var xmpUUID = []byte{0xBE, 0x7A, 0xCF, 0xCB, 0x97, 0xA9, 0x42, 0xE8, 0x9C, 0x71, 0x99, 0x94, 0x91, 0xE3, 0xAF, 0xAC}

// mp4File is what scrubMP4 needs of the stored file.
type mp4File interface {
	io.ReaderAt
	io.WriterAt
}

// scrubMP4 removes the metadata of an MP4 file: the "udta" and "meta" boxes (where phones
// record the place of recording, the device and the software) and XMP "uuid" boxes, at the
// top level, in "moov" and in each "trak". Each becomes a "free" box, which every player
// skips, filled with zeros; since no size changes, the sample offsets in the file stay
// valid and playback is untouched. A malformed box ends the walk, keeping the rest of the
// file as it is. It reports whether anything changed.
func scrubMP4(f mp4File, size int64) (bool, error) {
	return scrubBoxes(f, 0, size, 0)
}

// scrubBoxes walks the boxes between start and end; depth is 0 at the top level.
func scrubBoxes(f mp4File, start, end int64, depth int) (bool, error) {
	changed := false
	var head [32]byte
	for off := start; end-off >= 8; {
		n, err := f.ReadAt(head[:min(int64(len(head)), end-off)], off)
		if err != nil && err != io.EOF {
			return changed, err
		}
		if n < 8 {
			return changed, nil
		}
		b := head[:n]
		size, headLen := int64(binary.BigEndian.Uint32(b)), int64(8)
		switch size {
		case 0: // to the end of the file
			size = end - off
		case 1: // 64-bit size after the type
			if len(b) < 16 {
				return changed, nil
			}
			size, headLen = int64(binary.BigEndian.Uint64(b[8:])), 16
		}
		if size < headLen || size > end-off {
			return changed, nil
		}
		switch typ := string(b[4:8]); {
		case typ == "udta" || typ == "meta" ||
			typ == "uuid" && int64(len(b)) >= headLen+16 && bytes.Equal(b[headLen:headLen+16], xmpUUID):
			if err := blank(f, off, headLen, size); err != nil {
				return changed, err
			}
			changed = true
		case (typ == "moov" && depth == 0) || (typ == "trak" && depth == 1):
			c, err := scrubBoxes(f, off+headLen, off+size, depth+1)
			changed = changed || c
			if err != nil {
				return changed, err
			}
		}
		off += size
	}
	return changed, nil
}

// blank turns the box at off into a "free" box of zeros, keeping its header (the size).
func blank(f mp4File, off, headLen, size int64) error {
	if _, err := f.WriteAt([]byte("free"), off+4); err != nil {
		return err
	}
	zeros := make([]byte, min(size-headLen, 64<<10))
	for at := off + headLen; at < off+size; at += int64(len(zeros)) {
		n := min(int64(len(zeros)), off+size-at)
		if _, err := f.WriteAt(zeros[:n], at); err != nil {
			return err
		}
	}
	return nil
}
