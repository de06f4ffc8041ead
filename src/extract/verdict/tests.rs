//! Unit tests of the verdict: stances, contradictions, per-product answers, the key sentence.
use super::threads::{OFFICIAL_REPLIES, POST_LINE_CHARS};
use super::*;

/// The rules' reading of a page of plain blocks: these tests pin what the rules decide, and
/// the weighing over them is tested in `weigh.rs`, by the fixtures and below.
fn assessed(blocks: &[&str]) -> Assessment {
    weighed(blocks).as_the_rules_read()
}

/// The assessment as `check` gives it: the rules' reading, weighed.
fn weighed(blocks: &[&str]) -> Assessment {
    let blocks: Vec<String> = blocks.iter().map(|s| s.to_string()).collect();
    assess(Lexicon::builtin(), &blocks)
}

/// The assessment of a page's `<main>`, extracted as `check` extracts it and weighed, as
/// `check` gives it (unlike [`assessed`], which gives the rules' reading).
fn assessed_html(html: &str) -> Assessment {
    let url = url::Url::parse("https://example.com/").unwrap();
    let blocks = crate::extract::Extractor::new(&["main".to_string()], &[])
        .unwrap()
        .extract(html, &url)
        .unwrap();
    assess_structured(Lexicon::builtin(), &blocks)
}

fn verdict(blocks: &[&str]) -> Verdict {
    assessed(blocks).verdict
}

#[test]
fn a_later_word_that_answers_is_named() {
    // Round 42: an update over undated steps; a page without one names none.
    let a = assessed(&[
        "You can cancel the service online in My Account.",
        "Update – 3 March 2026: online cancellation has been withdrawn. Please visit a shop.",
    ]);
    assert_eq!(a.verdict, Verdict::NotSupported);
    assert!(
        a.answered_by
            .as_deref()
            .is_some_and(|t| t.starts_with("Update – 3 March 2026")),
        "{:?}",
        a.answered_by
    );
    let plain = assessed(&["You can cancel the service online in My Account."]);
    assert_eq!(plain.answered_by, None);
}

/// Round 39's walk-through: on a page where "You:" speaks, "Maya (Demo):" is a speaker too,
/// not a product; two agents who disagree contradict each other.
#[test]
fn speakers_of_a_dialogue_are_no_products() {
    let chat = assessed(&[
        "You: I'd like to cancel my SIM-only plan. I don't need a PAC.",
        "Maya (Demo): Hi! I can do that for you here.",
    ]);
    assert_eq!(chat.verdict, Verdict::Supported);
    assert!(chat.products.is_empty());
    let thread = assessed(&[
        "You: Can I cancel online?",
        "Ann (Demo): Yes, you can cancel your plan in the app.",
        "Bob (Demo): No, plans cannot be cancelled in the app, please call 150.",
    ]);
    assert_eq!(thread.verdict, Verdict::Conflicting);
}

/// Plain statements one sentence long, in the three scripts, in the wording carriers and
/// help pages use (round 21's probes, written for this test): each gets the verdict any
/// reader gives. Three of them failed until the terms they needed were added ("by logging
/// in to your account", "post it to us", 以書面形式通知本公司).
#[test]
fn plain_statements_get_the_plain_verdict() {
    let supported = [
        "Visit https://example.com/cancel to cancel your plan.",
        "Complete the form at example.com/cancel to end your plan.",
        "You may terminate your service via the My3 app.",
        "閣下可透過MyCSL網上提交終止服務申請。",
        "Customers may submit termination requests through our online customer portal at least 30 days in advance.",
        "Cancel anytime in the app.",
        "You can cancel at any time by logging in to your account.",
        "Simply log in and click Cancel plan.",
        "你可以在App内一键注销。",
        "可登录网上营业厅申请销户。",
        "You can end your contract online via My Vodafone.",
        "Send us an email to cancel your subscription.",
        "To cancel, fill in the online form.",
        "可於網路門市線上申請退租。",
        "You can request a disconnection through live chat.",
        "eSIM plans can be cancelled online in the app.",
        "Cancellation can be requested through WhatsApp.",
        "客戶可透過電郵向本公司提出終止服務。",
    ];
    let not_supported = [
        // From a second helper's 150 probes: a way withdrawn, the reader told not to use
        // it, a call to have it done (咨询办理).
        "網上退租服務已停止提供，請親臨門市辦理。",
        "线上销户功能已下线，请到线下营业厅办理。",
        "Please do not email us to cancel. All cancellations must be made by phone.",
        "如需注销号码，请拨打10086咨询办理。",
        "Online cancellation is not available for prepaid SIM cards.",
        "Termination requests must be submitted in person at any of our shops.",
        "如欲終止服務，請親臨本公司任何一間門市辦理。",
        "恕不接受網上終止服務申請。",
        "客戶可致電客戶服務熱線1000要求終止服務。",
        "To terminate your mobile service, please complete the Disconnection Request Form and return it by fax or by post.",
        "You can't cancel your plan through the app; please contact us on 1234 5678.",
        "Cancellation isn't possible online.",
        "Online cancellation is unavailable.",
        "There is no online option to cancel.",
        "You'll need to call us to cancel.",
        "You have to visit a store to cancel.",
        "我们不支持在线注销，请携带身份证到营业厅。",
        "目前仅支持线下营业厅办理销户。",
        "Please note that we are unable to process cancellations via email. Please call 1234 5678 to cancel.",
        "Cancellation requests by email will not be accepted; please visit a store to cancel.",
        "We're sorry, but cancellations can't be made online.",
        "Unfortunately, it's not possible to cancel online.",
        "It is not possible to cancel your contract online; you must call us.",
        "Contracts can only be cancelled by phone.",
        "To cancel, fill in the form and post it to us.",
        "退租需本人攜帶證件至門市辦理。",
        "門號退租無法於線上辦理，請洽各直營門市。",
        "網上不能辦理銷戶，須到營業廳。",
        "Disconnection requests are handled by our hotline only.",
        "The cancellation must be done in store.",
        "Online termination is not supported at this time.",
        "We do not currently offer online cancellation.",
        "Cancelling online isn't an option.",
        "如需取消服務，客戶須於30日前以書面形式通知本公司。",
    ];
    // Cancelling something else, even online, says nothing about the line.
    for s in [
        "You can cancel your Netflix subscription in the app; this won't affect your mobile plan.",
        "You can cancel a scheduled plan change online before it takes effect.",
        "Official cancellation page: https://example.com/terms",
    ] {
        assert_eq!(verdict(&[s]), Verdict::Unknown, "{s}");
    }
    let wrong: Vec<String> = supported
        .iter()
        .map(|s| (s, Verdict::Supported))
        .chain(not_supported.iter().map(|s| (s, Verdict::NotSupported)))
        .filter_map(|(s, want)| {
            let got = verdict(&[s]);
            (got != want).then(|| format!("{s}: wanted {want:?}, got {got:?}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn a_threads_official_reply_is_looked_for_among_the_latest_few() {
    let reply = statement(
        1,
        "Plans can't be cancelled in the app.",
        Stance::NegatedOnline,
    );
    let mut blocks = vec!["Ana · Kestrel Team".to_string(), reply.sentence.clone()];
    let service = [&reply];
    assert_eq!(official_reply(&blocks, &service).map(|v| v.len()), Some(1));
    // A long line is no post's line, whoever it names.
    blocks[0] = format!("Ana · Kestrel Team {}", "x".repeat(POST_LINE_CHARS));
    assert!(official_reply(&blocks, &service).is_none());
    // Later replies of the team that say nothing: only the latest few are read.
    blocks[0] = "Ana · Kestrel Team".to_string();
    for _ in 0..OFFICIAL_REPLIES {
        blocks.push("Ben · Kestrel Team".to_string());
        blocks.push("Thanks for your patience!".to_string());
    }
    assert!(official_reply(&blocks, &service).is_none());
    blocks.truncate(2 + 2 * (OFFICIAL_REPLIES - 1));
    assert_eq!(official_reply(&blocks, &service).map(|v| v.len()), Some(1));
}

#[test]
fn a_refusal_that_lists_the_ways_contradicts_however_often_they_are_offered() {
    assert!(refuses_ways(
        "Cancellation requests can't be processed online or in the app."
    ));
    assert!(refuses_ways(
        "本公司不會接受透過應用程式、網站或電話提出之終止要求。"
    ));
    assert!(!refuses_ways("Business lines cannot be cancelled online."));
    // Whole words: an application is no app.
    assert!(!refuses_ways("Online applications cannot be withdrawn."));
    assert_eq!(
        verdict(&[
            "Close your number in the app",
            "Open the app and tap Me.",
            "Tap Close my number and confirm.",
            "The app, website and hotline do not accept closure requests.",
        ]),
        Verdict::Conflicting
    );
}

#[test]
fn an_online_way_offered_in_more_blocks_than_it_is_denied_is_an_exception() {
    let guide = [
        "You can cancel your line online in the app.",
        "Lines on a business plan cannot be cancelled online.",
        "Open the app and choose Cancel my line to end the service.",
    ];
    assert_eq!(verdict(&guide), Verdict::Supported);
    // Neighbouring blocks are one offer (the steps of one procedure, round 33's reviews):
    // against one denial, a contradiction.
    assert_eq!(
        verdict(&[guide[0], guide[2], guide[1]]),
        Verdict::Conflicting
    );
    // One yes and one no, in as many blocks: a contradiction.
    assert_eq!(verdict(&[guide[0], guide[1]]), Verdict::Conflicting);
    // Two sentences of one block count once.
    assert_eq!(
        verdict(&[&format!("{} {}", guide[0], guide[2]), guide[1]]),
        Verdict::Conflicting
    );
    // Offers for another product do not outweigh a contradiction about this one.
    assert_eq!(
        verdict(&[
            "You can cancel your plan online.",
            "Plans cannot be cancelled online.",
            "eSIM customers can also cancel in the app.",
        ]),
        Verdict::Conflicting
    );
}

#[test]
fn an_offline_way_demanded_more_often_than_an_online_one_is_offered_answers() {
    // Modelled on zhs-2773: the heading and the body say closing must be done offline; one
    // step mentions sending the wish to close online first.
    let demanded = [
        "Cancelling broadband must be done in person at a service hall.",
        "The line can only be cancelled at the counter, because the modem is checked there.",
        "You may tell us online that you wish to cancel.",
    ];
    assert_eq!(verdict(&demanded), Verdict::NotSupported);
    // Offered more often than demanded: the online way is the answer.
    let offered = [
        "You can cancel your account online in My Account.",
        "Cancelling online takes a minute in the app.",
        "Lines can only be cancelled at a shop when a device is owed.",
    ];
    assert_eq!(verdict(&offered), Verdict::Supported);
    // As often offered as demanded: the demand may be for some customers only ("Business
    // customers must cancel in store"); the online way stands.
    let tie = [
        "You can cancel your plan online in My Account.",
        "Business customers must cancel in store.",
    ];
    assert_eq!(verdict(&tie), Verdict::Supported);
    // A shop merely named beside the online way denies nothing, however often.
    let named = [
        "You can cancel your account online in My Account.",
        "You can also cancel at a shop.",
        "Our shops can cancel accounts too.",
    ];
    assert_eq!(verdict(&named), Verdict::Supported);
}

#[test]
fn a_sole_offline_way_or_a_denial_of_every_online_way_contradicts_an_offer() {
    // Round 38's reviews: app steps against a footnote that makes the shop the only way.
    let steps = [
        "Open the app and choose End service.",
        "Confirm with the code we text you to end the service.",
        "Ending a service is only accepted in person at one of our stores.",
    ];
    assert_eq!(verdict(&steps), Verdict::Conflicting);
    // The demand is the key sentence, so the email shows what the offer is against.
    let a = assessed(&steps);
    assert_eq!(
        a.key_sentence().map(|e| e.sentence.as_str()),
        Some(steps[2])
    );
    // The same demand without "only" is outnumbered by the offer, as before.
    let plain = [
        steps[0],
        steps[1],
        "Ending a service must be done in person at a store.",
    ];
    assert_eq!(verdict(&plain), Verdict::Supported);
    // "Only … when": a case, not the only way.
    let case = [
        steps[0],
        steps[1],
        "Ending a service is only accepted in person when a device payment is owed.",
    ];
    assert_eq!(verdict(&case), Verdict::Supported);
    // Every online way refused, against an offer named twice.
    let any = [
        "You can end your service online in My Account.",
        "Use the online form below to end your service.",
        "We do not accept requests to end a service through any online channel.",
    ];
    assert_eq!(verdict(&any), Verdict::Conflicting);
    assert!(sole_way("Termination is accepted by telephone only."));
    // Round 39: the case that names the way itself, other channels refused; a case that
    // restricts stays none.
    assert!(sole_way(
        "A request to terminate is only effective when made by telephone."
    ));
    assert!(sole_way("通过其他渠道提交的销户申请，我司不予受理。"));
    assert!(!sole_way("只有以下情况仍需线下："));
    // The read-through of round 39: other channels with a demand, a condition that is no
    // way, an early exit.
    assert!(!sole_way(
        "Cancellations through any other channel must be made in person at a store."
    ));
    assert!(!sole_way(
        "A cancellation made in a store is only effective when you return the router."
    ));
    assert!(!sole_way(
        "Cancelling a contract early can only be done in store."
    ));
    // Round 62's first wave: the fee of ending early names no case; ending early still does.
    assert!(sole_way(
        "終止服務只可由登記客戶致電熱線辦理，以便職員講解提前終止費用。"
    ));
    assert!(sole_way(
        "Cancellation is by phone only, so we can explain any early termination fee."
    ));
    assert!(!sole_way("提前終止只可親臨門市辦理。"));
    assert!(corrects("sorry 我记错咗,以 #3 为准"));
    assert!(!corrects("楼上说的不对"));
    assert!(!corrects("输入服务密码并以#号键结束"));
    assert!(!corrects("i was wrongly billed last month"));
    assert!(corrects("sorry, i was wrong, you do have to call"));
    // Round 42: a thread's later word, not a page's edit stamp.
    assert!(corrects(
        "推 mobilecat: 更新:刚打给客服确认,app 现在已经没有退租功能了"
    ));
    assert!(corrects("edit: mod is right, ignore my post above"));
    assert!(!corrects("last update: 12 aug 2025"));
    assert!(!corrects("最后更新:2025年8月12日"));
    assert!(!sole_way("Termination is not only accepted in store."));
    // Round 40: every request the one way; every other means refused in the next sentence.
    assert!(sole_way(
        "All termination requests must be made in person at a Kite Hub."
    ));
    assert!(sole_way("現時所有終止服務申請須由登記客戶親身到門市辦理。"));
    let footnote = [
        "You can end your line in the Kite app.",
        "Termination requests must be made in person at a Kite Hub. Requests made by other \
             means will not be processed.",
    ];
    assert_eq!(verdict(&footnote), Verdict::Conflicting);
    let alone = [
        "You can end your line in the Kite app.",
        "Termination requests must be made in person at a Kite Hub. Bring your ID.",
    ];
    assert_eq!(verdict(&alone), Verdict::Supported);
    assert!(universal("概不接受任何經網上途徑提出的要求"));
    assert!(!universal("網上途徑不受理"));
}

#[test]
fn an_evidence_line_names_the_product_it_answers_for() {
    let blocks = [
        "eSIM customers can cancel their plan online in the app.".to_string(),
        "Prepaid customers must visit a shop to cancel their plan.".to_string(),
    ];
    let a = assess(Lexicon::builtin(), &blocks);
    let labels: Vec<String> = a.deciding().map(Evidence::label).collect();
    assert_eq!(
        labels,
        ["online, for eSIM", "offline required, for prepaid"]
    );
    let long = Evidence {
        products: vec!["x".repeat(MAX_LABEL_PRODUCT_CHARS + 5)],
        ..a.evidence[0].clone()
    };
    assert_eq!(
        long.label(),
        format!("online, for {}…", "x".repeat(MAX_LABEL_PRODUCT_CHARS))
    );
}

/// Versions stored before products were a list kept them joined in one string under
/// `product`; they still read as the products, and a statement for every line as none.
#[test]
fn stored_products_read_from_either_form() {
    let e = Evidence {
        products: vec!["eSIM".into(), "prepaid".into()],
        ..assess(
            Lexicon::builtin(),
            &["Cancel your plan online.".to_string()],
        )
        .evidence[0]
            .clone()
    };
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["products"], serde_json::json!(["eSIM", "prepaid"]));
    assert_eq!(serde_json::from_value::<Evidence>(json.clone()).unwrap(), e);
    let mut old = json.clone();
    let obj = old.as_object_mut().unwrap();
    obj.remove("products");
    obj.insert("product".into(), "eSIM / prepaid".into());
    assert_eq!(serde_json::from_value::<Evidence>(old).unwrap(), e);
    let mut none = json;
    none.as_object_mut().unwrap().remove("products");
    let every = serde_json::from_value::<Evidence>(none).unwrap();
    assert!(every.products.is_empty());
    assert_eq!(serde_json::to_value(&every).unwrap().get("products"), None);
}

/// The review of round 16: pages where round 15 was right and round 16's first rules were
/// not. Pointers drop only what they govern, words that are places as well as pages stay
/// out, a sentence with its own purpose takes no subject, and conditions stay conditions.
#[test]
fn round_16_review_pages_keep_their_answers() {
    use Verdict::*;
    let cases: [(&[&str], Verdict); 19] = [
        (
            &[
                "Ending your plan",
                "Click here for more information on our disconnection process.",
            ],
            Unknown,
        ),
        (
            &[
                "How do I cancel my broadband?",
                "Submit your cancellation request online through My Account and you'll receive an email confirming the date your service will end.",
            ],
            Supported,
        ),
        (
            &[
                "Cancelling your mobile plan",
                "Visit our website for more details and to cancel your plan online.",
            ],
            Supported,
        ),
        (
            &[
                "Cancelling your home phone",
                "Call us on 1300 000 000 for more information or to cancel your service.",
            ],
            NotSupported,
        ),
        (
            &[
                "Cancel your service",
                "Log in to My Account to see if you're still in contract and cancel your plan from the Services tab.",
            ],
            Supported,
        ),
        (
            &[
                "Cancelling your NBN service",
                "Cancel online in My Account and print your return label for the modem.",
            ],
            Supported,
        ),
        (
            &[
                "How to cancel your contract",
                "Log in to the customer portal and click on the section My Services, then choose Cancel contract.",
            ],
            Supported,
        ),
        (
            &[
                "Re: how do I cancel?",
                "You can look on the website under Account Settings where there is a Cancel Service button.",
            ],
            Supported,
        ),
        (
            &[
                "終止流動電話服務",
                "如欲了解更多詳情或於網上終止服務，請瀏覽 My Account。",
            ],
            Supported,
        ),
        (
            &[
                "Cancelling your mobile service",
                "Mobile services can only be cancelled in person. Please visit the customer area at any of our stores with photo ID.",
            ],
            NotSupported,
        ),
        (
            &[
                "How to cancel",
                "To cancel, browse to the Contact Us page and call our retentions team on 1300 000 000.",
            ],
            NotSupported,
        ),
        (
            &[
                "流量卡常见问题",
                "本店铺售出的流量卡如需注销，请联系运营商办理。",
            ],
            Unknown,
        ),
        (
            &[
                "3G network closure",
                "Our 3G network will be discontinued on 30 June 2024. Please visit our website to choose a new 4G phone.",
            ],
            Unknown,
        ),
        (
            &[
                "Moving home",
                "If you are moving abroad you may cancel your contract without an early termination fee. You will need to log in to My Account and update your address so we can send your final bill.",
            ],
            Unknown,
        ),
        (
            &[
                "Porting your number to us",
                "When you switch, your old provider will cancel your previous service automatically. You need to log in to our app to activate your new SIM.",
            ],
            Unknown,
        ),
        (
            &[
                "Can I cancel online?",
                "After you click Confirm in the app your plan is cancelled at the end of the billing month.",
            ],
            Supported,
        ),
        (
            &[
                "Prepaid SIM",
                "Prepaid SIM cards cannot be cancelled and any outstanding credit will expire after 180 days.",
            ],
            Unknown, // round 18: a refusal alone says whether, not how
        ),
        // Round 17: a refusal within the contract term says when, not how (REPORT, "Round
        // 17"); this review had it as a denial.
        (
            &["提前解約", "在合約期內，本公司不會考慮取消合約的要求。"],
            Unknown,
        ),
        (
            &[
                "Cancellation confirmation",
                "We will send you a written statement confirming your cancellation and the date your service ends.",
            ],
            Unknown,
        ),
    ];
    for (blocks, want) in cases {
        assert_eq!(verdict(blocks), want, "{blocks:?}");
    }
}

/// The second review of round 16: its pages, where round 15 was right and the first mends
/// were not (an ending that befalls the reader, a verb of one's own after "you need to", a
/// time after "after", a pointer's reach, a plan's name, charges or a text named beside a
/// refusal).
#[test]
fn round_16_second_review_pages_keep_their_answers() {
    use Verdict::*;
    let cases: [(&[&str], Verdict); 21] = [
        (
            &[
                "Prepaid expiry",
                "Your prepaid service will be deactivated if you don't recharge within 120 days. You need to recharge online or at any of our stores.",
            ],
            Unknown,
        ),
        (
            &[
                "Porting your number to us",
                "When you switch, your old provider will cancel your previous service automatically. You need to activate your new SIM online in the app.",
            ],
            Unknown,
        ),
        (
            &[
                "Overdue accounts",
                "If your bill remains unpaid your service may be disconnected. Please call 1300 000 000 today.",
            ],
            Unknown,
        ),
        (
            &[
                "3G network closure",
                "Our 3G network will be switched off on 30 June and 3G-only services will be disconnected. Please contact us on 13 22 00 or visit a store.",
            ],
            Unknown,
        ),
        (
            &[
                "Contract end",
                "Your contract is cancelled automatically when you move to a new provider. You must return the modem to any of our stores.",
            ],
            Unknown,
        ),
        (
            &[
                "Replacing a lost SIM",
                "Your old SIM will be deactivated as soon as the replacement is ready. Please visit any of our stores with photo ID.",
            ],
            Unknown,
        ),
        (
            &[
                "Moving overseas",
                "If you move overseas your plan will be cancelled at the end of the month. You must update your address in My Account.",
            ],
            Unknown,
        ),
        (
            &[
                "Re: Cancelling Telstra",
                "After two weeks of waiting my service was cancelled online without any problem.",
            ],
            Supported,
        ),
        (
            &[
                "Re: How long does cancellation take?",
                "I did it last night and after a few minutes my account was cancelled through the app.",
            ],
            Supported,
        ),
        (
            &[
                "Re: Cancelling Optus",
                "Once I filled in the form my account was cancelled online the same day.",
            ],
            Supported,
        ),
        (
            &[
                "Prepaid FAQ",
                "If you are on a prepaid plan your service is cancelled by tapping Cancel service in the app.",
            ],
            Supported,
        ),
        (
            &[
                "Terminating your contract",
                "You may give notice at any time. Thereafter the contract is terminated by submitting the online form.",
            ],
            Supported,
        ),
        (
            &[
                "How do I cancel my plan?",
                "To cancel your plan, simply change your plan status to Do not renew in the My Vodafone app.",
            ],
            Supported,
        ),
        (
            &[
                "Cancelling your service",
                "You'll receive an email with a link to cancel your service online within 24 hours.",
            ],
            Supported,
        ),
        (
            &[
                "Cancelling your mobile plan",
                "Enter the PUK code printed on your SIM card when you cancel online via My Account.",
            ],
            Supported,
        ),
        (
            &[
                "No lock-in contracts",
                "You can cancel your Unlimited Calling 300 plan at any time with no exit fees.",
            ],
            Unknown,
        ),
        (
            &["預付卡條款", "預付卡售價已包括所有費用並不可取消或退款。"],
            Unknown, // round 18: a refusal alone says whether, not how
        ),
        (
            &["預付卡條款", "本文所述的預付卡不可取消或退款。"],
            Unknown, // round 18: a refusal alone says whether, not how
        ),
        (
            &[
                "Terms for prepaid services",
                "This section applies to prepaid mobile services that cannot be cancelled or refunded.",
            ],
            Unknown, // round 18: a refusal alone says whether, not how
        ),
        (
            &[
                "Cancelling your plan",
                "Open the app to see if you are still in contract then tap Cancel plan.",
            ],
            Supported,
        ),
        (
            &["终止服务", "登录APP了解更多后即可在线申请销户。"],
            Supported,
        ),
    ];
    for (blocks, want) in cases {
        assert_eq!(verdict(blocks), want, "{blocks:?}");
    }
}

/// Round 18: a refusal of the ending with no way named anywhere says whether, not how. It
/// is still shown as evidence; a way named beside it, or an online way refused, answers.
/// This pins the rules' reading; the weighing reads a refusal said of a product as a no
/// (round 57, `a_refusal_of_a_product_alone_is_weighed_as_a_no` below).
#[test]
fn a_refusal_alone_is_shown_but_does_not_answer_how() {
    use Verdict::*;
    for refusal in [
        "Prepaid SIM cards cannot be cancelled once activated.",
        "預付卡一經啟用不可取消。",
        "合约期满前无法销户。",
    ] {
        let a = assessed(&[refusal]);
        assert_eq!(a.verdict, Unknown, "{refusal}");
        if !refusal.contains("合约期") {
            assert!(
                a.evidence
                    .iter()
                    .any(|e| e.stance == Stance::NotCancellable),
                "{refusal}: {:?}",
                a.evidence
            );
        }
    }
    let cases: &[(&[&str], Verdict)] = &[
        (
            &[
                "Prepaid SIM cards cannot be cancelled once activated.",
                "To cancel a monthly plan, call our hotline on 1000.",
            ],
            NotSupported,
        ),
        (
            &["Prepaid SIM cards cannot be cancelled online."],
            NotSupported,
        ),
        (
            &[
                "Prepaid SIM cards cannot be cancelled once activated.",
                "Cancellation requests by email are not accepted.",
            ],
            NotSupported,
        ),
        (
            &[
                "Prepaid SIM cards cannot be cancelled once activated.",
                "Monthly plans can be cancelled in the app.",
            ],
            Supported,
        ),
    ];
    for (blocks, want) in cases {
        assert_eq!(verdict(blocks), *want, "{blocks:?}");
    }
}

/// Round 57: the rules read a refusal alone as saying whether, not how (above), but careful
/// readers of the probes read one said of a product ("Prepaid SIM cards cannot be cancelled")
/// as a no for it: 7 of the 10 opened probes whose only statement is such a refusal are
/// labelled not-supported, none unknown. The weighing, learnt from them, says so and keeps the
/// rules' reading beside it; a refusal of no product in particular stays unknown (12 of 16).
///
/// Round 59: the weighing also reads the statement's words, and "once activated" is said of
/// bundles and add-ons as often as of a line, so the English sentence below now weighs
/// unknown by a small margin. On the opened probes labelled not-supported whose only statement
/// is a refusal, the weighing with words gives 28 of 31 (round 58's, 22 of the 30 it ran
/// on). What stays pinned: such a refusal is never read as an offer or a contradiction, the
/// Chinese one is a no, and the rules' reading is kept beside a moved headline.
#[test]
fn a_refusal_of_a_product_alone_is_weighed_as_a_no() {
    for (refusal, no) in [
        (
            "Prepaid SIM cards cannot be cancelled once activated.",
            false,
        ),
        ("預付卡一經啟用不可取消。", true),
    ] {
        let a = weighed(&[refusal]);
        assert!(
            matches!(a.verdict, Verdict::NotSupported | Verdict::Unknown),
            "{refusal}: {:?}",
            a.verdict
        );
        if no {
            assert_eq!(a.verdict, Verdict::NotSupported, "{refusal}");
        }
        let moved = (a.verdict != Verdict::Unknown).then_some(Verdict::Unknown);
        assert_eq!(a.rules_read, moved, "{refusal}");
        assert_eq!(
            a.key_sentence().map(|e| e.stance),
            Some(Stance::NotCancellable)
        );
    }
    let a = weighed(&[
        "Cancellation policy",
        "The following services cannot be cancelled once activated:",
    ]);
    assert_eq!((a.verdict, a.rules_read), (Verdict::Unknown, None));
}

/// The review of round 18: a refusal alone neither contradicts an online way, nor answers
/// for a product, nor sums a page up ahead of the way that decides it.
#[test]
fn a_refusal_alone_stays_out_of_contradictions_products_and_the_key_sentence() {
    use Verdict::*;
    let a = assessed(&[
        "You can cancel your plan online in My Account.",
        "Bundles cannot be cancelled or refunded once bought.",
    ]);
    assert_eq!(a.verdict, Supported);
    let a = assessed(&[
        "Cancellation is not available in the app or in My Account.",
        "Prepaid services cannot be cancelled.",
    ]);
    assert_eq!(a.verdict, NotSupported);
    assert!(
        a.products.iter().all(|(_, v)| *v != Unknown),
        "{:?}",
        a.products
    );
    let a = assessed(&[
        "Prepaid SIM cards cannot be cancelled once activated.",
        "To cancel a monthly plan, please visit one of our stores.",
    ]);
    assert_eq!(a.verdict, NotSupported);
    assert_eq!(
        a.key_sentence().map(|e| e.stance),
        Some(Stance::OfflineOnly)
    );
    let a = assessed(&["Prepaid SIM cards cannot be cancelled once activated."]);
    assert_eq!(a.verdict, Unknown);
    assert_eq!(
        a.key_sentence().map(|e| e.stance),
        Some(Stance::NotCancellable)
    );
}

#[test]
fn a_step_goes_on_the_run_its_list_started() {
    let set: BTreeSet<usize> = [4, 5, 7].into_iter().collect();
    assert_eq!(runs(&set, &BTreeMap::new()), 2);
    let starts: BTreeMap<usize, usize> = [(5, 4), (7, 4)].into_iter().collect();
    assert_eq!(runs(&set, &starts), 1);
    // A list that starts after the gap does not join the run before it.
    let starts: BTreeMap<usize, usize> = [(7, 7)].into_iter().collect();
    assert_eq!(runs(&set, &starts), 2);
}

#[test]
fn a_weak_online_mention_yields_to_an_offline_way_said_for_the_ending() {
    let weak = Evidence {
        block: 1,
        sentence: "You can also send us a transfer form by email.".into(),
        concepts: vec!["online".into()],
        stance: Stance::Online,
        context: Vec::new(),
        ending: Ending::Service,
        qualified: false,
        products: Vec::new(),
        weak: true,
        reachable: false,
        procedure: None,
        others_refused: false,
        replaced: false,
    };
    let phone = Evidence {
        block: 0,
        sentence: "Cancel by calling us.".into(),
        concepts: vec!["terminate".into(), "offline".into()],
        stance: Stance::OfflineOnly,
        weak: false,
        ..weak.clone()
    };
    assert_eq!(decide([&weak, &phone].into_iter()), Verdict::NotSupported);
    // Alone, or beside an offline way that does not name the ending, it is still an offer.
    assert_eq!(decide([&weak].into_iter()), Verdict::Supported);
    let shop = Evidence {
        concepts: vec!["offline".into()],
        ..phone.clone()
    };
    assert_eq!(decide([&weak, &shop].into_iter()), Verdict::Supported);
    // A strong offer is not touched.
    let strong = Evidence {
        weak: false,
        ..weak.clone()
    };
    assert_eq!(decide([&strong, &phone].into_iter()), Verdict::Supported);
    // It says so where it is shown.
    assert_eq!(weak.label(), "online, in passing");
}

/// The review of round 17: pages where round 16 was right and round 17's first rules were
/// not ("but also", words inside "yearly"/"nearly", 提前 as "in advance", 已决定, "were to",
/// a time before "and check", a verb clause after 、, 绑定合约, payments, "found on our
/// website", an email address's own words).
#[test]
fn round_17_review_pages_keep_their_answers() {
    use Verdict::*;
    let cases: [(&[&str], Verdict); 21] = [
        // p02
        (
            &[
                "Cancelling your mobile plan",
                "You can do this online in My Account, but you can also call us on 0800 123 456 to cancel.",
            ],
            Supported,
        ),
        // p04
        (
            &[
                "宽带销户",
                "您可以登录网上营业厅办理，但也可以携带身份证到营业厅办理销户。",
            ],
            Supported,
        ),
        // r07
        (
            &[
                "終止服務",
                "您可於網上客戶服務中心辦理，但亦可親臨門市申請終止服務。",
            ],
            Supported,
        ),
        // r08
        (
            &[
                "Ending your broadband",
                "The quickest way is our online form, however you can also end your contract at any of our stores.",
            ],
            Supported,
        ),
        // p05
        (
            &["Cancellation policy", "Yearly plans cannot be cancelled."],
            Unknown, // round 18: a refusal alone says whether, not how
        ),
        // p06
        (
            &[
                "Cancellation policy",
                "As clearly stated in our terms, prepaid mobile services cannot be cancelled.",
            ],
            Unknown, // round 18: a refusal alone says whether, not how
        ),
        // q09
        (
            &[
                "Cancellation",
                "Nearly all of our prepaid bundles cannot be cancelled once bought.",
            ],
            Unknown, // round 18: a refusal alone says whether, not how
        ),
        // q10
        (
            &[
                "Cancellation",
                "Early Bird plans cannot be cancelled or refunded.",
            ],
            Unknown, // round 18: a refusal alone says whether, not how
        ),
        // q13
        (
            &[
                "退訂須知",
                "儲值卡一經售出不能取消，請於購買前提前查閱條款。",
            ],
            Unknown, // round 18: a refusal alone says whether, not how
        ),
        // p08
        (
            &["销户办理", "如果您已决定销户，请登录中国移动APP提交申请。"],
            Supported,
        ),
        // p08d
        (
            &["終止服務", "若閣下已決定解約，可於網路門市線上申請。"],
            Supported,
        ),
        // p07
        (
            &[
                "Cancelling your contract",
                "If you were to cancel your contract, you can do so online via My Account.",
            ],
            Supported,
        ),
        // r09
        (
            &[
                "Cancelling your contract",
                "Log in to My Account before you cancel your contract and check whether you still owe anything.",
                "To cancel, call us on 0800 123 456.",
            ],
            NotSupported,
        ),
        // r10
        (
            &[
                "Cancelling your contract",
                "Visit our website once you have decided to cancel your plan and find out your early exit fee.",
                "Cancellations are handled by phone on 0800 123 456.",
            ],
            NotSupported,
        ),
        // r11
        (
            &[
                "手机号码销户",
                "办理销户前，请先解除第三方账号绑定、再登录中国移动APP提交申请。",
            ],
            Supported,
        ),
        // r14
        (
            &["宽带销户", "合约绑定期满后可登录APP办理销户。"],
            Supported,
        ),
        // r15b
        (
            &["終止服務", "綁定合約期滿後可於網路門市申請終止服務。"],
            Supported,
        ),
        // r13
        (
            &[
                "Cancel your plan",
                "Cancel online in My Account so that no further charges need to be paid.",
            ],
            Supported,
        ),
        // r16
        (
            &[
                "Cancel your plan",
                "Cancel online in My Account if you do not want to pay any more monthly charges.",
            ],
            Supported,
        ),
        // p12c
        (
            &[
                "How to cancel",
                "To cancel, submit the request form, found on our website.",
            ],
            Supported,
        ),
        // q06b
        (
            &[
                "Cancelling your plan",
                "To cancel, email us at cancel@happymobile.co.uk.",
                "Important",
                "Cancellation requests sent by email are not accepted.",
            ],
            Conflicting,
        ),
    ];
    for (blocks, want) in cases {
        assert_eq!(verdict(blocks), want, "{blocks:?}");
    }
}

#[test]
fn a_refusal_of_email_alone_leaves_another_online_way_offered() {
    let portal = "You can cancel your service online by opening a ticket in the customer portal.";
    let no_email = "Cancellation requests sent by email are not accepted.";
    assert_eq!(verdict(&[portal, no_email]), Verdict::Supported);
    // Email is all that is offered: its refusal contradicts it.
    assert_eq!(
        verdict(&["You can cancel your service by email.", no_email]),
        Verdict::Conflicting
    );
    assert_eq!(
        verdict(&[no_email, "Please call us to cancel your service."]),
        Verdict::NotSupported
    );
    // A refusal of online ways in general still contradicts the portal.
    assert_eq!(
        verdict(&[
            portal,
            "Cancellation requests made online are not accepted."
        ]),
        Verdict::Conflicting
    );
}

#[test]
fn round_14_traps_leave_a_channel_named_beside_them() {
    for s in [
        "In My Account you can view your billing history and cancel your plan online.",
        "Open the app, where you can find Cancel my plan under Settings, to end your plan online.",
    ] {
        assert_eq!(verdict(&[s]), Verdict::Supported, "{s}");
    }
    assert_eq!(
        verdict(&["Your billing history is available in the app after you cancel your plan."]),
        Verdict::Unknown
    );
}

/// A plain statement about the service, for tests that build evidence by hand.
pub(super) fn statement(block: usize, sentence: &str, stance: Stance) -> Evidence {
    Evidence {
        block,
        sentence: sentence.into(),
        concepts: Vec::new(),
        stance,
        context: Vec::new(),
        ending: Ending::Service,
        qualified: false,
        products: Vec::new(),
        weak: false,
        reachable: false,
        procedure: None,
        others_refused: false,
        replaced: false,
    }
}

#[test]
fn many_offers_against_one_denial_are_counted_in_one_pass() {
    let offer = statement(0, "Cancel online in the app.", Stance::Online);
    let mut all: Vec<Evidence> = (0..50_000)
        .map(|i| Evidence {
            block: i % 2 * 2,
            ..offer.clone()
        })
        .collect();
    // A denial of one way: one that lists the ways refuses them for everyone (see
    // `refuses_ways`).
    all.push(Evidence {
        block: 4,
        sentence: "Business lines cannot be cancelled online.".into(),
        stance: Stance::NegatedOnline,
        ..offer.clone()
    });
    // Two blocks apart offer, one denies: an exception, however many sentences repeat the
    // offer.
    assert_eq!(decide(all.iter()), Verdict::Supported);
    all.push(Evidence {
        block: 6,
        stance: Stance::NotCancellable,
        ..offer
    });
    assert_eq!(decide(all.iter()), Verdict::Conflicting);
}

#[test]
fn thousands_of_named_products_are_answered_each_once() {
    let blocks: Vec<String> = (0..3000)
        .map(|i| format!("Plan {i:04}: you can terminate the service online."))
        .chain(["Plan X: the service cannot be terminated online.".to_string()])
        .collect();
    let a = assess(Lexicon::builtin(), &blocks);
    assert_eq!(a.verdict, Verdict::Supported);
    assert_eq!(a.products.len(), 3001);
    assert_eq!(a.products[0], ("Plan 0000".to_string(), Verdict::Supported));
    assert_eq!(
        a.products.last(),
        Some(&("Plan X".to_string(), Verdict::NotSupported))
    );
}

fn products(blocks: &[&str]) -> Vec<(String, Verdict)> {
    let blocks: Vec<String> = blocks.iter().map(|b| b.to_string()).collect();
    assess(Lexicon::builtin(), &blocks).products
}

#[test]
fn each_product_is_answered_as_the_page_is() {
    let v = |s: &str| (s.to_string(), Verdict::Supported);
    let n = |s: &str| (s.to_string(), Verdict::NotSupported);
    assert_eq!(
        products(&[
            "eSIM customers can cancel their plan online in the app.",
            "Prepaid customers must visit a shop to cancel their plan.",
        ]),
        [v("eSIM"), n("prepaid")]
    );
    // The third person of "end your plan", as help pages write of customers.
    assert_eq!(
        products(&[
            "eSIM customers can end their plan online in the app.",
            "Prepaid customers must visit a shop to end their plan.",
        ]),
        [v("eSIM"), n("prepaid")]
    );
    // A denial for some of one product's services qualifies its answer, as it does the
    // page's: eSIM is answered `supported`, like the page, so no line is needed.
    assert_eq!(
        products(&["eSIM用户可在网上营业厅注销号码，部分业务暂不支持"]),
        []
    );
    // A shop named for one product does not take away the online way offered to all.
    assert_eq!(
        products(&[
            "You can cancel your plan online in My Account.",
            "Prepaid SIM cards can also be cancelled at any of our shops.",
        ]),
        []
    );
    // An address's colon labels no product.
    assert_eq!(
        products(&[
            "Go to https://my.example.com/cancel to end your plan online.",
            "Plans cannot be cancelled online.",
        ]),
        []
    );
    // Not when the statements for everyone contradict each other.
    assert_eq!(
        products(&[
            "You can cancel your plan online.",
            "Plans cannot be cancelled online.",
            "Prepaid SIM cards can also be cancelled at any of our shops.",
        ]),
        [n("prepaid")]
    );
    // An explicit denial for one product does.
    assert_eq!(
        products(&[
            "You can cancel your plan online in My Account.",
            "Prepaid SIM cards cannot be cancelled online.",
        ]),
        [n("prepaid")]
    );
}

#[test]
fn english_stances() {
    assert_eq!(
        verdict(&["You may terminate your eSIM service online through My Account."]),
        Verdict::Supported
    );
    assert_eq!(
        verdict(&["To terminate the service, please visit any 3Shop in person."]),
        Verdict::NotSupported
    );
    assert_eq!(
        verdict(&["The service cannot be cancelled online. Please call our hotline."]),
        Verdict::NotSupported
    );
    assert_eq!(
        verdict(&["Data is charged at $1 per MB."]),
        Verdict::Unknown
    );
    assert_eq!(
        verdict(&[
            "You may terminate the service via our website.",
            "Termination requests submitted online will not be accepted."
        ]),
        Verdict::Conflicting
    );
}

#[test]
fn a_subject_in_the_same_block_is_shown_as_context() {
    let blocks = vec![
        "You do not need to visit a shop to end your plan. Just log in to My Account.".to_string(),
    ];
    let a = assess(Lexicon::builtin(), &blocks);
    assert_eq!(a.verdict, Verdict::Supported);
    let online = a
        .evidence
        .iter()
        .find(|e| e.stance == Stance::Online)
        .expect("an online line");
    assert_eq!(online.sentence, "Just log in to My Account.");
    assert_eq!(
        online.context,
        ["You do not need to visit a shop to end your plan."]
    );
}

#[test]
fn notice_is_not_negation() {
    assert_eq!(
        verdict(&[
            "Either party may terminate by giving not less than thirty (30) days' notice via our website."
        ]),
        Verdict::Supported
    );
}

#[test]
fn chinese_stances() {
    assert_eq!(
        verdict(&["客戶可透過網上或手機應用程式終止服務。"]),
        Verdict::Supported
    );
    assert_eq!(
        verdict(&["如需終止服務，請親臨門市辦理。"]),
        Verdict::NotSupported
    );
    assert_eq!(
        verdict(&["本公司恕不接受網上終止服務申請，請親臨客戶服務中心辦理。"]),
        Verdict::NotSupported
    );
    assert_eq!(
        verdict(&["终止服务可于网上办理，已缴费用恕不退还。"]),
        Verdict::Supported
    );
    assert_eq!(
        verdict(&["暂不支持在线销户，请前往营业厅办理。"]),
        Verdict::NotSupported
    );
}

#[test]
fn a_refusal_in_its_own_clause_negates_the_channel() {
    assert_eq!(
        verdict(&["Termination requests submitted online, however, will not be accepted."]),
        Verdict::NotSupported
    );
    assert_eq!(
        verdict(&["透過電子表格提交的終止服務申請，恕不受理。"]),
        Verdict::NotSupported
    );
    // A bare 不可 in another clause does not reach the channel.
    assert_eq!(
        verdict(&["客戶可於網上終止服務，本優惠不可轉讓。"]),
        Verdict::Supported
    );
    assert_eq!(
        verdict(&["用户可通过应用程序办理销号。"]),
        Verdict::Supported
    );
}

#[test]
fn traps_are_not_cancellation() {
    assert_eq!(
        verdict(&["CMHK is entitled to cancel the order if the information is incomplete."]),
        Verdict::Unknown
    );
}

#[test]
fn a_channel_label_is_not_a_product() {
    let blocks = [
        "Phone: call us on 1000 to cancel your plan.".to_string(),
        "Web chat: cancel your plan in the live chat on our website.".to_string(),
        "Plan A: cancel the plan online in My Account.".to_string(),
    ];
    let a = assess(Lexicon::builtin(), &blocks);
    assert_eq!(a.verdict, Verdict::Supported);
    let named: Vec<&[String]> = a.evidence.iter().map(|e| e.products.as_slice()).collect();
    assert!(named.contains(&&["Plan A".to_string()][..]), "{named:?}");
    assert!(
        !named.iter().any(|p| p.contains(&"Phone".to_string())),
        "{named:?}"
    );
}

/// Steps under a heading that qualifies ("部分省份", "in some regions") hold for some: their
/// line says so, and the shop for everyone does not take the online route away.
#[test]
fn a_qualified_heading_qualifies_the_steps_under_it() {
    let online_line = |heading: &str| {
        let html = format!(
            "<main><h2>到营业厅办理</h2><p>可用下面的方式申请关停号码:</p>\
                 <ul><li>带上身份证到营业厅办理</li></ul>\
                 <h2>{heading}</h2><ul><li>打开手机营业厅,进入\"业务办理\"</li>\
                 <li>选择\"销户\",按提示提交</li></ul></main>"
        );
        let url = "https://example.com/".parse().unwrap();
        let extractor = crate::extract::Extractor::new(&["main".to_string()], &[]).unwrap();
        let blocks = extractor.extract(&html, &url).unwrap();
        let a = assess_structured(Lexicon::builtin(), &blocks);
        assert_eq!(a.verdict, Verdict::Supported, "{heading}");
        let e = a.evidence.into_iter().find(|e| e.stance == Stance::Online);
        e.expect("an online line").qualified
    };
    assert!(online_line("网上办理(部分省份)"));
    assert!(!online_line("网上办理"));
}

/// Round 48 (a walk-through): on a page for a group, a sentence that turns from others'
/// online way and sends the group to a shop is shown as the refusal it is for them, and
/// sums the page up; a way only kept for others is shown as theirs.
#[test]
fn a_group_shut_out_is_shown_as_refused() {
    let html = "<main><h1>預付卡常見問題</h1>\
             <h3>我不想用預付卡了，可以在App上停用嗎？</h3>\
             <p>月租型門號雖然已開放在App線上退租，但預付卡門號須由本人到直營門市辦理停用。</p>\
             <h3>上網日租方案可以中途取消嗎？</h3><p>上網方案一經開通即無法取消。</p></main>";
    let url = "https://example.com/".parse().unwrap();
    let extractor = crate::extract::Extractor::new(&["main".to_string()], &[]).unwrap();
    let blocks = extractor.extract(html, &url).unwrap();
    let a = assess_structured(Lexicon::builtin(), &blocks);
    assert_eq!(a.verdict, Verdict::NotSupported);
    let key = a.key_sentence().expect("a key sentence");
    assert!(key.sentence.contains("但預付卡門號"), "{}", key.sentence);
    assert_eq!(key.label(), "online, negated");
}

/// Context look-ups made for every item read a bounded prefix of a heading (a page with a
/// huge heading over thousands of items stays linear): a porting word at the start of a long
/// heading is seen, the same word 300 characters in is not.
#[test]
fn a_heading_is_read_by_its_prefix() {
    let verdict_under = |heading: &str| {
        let html = format!(
            "<main><h2>{heading}</h2><ul><li>到新运营商营业厅办理入网并注销原SIM卡。</li></ul></main>"
        );
        let url = "https://example.com/".parse().unwrap();
        let extractor = crate::extract::Extractor::new(&["main".to_string()], &[]).unwrap();
        let blocks = extractor.extract(&html, &url).unwrap();
        assess_structured(Lexicon::builtin(), &blocks).verdict
    };
    let filler = "说明".repeat(150);
    assert_eq!(
        verdict_under(&format!("携号转网{filler}")),
        Verdict::Unknown
    );
    assert_eq!(
        verdict_under(&format!("{filler}携号转网")),
        Verdict::NotSupported
    );
}

/// Round 30 (a walk-through): the verdict box quotes three deciding sentences; the one the
/// verdict rests on is among them however many come before it, and the rest are counted.
#[test]
fn the_sentences_shown_always_hold_the_one_the_verdict_rests_on() {
    let a = assessed(&[
        "To end your plan, call us on 1800 555 010.",
        "To end your broadband, visit any of our shops.",
        "To end your contract, please call 2888 0000.",
        "To end your mobile plan, you can also log in to My Account and choose Cancel plan.",
    ]);
    assert_eq!(a.verdict, Verdict::Supported);
    let (shown, left) = a.shown(3);
    assert_eq!((shown.len(), left), (3, 1));
    assert!(
        shown.iter().any(|e| e.stance == Stance::Online),
        "{shown:?}"
    );
    // In page order.
    assert!(
        shown[0].sentence.starts_with("To end your plan"),
        "{shown:?}"
    );
    assert!(shown[2].sentence.contains("My Account"), "{shown:?}");
    // A conflicting page shows the denial and the offer.
    let a = assessed(&[
        "To end your plan, call us on 1800 555 010.",
        "To end your broadband, visit any of our shops.",
        "Termination requests submitted online will not be accepted.",
        "You may terminate the service via our website.",
    ]);
    assert_eq!(a.verdict, Verdict::Conflicting);
    let (shown, left) = a.shown(2);
    assert_eq!(left, 2);
    let stances: Vec<Stance> = shown.iter().map(|e| e.stance).collect();
    assert_eq!(stances, [Stance::NegatedOnline, Stance::Online]);
    // Fewer than the cap: all of them, none left.
    let (shown, left) = a.shown(10);
    assert_eq!((shown.len(), left), (4, 0));
    assert_eq!(a.shown(0), (Vec::new(), 4));
}

/// Round 19: a narrow route refused is the key sentence only when nothing wider is said.
#[test]
fn a_narrow_refusal_yields_the_key_sentence_to_an_offline_way() {
    let a = assessed(&[
        "Our virtual assistant can't terminate your mobile service.",
        "To end your plan, call us on 1800 555 010.",
    ]);
    assert_eq!(a.verdict, Verdict::NotSupported);
    let key = a.key_sentence().expect("a key sentence");
    assert!(key.sentence.starts_with("To end your plan"), "{key:?}");
    let a = assessed(&[
        "Our virtual assistant can't terminate your mobile service.",
        "Plans cannot be cancelled online.",
        "To end your plan, call us on 1800 555 010.",
    ]);
    let key = a.key_sentence().expect("a key sentence");
    assert!(key.sentence.starts_with("Plans cannot"), "{key:?}");
    let a = assessed(&["Our virtual assistant can't terminate your mobile service."]);
    let key = a.key_sentence().expect("a key sentence");
    assert!(key.sentence.starts_with("Our virtual"), "{key:?}");
}

/// Round 19: the three cases the review of round 18 left open.
#[test]
fn the_review_of_round_18s_open_cases() {
    use Verdict::*;
    // Self-service refused: the online way is denied, and "contact us" is what is left.
    assert_eq!(
        verdict(&["You cannot cancel your service yourself. Please contact us."]),
        NotSupported
    );
    // A virtual assistant is an online channel; refusing it refuses that way.
    assert_eq!(
        verdict(&["Our Virtual Assistant cannot cancel your service."]),
        NotSupported
    );
    // A stop for a trip abroad is a suspension: shown as such, it decides nothing.
    let a = assessed(&[
        "出國停用申請",
        "如需出國期間暫停服務，請於網上提交停用申請。",
    ]);
    assert_eq!(a.verdict, Unknown, "{a:?}");
}

#[test]
fn combine_shows_disagreement() {
    use Verdict::*;
    assert_eq!(Verdict::combine([Supported, Unknown]), Supported);
    assert_eq!(Verdict::combine([Supported, NotSupported]), Conflicting);
    assert_eq!(Verdict::combine([]), Unknown);
}

#[test]
fn round_54_second_wave() {
    // A refusal that lists APP between Chinese marks refuses more than email.
    assert!(!narrow_route(
        "門號退租一律須親至服務據點辦理，恕不受理APP、官網、電話或電子郵件申請。"
    ));
    assert!(narrow_route("恕不受理電子郵件申請。"));
    // A withdrawal that sets aside what the page says further down.
    assert!(crate::extract::context::replaced::sets_aside_below(
        "網上表格已停止運作，本頁下文有關網上表格之內容不再適用。"
    ));
    assert!(!crate::extract::context::replaced::sets_aside_below(
        "網上表格已停止運作。"
    ));
    // News of a launch told by the time before it: "for now … still have to".
    assert_eq!(
        verdict(&[
            "Birch Wireless plans to let customers cancel their service from its app.",
            "For now, customers who want to cancel still have to call *611.",
            "Customers will then cancel in the app in a few taps.",
        ]),
        Verdict::NotSupported
    );
}

#[test]
fn round_54_third_wave_older_text_below_a_note() {
    let html = "<main><h1>退租服務公告</h1>\
        <p>網路門市已停止受理門號退租申請，請本人攜帶雙證件至門市辦理。</p>\
        <p>以下為原公告內容（2023/05/02 發布），僅供參考：</p>\
        <h2>申請步驟</h2><ol><li>登入網路門市會員中心。</li>\
        <li>點選「門號服務 &gt; 線上退租」送出申請。</li></ol></main>";
    let a = assessed_html(html);
    let labels: Vec<String> = a.deciding().map(|e| e.label()).collect();
    assert_eq!(a.verdict, Verdict::NotSupported, "{labels:?}");
}

#[test]
fn withdrawals_by_part_are_read_up_to_their_cap() {
    // A withdrawal of part one, after `n` others that withdraw nothing on the page.
    let page = |n: usize| {
        let mut html = String::from(
            "<main><h1>銷戶指南</h1><h2>一、線上辦理</h2><p>登入APP，於「我的」提交銷戶申請。</p>\
             <h2>二、門市辦理</h2><p>請攜帶身份證到門市辦理銷戶。</p>",
        );
        for i in 0..n {
            html.push_str(&format!("<p>「附件{i}」之內容不再適用。</p>"));
        }
        html.push_str("<p>更正：上述第一部分內容不再適用。</p></main>");
        assessed_html(&html).verdict
    };
    assert_eq!(page(0), Verdict::NotSupported);
    assert_eq!(page(15), Verdict::NotSupported);
    // Past the cap the withdrawal is not read: the online way stands beside the shop.
    assert_eq!(page(16), Verdict::Supported);
}

#[test]
fn round_55_refusals_and_marks() {
    use crate::extract::reading::yes_no;
    let stance = |s: &str| sentence_stance(Lexicon::builtin(), s).map(|(st, _)| st);
    // A refusal that names the phone first and the online ways after it.
    assert_eq!(
        stance("We cannot accept notice to end your plan by phone, email, chat or in the app."),
        Some(Stance::NegatedOnline)
    );
    // Taiwan's 不得以…為之 and "cannot be ended".
    assert_eq!(
        stance("終止租用應由本人至直營門市辦理，不得以網路、電話或郵寄方式為之。"),
        Some(Stance::NegatedOnline)
    );
    assert_eq!(
        stance("Plans cannot be ended in the app or on our website."),
        Some(Stance::NegatedOnline)
    );
    // A Cantonese no, a filled dot and a hollow one.
    assert_eq!(yes_no("唔可以"), Some(false));
    assert_eq!(yes_no("●"), Some(true));
    assert_eq!(yes_no("●¹"), Some(true));
    assert_eq!(yes_no("暫時未支援。"), Some(false));
    assert_eq!(yes_no("● 2"), Some(true));
    assert_eq!(yes_no("●¹²"), Some(true));
    assert_eq!(yes_no("● 10086"), None);
    assert_eq!(yes_no("●●"), None);
    assert_eq!(yes_no("○"), None);
    // A Cantonese no that opens the answer to a question about the app refuses the app, though
    // the sentence after it names only the hotline.
    let html = "<main><h3>可以點樣取消服務？</h3><p>喺 App 入「帳戶」&gt;「取消服務」再確認就得。</p>\
        <h3>可以經 App 退台嗎？</h3><p>唔可以。退台要致電熱線 3000 1234。</p></main>";
    let a = assessed_html(html);
    let labels: Vec<String> = a.deciding().map(|e| e.label()).collect();
    assert_eq!(a.verdict, Verdict::Conflicting, "{labels:?}");
}

#[test]
fn a_page_answers_for_the_customers_its_blocks_name_most() {
    let page = |extra: &str| {
        let html = format!(
            "<main><h1>Ending lines</h1>\
             <p>Business accounts cancel a line by sending a letter on company letterhead.</p>\
             <p>Send the letter to your business account manager.</p>\
             <p>Business accounts can't cancel a line through the Business Portal or by email.</p>\
             {extra}<p>Personal plans can be ended in the app.</p></main>"
        );
        assessed_html(&html).verdict
    };
    // Three blocks for business accounts against one for personal plans: the business page,
    // and the assessment says whom it answers for.
    assert_eq!(page(""), Verdict::NotSupported);
    let html = "<main><h1>Ending lines</h1>\
        <p>Business accounts cancel a line by sending a letter on company letterhead.</p>\
        <p>Send the letter to your business account manager.</p>\
        <p>Business accounts can't cancel a line through the Business Portal or by email.</p>\
        <p>Personal plans can be ended in the app.</p></main>";
    assert_eq!(
        assessed_html(html).answers_for.as_deref(),
        Some("corporate")
    );
    // As many for personal customers as for business ones: no one group is the page's.
    let personal = "<p>Personal customers can see their usage in the app.</p>\
                    <p>Personal customers get a bill each month.</p>";
    assert_ne!(page(personal), Verdict::NotSupported);
}

#[test]
fn a_row_that_ends_the_number_itself_answers_for_the_page() {
    // The text offers the app; the table's row for closing the number itself refuses it,
    // beside a row for broadband: one question answered twice, not two products.
    let page = "<main><h1>号码注销</h1>\
        <p>个人实名用户可以打开营业厅APP，搜索“销户”，按提示提交，全程线上办理。</p>\
        <table><tr><th>业务</th><th>APP</th><th>营业厅</th></tr>\
        <tr><th>手机号码注销</th><td>✗</td><td>✓</td></tr>\
        <tr><th>宽带拆机</th><td>✗</td><td>✓</td></tr></table></main>";
    let a = assessed_html(page).as_the_rules_read();
    assert_eq!(a.verdict, Verdict::Conflicting, "{a:?}");
    assert!(
        a.evidence
            .iter()
            .any(|e| e.context.iter().any(|c| c.contains("手机号码注销"))),
        "{a:?}"
    );
    assert!(
        a.evidence
            .iter()
            .filter(|e| e.context.iter().any(|c| c.contains("手机号码注销")))
            .all(|e| e.products.is_empty()),
        "{a:?}"
    );
    // Broadband's row is still broadband's.
    assert!(
        a.evidence
            .iter()
            .any(|e| e.products.iter().any(|p| p == "broadband"))
    );
}

#[test]
fn rows_that_end_the_number_for_two_kinds_of_card_stay_apart() {
    // 销户（主卡） and 销户（副卡） are two rows, each its own product (the review of round 58).
    let page = "<main><h1>号码注销</h1>\
        <table><tr><th>业务</th><th>APP</th><th>营业厅</th></tr>\
        <tr><th>销户（主卡）</th><td>✓</td><td>✓</td></tr>\
        <tr><th>销户（副卡）</th><td>✗</td><td>✓</td></tr></table></main>";
    let a = assessed_html(page).as_the_rules_read();
    assert_eq!(a.verdict, Verdict::Supported, "{a:?}");
    assert!(
        a.evidence
            .iter()
            .any(|e| e.context.iter().any(|c| c.contains("副卡"))),
        "{a:?}"
    );
    assert!(
        a.evidence
            .iter()
            .filter(|e| e.context.iter().any(|c| c.contains("副卡")))
            .all(|e| !e.products.is_empty()),
        "{a:?}"
    );
}

#[test]
fn a_contact_headings_way_stands_for_the_list_of_what_it_handles() {
    // Round 63's first wave: under "WhatsApp: …", a lead-in that names no way lists what the
    // WhatsApp team handles, ending the plan among it.
    let page = "<main><h1>Contact us</h1>\
        <h2>WhatsApp: +852 5100 0000</h2>\
        <p>Message us 9am to 10pm. Our team can help with:</p>\
        <ul><li>top-ups;</li><li>cancelling your monthly plan;</li></ul></main>";
    let a = assessed_html(page).as_the_rules_read();
    assert_eq!(a.verdict, Verdict::Supported, "{a:?}");
    // The evidence shows the heading it took the way from, then the lead-in.
    assert!(
        a.evidence.iter().any(|e| e.context.len() == 2
            && e.context[0].starts_with("WhatsApp")
            && e.context[1].contains("help with")),
        "{a:?}"
    );
    // Not a heading that says something of the way: the list is not read as the app's.
    let said = "<main><h1>Contact us</h1>\
        <h2>What you can do in the app</h2>\
        <p>Some things need our team:</p>\
        <ul><li>top-ups;</li><li>cancelling your monthly plan;</li></ul></main>";
    let a = assessed_html(said).as_the_rules_read();
    assert_ne!(a.verdict, Verdict::Supported, "{a:?}");
    // Nor a way's bare name over what still needs a person (the review of round 63).
    let bare = said
        .replace("What you can do in the app", "The app")
        .replace("Some things need our team:", "These still need a person:");
    let a = assessed_html(&bare).as_the_rules_read();
    assert_ne!(a.verdict, Verdict::Supported, "{a:?}");
}

#[test]
fn a_bracket_standing_alone_withdraws_the_clause_before_it() {
    // Round 63's second wave: the withdrawal is its own paragraph after the clause.
    let page = "<main><h1>Terms</h1>\
        <p>14.3 You may give us notice using the cancellation form in MyKiwa.</p>\
        <p>[This clause no longer applies from 1 July 2023. See clause 14.4.]</p>\
        <p>14.4 You must give us notice by calling 0800 549 200.</p></main>";
    let a = assessed_html(page).as_the_rules_read();
    assert_eq!(a.verdict, Verdict::NotSupported, "{a:?}");
    // A bracket that withdraws nothing as a whole leaves the clause before it in force.
    let page = page.replace(
        "[This clause no longer applies from 1 July 2023. See clause 14.4.]",
        "[This clause no longer applies to prepaid services.]",
    );
    let a = assessed_html(&page).as_the_rules_read();
    assert_ne!(a.verdict, Verdict::NotSupported, "{a:?}");
    // Nor an item that opens with its letter and withdraws only itself (the review of round 63).
    let item = page.replace(
        "[This clause no longer applies to prepaid services.]",
        "(a) Notices by fax are also accepted (this paragraph no longer applies from 1 March 2024).",
    );
    let a = assessed_html(&item).as_the_rules_read();
    assert_ne!(a.verdict, Verdict::NotSupported, "{a:?}");
}

#[test]
fn a_heading_that_names_ending_beside_porting_is_not_porting() {
    // Round 63's third wave: "注销与转网" heads questions on each; the answer about closing the
    // number is not a step of moving it.
    let page = "<main><h1>常见问题</h1><h2>五、注销与转网</h2>\
        <h3>17. 我不想继续用这个号码了，可以在网上办吗？</h3>\
        <p>可以。打开 APP，搜索“线上销户”，按提示完成人脸识别后提交，审核通过后号码即注销。</p></main>";
    let a = assessed_html(page).as_the_rules_read();
    assert_eq!(a.verdict, Verdict::Supported, "{a:?}");
    // A porting heading alone still is: closing the old card is a step of moving the number.
    let porting = page.replace("五、注销与转网", "五、携号转网");
    let a = assessed_html(&porting).as_the_rules_read();
    assert_ne!(a.verdict, Verdict::Supported, "{a:?}");
    // So is one whose bracket lists porting's steps (the review of round 63).
    let steps = page.replace("五、注销与转网", "五、转网（资格查询与注销）");
    let a = assessed_html(&steps).as_the_rules_read();
    assert_ne!(a.verdict, Verdict::Supported, "{a:?}");
}

/// Every stance is found again by its name, and a reader is shown the same name but for the one
/// that names offline ways ("offline", not "offline only", which reads as "the only way").
#[test]
fn stance_names_round_trip_and_only_offline_is_shown_apart() {
    let all = Stance::ALL;
    for s in all {
        assert_eq!(Stance::parse(s.as_str()), Some(s));
        if s == Stance::OfflineOnly {
            assert_eq!(s.shown(), "offline");
        } else {
            assert_eq!(s.shown(), s.as_str());
        }
    }
    assert_eq!(Stance::parse("offline"), None);
    let shown: std::collections::HashSet<&str> = all.iter().map(|s| s.shown()).collect();
    assert_eq!(shown.len(), all.len(), "two stances shown alike");
}
