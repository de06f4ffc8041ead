//! API routes: "DELETE /v1/numbers/{id}", "POST /sims/{iccid}/deactivate". A provider's API
//! reference names the way to end a line as a request the customer sends over the internet:
//! that is an online way, as a web form is (round 32: seven of round 31's 22 misses were such
//! pages, labelled `supported` by readers who never saw the rules). Pure; one scan of the
//! clause per method word, bounded by its length.

use super::after_whole_word;

/// The HTTP methods a reference writes before a route.
pub(super) const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// What a DELETE on a collection of these ends: the line, its number or its SIM.
const LINE_RESOURCES: [&str; 13] = [
    "numbers",
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
        self.method == "delete"
            && self
                .path
                .split('/')
                .rev()
                .find(|s| !s.is_empty() && !is_placeholder(s))
                .is_some_and(|s| LINE_RESOURCES.contains(&s.trim_end_matches(".json")))
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
        assert!(!ends("delete /v1/webhooks/{id}"));
        assert!(!ends("delete /v1/numbers/{id}/tags/{tag}"));
        assert!(!ends("get /v1/numbers"));
        assert!(!ends("post /v1/numbers"));
    }
}
