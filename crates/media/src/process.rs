//! A picture as it is kept: checked before it is decoded, turned upright
//! by its EXIF orientation, re-encoded without any metadata, downscaled to
//! the node's limit, with a small preview and a blurhash.

use std::io::Cursor;

use fast_image_resize::images::Image;
use fast_image_resize::{PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageFormat, ImageReader};

/// What a node accepts and produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest upload, in bytes.
    pub max_bytes: usize,
    /// Largest picture accepted, in pixels (width × height), read from the
    /// file's header before anything is decoded.
    pub max_pixels: u64,
    /// Pictures above this many pixels are downscaled to it (3840×2160).
    pub keep_pixels: u64,
    /// The preview's longest side.
    pub preview_side: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 16 * 1024 * 1024,
            max_pixels: 64_000_000,
            keep_pixels: 3840 * 2160,
            preview_side: 640,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    #[error("The file is larger than {0} bytes")]
    TooLarge(usize),
    #[error("The file is not a picture this node accepts (JPEG, PNG, WebP or GIF)")]
    Unsupported,
    #[error("The picture has {pixels} pixels, more than the {max} this node accepts")]
    TooManyPixels { pixels: u64, max: u64 },
    #[error("The picture could not be read: {0}")]
    Unreadable(String),
}

/// The formats accepted, told by their first bytes, never by a name or a
/// type the sender declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    Jpeg,
    Png,
    Webp,
    Gif,
}

impl SourceFormat {
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        match bytes {
            [0xFF, 0xD8, 0xFF, ..] => Some(SourceFormat::Jpeg),
            [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(SourceFormat::Png),
            [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Some(SourceFormat::Gif),
            [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some(SourceFormat::Webp),
            _ => None,
        }
    }

    fn image_format(self) -> ImageFormat {
        match self {
            SourceFormat::Jpeg => ImageFormat::Jpeg,
            SourceFormat::Png => ImageFormat::Png,
            SourceFormat::Webp => ImageFormat::WebP,
            SourceFormat::Gif => ImageFormat::Gif,
        }
    }
}

/// One encoded picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub extension: &'static str,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    pub file: Encoded,
    pub preview: Encoded,
    pub blurhash: String,
    pub source: SourceFormat,
}

/// Width and height from the header alone.
pub fn dimensions(bytes: &[u8]) -> Result<(SourceFormat, u32, u32), MediaError> {
    let format = SourceFormat::sniff(bytes).ok_or(MediaError::Unsupported)?;
    let (w, h) = ImageReader::with_format(Cursor::new(bytes), format.image_format())
        .into_dimensions()
        .map_err(|e| MediaError::Unreadable(e.to_string()))?;
    Ok((format, w, h))
}

pub fn process(bytes: &[u8], limits: &Limits) -> Result<Processed, MediaError> {
    if bytes.len() > limits.max_bytes {
        return Err(MediaError::TooLarge(limits.max_bytes));
    }
    let (format, w, h) = dimensions(bytes)?;
    // A JPEG cut short (a transfer that failed) decodes with a grey bottom
    // rather than an error: it must end with its end-of-image marker, which
    // entropy-coded data cannot contain (0xFF is escaped there).
    if format == SourceFormat::Jpeg
        && !bytes[bytes.len().saturating_sub(8192)..].windows(2).any(|w| w == [0xFF, 0xD9])
    {
        return Err(MediaError::Unreadable("the JPEG is cut short".into()));
    }
    let pixels = u64::from(w) * u64::from(h);
    if pixels > limits.max_pixels || w == 0 || h == 0 {
        return Err(MediaError::TooManyPixels { pixels, max: limits.max_pixels });
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.image_format());
    let mut decoder_limits = image::Limits::default();
    decoder_limits.max_image_width = Some(w);
    decoder_limits.max_image_height = Some(h);
    // The picture itself (at most 16 bytes a pixel) and the decoder's own
    // buffers: a file whose frames claim more is refused while decoding.
    decoder_limits.max_alloc = Some(pixels.saturating_mul(16).saturating_add(64 * 1024 * 1024));
    reader.limits(decoder_limits);
    let unreadable = |e: image::ImageError| MediaError::Unreadable(e.to_string());
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    // For a GIF this is its first frame.
    let mut picture = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    picture.apply_orientation(orientation);

    let opaque = is_opaque(&picture);
    let (fw, fh) = fit_pixels(picture.width(), picture.height(), limits.keep_pixels);
    let file_pixels = resized(&picture, opaque, fw, fh)?;
    let (pw, ph) = fit_side(fw, fh, limits.preview_side);
    let preview_pixels = resized(&file_pixels, opaque, pw, ph)?;
    let (bw, bh) = fit_side(pw, ph, 64);
    let tiny = resized(&preview_pixels, false, bw, bh)?.to_rgba8();
    let (cx, cy) = if bw >= bh { (4, 3) } else { (3, 4) };
    let blurhash =
        blurhash::encode(cx, cy, bw, bh, tiny.as_raw()).map_err(|e| MediaError::Unreadable(e.to_string()))?;
    Ok(Processed {
        file: encode(&file_pixels, opaque)?,
        preview: encode(&preview_pixels, opaque)?,
        blurhash,
        source: format,
    })
}

fn is_opaque(picture: &DynamicImage) -> bool {
    if !picture.color().has_alpha() {
        return true;
    }
    picture.to_rgba8().pixels().all(|p| p.0[3] == u8::MAX)
}

/// The largest size of the same shape within `max` pixels.
fn fit_pixels(w: u32, h: u32, max: u64) -> (u32, u32) {
    let pixels = u64::from(w) * u64::from(h);
    if pixels <= max {
        return (w, h);
    }
    let scale = (max as f64 / pixels as f64).sqrt();
    scaled(w, h, scale)
}

/// The largest size of the same shape whose longest side is `side`.
fn fit_side(w: u32, h: u32, side: u32) -> (u32, u32) {
    let longest = w.max(h);
    if longest <= side {
        return (w, h);
    }
    scaled(w, h, f64::from(side) / f64::from(longest))
}

fn scaled(w: u32, h: u32, scale: f64) -> (u32, u32) {
    let s = |v: u32| ((f64::from(v) * scale).floor() as u32).max(1);
    (s(w), s(h))
}

fn resized(picture: &DynamicImage, opaque: bool, w: u32, h: u32) -> Result<DynamicImage, MediaError> {
    let (buffer, pixel_type, sw, sh) = if opaque {
        let rgb = picture.to_rgb8();
        let (sw, sh) = rgb.dimensions();
        (rgb.into_raw(), PixelType::U8x3, sw, sh)
    } else {
        let rgba = picture.to_rgba8();
        let (sw, sh) = rgba.dimensions();
        (rgba.into_raw(), PixelType::U8x4, sw, sh)
    };
    if (sw, sh) == (w, h) {
        return Ok(picture.clone());
    }
    let failed = |e: String| MediaError::Unreadable(e);
    let source = Image::from_vec_u8(sw, sh, buffer, pixel_type).map_err(|e| failed(e.to_string()))?;
    let mut target = Image::new(w, h, pixel_type);
    let options =
        ResizeOptions::new().resize_alg(ResizeAlg::Convolution(fast_image_resize::FilterType::Lanczos3));
    Resizer::new().resize(&source, &mut target, &options).map_err(|e| failed(e.to_string()))?;
    let raw = target.into_vec();
    let out = if opaque {
        image::RgbImage::from_raw(w, h, raw).map(DynamicImage::ImageRgb8)
    } else {
        image::RgbaImage::from_raw(w, h, raw).map(DynamicImage::ImageRgba8)
    };
    out.ok_or_else(|| failed("resized buffer of the wrong size".into()))
}

/// JPEG for opaque pictures, PNG for those with transparency. Neither
/// carries a byte of the original's metadata.
fn encode(picture: &DynamicImage, opaque: bool) -> Result<Encoded, MediaError> {
    let mut bytes = Vec::new();
    let (w, h) = (picture.width(), picture.height());
    let failed = |e: image::ImageError| MediaError::Unreadable(e.to_string());
    if opaque {
        let rgb = picture.to_rgb8();
        JpegEncoder::new_with_quality(&mut bytes, 85)
            .write_image(rgb.as_raw(), w, h, image::ExtendedColorType::Rgb8)
            .map_err(failed)?;
        Ok(Encoded { bytes, content_type: "image/jpeg", extension: "jpg", width: w, height: h })
    } else {
        let rgba = picture.to_rgba8();
        PngEncoder::new(&mut bytes)
            .write_image(rgba.as_raw(), w, h, image::ExtendedColorType::Rgba8)
            .map_err(failed)?;
        Ok(Encoded { bytes, content_type: "image/png", extension: "png", width: w, height: h })
    }
}

#[cfg(test)]
#[path = "process_tests.rs"]
mod tests;
