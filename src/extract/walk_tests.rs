//! Tests of the walk: each structure a reader uses gives its blocks their context, and links
//! are written into the text.

use url::Url;

use crate::extract::block::{BlockKind, Context, ListPosition};
use crate::extract::{Block, Extractor};

fn blocks(html: &str) -> Vec<Block> {
    let url = Url::parse("https://www.example.com/support/cancel.html").unwrap();
    Extractor::new(&["main".to_string()], &[])
        .unwrap()
        .extract(html, &url)
        .unwrap()
}

fn find<'a>(blocks: &'a [Block], text: &str) -> &'a Context {
    &blocks
        .iter()
        .find(|b| b.text == text)
        .unwrap_or_else(|| panic!("no block `{text}` in {blocks:#?}"))
        .context
}

fn item(index: usize, ordered: bool, depth: usize) -> Option<ListPosition> {
    Some(ListPosition {
        index,
        ordered,
        depth,
    })
}

#[test]
fn a_heading_heads_the_list_under_it() {
    let b = blocks(
        "<main><h1>Support</h1><h2>Mobile Disconnection Request</h2>
         <ul><li>Visit 3Shop</li><li>Fax to 2123 4567</li></ul>
         <h2>Billing</h2><p>Pay online.</p></main>",
    );
    let visit = find(&b, "Visit 3Shop");
    assert_eq!(visit.kind, BlockKind::ListItem);
    assert_eq!(visit.headings, ["Support", "Mobile Disconnection Request"]);
    assert_eq!(visit.list, item(1, false, 1));
    assert_eq!(visit.lead_in, None, "a heading is not a lead-in");
    assert_eq!(find(&b, "Fax to 2123 4567").list, item(2, false, 1));
    // A heading of the same level ends the section.
    assert_eq!(find(&b, "Pay online.").headings, ["Support", "Billing"]);
    assert_eq!(find(&b, "Billing").headings, ["Support"]);
    assert_eq!(find(&b, "Billing").kind, BlockKind::Heading(2));
    assert_eq!(visit.to_string(), "Support › Mobile Disconnection Request");
}

#[test]
fn a_list_knows_the_sentence_that_introduces_it() {
    let b = blocks(
        "<main><h3>Cancelling</h3><p>You can cancel by:</p>
         <ul><li>calling 1000</li><li>visiting a shop</li></ul></main>",
    );
    let c = find(&b, "visiting a shop");
    assert_eq!(c.lead_in.as_deref(), Some("You can cancel by:"));
    assert_eq!(c.headings, ["Cancelling"]);
    assert_eq!(c.to_string(), "Cancelling › You can cancel by:");
}

#[test]
fn steps_and_nested_lists() {
    let b = blocks(
        "<main><h2>How to cancel</h2><ol>
           <li>Log in to My Account</li>
           <li>Select a plan<ul><li>Prepaid</li><li>Monthly</li></ul></li>
           <li>Select 'Give 30 Days Notice'</li>
         </ol></main>",
    );
    assert_eq!(find(&b, "Log in to My Account").list, item(1, true, 1));
    assert_eq!(
        find(&b, "Select 'Give 30 Days Notice'").list,
        item(3, true, 1)
    );
    let monthly = find(&b, "Monthly");
    assert_eq!(monthly.list, item(2, false, 2));
    assert_eq!(monthly.lead_in.as_deref(), Some("Select a plan"));
    assert_eq!(monthly.headings, ["How to cancel"]);
}

#[test]
fn table_cells_know_their_row_and_column_headers() {
    let b = blocks(
        "<main><table><caption>Service requests</caption>
           <thead><tr><th>Request</th><th>How to submit</th></tr></thead>
           <tbody>
             <tr><td>Mobile Disconnection Request</td><td>by fax, by post, or in person at any 3Shop.</td></tr>
             <tr><th>Change of address</th><td colspan=1>online</td></tr>
           </tbody></table></main>",
    );
    let cell = find(&b, "by fax, by post, or in person at any 3Shop.");
    assert_eq!(cell.kind, BlockKind::Cell);
    assert_eq!(
        cell.row_header.as_deref(),
        Some("Mobile Disconnection Request")
    );
    assert_eq!(cell.col_header.as_deref(), Some("How to submit"));
    assert_eq!(cell.headings, ["Service requests"]);
    let first = find(&b, "Mobile Disconnection Request");
    assert_eq!(first.row_header, None);
    assert_eq!(first.col_header.as_deref(), Some("Request"));
    assert_eq!(
        find(&b, "online").row_header.as_deref(),
        Some("Change of address")
    );
    assert_eq!(find(&b, "How to submit").kind, BlockKind::HeaderCell);
    assert_eq!(find(&b, "How to submit").col_header, None);
    assert_eq!(
        cell.to_string(),
        "Service requests › column: How to submit › row: Mobile Disconnection Request"
    );
}

#[test]
fn column_headers_follow_colspans() {
    let b = blocks(
        "<main><table><tr><th colspan=2>Plan</th><th>Ending</th></tr>
         <tr><td>A</td><td>B</td><td>in person only</td></tr></table></main>",
    );
    assert_eq!(find(&b, "B").col_header.as_deref(), Some("Plan"));
    assert_eq!(
        find(&b, "in person only").col_header.as_deref(),
        Some("Ending")
    );
}

#[test]
fn a_first_row_of_short_plain_labels_heads_the_columns() {
    let b = blocks(
        "<main><table><tr><td>运营商</td><td>销户渠道</td><td>时效</td></tr>
         <tr><td>甲运营商</td><td>微信公众号/APP</td><td>即时生效</td></tr></table>
         <table><tr><td>Plan A</td><td>Cancel by calling us, or at a shop.</td></tr>
         <tr><td>Plan B</td><td>online</td></tr></table>
         <table><tr><td>Ending</td><td>12 months</td></tr>
         <tr><td>Notice</td><td>30 days</td></tr></table></main>",
    );
    assert_eq!(
        find(&b, "微信公众号/APP").col_header.as_deref(),
        Some("销户渠道")
    );
    // A sentence or a figure in the first row makes it a row of data, not of labels.
    assert_eq!(find(&b, "online").col_header, None);
    assert_eq!(find(&b, "30 days").col_header, None);
}

#[test]
fn a_first_row_of_a_key_and_its_value_stays_data() {
    let b = blocks(
        "<main><table><tr><td>网上销户</td><td>支持</td></tr>
         <tr><td>营业厅销户</td><td>支持</td></tr></table>
         <table><tr><td>Plan</td><td>Ways</td><td>Yes</td></tr></table></main>",
    );
    let first = b.iter().find(|x| x.text == "支持").map(|x| &x.context);
    assert_eq!(first.map(|c| c.kind), Some(BlockKind::Cell));
    assert_eq!(
        first.and_then(|c| c.row_header.as_deref()),
        Some("网上销户")
    );
    // A row holding an answer is data too, however many cells it has.
    assert_eq!(find(&b, "Ways").kind, BlockKind::Cell);
}

#[test]
fn a_second_header_row_names_the_columns_a_first_row_spans() {
    let b = blocks(
        "<main><table><tr><th rowspan=2>Request</th><th colspan=2>Channel</th><th rowspan=2>Fee</th></tr>
         <tr><th>Website</th><th>Shop</th></tr>
         <tr><td>Terminate service</td><td>no</td><td>yes</td><td>free</td></tr></table></main>",
    );
    assert_eq!(find(&b, "no").col_header.as_deref(), Some("Website"));
    assert_eq!(find(&b, "yes").col_header.as_deref(), Some("Shop"));
    assert_eq!(find(&b, "free").col_header.as_deref(), Some("Fee"));
    assert_eq!(find(&b, "Website").kind, BlockKind::HeaderCell);
    // Without a cell spanning two rows, the second row is data.
    let b = blocks(
        "<main><table><tr><th>Plan</th><th colspan=2>Ways</th></tr>
         <tr><td>Basic</td><td>online</td><td>shop</td></tr></table></main>",
    );
    assert_eq!(find(&b, "online").col_header.as_deref(), Some("Ways"));
    assert_eq!(find(&b, "online").kind, BlockKind::Cell);
}

#[test]
fn a_first_row_label_may_hold_a_number_a_name_leads() {
    let b = blocks(
        "<main><table><tr><td><strong>Request</strong></td><td><strong>My Account (web &amp; app)</strong></td>
         <td><strong>Hotline 2300 1010</strong></td></tr>
         <tr><td>Terminate service</td><td>✓</td><td>✓</td></tr></table></main>",
    );
    let ticks: Vec<_> = b.iter().filter(|x| x.text == "✓").collect();
    assert_eq!(
        ticks[0].context.col_header.as_deref(),
        Some("My Account (web & app)")
    );
    assert_eq!(
        ticks[1].context.col_header.as_deref(),
        Some("Hotline 2300 1010")
    );
    // The labels head their columns and state nothing of their own.
    assert_eq!(find(&b, "Hotline 2300 1010").kind, BlockKind::HeaderCell);
}

#[test]
fn a_description_is_headed_by_its_term() {
    let b = blocks(
        "<main><h2>FAQ</h2><dl><dt>How do I terminate my SIM?</dt>
         <dd>Visit any shop with your ID.</dd><dd>Online requests are not accepted.</dd></dl></main>",
    );
    let dd = find(&b, "Online requests are not accepted.");
    assert_eq!(dd.kind, BlockKind::Definition);
    assert_eq!(dd.headings, ["FAQ", "How do I terminate my SIM?"]);
    assert_eq!(find(&b, "How do I terminate my SIM?").headings, ["FAQ"]);
}

#[test]
fn a_bold_line_and_a_summary_head_what_follows() {
    let b = blocks(
        "<main><h2>Prepaid</h2><p><strong>Termination</strong></p><p>Call 1000.</p>
         <p><b>Note:</b> fees apply.</p><p><b>This is emphasis, a sentence.</b></p>
         <details><summary>Can I cancel online?</summary><p>No.</p></details><p>After.</p></main>",
    );
    assert_eq!(find(&b, "Call 1000.").headings, ["Prepaid", "Termination"]);
    // Bold that is part of a sentence, or a bold sentence, heads nothing.
    assert_eq!(
        find(&b, "Note: fees apply.").headings,
        ["Prepaid", "Termination"]
    );
    assert_eq!(
        find(&b, "No.").headings,
        ["Prepaid", "Termination", "Can I cancel online?"]
    );
    // A summary heads its details only.
    assert_eq!(find(&b, "After.").headings, ["Prepaid", "Termination"]);
}

#[test]
fn a_short_plain_line_heads_what_follows_until_the_next() {
    let b = blocks(
        "<main><h2>FAQ</h2><p>退订程序</p><p>在APP内提交。</p><p>Early exit fees</p>
         <p>Fees: see below.</p><p>A sentence, with a comma</p><p>Call 1000.</p>
         <p>This plain line is far too long to be anything but a sentence of its own</p>
         <p>After.</p><ul><li>Item heading</li></ul><p>Last.</p></main>",
    );
    assert_eq!(find(&b, "在APP内提交。").headings, ["FAQ", "退订程序"]);
    // The next plain line takes its place; a line with punctuation or over the length
    // heads nothing.
    assert_eq!(
        find(&b, "Fees: see below.").headings,
        ["FAQ", "Early exit fees"]
    );
    assert_eq!(find(&b, "Call 1000.").headings, ["FAQ", "Early exit fees"]);
    assert_eq!(find(&b, "After.").headings, ["FAQ", "Early exit fees"]);
    // A list item is no heading.
    assert_eq!(find(&b, "Last.").headings, ["FAQ", "Early exit fees"]);
}

#[test]
fn context_is_bounded() {
    let long = "x".repeat(1000);
    let html = format!(
        "<main>{}<p>text</p></main>",
        (1..=6)
            .map(|n| format!("<h{n}>{long}{n}</h{n}><div><p><b>b{n}</b></p></div>"))
            .collect::<String>()
    );
    let c = find(&blocks(&html), "text").clone();
    assert!(c.headings.len() <= crate::extract::block::MAX_HEADINGS);
    assert!(
        c.headings
            .iter()
            .all(|h| h.chars().count() <= crate::extract::block::MAX_CONTEXT_CHARS + 1)
    );
}

#[test]
fn links_are_written_into_the_text() {
    let b = blocks(
        r##"<main><p>Submit the <a href="/forms/disconnect.pdf?utm_source=mail#p2">Disconnection
         Form</a> by fax, or write to <a href="mailto:cancel@example.com">us</a>.
         <a href="#top">Back to top</a> <a href="javascript:void(0)">Print</a>
         <a href="https://www.example.com/">www.example.com</a></p>
         <a href="offers.html"><h3>Card title</h3><p>Card text</p></a>
         <p><a href="cancel.html#faq">This page</a> <a href="/x"><img src=i.png></a></p></main>"##,
    );
    let texts: Vec<&str> = b.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Submit the [Disconnection Form](https://www.example.com/forms/disconnect.pdf) by fax, or write to [us](mailto:cancel@example.com). Back to top Print www.example.com",
            "Card title",
            "[Card text](https://www.example.com/support/offers.html)",
            "This page",
        ]
    );
}

#[test]
fn links_resolve_against_the_base_element() {
    let url = Url::parse("https://www.example.com/a/b.html").unwrap();
    let b = Extractor::new(&[], &[])
        .unwrap()
        .texts(
            r#"<html><head><base href="https://cdn.example.com/docs/"></head>
               <body><p><a href="form.pdf">Form</a></p></body></html>"#,
            &url,
        )
        .unwrap();
    assert_eq!(b, ["[Form](https://cdn.example.com/docs/form.pdf)"]);
}

#[test]
fn a_lead_in_stays_in_its_container_unless_it_ends_with_a_colon() {
    let b = blocks(
        r#"<main><header><a href="/">Logo</a></header><nav><ul><li>Plans</li></ul></nav>
         <div><p>You can cancel by:</p></div><div><ul><li>calling</li></ul></div></main>"#,
    );
    assert_eq!(find(&b, "Plans").lead_in, None);
    assert_eq!(
        find(&b, "calling").lead_in.as_deref(),
        Some("You can cancel by:")
    );
}

#[test]
fn a_selected_element_that_is_also_removed_closes_its_selection() {
    let url = Url::parse("https://www.example.com/").unwrap();
    for (select, remove, want) in [
        (vec!["div.a", "span.r"], vec!["span.r"], vec!["keep"]),
        (vec!["div.a", "script"], vec![], vec!["keep", "drop"]),
    ] {
        let select: Vec<String> = select.into_iter().map(str::to_string).collect();
        let remove: Vec<String> = remove.into_iter().map(str::to_string).collect();
        let b = Extractor::new(&select, &remove)
            .unwrap()
            .extract(
                "<body><div class=a><p>keep</p><span class=r>drop</span><script>x()</script></div><p>outside</p></body>",
                &url,
            )
            .unwrap();
        let texts: Vec<&str> = b.iter().map(|b| b.text.as_str()).collect();
        // Before the fix, "outside" came too: the selection never closed.
        assert_eq!(texts, want, "{select:?} {remove:?}");
    }
}

/// `n` one-word headings cycling `<h1>`..`<h6>`: the hostile shape, one block per element.
fn headings(n: usize) -> String {
    let mut html = String::from("<html><body><main>");
    for i in 0..n {
        let level = i % 6 + 1;
        html.push_str(&format!("<h{level}>Terminate {i}</h{level}>"));
    }
    html.push_str("</main></body></html>");
    html
}

#[test]
fn the_walk_stops_at_the_block_after_the_cap() {
    use std::collections::HashSet;

    use crate::extract::parse;
    use crate::extract::walk::{Input, Walked, walk};

    let url = Url::parse("https://www.example.com/").unwrap();
    let walk_with = |html: &str, max_blocks: usize| {
        let doc = parse::parse(html);
        let main = crate::extract::parse_selector("main").unwrap();
        let selected: HashSet<_> = doc.select(&main).map(|e| e.id()).collect();
        walk(&Input {
            doc: &doc,
            selected: &selected,
            removed: &HashSet::new(),
            page: &url,
            base: &url,
            max_blocks,
        })
    };
    // At the cap: all blocks. Over it, the walk stops where the 11th block ends (a heading
    // is four visits: it and its text entered and left), not at the end of the page.
    let Walked::Done { blocks, .. } = walk_with(&headings(10), 10) else {
        panic!("10 blocks are within a cap of 10");
    };
    assert_eq!(blocks.len(), 10);
    let (limit, visits) = match walk_with(&headings(1_000), 10) {
        Walked::Full { limit, visits } => (limit, visits),
        Walked::Done { blocks, .. } => panic!("not stopped: {} blocks", blocks.len()),
    };
    assert_eq!(limit, 10);
    assert!(visits <= 11 * 4 + 4, "the walk went on: {visits} visits");
}

#[test]
fn a_page_over_the_cap_is_an_error_naming_the_cap_and_the_cause() {
    use crate::extract::ExtractError;
    use crate::extract::block::MAX_BLOCKS;

    let url = Url::parse("https://www.example.com/").unwrap();
    let x = Extractor::new(&["main".to_string()], &[]).unwrap();
    assert_eq!(
        x.extract(&headings(MAX_BLOCKS), &url).unwrap().len(),
        MAX_BLOCKS
    );
    let e = x.extract(&headings(MAX_BLOCKS + 1), &url).unwrap_err();
    assert_eq!(e, ExtractError::TooManyBlocks { limit: MAX_BLOCKS });
    let message = e.to_string();
    assert!(message.contains("20000"), "{message}");
    assert!(message.contains("hostile page"), "{message}");
    assert!(message.contains("selector that is too wide"), "{message}");
}

#[test]
fn an_accordion_button_carries_its_question_and_other_buttons_are_dropped() {
    let b = blocks(
        "<main><div><button aria-expanded=\"false\">How do I cancel?</button>
         <div><p>Visit a shop.</p></div></div>
         <h3><button>Fees</button></h3><p>None.</p>
         <button data-bs-toggle=\"collapse\">Notice</button><p>30 days.</p>
         <p>Plans <button>Add to cart</button></p></main>",
    );
    let texts: Vec<&str> = b.iter().map(|b| b.text.as_str()).collect();
    assert!(texts.contains(&"How do I cancel?"), "{texts:?}");
    assert!(texts.contains(&"Notice"), "{texts:?}");
    assert_eq!(find(&b, "None.").headings, ["Fees"]);
    assert!(texts.contains(&"Plans"), "{texts:?}");
    assert!(
        !texts.iter().any(|t| t.contains("Add to cart")),
        "{texts:?}"
    );
}

#[test]
fn menus_sidebars_and_footers_are_under_no_heading_of_the_page_and_head_nothing_outside() {
    let b = blocks(
        r#"<main><h2>How to terminate your service</h2><p>Bring your HKID to a shop.</p>
         <aside><h3>Related</h3><p>Roaming passes</p></aside>
         <p>Allow 30 days.</p>
         <div role="navigation"><ul><li>My Account</li></ul></div>
         <footer><ul><li>Live Chat</li></ul></footer></main>"#,
    );
    let heading = ["How to terminate your service"];
    assert_eq!(find(&b, "Bring your HKID to a shop.").headings, heading);
    assert_eq!(find(&b, "Roaming passes").headings, ["Related"]);
    // The sidebar's heading ends with the sidebar: the page's heading is back.
    assert_eq!(find(&b, "Allow 30 days.").headings, heading);
    assert!(find(&b, "My Account").headings.is_empty());
    let chat = find(&b, "Live Chat");
    assert!(chat.headings.is_empty(), "{chat:?}");
    assert_eq!(chat.lead_in, None);
}

#[test]
fn a_submenu_in_a_menu_has_no_lead_in() {
    let b = blocks(
        r#"<main><nav><ul><li>Online Services<ul><li>Service Termination</li></ul></li></ul></nav>
         <header><h1>Ending a plan</h1><ul><li>My Account<ul><li>Terminate service</li></ul></li></ul></header>
         <ul><li>In the app you can:<ul><li>end your plan</li></ul></li></ul></main>"#,
    );
    assert_eq!(find(&b, "Service Termination").lead_in, None);
    // A header's menu is a menu too, and its heading still heads the page.
    assert_eq!(find(&b, "Terminate service").lead_in, None);
    assert_eq!(find(&b, "end your plan").headings, ["Ending a plan"]);
    assert_eq!(
        find(&b, "end your plan").lead_in.as_deref(),
        Some("In the app you can:")
    );
    // A list of its own in a sidebar or an article's header is introduced as anywhere else.
    let b = blocks(
        r#"<main><aside><p>To cancel, you can:</p><ul><li>use the app</li></ul></aside>
         <article><header><p>Ways to end a plan:</p><ol><li>call us</li></ol></header></article></main>"#,
    );
    assert_eq!(
        find(&b, "use the app").lead_in.as_deref(),
        Some("To cancel, you can:")
    );
    assert_eq!(
        find(&b, "call us").lead_in.as_deref(),
        Some("Ways to end a plan:")
    );
    // Every list in a menu or footer is links, whatever stands before it.
    let b = blocks(
        r#"<main><footer><div><p>Manage your account online:</p><ul><li>Cancel your service</li></ul></div></footer>
         <div role="navigation"><p>Online services:</p><ul><li>Terminate a line</li></ul></div></main>"#,
    );
    assert_eq!(find(&b, "Cancel your service").lead_in, None);
    assert_eq!(find(&b, "Terminate a line").lead_in, None);
}

#[test]
fn a_sendable_form_marks_its_blocks_and_its_labels_are_blocks() {
    let b = blocks(
        "<main><h2>Ending your line</h2><form action=\"/end\"><p>Your details</p>
         <label>Mobile number</label><input name=\"n\"><label>Reason</label>
         <select name=\"r\"><option>Moving</option></select>
         <button type=\"submit\"><span>Submit</span> <b>request</b></button></form>
         <p>After the form.</p></main>",
    );
    let details = find(&b, "Your details").form.clone().expect("marked");
    assert_eq!(details.submit, "Submit request");
    assert_eq!(details.index, 0);
    // Each label stands alone, not run into the next one's text.
    assert_eq!(find(&b, "Mobile number").form, Some(details.clone()));
    assert_eq!(find(&b, "Reason").form, Some(details));
    assert_eq!(find(&b, "After the form.").form, None);
    assert_eq!(find(&b, "Ending your line").form, None);
}

#[test]
fn a_search_a_form_without_a_field_or_without_a_submit_is_not_sendable() {
    let b = blocks(
        "<main><form role=\"search\"><p>Search help</p><input name=\"q\"><button>Go</button></form>
         <form><p>Search again</p><input type=\"search\" name=\"q\"><input type=\"submit\" value=\"Find\"></form>
         <form><p>Only a button</p><button>Continue</button></form>
         <form><p>Only a field</p><input name=\"x\"><button type=\"button\">Show</button></form>
         <form><p>Second sendable</p><textarea></textarea><input type=\"image\" alt=\"Send\"></form></main>",
    );
    for text in [
        "Search help",
        "Search again",
        "Only a button",
        "Only a field",
    ] {
        assert_eq!(find(&b, text).form, None, "{text}");
    }
    let sent = find(&b, "Second sendable").form.clone().expect("marked");
    assert_eq!((sent.index, sent.submit.as_str()), (0, "Send"));
}

#[test]
fn a_buttons_label_is_read_from_a_bounded_number_of_nodes() {
    let spans = "<span>word</span>".repeat(500);
    let b = blocks(&format!(
        "<main><form><p>Request</p><input name=\"n\"><button>{spans}</button></form></main>"
    ));
    let mark = find(&b, "Request").form.clone().expect("marked");
    let words = mark.submit.split_whitespace().count();
    assert!((1..=32).contains(&words), "{words} words in the label");
}

#[test]
fn a_forms_short_labels_head_nothing() {
    let b = blocks(
        "<main><h2>Close this line</h2><form><label>Number</label><input name=\"n\">
         <label>Reason</label><input name=\"r\"><button>Send</button></form></main>",
    );
    assert_eq!(find(&b, "Reason").headings, ["Close this line"]);
}

#[test]
fn struck_text_is_marked_in_the_text_and_the_context() {
    let b = blocks(
        "<main><p>Keep <del> old words </del>new</p>
         <del><p>First gone.</p><p>Second gone.</p></del>
         <p><span style=\"Text-Decoration: line-through\">Styled</span> and <s>short</s></p>
         <p class=\"note line-through\">By class</p>
         <p>Plain text.</p><p><del> </del>Empty run.</p></main>",
    );
    let texts: Vec<(&str, bool)> = b
        .iter()
        .map(|b| (b.text.as_str(), b.context.struck))
        .collect();
    assert_eq!(
        texts,
        [
            ("Keep ~~old words~~ new", true),
            ("~~First gone.~~", true),
            ("~~Second gone.~~", true),
            ("~~Styled~~ and ~~short~~", true),
            ("~~By class~~", true),
            ("Plain text.", false),
            ("Empty run.", false),
        ]
    );
}

#[test]
fn cells_spanning_rows_hold_their_columns_and_head_their_group() {
    // Modelled on a mainland self-service list (round 61's first wave): a category spanning
    // rows, then the errand, then the app's tick.
    let b = blocks(
        "<main><table><tr><th>类别</th><th>业务</th><th>App</th></tr>
         <tr><td rowspan=3>号卡</td><td>停机保号</td><td>✔</td></tr>
         <tr><td>挂失</td><td>✔</td></tr>
         <tr><td>销号</td><td>✘</td></tr>
         <tr><td>宽带</td><td>续约</td><td>✔</td></tr></table></main>",
    );
    let no = find(&b, "✘");
    assert_eq!(no.col_header.as_deref(), Some("App"));
    assert_eq!(no.row_header.as_deref(), Some("销号"));
    let key = find(&b, "销号");
    assert_eq!(key.col_header.as_deref(), Some("业务"));
    assert_eq!(key.row_header.as_deref(), Some("号卡"));
    // The group's own row: its errand is the key too.
    let first = b.iter().find(|x| x.text == "✔").map(|x| &x.context);
    assert_eq!(
        first.and_then(|c| c.row_header.as_deref()),
        Some("停机保号")
    );
    // A group cell is headed by no group before it, never by itself.
    assert_eq!(find(&b, "号卡").row_header, None);
    // Once the span ends, the first column is the row's own again.
    assert_eq!(find(&b, "续约").row_header.as_deref(), Some("宽带"));
    assert_eq!(find(&b, "宽带").col_header.as_deref(), Some("类别"));
    assert_eq!(find(&b, "宽带").row_header, None);
}

#[test]
fn a_huge_rowspan_is_bounded() {
    let mut html = String::from("<main><table><tr><td rowspan=999999999>A</td><td>x</td></tr>");
    for i in 0..300 {
        html.push_str(&format!("<tr><td>r{i}</td><td>y{i}</td></tr>"));
    }
    html.push_str("</table></main>");
    let b = blocks(&html);
    // Held for MAX_ROWSPAN rows (256), then the first column is free again.
    assert_eq!(find(&b, "y10").row_header.as_deref(), Some("r10"));
    assert_eq!(find(&b, "r10").row_header.as_deref(), Some("A"));
    assert_eq!(find(&b, "r299").row_header, None);
    assert_eq!(find(&b, "y299").row_header.as_deref(), Some("r299"));
}
