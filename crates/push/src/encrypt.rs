//! Web Push message encryption (RFC 8291, over RFC 8188's `aes128gcm`
//! content coding): an ephemeral P-256 key agreed with the browser's key,
//! the browser's auth secret mixed in by HKDF, one record.

use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_128_GCM};
use aws_lc_rs::agreement::{agree, PrivateKey, UnparsedPublicKey, ECDH_P256};
use aws_lc_rs::hkdf::{KeyType, Salt, HKDF_SHA256};
use aws_lc_rs::rand::{SecureRandom, SystemRandom};

/// The record size announced in the header; one record carries any
/// payload we send (Mastodon's are well under 4 KiB).
const RECORD_SIZE: u32 = 4096;

struct Len(usize);

impl KeyType for Len {
    fn len(&self) -> usize {
        self.0
    }
}

fn hkdf(salt: &[u8], ikm: &[u8], info: &[u8], len: usize) -> Result<Vec<u8>, String> {
    let prk = Salt::new(HKDF_SHA256, salt).extract(ikm);
    let mut out = vec![0u8; len];
    let info = [info];
    prk.expand(&info, Len(len)).and_then(|okm| okm.fill(&mut out)).map_err(|_| "HKDF failed".to_owned())?;
    Ok(out)
}

/// Encrypts `plaintext` for the browser key `ua_public` (65 bytes) and
/// auth secret `auth` (16 bytes), with a new ephemeral key and salt.
pub fn encrypt(plaintext: &[u8], ua_public: &[u8], auth: &[u8]) -> Result<Vec<u8>, String> {
    let key = PrivateKey::generate(&ECDH_P256).map_err(|_| "cannot make a key")?;
    let mut salt = [0u8; 16];
    SystemRandom::new().fill(&mut salt).map_err(|_| "no randomness")?;
    encrypt_with(plaintext, ua_public, auth, &key, &salt)
}

/// [`encrypt`] with the application server's key and the salt given (the
/// RFC's example fixes both).
pub fn encrypt_with(
    plaintext: &[u8],
    ua_public: &[u8],
    auth: &[u8],
    as_key: &PrivateKey,
    salt: &[u8; 16],
) -> Result<Vec<u8>, String> {
    if plaintext.len() + 17 > RECORD_SIZE as usize {
        return Err("payload too large for one record".into());
    }
    let as_public = as_key.compute_public_key().map_err(|_| "cannot compute the public key")?;
    let as_public = as_public.as_ref().to_vec();
    let peer = UnparsedPublicKey::new(&ECDH_P256, ua_public);
    let ecdh = agree(as_key, peer, "the browser's key is not a P-256 point".to_owned(), |s| Ok(s.to_vec()))?;
    let mut key_info = b"WebPush: info\0".to_vec();
    key_info.extend_from_slice(ua_public);
    key_info.extend_from_slice(&as_public);
    let ikm = hkdf(auth, &ecdh, &key_info, 32)?;
    let cek = hkdf(salt, &ikm, b"Content-Encoding: aes128gcm\0", 16)?;
    let nonce = hkdf(salt, &ikm, b"Content-Encoding: nonce\0", 12)?;
    let mut record = plaintext.to_vec();
    record.push(2); // the last record's delimiter, no padding
    let key = LessSafeKey::new(UnboundKey::new(&AES_128_GCM, &cek).map_err(|_| "bad key")?);
    let nonce = Nonce::try_assume_unique_for_key(&nonce).map_err(|_| "bad nonce")?;
    key.seal_in_place_append_tag(nonce, Aad::empty(), &mut record).map_err(|_| "cannot encrypt")?;
    let mut body = Vec::with_capacity(16 + 4 + 1 + as_public.len() + record.len());
    body.extend_from_slice(salt);
    body.extend_from_slice(&RECORD_SIZE.to_be_bytes());
    body.push(as_public.len() as u8);
    body.extend_from_slice(&as_public);
    body.extend_from_slice(&record);
    Ok(body)
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    use super::*;

    fn b64(s: &str) -> Vec<u8> {
        URL_SAFE_NO_PAD.decode(s).unwrap_or_default()
    }

    #[test]
    fn the_example_of_rfc_8291_appendix_a() {
        let as_key =
            PrivateKey::from_private_key(&ECDH_P256, &b64("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"))
                .unwrap_or_else(|_| panic!("the RFC's key"));
        let ua_public =
            b64("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4");
        let salt: [u8; 16] = b64("DGv6ra1nlYgDCS1FRnbzlw").try_into().unwrap_or_default();
        let body = encrypt_with(
            b"When I grow up, I want to be a watermelon",
            &ua_public,
            &b64("BTBZMqHH6r4Tts7J_aSIgg"),
            &as_key,
            &salt,
        );
        assert_eq!(
            body.map(|b| URL_SAFE_NO_PAD.encode(b)).as_deref(),
            Ok("DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN")
        );
    }

    #[test]
    fn a_key_that_is_not_a_point_is_refused() {
        assert!(encrypt(b"x", &[4u8; 65], &[0u8; 16]).is_err());
    }
}
