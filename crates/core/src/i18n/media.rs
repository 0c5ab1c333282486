//! Photos: the gallery, thumbnails and the photo fields of forms.

pub(super) const MEDIA: &[(&str, &str, &str)] = &[
    ("photos", "Photos", "Photos"),
    ("photo_full", "Voir la photo en grand", "See the photo full size"),
    ("f_photos", "Photos (jusqu'à 8)", "Photos (up to 8)"),
    (
        "f_photos_hint",
        "JPEG, PNG, WebP ou GIF, {} Mo au plus chacune. Décrivez chaque photo pour qui ne peut pas la voir.",
        "JPEG, PNG, WebP or GIF, at most {} MB each. Describe each photo for those who cannot see it.",
    ),
    ("f_photo_new", "Ajouter une photo", "Add a photo"),
    ("f_photo_more", "Plus de photos", "More photos"),
    ("f_photo_alt", "Description (texte alternatif)", "Description (alt text)"),
    ("f_photo_position", "Ordre", "Order"),
    ("f_photo_remove", "Retirer cette photo", "Remove this photo"),
    (
        "lerr_photo",
        "Ce fichier n'a pas pu être gardé : une photo JPEG, PNG, WebP ou GIF de {} Mo et {} millions de pixels au plus.",
        "This file could not be kept: a JPEG, PNG, WebP or GIF photo of at most {} MB and {} million pixels.",
    ),
    ("lerr_photos", "8 photos au plus.", "At most 8 photos."),
    ("upload_too_large_title", "Envoi trop lourd", "Too much to send"),
    (
        "upload_too_large",
        "Ce formulaire est plus lourd que ce que ce nœud accepte. Choisissez des photos plus légères ou moins nombreuses.",
        "This form is heavier than this node accepts. Choose lighter or fewer photos.",
    ),
    ("form_unreadable_title", "Formulaire illisible", "Unreadable form"),
    ("form_unreadable", "Ce formulaire n'a pas pu être lu. Réessayez depuis la page.", "This form could not be read. Try again from the page."),
];
