use super::*;

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    // Left half red, right half blue: which way the picture points shows.
    let picture = image::RgbImage::from_fn(w, h, |x, _| {
        if x < w / 2 {
            image::Rgb([255, 0, 0])
        } else {
            image::Rgb([0, 0, 255])
        }
    });
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90)
        .write_image(picture.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

/// `jpeg` with an EXIF block saying "rotate 90° clockwise to show" and a
/// GPS position, as a phone held sideways writes it.
fn sideways_with_exif(w: u32, h: u32) -> Vec<u8> {
    let plain = jpeg(w, h);
    let mut tiff = b"II*\0\x08\0\0\0".to_vec();
    // IFD0: two entries, orientation = 6 and a GPS IFD pointer.
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]);
    tiff.extend_from_slice(&[0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0]);
    tiff.extend_from_slice(&0u32.to_le_bytes());
    // GPS IFD at 38: latitude reference "N".
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&[0x01, 0x00, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0]);
    tiff.extend_from_slice(&0u32.to_le_bytes());
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&u16::try_from(app1.len() + 2).unwrap().to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&plain[2..]);
    out
}

fn decode(bytes: &[u8]) -> DynamicImage {
    image::load_from_memory(bytes).unwrap()
}

#[test]
fn a_sideways_photo_is_turned_upright_and_loses_its_metadata() {
    let source = sideways_with_exif(80, 40);
    assert!(source.windows(4).any(|w| w == b"Exif"));
    let done = process(&source, &Limits::default()).unwrap();
    assert_eq!((done.file.width, done.file.height), (40, 80));
    let upright = decode(&done.file.bytes).to_rgb8();
    // Turned clockwise: the red left half is now on top.
    assert!(upright.get_pixel(20, 10).0[0] > 200, "{:?}", upright.get_pixel(20, 10));
    assert!(upright.get_pixel(20, 70).0[2] > 200);
    for bytes in [&done.file.bytes, &done.preview.bytes] {
        assert!(!bytes.windows(4).any(|w| w == b"Exif"));
        assert!(!bytes.windows(2).any(|w| w == [0xFF, 0xE1]), "no APP1 segment left");
    }
    assert_eq!(done.file.content_type, "image/jpeg");
    assert!(!done.blurhash.is_empty());
}

#[test]
fn large_pictures_are_downscaled_and_previewed() {
    let done = process(&jpeg(4000, 3000), &Limits::default()).unwrap();
    let pixels = u64::from(done.file.width) * u64::from(done.file.height);
    assert!(pixels <= 3840 * 2160 && pixels > 3800 * 2100, "{}x{}", done.file.width, done.file.height);
    assert_eq!((done.preview.width, done.preview.height), (640, 480));
    assert_eq!(decode(&done.preview.bytes).width(), 640);
}

#[test]
fn transparency_is_kept_as_png() {
    let picture =
        image::RgbaImage::from_fn(30, 20, |x, _| image::Rgba([0, 128, 0, if x < 10 { 0 } else { 255 }]));
    let mut png = Vec::new();
    PngEncoder::new(&mut png).write_image(picture.as_raw(), 30, 20, image::ExtendedColorType::Rgba8).unwrap();
    let done = process(&png, &Limits::default()).unwrap();
    assert_eq!(done.file.content_type, "image/png");
    assert_eq!(decode(&done.file.bytes).to_rgba8().get_pixel(0, 0).0[3], 0);
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = u32::MAX;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A PNG whose header says 10,000 × 10,000 pixels, a few bytes long.
fn bomb_header() -> Vec<u8> {
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    let mut chunk = b"IHDR".to_vec();
    chunk.extend_from_slice(&10_000u32.to_be_bytes());
    chunk.extend_from_slice(&10_000u32.to_be_bytes());
    chunk.extend_from_slice(&[8, 0, 0, 0, 0]);
    png.extend_from_slice(&13u32.to_be_bytes());
    png.extend_from_slice(&chunk);
    png.extend_from_slice(&crc32(&chunk).to_be_bytes());
    // The start of a zlib stream of zeros: the decoder would inflate
    // 100 MB from it.
    let mut idat = b"IDAT".to_vec();
    idat.extend_from_slice(&[0x78, 0x9C, 0xED, 0xC1, 0x01, 0x0D, 0x00, 0x00, 0x00, 0xC2, 0xA0]);
    png.extend_from_slice(&u32::try_from(idat.len() - 4).unwrap().to_be_bytes());
    png.extend_from_slice(&idat);
    png.extend_from_slice(&crc32(&idat).to_be_bytes());
    png
}

#[test]
fn a_decompression_bomb_is_refused_from_its_header() {
    let err = process(&bomb_header(), &Limits::default()).unwrap_err();
    assert_eq!(err, MediaError::TooManyPixels { pixels: 100_000_000, max: 64_000_000 });
}

#[test]
fn what_is_not_a_picture_is_refused_whatever_it_claims() {
    assert_eq!(process(b"<html><script>alert(1)</script>", &Limits::default()), Err(MediaError::Unsupported));
    assert_eq!(
        process(b"<svg xmlns='http://www.w3.org/2000/svg'/>", &Limits::default()),
        Err(MediaError::Unsupported)
    );
    // A JPEG cut at a third, as a failed transfer leaves it.
    let whole = jpeg(400, 300);
    assert_eq!(
        process(&whole[..whole.len() / 3], &Limits::default()),
        Err(MediaError::Unreadable("the JPEG is cut short".into()))
    );
    // A JPEG's first bytes and nothing after.
    assert!(matches!(
        process(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0], &Limits::default()),
        Err(MediaError::Unreadable(_))
    ));
    let small = Limits { max_bytes: 10, ..Limits::default() };
    assert_eq!(process(&jpeg(8, 8), &small), Err(MediaError::TooLarge(10)));
}

#[test]
fn gif_and_webp_are_read() {
    let mut gif = Vec::new();
    {
        let frame = image::Frame::new(image::RgbaImage::from_pixel(12, 6, image::Rgba([10, 20, 30, 255])));
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut gif);
        encoder.encode_frames(vec![frame.clone(), frame]).unwrap();
    }
    let done = process(&gif, &Limits::default()).unwrap();
    assert_eq!((done.source, done.file.width, done.file.height), (SourceFormat::Gif, 12, 6));
    let mut webp = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut webp)
        .write_image(&[200u8; 16 * 8 * 3], 16, 8, image::ExtendedColorType::Rgb8)
        .unwrap();
    let done = process(&webp, &Limits::default()).unwrap();
    assert_eq!((done.source, done.file.content_type), (SourceFormat::Webp, "image/jpeg"));
}
