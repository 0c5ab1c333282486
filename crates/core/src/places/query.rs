//! The text of a "near" field: a point ("44.75, 5.37"), a postcode
//! ("26150"), a name ("Die", "saint jean"), or a name with its postcode
//! as the suggestions show it ("Die (26150)").

use super::{is_point, is_postcode, search_key};

#[derive(Debug, Clone, PartialEq)]
pub enum NearText {
    Point {
        latitude: f64,
        longitude: f64,
    },
    /// A postcode, and the search key of the name typed beside it (may be
    /// empty).
    Postcode {
        postcode: String,
        name: String,
    },
    /// The search key of a name.
    Name(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NearError {
    /// Nothing to look for.
    Empty,
    /// Numbers that make no point on the Earth.
    NotAPoint,
}

/// What `text` asks for.
pub fn read(text: &str) -> Result<NearText, NearError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(NearError::Empty);
    }
    let numbers = text.chars().all(|c| c.is_ascii_digit() || ".,;-+ \t".contains(c));
    if numbers && !is_postcode(text) && text.chars().any(|c| c.is_ascii_digit()) {
        return read_point(text).ok_or(NearError::NotAPoint);
    }
    let key = search_key(text);
    let mut postcode = None;
    let mut name = Vec::new();
    for word in key.split(' ') {
        match postcode {
            None if is_postcode(word) => postcode = Some(word.to_owned()),
            _ => name.push(word),
        }
    }
    let name = name.join(" ");
    match postcode {
        Some(postcode) => Ok(NearText::Postcode { postcode, name }),
        None if name.is_empty() => Err(NearError::Empty),
        None => Ok(NearText::Name(name)),
    }
}

/// "44.75, 5.37", "44.75;5.37", "44.75 5.37", or with decimal commas
/// "44,75; 5,37" and "44,75, 5,37".
fn read_point(text: &str) -> Option<NearText> {
    let (a, b) = if let Some(pair) = text.split_once(';') {
        pair
    } else if text.matches(',').count() == 1 {
        text.split_once(',')?
    } else if let Some(pair) = text.split_once(", ") {
        pair
    } else {
        text.split_once(char::is_whitespace)?
    };
    let number = |s: &str| s.trim().replace(',', ".").parse::<f64>().ok();
    let (latitude, longitude) = (number(a)?, number(b)?);
    is_point(latitude, longitude).then_some(NearText::Point { latitude, longitude })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(latitude: f64, longitude: f64) -> Result<NearText, NearError> {
        Ok(NearText::Point { latitude, longitude })
    }

    #[test]
    fn points_in_the_usual_spellings() {
        assert_eq!(read("44.75, 5.37"), point(44.75, 5.37));
        assert_eq!(read(" 44.75;5.37 "), point(44.75, 5.37));
        assert_eq!(read("44,75; 5,37"), point(44.75, 5.37));
        assert_eq!(read("44,75, 5,37"), point(44.75, 5.37));
        assert_eq!(read("-33.9 151.2"), point(-33.9, 151.2));
        assert_eq!(read("91, 5"), Err(NearError::NotAPoint));
        assert_eq!(read("12"), Err(NearError::NotAPoint));
    }

    #[test]
    fn postcodes_and_names() {
        let postcode = |p: &str, n: &str| Ok(NearText::Postcode { postcode: p.into(), name: n.into() });
        assert_eq!(read("26150"), postcode("26150", ""));
        assert_eq!(read("Die (26150)"), postcode("26150", "die"));
        assert_eq!(read("26150 Die"), postcode("26150", "die"));
        assert_eq!(read("Saint-Jean"), Ok(NearText::Name("saint jean".into())));
        assert_eq!(read("  DIE "), Ok(NearText::Name("die".into())));
        assert_eq!(read("   "), Err(NearError::Empty));
        assert_eq!(read("--"), Err(NearError::Empty));
    }
}
