//! Cutting text by bytes without splitting a character: for bounds given in bytes (protocol
//! lines, causes). Cutting by characters and marking cuts stay with their callers; a cut of a
//! borrowed `str` is `str::floor_char_boundary`.

/// `text` cut to at most `max` bytes, on a character boundary.
pub fn cut(mut text: String, max: usize) -> String {
    text.truncate(text.floor_char_boundary(max));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_fall_between_characters() {
        // 終 is three bytes. The callers rely on std's boundary below `max`, and on `len` when
        // the text is shorter.
        assert_eq!("a終b".floor_char_boundary(2), 1);
        assert_eq!("a終b".floor_char_boundary(4), 4);
        assert_eq!("ab".floor_char_boundary(10), 2);
        assert_eq!("終".floor_char_boundary(0), 0);
        assert_eq!(cut("a終b".to_string(), 3), "a");
        assert_eq!(cut("abc".to_string(), 3), "abc");
    }
}
