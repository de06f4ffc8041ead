//! What a clause leaves out before it is scanned: what it says need not be done ("without
//! porting your number", "you don't need to visit a store to cancel"), the account one logs into
//! (a place, not what is ended), where a plan was bought when that is only a modifier (…購買的),
//! a relative clause saying where a number is found, and what a pointer to more reading governs
//! ("for more information on the disconnection process"). Pure; each look is bounded by the
//! clause's length.

use crate::extract::lexicon::{Concept, Lexicon};

/// Account words replaced by [`without_login`], and what each becomes.
const LOGINS: [(&str, &str); 18] = [
    // The holder of an account is a person, not a place one logs into (round 27, en-6711:
    // "only the owner of the customer account can give notice" read as an online way).
    ("owner of the customer account", "account owner"),
    ("holder of the customer account", "account holder"),
    ("customer account holder", "account holder"),
    ("customer account owner", "account owner"),
    // A self-service terminal (自助服务终端) is a kiosk in a shop, not online self-service.
    ("自助服务终端", "自助终端"),
    ("customer account number", "customer number"),
    ("account number", "customer number"),
    ("电子邮件帐号", "邮件帐号"),
    ("电子邮件账号", "邮件帐号"),
    ("email account", "mail account"),
    ("登录账户", "登录"),
    ("登录帐户", "登录"),
    ("登陆账户", "登陆"),
    ("登入账户", "登入"),
    ("log in to your account", "log in"),
    ("log into your account", "log into"),
    ("sign in to your account", "sign in"),
    ("login to your account", "login"),
];

/// A channel word in the role of a noun. The account one logs into is where the channel is, not
/// what is ended: "登录账户，点击取消" cancels whatever the clause after names (a data pack), "log
/// in to your account" names no object; the login verb is kept (it is an online channel), the
/// account word dropped. An email account (電子郵件帳號) ended with the line is a mailbox, not
/// the channel "email": it is kept as the add-on word 邮件帐号. An account number is a detail
/// one quotes ("have your customer account number ready"), not an account one logs into.
/// Text is normalised (Simplified, lower-case).
pub(super) fn without_login(clause: &str) -> std::borrow::Cow<'_, str> {
    // Most clauses hold none of these: no allocation for them (the verdict's cost is budgeted).
    // Every one names an account (account, 帐, 账) or a terminal (终端): three quick looks rule
    // out most clauses before the eighteen (`every_login_names_an_account_or_a_terminal`).
    let may_hold =
        clause.contains("account") || clause.contains(['帐', '账']) || clause.contains("终端");
    if !may_hold || !LOGINS.iter().any(|(from, _)| clause.contains(from)) {
        return std::borrow::Cow::Borrowed(clause);
    }
    let mut out = clause.to_string();
    // An address that starts with the word ("email accounts@example.com.au", round 51) is the
    // email way; the lexicon's shadow keeps it from the add-on word.
    let address = clause.contains("email accounts@") || clause.contains("email account@");
    for (from, to) in LOGINS {
        if address && from == "email account" {
            continue;
        }
        if out.contains(from) {
            out = out.replace(from, to);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Words that say what is not done or not needed: the words after them, up to the next word
/// that starts a new part, are left out ("cancel your service without porting your number",
/// "cancel online with no need to call us"; "…without delay by giving us written notice"
/// keeps "by giving us written notice").
const NOT_DONE: [&str; 7] = [
    " without ",
    "no need to ",
    "don't need to ",
    "do not need to ",
    "doesn't need to ",
    "does not need to ",
    "needn't ",
];

/// Words that name the way not taken: "call us instead of cancelling online", "use the app
/// rather than visiting a store" (round 27, en-6729: the online way after "instead of" was read
/// as offered), also where a clause opens with them ("Instead of cancelling online, …") and in
/// Chinese (…，而不是在网上办理).
const NOT_TAKEN: [&str; 4] = [" instead of ", " rather than ", "而不是", "而非"];

/// The same words where a clause opens with them.
const NOT_TAKEN_FIRST: [&str; 2] = ["instead of ", "rather than "];

/// The two kinds of words that leave out what follows them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LeftOut {
    /// [`NOT_DONE`]: what need not be done.
    NotDone,
    /// [`NOT_TAKEN`]: the way not taken.
    NotTaken,
}

impl LeftOut {
    /// The words that end what is left out and resume the clause. After "without" and "no need
    /// to" a channel word starts a new part ("…without delay by giving us written notice"); after
    /// "instead of" it belongs to the way not taken ("instead of cancelling online", "rather
    /// than at a store"), so only a word that joins a new part resumes there ("… rather than
    /// visiting a store when you move house").
    fn resume_words(self) -> &'static [&'static str] {
        match self {
            LeftOut::NotDone => &[
                "by", "through", "via", "using", "at", "in", "on", "from", "online", "and", "or",
                "when", "if",
            ],
            LeftOut::NotTaken => &["and", "when", "if", "so", "because"],
        }
    }
}

/// The earliest word that leaves out what follows it: where it starts, its length and its kind.
/// `not_taken_cue`: the clause's cues hold a word of [`NOT_TAKEN`] (most clauses have none, and
/// then cost no search for them).
fn left_out_at(clause: &str, not_taken_cue: bool) -> Option<(usize, usize, LeftOut)> {
    // Every marker of NOT_DONE but "without" has "need" in it: one look each before the seven.
    let not_done = (clause.contains("need") || clause.contains(" without "))
        .then(|| first_marker(clause, &NOT_DONE))
        .flatten()
        .map(|(at, len)| (at, len, LeftOut::NotDone));
    let not_taken = if not_taken_cue {
        NOT_TAKEN_FIRST
            .iter()
            .find(|m| clause.starts_with(**m))
            .map(|m| (0, m.len()))
            .or_else(|| first_marker(clause, &NOT_TAKEN))
            .map(|(at, len)| (at, len, LeftOut::NotTaken))
    } else {
        None
    };
    match (not_done, not_taken) {
        (Some(d), Some(t)) => Some(if t.0 < d.0 { t } else { d }),
        (d, t) => d.or(t),
    }
}

/// Where the earliest of `markers` starts in `text`, and its length.
fn first_marker(text: &str, markers: &[&str]) -> Option<(usize, usize)> {
    markers
        .iter()
        .filter_map(|m| text.find(m).map(|at| (at, m.len())))
        .min()
}

/// Leaves out what `NOT_DONE` says is not done and what `NOT_TAKEN` says is not the way. Only in
/// a clause with no negation of its own (in "cannot be terminated without giving us notice" the
/// "without" states a precondition), and not when what is left out is money ("cancel without
/// penalties" talks about fees). `not_taken_cue` as for [`left_out_at`].
pub(super) fn without_what<'c>(
    lexicon: &Lexicon,
    not_taken_cue: bool,
    clause: &'c str,
) -> std::borrow::Cow<'c, str> {
    let Some((at, len, kind)) = left_out_at(clause, not_taken_cue) else {
        return std::borrow::Cow::Borrowed(clause);
    };
    let (head, rest) = (clause[..at].trim_end(), &clause[at + len..]);
    // The marker's own "not" ("you do not need to") is no negation of the clause.
    let c = lexicon.concepts(&format!("{head} {rest}"));
    if c.has(Concept::Negation) || c.has(Concept::Rejection) {
        return std::borrow::Cow::Borrowed(clause);
    }
    // The words left out run up to the first word that starts a new part (or to the end), or
    // to a "to" that names ending ("you don't need to visit a store to cancel").
    let mut resume = None;
    let mut offset = 0;
    for w in rest.split(' ') {
        let after = (offset + w.len() + 1).min(rest.len());
        let purpose =
            w == "to" && lexicon.scan(&rest[after..]).first_at(Concept::Terminate) == Some(0);
        if kind.resume_words().contains(&w) || purpose {
            resume = Some(offset);
            break;
        }
        offset = after;
    }
    let (left_out, kept) = match resume {
        Some(end) => (rest[..end].trim_end_matches(' '), Some(&rest[end..])),
        None => (rest, None),
    };
    // "How to cancel without penalties" is about money: the fee stays in what the clause says.
    let said = lexicon.scan(left_out);
    if said.concepts.has(Concept::Fee) || said.concepts.has(Concept::Refund) {
        return std::borrow::Cow::Borrowed(clause);
    }
    // "Call us instead of cancelling online": the way is not taken, the errand still is, so the
    // word that names ending stays with the way that is taken. Only when a way is left out:
    // in "pause your line in the app instead of cancelling it" the ending is what is not done.
    let errand = (kind == LeftOut::NotTaken
        && (said.concepts.has(Concept::Online) || said.concepts.has(Concept::Offline)))
    .then(|| said.first_at(Concept::Terminate))
    .flatten()
    .and_then(|at| left_out[at..].split(' ').next());
    let parts: Vec<&str> = [Some(head), errand, kept]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    match (errand, kept) {
        (None, None) => std::borrow::Cow::Borrowed(head),
        _ => std::borrow::Cow::Owned(parts.join(" ")),
    }
}

/// The head of a Chinese clause whose trap is where something was bought, as a modifier: what
/// follows "…買的" after the last trap word ("於網上商店購買的 | eSIM計劃可於網上取消"), when it
/// is more than a word. Only buying: in 查詢你的違約金 or 咨詢所屬的營業廳 the 的 is inside
/// what the trap does. Text is normalised.
pub(super) fn trap_modifies<'c>(
    clause: &'c str,
    hits: &crate::extract::lexicon::Hits,
) -> Option<&'c str> {
    const BOUGHT: [&str; 2] = ["买的", "购的"];
    let trap = hits.last_at(Concept::Trap)?;
    let tail = clause.get(trap..)?;
    let (at, len) = first_marker(tail, &BOUGHT)?;
    let head = tail.get(at + len..)?.trim_start();
    head.chars().nth(3).is_some().then_some(head)
}

/// Words after a number or address that say where it is found ("the customer service number
/// listed on their website or your account statement"): the rest of the clause is a place to
/// look, not a channel or a trap. Each is followed by "on" or "in", and follows what one dials
/// or writes to ("Plans listed on this page cannot be cancelled online" is not cut).
const FOUND_AT: [&str; 4] = ["listed", "printed", "shown", "found"];
const LOOKED_UP: [&str; 7] = [
    "number",
    "numbers",
    "number(s)",
    "address",
    "hotline",
    "line",
    "details",
];
/// First words of a clause that goes on about what the clause before named.
const RELATIVE_START: [&str; 6] = ["typically", "usually", "normally", "often", "which", "as"];
/// How many words may stand between what is looked up and the marker ("the customer service
/// number, which is typically listed on your bill").
const LOOKED_UP_WINDOW: usize = 4;

/// The clause up to where it says where something is found, or the whole clause. Text is
/// normalised. One pass over the clause's words: it runs for every clause of a page, and a
/// substring search per marker cost more than the rest of reading a clause.
pub(super) fn before_where_found(clause: &str) -> &str {
    let mut words = clause.split(' ').peekable();
    let mut at: usize = 0;
    // Words since the last thing one looks up, if one was seen. A clause cut off by a comma
    // ("…customer service line, typically found on their website") starts on an adverb or a
    // relative word: it goes on about what the clause before named.
    let goes_on = words.peek().is_some_and(|w| RELATIVE_START.contains(w));
    let mut since: Option<usize> = goes_on.then_some(0);
    while let Some(w) = words.next() {
        if FOUND_AT.contains(&w)
            && since.is_some_and(|n| n < LOOKED_UP_WINDOW)
            && words.peek().is_some_and(|n| *n == "on" || *n == "in")
        {
            // `at` is where `w` starts; keep what comes before the space ahead of it.
            return clause.get(..at.saturating_sub(1)).unwrap_or(clause);
        }
        at += w.len() + 1;
        since = if LOOKED_UP.contains(&w.trim_end_matches([',', ';'])) {
            Some(0)
        } else {
            since.map(|n| n + 1)
        };
    }
    clause
}

/// How a relative clause that says where something is found starts (after lower-casing).
pub(super) const WHERE_FOUND: [&str; 7] = [
    "which is available",
    "which is typically available",
    "which is usually available",
    "which is listed",
    "which is printed",
    "which you can find",
    "which can be found",
];

/// Pointers to more reading or to something checked, found or received along the way: what
/// they govern is not a request to end ("Click here for more information on the disconnection
/// process", en-2907; "To see if they are under contract click on the Files tab", en-3038;
/// "you'll receive an email … containing your return label", en-3033). Text is normalised.
const POINTERS: [(&str, Reach); 24] = [
    ("for more information", Reach::Joint),
    // Reading further down the page (en-3229: "Scroll down to get a detailed answer"); not
    // "scroll down to the Cancel button".
    ("scroll down to get", Reach::Joint),
    ("scroll down to read", Reach::Joint),
    ("scroll down to see", Reach::Joint),
    ("scroll down for", Reach::Joint),
    ("for more details", Reach::Joint),
    ("for further information", Reach::Joint),
    ("for further details", Reach::Joint),
    ("for additional instructions", Reach::Joint),
    ("for further instructions", Reach::Joint),
    ("learn more about", Reach::Joint),
    ("read more about", Reach::Joint),
    ("click on the section", Reach::Joint),
    ("to see if", Reach::Joint),
    ("to see whether", Reach::Joint),
    ("receive an email", Reach::Joint),
    ("receive an e-mail", Reach::Joint),
    ("return label", Reach::Joint),
    // Where a detail is found goes on over a list of places ("on your monthly bill or on the
    // account page when you log into your online profile", en-3134).
    ("found on your", Reach::Place),
    // "Your account number (found in your bill or the app)", en-3537; not "the request form
    // (found on our website)", which is where the request is made.
    ("found in your", Reach::Place),
    ("printed on your", Reach::Place),
    ("了解更多", Reach::Joint),
    ("更多详情", Reach::Joint),
    ("更多资讯", Reach::Joint),
];

/// How far what a pointer governs reaches.
#[derive(Clone, Copy)]
enum Reach {
    /// To the next joint to another thing done.
    Joint,
    /// Over a list of places, to a clause about ending ("… printed on your SIM card when you
    /// cancel online") or the clause's end.
    Place,
}

/// Where what a pointer governs ends: the next joint to another thing done ("…for more details
/// and to cancel your plan online", 了解更多详情或于网上终止服务, 登录APP了解更多后即可在线申请
/// 销户), or a link that is itself a
/// way ("receive an email with a link to cancel your service online").
const JOINTS: [&str; 8] = [" and ", " or ", " then ", "或", "及", "并", "后", " a link"];
/// Where what a place pointer governs ends.
const PLACE_ENDS: [&str; 4] = [
    " when you cancel",
    " when you terminat",
    " when cancelling",
    " then ",
];

/// The next place of each of `needles` at or after a cursor that only moves forward: a needle
/// is searched again only once the cursor has passed its last place, so a clause is read at
/// most once per needle however many pointers it holds.
struct Next<'a, const N: usize> {
    hay: &'a str,
    needles: [&'a str; N],
    at: [Option<usize>; N],
}

impl<'a, const N: usize> Next<'a, N> {
    fn new(hay: &'a str, needles: [&'a str; N]) -> Self {
        let at = needles.map(|n| hay.find(n));
        Next { hay, needles, at }
    }

    /// The earliest place at or after `from`, and which needle is there.
    fn first(&mut self, from: usize) -> Option<(usize, usize)> {
        for (i, slot) in self.at.iter_mut().enumerate() {
            if slot.is_some_and(|a| a < from) {
                *slot = self
                    .hay
                    .get(from..)
                    .and_then(|rest| rest.find(self.needles[i]))
                    .map(|x| from + x);
            }
        }
        self.at
            .iter()
            .enumerate()
            .filter_map(|(i, a)| a.map(|a| (a, i)))
            .min()
    }
}

/// The clause without what each pointer in it governs, from the pointer to the next joint (or,
/// for where a detail is found, over its list of places): "Call us on 1300 000 000 for more
/// information or to cancel your service" keeps its call and its ending. One pass from left to
/// right, linear in the clause's length for each pointer and joint.
pub(super) fn without_pointers(clause: &str) -> std::borrow::Cow<'_, str> {
    let mut pointers = Next::new(clause, POINTERS.map(|(p, _)| p));
    let Some(mut found) = pointers.first(0) else {
        return std::borrow::Cow::Borrowed(clause);
    };
    let mut joints = Next::new(clause, JOINTS);
    let mut places = Next::new(clause, PLACE_ENDS);
    let mut out = String::with_capacity(clause.len());
    let mut kept = 0;
    loop {
        let (at, i) = found;
        let (p, reach) = POINTERS[i];
        let from = at + p.len();
        let stop = match reach {
            Reach::Joint => joints.first(from),
            Reach::Place => places.first(from),
        };
        let end = stop.map_or(clause.len(), |(e, _)| e);
        out.push_str(clause.get(kept..at).unwrap_or(""));
        kept = end;
        match pointers.first(end.max(from)) {
            Some(next) => found = next,
            None => break,
        }
    }
    out.push_str(clause.get(kept..).unwrap_or(""));
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod pointer_tests {
    use super::without_pointers;

    #[test]
    fn a_pointer_drops_what_it_governs_up_to_the_next_joint() {
        assert_eq!(
            without_pointers("click here for more information on the disconnection process."),
            "click here "
        );
        assert_eq!(
            without_pointers("call us on 1300 for more information or to cancel your service"),
            "call us on 1300  or to cancel your service"
        );
        assert_eq!(
            without_pointers(
                "cancel online in my account and print your return label for the modem"
            ),
            "cancel online in my account and print your "
        );
        assert_eq!(
            without_pointers("如欲了解更多详情或于网上终止服务"),
            "如欲或于网上终止服务"
        );
        assert_eq!(without_pointers("cancel in the app"), "cancel in the app");
        assert_eq!(
            without_pointers("it's found on your bill or on the account page when you log in"),
            "it's "
        );
        assert_eq!(
            without_pointers("enter the puk code printed on your sim card when you cancel online"),
            "enter the puk code  when you cancel online"
        );
        assert_eq!(
            without_pointers("you'll receive an email with a link to cancel your service online"),
            "you'll  a link to cancel your service online"
        );
        assert_eq!(
            without_pointers("for more details for more details and x"),
            " and x"
        );
    }
}

#[cfg(test)]
mod pointer_bounds {
    use super::without_pointers;

    /// Thousands of pointers in one clause, each with and without its joint, are cut in one
    /// pass (this was quadratic: each cut searched and copied the whole clause again).
    #[test]
    fn many_pointers_in_one_clause_are_cut_in_one_pass() {
        let clause = "for more details and ".repeat(20_000) + &"了解更多或".repeat(20_000);
        let out = without_pointers(&clause);
        assert_eq!(out.matches(" and ").count(), 20_000);
        assert!(!out.contains("for more details") && !out.contains("了解更多"));
    }
}

#[cfg(test)]
mod not_taken_tests {
    use super::{NOT_TAKEN, NOT_TAKEN_FIRST};
    use crate::extract::reading::cues::Cues;

    /// The markers are looked for only in a clause whose cues say one may be there: every
    /// marker must give that cue, or it would never be found.
    #[test]
    fn every_marker_of_a_way_not_taken_gives_its_cue() {
        let inside = NOT_TAKEN
            .iter()
            .map(|m| format!("call us{m}cancelling online"));
        let opening = NOT_TAKEN_FIRST
            .iter()
            .map(|m| format!("{m}cancelling online"));
        for clause in inside.chain(opening) {
            assert!(Cues::of(&clause).has(Cues::NOT_TAKEN), "{clause:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{LOGINS, without_login};

    #[test]
    fn every_login_names_an_account_or_a_terminal() {
        for (from, _) in LOGINS {
            assert!(
                from.contains("account") || from.contains(['帐', '账']) || from.contains("终端"),
                "{from}"
            );
        }
        assert_eq!(
            without_login("log in to your account and cancel"),
            "log in and cancel"
        );
        assert_eq!(without_login("cancel in the app"), "cancel in the app");
    }
}
