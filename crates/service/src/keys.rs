//! RSA-2048 key pairs for local actors, created with the actor. The private
//! key is stored (PKCS#8 PEM) to sign deliveries and fetches and is never
//! served; the public key (SPKI PEM) is published in the actor document.

use maillage_core::Error;
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::{RsaPrivateKey, RsaPublicKey};

#[derive(Clone)]
pub struct KeyPair {
    pub public_pem: String,
    pub private_pem: String,
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPair").field("public_pem", &self.public_pem).finish_non_exhaustive()
    }
}

pub fn generate_keypair() -> Result<KeyPair, Error> {
    let mut rng = rand::rngs::OsRng;
    let private = RsaPrivateKey::new(&mut rng, 2048).map_err(|e| Error::internal(e.to_string()))?;
    let public = RsaPublicKey::from(&private);
    let public_pem = public.to_public_key_pem(LineEnding::LF).map_err(|e| Error::internal(e.to_string()))?;
    let private_pem =
        private.to_pkcs8_pem(LineEnding::LF).map_err(|e| Error::internal(e.to_string()))?.to_string();
    Ok(KeyPair { public_pem, private_pem })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_pem_key_pairs() {
        let pair = generate_keypair().unwrap();
        assert!(pair.public_pem.starts_with("-----BEGIN PUBLIC KEY-----"));
        assert!(pair.private_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
        assert!(!format!("{pair:?}").contains("PRIVATE"), "Debug must not print the private key");
    }
}
