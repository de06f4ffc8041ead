//! Unit tests of reading in context: labels, speakers, kinds of product, comparisons.
use crate::extract::normalise::for_matching;

use super::kinds::{Kinds, kinds_named};
use super::labels::{
    aspect_label, bare_answer, clause_label, label_split, numbered_section, speaker_label,
    step_label,
};
use super::providers::compares_providers;

/// Round 40: names that open the turns of a transcript are speakers; product labels
/// repeated in a bilingual page are not.
#[test]
fn named_turns_make_a_dialogue() {
    let chat = [
        "Gannet Assistant: Hi! How can I help?",
        "Priya: I want to cancel my extra line.",
        "Gannet Assistant: Let me pass you on.",
        "Priya: Thanks.",
    ];
    assert!(super::labels::named_speakers(&chat));
    let bilingual = [
        "eSIM: cancel in the app.",
        "Prepaid: visit a shop.",
        "eSIM：可於應用程式取消。",
        "Prepaid：請親臨門市。",
        "eSIM: the profile is deleted.",
        "Prepaid: credit is not refunded.",
    ];
    assert!(!super::labels::named_speakers(&bilingual));
    // An FAQ's markers are no speakers (the read-through of round 40).
    let faq = [
        "Q: I want to cancel my plan. Can I do it online?",
        "A: Yes, in My Account.",
        "Q: I'd like to keep my number.",
        "A: Port it first.",
    ];
    assert!(!super::labels::named_speakers(&faq));
    // Bounded: a page of 100,000 labelled blocks is read in its first 200.
    let many: Vec<String> = (0..100_000).map(|i| format!("L{}: x", i % 50)).collect();
    assert!(!super::labels::named_speakers(&many));
}

#[test]
fn a_numbered_note_is_no_product() {
    for l in ["注1", "注 1", "note 2", "*1", "※3"] {
        assert!(super::labels::numbered_note(l), "{l}");
    }
    for l in ["注意", "note", "esim", "1"] {
        assert!(!super::labels::numbered_note(l), "{l}");
    }
}

/// Round 39's reviews: a chat's or a thread's speaker is no product; a plan's name is.
#[test]
fn speakers_are_no_products() {
    for label in [
        "客服",
        "agent",
        "you",
        "1楼 楼主",
        "#3",
        "tidewater_moderator",
        "微光客服 amy",
    ] {
        assert!(speaker_label(label), "{label}");
    }
    for label in ["esim", "prepaid sim", "月费计划", "sim-only plans"] {
        assert!(!speaker_label(label), "{label}");
    }
}

/// Round 35's reviews: the whole sentence is the bare answer, after a FAQ marker.
#[test]
fn a_cells_marks_are_read_whole_from_its_end() {
    assert_eq!(super::footnotes::trailing_marks("✓**"), "**");
    assert_eq!(super::footnotes::trailing_marks("✓※ "), "※");
    assert_eq!(super::footnotes::trailing_marks("取消服務 #"), "#");
    assert_eq!(super::footnotes::trailing_marks("✓"), "");
    assert_eq!(super::footnotes::trailing_marks("✓1"), "1");
    assert_eq!(super::footnotes::trailing_marks("✓123"), "");
    assert_eq!(super::footnotes::trailing_marks("✓①"), "①");
    // A mark with its note's number (round 47).
    assert_eq!(super::footnotes::trailing_marks("✓※1"), "※1");
    assert_eq!(super::footnotes::trailing_marks("✓*12"), "*12");
    assert_eq!(super::footnotes::trailing_marks("✓*123"), "");
    assert_eq!(super::note_mark("取消服務※2 網上"), "※2");
    // A badge's mark may stand after its first word.
    assert_eq!(super::note_mark("取消服務* 網上 ✓"), "*");
    assert_eq!(super::note_mark("網上辦理 ✓*"), "*");
    assert_eq!(super::note_mark("* 只適用於個人客戶"), "");
    assert_eq!(super::note_mark("Call *#06# to see it"), "#");
    // At most three: a row of stars is no mark.
    assert_eq!(super::footnotes::trailing_marks("*****"), "***");
}

#[test]
fn a_clause_number_is_no_product() {
    for label in [
        "第12.3条",
        "第五條",
        "clause 14.2",
        "section 5",
        "14.2",
        "(3)",
    ] {
        assert!(clause_label(label), "{label}");
    }
    for label in ["esim", "预付卡", "月費計劃", "business plans", "第一步", ""] {
        assert!(!clause_label(label), "{label}");
    }
}

/// A numbered section ("2. Contact us", 三、提交申请) numbers a heading, not a sub-clause.
#[test]
fn numbered_sections() {
    for h in [
        "2. Contact Customer Service",
        "3) Return the router",
        "三、提交申请",
        "10. Fees",
    ] {
        assert!(numbered_section(h), "{h}");
    }
    for h in ["2.1 Fees", "Step 2", "2024 changes", "第二步", "Contact us"] {
        assert!(!numbered_section(h), "{h}");
    }
}

#[test]
fn a_bare_answer_is_the_whole_sentence() {
    let bare = |t: &str| bare_answer(&crate::extract::normalise::for_matching(t));
    assert_eq!(bare("Not yet."), Some(false));
    assert_eq!(bare("答：可以。"), Some(true));
    assert_eq!(bare("A: No"), Some(false));
    assert_eq!(bare("Yes"), Some(true));
    assert_eq!(
        bare_answer("No, there isn't a cancel button on the website."),
        None
    );
    assert_eq!(bare("終止服務申請須於三十日前提出。"), None);
}

#[test]
fn an_aspect_of_the_procedure_is_no_product() {
    for label in [
        "1. 办理时效",
        "操作流程",
        "note",
        "step 2",
        "processing time",
        "new",
        "update",
        "option 2",
        "方法二",
        "way 3",
        "不再使用",
        "转换手机",
        "lost or stolen",
    ] {
        assert!(aspect_label(label), "{label}");
    }
    for label in ["esim", "预付卡", "home broadband", "月费计划", "资费方案"] {
        assert!(!aspect_label(label), "{label}");
    }
}

#[test]
fn a_label_that_opens_with_what_to_do_is_a_step() {
    for step in [
        "进入个人中心",
        "2. 联系运营商客服",
        "③ 提交申请",
        "call t-mobile",
        "log in",
    ] {
        assert!(step_label(step), "{step}");
    }
    for product in [
        "中国移动",
        "esim",
        "prepaid sim",
        "数据卡",
        "1.个人用户",
        "callback plan",
    ] {
        assert!(!step_label(product), "{product}");
    }
}

#[test]
fn a_label_is_looked_for_in_a_short_prefix_only() {
    assert_eq!(
        label_split("eSIM：可於網上終止"),
        Some(("eSIM", "可於網上終止"))
    );
    assert_eq!(
        label_split("Prepaid: call us"),
        Some(("Prepaid", " call us"))
    );
    assert_eq!(label_split("No label here."), None);
    for m in ["a", "q", "q12", "answer", "答", "问题"] {
        assert!(super::labels::faq_marker(m), "{m}");
    }
    for m in ["esim", "prepaid", "aaa", "q123x", "a plan"] {
        assert!(!super::labels::faq_marker(m), "{m}");
    }
    let long = format!("{} Plan: call us", "word ".repeat(200_000));
    assert_eq!(label_split(&long), None);
}

#[test]
fn a_sentence_names_kinds_of_product_or_everyone() {
    let some = |k: &str| Kinds::Some(k.split(" / ").map(str::to_string).collect());
    assert_eq!(
        kinds_named("eSIM customers can end their plan in the app."),
        some("eSIM")
    );
    assert_eq!(kinds_named("儲值卡客戶須親臨門市辦理。"), some("prepaid"));
    assert_eq!(
        kinds_named("Post-paid lines need a month's notice."),
        some("postpaid")
    );
    // Two kinds that are not every line answer for both, in the order of KINDS.
    assert_eq!(
        kinds_named("Prepaid and eSIM users can cancel online."),
        some("eSIM / prepaid")
    );
    // A word inside another is no kind.
    assert_eq!(kinds_named("Resimulate the prepaidx plan."), Kinds::None);
    assert_eq!(kinds_named("Cancel your SIM online."), Kinds::None);
    // "contract customers" are postpaid: with prepaid beside them the sentence is about
    // every line, and stays a statement for everyone.
    assert_eq!(
        kinds_named("Prepaid and contract customers cannot cancel online."),
        Kinds::Everyone
    );
    assert_eq!(
        kinds_named("eSIM, prepaid and postpaid lines alike."),
        Kinds::Everyone
    );
}

/// Round 41: a SIM's form and personal lines are kinds; the form sets a line apart more
/// finely than how it is paid, unless the sentence joins the kinds.
#[test]
fn a_sims_form_and_personal_lines_are_kinds() {
    let some = |k: &str| Kinds::Some(k.split(" / ").map(str::to_string).collect());
    assert_eq!(
        kinds_named("實體SIM卡月費計劃的終止申請暫未能經應用程式辦理"),
        some("physical SIM")
    );
    assert_eq!(kinds_named("eSIM 月費計劃客戶"), some("eSIM"));
    assert_eq!(
        kinds_named("Prepaid and eSIM users can cancel online."),
        some("eSIM / prepaid")
    );
    assert_eq!(
        kinds_named("Deactivation of physical SIMs is not available in the app."),
        some("physical SIM")
    );
    assert_eq!(kinds_named("個人客戶請親臨門市"), some("personal"));
    assert_eq!(
        kinds_named("Business lines can't be cancelled online."),
        some("corporate")
    );
    // Personal data is no kind of line.
    assert_eq!(
        kinds_named("We delete your personal data after you cancel."),
        Kinds::None
    );
}

/// Round 41: a page that says it compares providers, near its top.
#[test]
fn a_comparison_says_so() {
    for yes in [
        "Here's how each telco handles a straight cancellation.",
        "虛擬電信（MVNO）比較：退租好不好退？",
        "以下是筆者實際辦過的三家",
        "A comparison of the carriers' cancellation policies",
    ] {
        assert!(compares_providers(&for_matching(yes)), "{yes}");
    }
    for no in [
        "Cancel your plan online in My Account.",
        "Each month we bill you in advance.",
        "終止服務須親臨門市辦理",
        // The read-through of round 41: comparing, but not providers.
        "Compare the options below before you cancel.",
        "Each plan runs on our 5G network.",
    ] {
        assert!(!compares_providers(&for_matching(no)), "{no}");
    }
}

#[test]
fn items_are_withdrawn_by_their_number() {
    use super::replaced::item_numbers as numbers;
    assert_eq!(numbers(&for_matching("上述第1項途徑不再接受申請")), vec![1]);
    assert_eq!(
        numbers(&for_matching("上述第二項及第3项均停止")),
        vec![2, 3]
    );
    assert!(numbers(&for_matching("注意事項")).is_empty());
    assert!(numbers(&for_matching("第999項")).is_empty());
}

/// Round 62's first wave: a remark before a colon names no product.
#[test]
fn remarks_are_not_product_labels() {
    use super::labels::says_something;
    for label in [
        "this one is easy",
        "here's how",
        "it is quick",
        "prepaid is different",
    ] {
        assert!(says_something(label), "{label}");
    }
    for label in [
        "esim",
        "prepaid cards",
        "business plans",
        "the island plan",
        "预付卡",
    ] {
        assert!(!says_something(label), "{label}");
    }
}

/// Round 62's review: the button pressed is the ending, not a word later in the step; a cell
/// answers with its own offline way only when the way is its answer.
#[test]
fn a_pressed_ending_and_a_cells_own_offline_way() {
    let lexicon = crate::extract::lexicon::Lexicon::builtin();
    let tap = |t: &str| super::taps_the_ending(lexicon, &for_matching(t));
    assert!(tap("Scroll to the bottom and tap End plan."));
    assert!(tap("点击“注销号码”并确认"));
    assert!(!tap(
        "Tap Usage to download your statements before you cancel your plan."
    ));
    let cell = |t: &str| {
        let folded = for_matching(t);
        super::answers_offline(&crate::extract::reading::read(lexicon, t), &folded)
    };
    assert!(cell("✔ 0800 555 246 or store"));
    assert!(!cell("✔ (or in store if you prefer)"));
    assert!(!cell("✔ no store visit needed"));
}

/// An update's label, to 32 characters; not "Update" as a verb.
#[test]
fn update_labels() {
    use super::notices::update_label;
    assert!(update_label(
        "Change from 12 January 2025: We no longer take requests by chat."
    ));
    assert!(update_label("更新（2024年3月1日）：由即日起可於 App 終止"));
    assert!(!update_label(
        "Update your address in the app - then call us, as cancellation is by phone."
    ));
}

/// A block of many sentences is read in its first [`super::MAX_SENTENCES_PER_BLOCK`] (the
/// hostile-input review: one paragraph of 64,000 short sentences took 35 s to assess); the
/// blocks around it are read whole, and what the first sentences say still counts.
#[test]
fn a_block_is_read_in_its_first_sentences_only() {
    use crate::extract::lexicon::Lexicon;
    let long = "To cancel, visit a shop. ".repeat(3 * super::MAX_SENTENCES_PER_BLOCK);
    let blocks = vec![
        "Cancelling your plan".to_string(),
        long,
        "You cannot cancel online.".to_string(),
    ];
    let context = vec![crate::extract::structure::Place::default(); blocks.len()];
    let page = super::Page::read(Lexicon::builtin(), &blocks, &context);
    let of = |b: usize| page.sentences.iter().filter(|s| s.block == b).count();
    assert_eq!(of(1), super::MAX_SENTENCES_PER_BLOCK);
    assert_eq!((of(0), of(2)), (1, 1));
    let offline = crate::extract::lexicon::Concept::Offline;
    assert!(
        page.sentences
            .iter()
            .any(|s| s.block == 1 && s.reading.all.has(offline))
    );
}
