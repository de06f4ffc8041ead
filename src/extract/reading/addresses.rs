//! Addresses in a sentence: web paths, store finders, email addresses, and carriers' self-service
//! portals written "My Something", which the lexicon then reads as online. Pure.

/// Does the text hold a web address without its scheme, with a path ("example.com/cancel")?
pub(super) fn has_web_path(text: &str) -> bool {
    // Most clauses hold no slash: one pass rules them out.
    text.contains('/')
        && text.split_whitespace().any(|w| {
            let Some((host, path)) = w.split_once('/') else {
                return false;
            };
            // A store finder's address ("find one at example.com/stores") leads to a shop.
            !STORE_FINDER.iter().any(|f| path.contains(f))
                && host.rsplit_once('.').is_some_and(|(name, tld)| {
                    name.chars()
                        .next_back()
                        .is_some_and(|c| c.is_ascii_alphanumeric())
                        && (2..=6).contains(&tld.len())
                        && tld.chars().all(|c| c.is_ascii_lowercase())
                })
        })
}

/// Words in an address's path that make it a store finder (round 30): "stores", "locations",
/// "store-locator", "find-a-shop", "outlets"; not "store" alone ("play.google.com/store/apps").
pub(super) const STORE_FINDER: [&str; 7] = [
    "stores",
    "locat",
    "find-a-",
    "findastore",
    "shops",
    "outlet",
    "retail",
];

/// Labels that an address follows, normalised: a page, a link, a source.
pub(super) const ADDRESS_LABELS: [&str; 10] = [
    "page", "link", "url", "source", "website", "site", "网址", "链接", "网页", "来源",
];

pub(super) fn ends_with_label(clause: &str) -> bool {
    let c = clause.trim_end_matches([' ', '\'', '"']);
    ADDRESS_LABELS.iter().any(|l| c.ends_with(l))
}

/// The web address a clause is, when it is that and nothing else (quotes and brackets aside).
pub(super) fn bare_address(clause: &str) -> Option<&str> {
    let c = clause.trim_matches([' ', '\'', '"', '<', '>', '{', '}', '[', ']']);
    (!c.contains(' ') && (c.starts_with("//") || c.starts_with("www.") || c.starts_with("http")))
        .then_some(c)
}

/// Does the text hold an email address (`name@host.tld`)? One pass over its `@`s.
pub(super) fn has_mail_address(text: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+');
    text.match_indices('@').any(|(at, _)| {
        let before = text[..at].chars().next_back().is_some_and(word);
        let rest = &text[at + 1..];
        let end = rest.find(|c: char| !word(c)).unwrap_or(rest.len());
        let host = rest[..end].trim_end_matches('.');
        before
            && host
                .rsplit_once('.')
                .is_some_and(|(name, tld)| !name.is_empty() && tld.len() >= 2)
    })
}

/// Words after which "My" and a capitalised name is a carrier's self-service portal ("through
/// My Kestrel", "in My Verizon", "log in to My Telstra"), not the reader's own thing ("My phone").
/// Not "the": "the My Kestrel Plus plan", "the My Phone Store" name a plan and a shop (the
/// read-through of round 38).
pub(super) const BEFORE_PORTAL: [&str; 12] = [
    "in", "into", "through", "via", "to", "on", "using", "from", "with", "open", "your", "our",
];

/// `sentence` with each portal named "My" and a brand written "my account", which the lexicon
/// knows as an online way (round 38's reviews: "We're unable to take notice through My
/// Kestrel", "end the plan online in My Thistle"; round 39's: "through MyMaplecell"). One
/// pass; a sentence without "My" is borrowed as it is.
pub(super) fn portal_named(sentence: &str) -> std::borrow::Cow<'_, str> {
    if !sentence.contains("My") {
        return std::borrow::Cow::Borrowed(sentence);
    }
    let mut out = String::with_capacity(sentence.len());
    let mut last = 0;
    for (at, _) in sentence.match_indices("My") {
        if at < last
            || sentence[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric())
        {
            continue;
        }
        let before = sentence[..at].trim_end();
        let word = before
            .rsplit(|c: char| !c.is_ascii_alphabetic())
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        // "My Kestrel" or "MyMaplecell": the brand after a space or joined on.
        let name_at = if sentence[at + 2..].starts_with(' ') {
            at + 3
        } else {
            at + 2
        };
        let name_len = sentence[name_at..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(sentence.len() - name_at);
        // A brand written small ("My csl", round 42) unless it is the reader's own thing.
        let capital = sentence[name_at..].chars().next().is_some_and(|c| {
            c.is_ascii_uppercase()
                || c.is_ascii_lowercase() && {
                    let name = sentence[name_at..name_at + name_len].to_ascii_lowercase();
                    !MY_OWN.contains(&name.as_str())
                }
        });
        let joined = &sentence[at..name_at + name_len];
        if capital
            && name_len > 0
            && BEFORE_PORTAL.contains(&word.as_str())
            && !NOT_PORTALS.contains(&joined)
        {
            out.push_str(&sentence[last..at]);
            out.push_str("my account");
            last = name_at + name_len;
        }
    }
    if last == 0 {
        return std::borrow::Cow::Borrowed(sentence);
    }
    out.push_str(&sentence[last..]);
    std::borrow::Cow::Owned(out)
}

/// Names that open with "My" and are no carrier's portal: identity cards and a state's data
/// service ("bring your MyKad").
pub(super) const NOT_PORTALS: [&str; 5] = ["MyKad", "MyKid", "MyPR", "MyTentera", "MyInfo"];

/// Words after "My " that name the reader's own things, not a portal written small.
pub(super) const MY_OWN: [&str; 55] = [
    "account",
    "accounts",
    "plan",
    "plans",
    "number",
    "numbers",
    "phone",
    "mobile",
    "contract",
    "line",
    "lines",
    "sim",
    "bill",
    "bills",
    "service",
    "services",
    "details",
    "data",
    "device",
    "home",
    "name",
    "own",
    "family",
    "order",
    "last",
    "current",
    "old",
    "new",
    "provider",
    "carrier",
    "network",
    "broadband",
    "internet",
    "email",
    "address",
    "card",
    "balance",
    "bank",
    "payment",
    "request",
    "notice",
    "behalf",
    "opinion",
    "experience",
    "case",
    "area",
    "country",
    "computer",
    "laptop",
    "tablet",
    "friend",
    "self",
    "way",
    "time",
    "life",
];
