//! Cutting text by bytes without splitting a character: for bounds given in bytes (protocol
//! lines, URLs, email parts). Cutting by characters and marking cuts stay with their callers.

/// The largest character boundary of `s` at or below `max` (`s.len()` when `s` is shorter).
pub fn floor_boundary(s: &str, max: usize) -> usize {
    if max >= s.len() {
        return s.len();
    }
    let mut end = max;
    // Bounded: a UTF-8 character is at most four bytes, and 0 is a boundary.
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    end
}

/// `text` cut to at most `max` bytes, on a character boundary.
pub fn cut(mut text: String, max: usize) -> String {
    text.truncate(floor_boundary(&text, max));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_fall_between_characters() {
        // 終 is three bytes.
        assert_eq!(floor_boundary("a終b", 2), 1);
        assert_eq!(floor_boundary("a終b", 4), 4);
        assert_eq!(floor_boundary("ab", 10), 2);
        assert_eq!(floor_boundary("終", 0), 0);
        assert_eq!(cut("a終b".to_string(), 3), "a");
        assert_eq!(cut("abc".to_string(), 3), "abc");
    }
}
