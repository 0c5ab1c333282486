//! Polls (ActivityStreams `Question`): their options and counts, and which
//! choices a vote may make.

use crate::error::Error;

/// Most options a poll is read with (Mastodon allows 4 by default; other
/// servers more).
pub const MAX_OPTIONS: usize = 20;
pub const MAX_OPTION_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PollOption {
    pub title: String,
    pub votes: i64,
}

/// The choices of a vote, checked: indexes of existing options, one unless
/// the poll takes several, none twice; not after the poll closed, not a
/// second time.
pub fn check_choices(
    choices: &[usize],
    options: usize,
    multiple: bool,
    closed: bool,
    voted: bool,
) -> Result<Vec<usize>, Error> {
    if closed {
        return Err(Error::unprocessable("Validation failed: The poll has already ended"));
    }
    if voted {
        return Err(Error::unprocessable("Validation failed: You have already voted on this poll"));
    }
    if choices.is_empty() {
        return Err(Error::unprocessable("Validation failed: choices can't be blank"));
    }
    if !multiple && choices.len() > 1 {
        return Err(Error::unprocessable("Validation failed: This poll takes a single choice"));
    }
    let mut picked = choices.to_vec();
    picked.sort_unstable();
    picked.dedup();
    if picked.len() != choices.len() || picked.iter().any(|c| *c >= options) {
        return Err(Error::unprocessable(
            "Validation failed: choices must name the poll's options, once each",
        ));
    }
    Ok(picked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_are_checked() {
        assert_eq!(check_choices(&[1], 3, false, false, false).unwrap(), vec![1]);
        assert_eq!(check_choices(&[2, 0], 3, true, false, false).unwrap(), vec![0, 2]);
        for (choices, multiple, closed, voted) in [
            (vec![], false, false, false),
            (vec![0, 1], false, false, false),
            (vec![3], false, false, false),
            (vec![1, 1], true, false, false),
            (vec![0], false, true, false),
            (vec![0], false, false, true),
        ] {
            assert!(check_choices(&choices, 3, multiple, closed, voted).is_err(), "{choices:?}");
        }
    }
}
