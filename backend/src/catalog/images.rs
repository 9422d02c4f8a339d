//! Item images: checked by their bytes (JPEG, PNG or WebP, at most
//! [`MAX_BYTES`]), stored under the media directory per tenant with a fresh
//! name, and served from `/media/` with long-lived cache headers (a changed
//! image gets a new name, so the old URL never needs revalidating).

use std::path::Path;

use pos_wire::{Role, UploadedImage};
use uuid::Uuid;

use crate::{
    auth::Actor,
    error::{Code, Error, Result},
};

pub const MAX_BYTES: usize = 2 * 1024 * 1024;
/// The largest upload request read at all (the admin's item form reads an
/// oversized image to its end to say so next to the field, keeping none of it).
pub const UPLOAD_LIMIT: usize = 4 * MAX_BYTES;

/// Creates the media directory if needed and proves this process can write
/// there, so a read-only or foreign-owned directory stops the server at start
/// with a clear message instead of failing each upload later.
pub fn prepare_media_dir(dir: &Path) -> anyhow::Result<()> {
    let hint =
        "set POS_MEDIA_DIR to a directory this user can write (the Docker image keeps a volume at /var/lib/pos/media)";
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create the media directory {}: {e}; {hint}", dir.display()))?;
    let probe = dir.join(format!(".write-test-{}", Uuid::now_v7().simple()));
    std::fs::write(&probe, b"")
        .and_then(|()| std::fs::remove_file(&probe))
        .map_err(|e| anyhow::anyhow!("cannot write to the media directory {}: {e}; {hint}", dir.display()))
}

/// The image type of `bytes` by their signature, if it is one we take.
pub fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", "jpg"))
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("image/png", "png"))
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(("image/webp", "webp"))
    } else {
        None
    }
}

/// Whether `actor` may upload images: owners only.
pub fn may_upload(actor: &Actor) -> Result<()> {
    actor.require_role(&[Role::Owner]).map(|_| ())
}

/// Stores an uploaded image for the actor's tenant. Owners only.
pub async fn store(media_dir: &Path, actor: &Actor, bytes: &[u8]) -> Result<UploadedImage> {
    may_upload(actor)?;
    if bytes.len() > MAX_BYTES {
        return Err(Error::PayloadTooLarge { limit: MAX_BYTES });
    }
    let (content_type, ext) = sniff(bytes).ok_or_else(|| Error::field("image", Code::ImageType))?;
    let dir = media_dir.join(actor.tenant_id.simple().to_string());
    tokio::fs::create_dir_all(&dir).await.map_err(|e| Error::internal(format!("media dir: {e}")))?;
    let name = format!("{}.{ext}", Uuid::now_v7().simple());
    let tmp = dir.join(format!(".{name}.part"));
    tokio::fs::write(&tmp, bytes).await.map_err(|e| Error::internal(format!("write image: {e}")))?;
    tokio::fs::rename(&tmp, dir.join(&name)).await.map_err(|e| Error::internal(format!("store image: {e}")))?;
    Ok(UploadedImage {
        url: format!("/media/{}/{name}", actor.tenant_id.simple()),
        content_type: content_type.into(),
        bytes: bytes.len() as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::{prepare_media_dir, sniff};
    use uuid::Uuid;

    #[test]
    fn media_dir_is_created_and_a_file_in_its_place_is_refused() {
        let root = std::env::temp_dir().join(format!("pos-media-test-{}", Uuid::now_v7().simple()));
        prepare_media_dir(&root.join("media")).unwrap();
        assert!(root.join("media").is_dir());
        assert_eq!(std::fs::read_dir(root.join("media")).unwrap().count(), 0, "the probe file is removed");
        std::fs::write(root.join("file"), b"").unwrap();
        let err = prepare_media_dir(&root.join("file")).unwrap_err().to_string();
        assert!(err.contains("POS_MEDIA_DIR"), "{err}");
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn sniffs_by_signature_not_name() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n....").map(|t| t.1), Some("png"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]).map(|t| t.1), Some("jpg"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 ").map(|t| t.1), Some("webp"));
        assert_eq!(sniff(b"<svg onload=alert(1)>"), None);
        assert_eq!(sniff(b"GIF89a"), None);
    }
}
