package media

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"time"

	"github.com/biebplein/biebplein"
	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/math/f64"
	"golang.org/x/image/riff"
	"golang.org/x/image/vp8"
	"golang.org/x/image/vp8l"
	"golang.org/x/image/webp"
)

// Encoding settings. Quality 85 keeps photos looking as they did at about a third of the
// size of quality 100; thumbnails are small and may be rougher.
const (
	jpegQuality  = 85
	thumbQuality = 80
	thumbMax     = 480 // pixels on the long side
)

// saveImage reads an image upload, checks its size and dimensions, and stores it encoded
// again (without metadata, turned upright) with a thumbnail.
func (s *Store) saveImage(ctx context.Context, name string, f *format, r io.Reader, limit int64) (*File, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, readError(err)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(KindImage)
	}

	// Decoding takes memory in proportion to the pixels: only a few images at a time.
	select {
	case s.decoders <- struct{}{}:
		defer func() { <-s.decoders }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}

	if err := s.checkDimensions(f, data); err != nil {
		return nil, err
	}
	img, err := decodeImage(f, data)
	if err != nil {
		return nil, err
	}
	img = orient(img, orientation(f, data))

	// JPEG stays JPEG; PNG and GIF become PNG (lossless; of a GIF only the first frame);
	// WebP becomes JPEG unless it has transparency, which JPEG cannot hold.
	out := fmtPNG
	if f == fmtJPEG || f == fmtWebP && opaque(img) {
		out = fmtJPEG
	}

	file := &File{
		ID:          biebplein.NewID(time.Now()),
		Kind:        KindImage,
		ContentType: out.contentType,
		Name:        CleanName(name, out.exts),
		Width:       img.Bounds().Dx(),
		Height:      img.Bounds().Dy(),
		HasThumb:    true,
	}

	// The thumbnail goes into place first, so that a stored image always has one.
	thumb := thumbnail(img)
	if _, _, err := s.writeFile(s.path(file.ID, true), func(w io.Writer) error {
		if opaque(thumb) {
			return jpeg.Encode(w, thumb, &jpeg.Options{Quality: thumbQuality})
		}
		return png.Encode(w, thumb)
	}); err != nil {
		return nil, err
	}
	file.Size, file.SHA256, err = s.writeFile(s.path(file.ID, false), func(w io.Writer) error {
		if out == fmtJPEG {
			return jpeg.Encode(w, img, &jpeg.Options{Quality: jpegQuality})
		}
		return png.Encode(w, img)
	})
	if err != nil {
		os.Remove(s.path(file.ID, true))
		return nil, err
	}
	return file, nil
}

// writeFile writes a new file at path through a temporary file and returns its size and
// SHA-256. The encoders write nothing but pixels, so encode can only fail on the disk.
func (s *Store) writeFile(path string, encode func(io.Writer) error) (int64, string, error) {
	tmp, err := s.createTemp()
	if err != nil {
		return 0, "", err
	}
	defer tmp.discard()

	hash := sha256.New()
	cw := &countWriter{w: io.MultiWriter(tmp, hash)}
	bw := bufio.NewWriterSize(cw, 64<<10)
	if err := encode(bw); err != nil {
		return 0, "", storageError("write", err)
	}
	if err := bw.Flush(); err != nil {
		return 0, "", storageError("write", err)
	}
	if err := tmp.commit(path); err != nil {
		return 0, "", err
	}
	return cw.n, hex.EncodeToString(hash.Sum(nil)), nil
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// checkDimensions refuses an image whose header claims more pixels than the limits allow,
// before any pixel is decoded: a few kilobytes can claim a picture that needs gigabytes.
func (s *Store) checkDimensions(f *format, data []byte) error {
	var cfg image.Config
	var err error
	switch f {
	case fmtJPEG:
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(data))
	case fmtPNG:
		cfg, err = png.DecodeConfig(bytes.NewReader(data))
	case fmtGIF:
		cfg, err = gif.DecodeConfig(bytes.NewReader(data))
	case fmtWebP:
		cfg, err = webpConfig(data)
	default:
		err = errors.New("not an image")
	}
	if err != nil {
		if biebplein.ErrorCode(err) == biebplein.CodeInvalid {
			return err
		}
		return invalid("error.image_corrupt")
	}
	w, h := int64(cfg.Width), int64(cfg.Height)
	if w <= 0 || h <= 0 {
		return invalid("error.image_corrupt")
	}
	if w > int64(s.limits.MaxDimension) || h > int64(s.limits.MaxDimension) || w*h > int64(s.limits.MaxPixels) {
		return invalid("error.image_too_large_dimensions")
	}
	return nil
}

// webpConfig returns the size of a WebP image. webp.DecodeConfig reports the canvas of an
// extended file, while the decoder allocates for the size in the frame's own header: a
// 1×1 canvas could hide a 16383×16383 frame. So this walks the chunks as the decoder does
// and requires the two to agree. Animated WebP is not supported by the decoder.
func webpConfig(data []byte) (image.Config, error) {
	cfg, err := webp.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return cfg, err
	}
	form, chunks, err := riff.NewReader(bytes.NewReader(data))
	if err != nil || form != (riff.FourCC{'W', 'E', 'B', 'P'}) {
		return cfg, errors.New("webp: not a WebP file")
	}
	for {
		id, size, chunk, err := chunks.Next()
		if err != nil {
			return cfg, err
		}
		var w, h int
		switch string(id[:]) {
		case "VP8X":
			var head [10]byte
			if _, err := io.ReadFull(chunk, head[:]); err != nil {
				return cfg, err
			}
			if head[0]&0x02 != 0 {
				return cfg, invalid("error.file_type_unsupported") // animated
			}
			continue
		case "VP8 ":
			d := vp8.NewDecoder()
			d.Init(chunk, int(size))
			fh, err := d.DecodeFrameHeader()
			if err != nil {
				return cfg, err
			}
			w, h = fh.Width, fh.Height
		case "VP8L":
			c, err := vp8l.DecodeConfig(chunk)
			if err != nil {
				return cfg, err
			}
			w, h = c.Width, c.Height
		default:
			continue
		}
		if w != cfg.Width || h != cfg.Height {
			return cfg, errors.New("webp: frame and canvas differ in size")
		}
		return cfg, nil
	}
}

// decodeImage decodes an image whose dimensions have been checked. The decoders read
// untrusted bytes; should one of them panic, the image counts as corrupt.
func decodeImage(f *format, data []byte) (img image.Image, err error) {
	defer func() {
		if recover() != nil {
			img, err = nil, invalid("error.image_corrupt")
		}
	}()
	r := bytes.NewReader(data)
	switch f {
	case fmtJPEG:
		img, err = jpeg.Decode(r)
	case fmtPNG:
		img, err = png.Decode(r)
	case fmtGIF:
		img, err = decodeGIF(data)
	case fmtWebP:
		img, err = webp.Decode(r)
	default:
		err = errors.New("not an image")
	}
	if err != nil {
		return nil, invalid("error.image_corrupt")
	}
	return img, nil
}

// decodeGIF decodes the first frame of a GIF and places it on the GIF's canvas, as a
// browser shows it before any animation.
func decodeGIF(data []byte) (image.Image, error) {
	cfg, err := gif.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	frame, err := gif.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	canvas := image.Rect(0, 0, cfg.Width, cfg.Height)
	if frame.Bounds() == canvas {
		return frame, nil
	}
	m := image.NewNRGBA(canvas)
	draw.Draw(m, frame.Bounds(), frame, frame.Bounds().Min, draw.Src)
	return m, nil
}

// opaque reports whether every pixel of m is fully opaque.
func opaque(m image.Image) bool {
	if o, ok := m.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// orient turns and flips m as the EXIF orientation o says, so that it is upright with the
// tag dropped. Orientations 5 to 8 swap width and height.
func orient(m image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return m
	}
	// Each orientation is an affine map from m to the upright image, {a, b, c, d, e, f}
	// taking (x, y) to (a·x + b·y + c, d·x + e·y + f), where pixel (i, j) covers the square
	// from (i, j) to (i+1, j+1): then every pixel centre lands on a pixel centre.
	b := m.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	t := map[int]f64.Aff3{
		2: {-1, 0, w, 0, 1, 0},  // mirrored left to right
		3: {-1, 0, w, 0, -1, h}, // turned half round
		4: {1, 0, 0, 0, -1, h},  // mirrored top to bottom
		5: {0, 1, 0, 1, 0, 0},   // mirrored along the diagonal from the top left
		6: {0, -1, h, 1, 0, 0},  // to be turned a quarter clockwise
		7: {0, -1, h, -1, 0, w}, // mirrored along the other diagonal
		8: {0, 1, 0, -1, 0, w},  // to be turned a quarter anticlockwise
	}[o]
	// Make the mapping start from m's own origin.
	x0, y0 := float64(b.Min.X), float64(b.Min.Y)
	t[2] -= t[0]*x0 + t[1]*y0
	t[5] -= t[3]*x0 + t[4]*y0

	size := b.Size()
	if o >= 5 {
		size = image.Pt(size.Y, size.X)
	}
	dst := image.NewRGBA(image.Rectangle{Max: size})
	xdraw.NearestNeighbor.Transform(dst, t, m, b, xdraw.Src, nil)
	return dst
}

// thumbnail returns m scaled to fit in thumbMax×thumbMax, or m itself when it fits.
func thumbnail(m image.Image) image.Image {
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= thumbMax && h <= thumbMax {
		return m
	}
	if w >= h {
		w, h = thumbMax, max(1, (h*thumbMax+w/2)/w)
	} else {
		w, h = max(1, (w*thumbMax+h/2)/h), thumbMax
	}
	// Catmull-Rom looks at every source pixel under its (widened) kernel: slow and memory
	// hungry for a photo of many megapixels. Averaging blocks first brings the source down
	// to two to four times the thumbnail cheaply, without the aliasing of skipping pixels.
	if k := min(b.Dx()/w, b.Dy()/h) / 2; k >= 2 {
		m = shrink(m, k)
		b = m.Bounds()
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.CatmullRom.Scale(dst, dst.Bounds(), m, b, xdraw.Src, nil)
	return dst
}

// shrink scales m down by the whole factor k, each new pixel the average of a k×k block
// (the last pixels of a row or column that fill no block are dropped). It converts k rows
// at a time, so a large image is never copied whole.
func shrink(m image.Image, k int) *image.RGBA {
	b := m.Bounds()
	w, h := b.Dx()/k, b.Dy()/k
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	strip := image.NewRGBA(image.Rect(0, 0, w*k, k))
	sums := make([]uint32, 4*w)
	n := uint32(k * k)
	for y := 0; y < h; y++ {
		draw.Draw(strip, strip.Bounds(), m, image.Pt(b.Min.X, b.Min.Y+y*k), draw.Src)
		clear(sums)
		for row := 0; row < k; row++ {
			pix := strip.Pix[row*strip.Stride : row*strip.Stride+4*w*k]
			for i := 0; i < len(pix); i += 4 {
				j := i / (4 * k) * 4
				sums[j] += uint32(pix[i])
				sums[j+1] += uint32(pix[i+1])
				sums[j+2] += uint32(pix[i+2])
				sums[j+3] += uint32(pix[i+3])
			}
		}
		out := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
		for i, v := range sums {
			out[i] = uint8((v + n/2) / n)
		}
	}
	return dst
}
