//! Micro-benchmarks of the CPU side of one check on a realistic carrier page
//! (`bench/sample-page.html`: 92 KiB, made by `bench/genpages.py`), beside the floors: a bare
//! scraper parse + select of the same page, and a streaming (lol_html) pass over it.
//!
//! Run with `cargo bench --bench pipeline` (see BENCHMARKS.md). `cargo test`/clippy only build it.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use policywatch::check::page_hash;
use policywatch::config::Target;
use policywatch::diff::{Side, diff};
use policywatch::extract::Extractor;
use policywatch::extract::document::{self, Selection};
use policywatch::extract::extracted::{Extracted, extract_and_assess, extract_and_reassess};
use policywatch::extract::lexicon::Lexicon;
use policywatch::extract::normalise::{display, for_matching, sentences};
use policywatch::extract::verdict::{assess, assess_structured};
use policywatch::fetch::Body;
use policywatch::store::{CheckRecord, RecordOutcome, Store, TargetState, Version};
use scraper::{Html, Selector};

const PAGE: &str = include_str!("../bench/sample-page.html");

fn target() -> Target {
    Target {
        name: "p00003".into(),
        carrier: "3HK".into(),
        url: "http://127.0.0.1/p/00003.html".parse().unwrap(),
        select: vec!["#policy".into()],
        remove: vec![],
        schedule: "0 0 * * * *".into(),
        ignore_robots: false,
        render: Default::default(),
        pdf_from: None,
        pdf_to: None,
        notify: None,
    }
}

/// The text of the selection with lol_html, skipping script/style/button like the extractor.
fn lol_text(html: &str) -> String {
    use lol_html::{HtmlRewriter, Settings, element, text};
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    let out = Rc::new(RefCell::new(String::new()));
    let skip = Rc::new(Cell::new(0u32));
    let (o, s1, s2) = (out.clone(), skip.clone(), skip.clone());
    let settings = Settings::new()
        .append_element_content_handler(element!(
            "#policy script, #policy style, #policy button",
            move |el| {
                s1.set(s1.get() + 1);
                let s = s1.clone();
                if let Some(handlers) = el.end_tag_handlers() {
                    let end: lol_html::EndTagHandler<'static> = Box::new(move |_| {
                        s.set(s.get() - 1);
                        Ok(())
                    });
                    handlers.push(end);
                }
                Ok(())
            }
        ))
        .append_element_content_handler(text!("#policy", move |t| {
            if s2.get() == 0 {
                o.borrow_mut().push_str(t.as_str());
            }
            Ok(())
        }));
    let mut rw = HtmlRewriter::new(settings, |_: &[u8]| {});
    rw.write(html.as_bytes()).unwrap();
    rw.end().unwrap();
    out.take()
}

/// What a check asks of the diff: is the extracted text the stored one?
fn unchanged(stored: &Side<'_>, ex: &Extracted) -> bool {
    diff(
        stored,
        &Side {
            blocks: &ex.blocks,
            cancellation: &ex.assessment.cancellation_blocks,
            contexts: &ex.contexts,
            verdict: ex.assessment.verdict,
        },
    )
    .is_none()
}

fn benches(c: &mut Criterion) {
    let t = target();
    let lexicon = Lexicon::builtin();
    let extractor = Extractor::new(&t.select, &t.remove).unwrap();
    let blocks = extractor.texts(PAGE, &t.url).unwrap();
    let assessment = assess(lexicon, &blocks);
    let policy = Selector::parse("#policy").unwrap();

    let mut g = c.benchmark_group("page");
    g.measurement_time(Duration::from_secs(4));

    // Floors.
    g.bench_function("floor: scraper parse + select", |b| {
        b.iter(|| {
            let doc = Html::parse_document(black_box(PAGE));
            doc.select(&policy).count()
        })
    });
    g.bench_function("floor: scraper parse + select + text", |b| {
        b.iter(|| {
            let doc = Html::parse_document(black_box(PAGE));
            doc.select(&policy)
                .flat_map(|e| e.text())
                .map(str::len)
                .sum::<usize>()
        })
    });
    g.bench_function("floor: lol_html streaming text of selection", |b| {
        b.iter(|| lol_text(black_box(PAGE)).len())
    });

    // The stages of a check.
    g.bench_function("extract (parse, select, blocks, display)", |b| {
        b.iter(|| extractor.extract(black_box(PAGE), &t.url).unwrap())
    });
    g.bench_function("extract: whole-page parse (no pre-selection)", |b| {
        b.iter(|| {
            extractor
                .extract_full(
                    black_box(PAGE),
                    &t.url,
                    policywatch::extract::parse::Audit::Cheap,
                )
                .unwrap()
        })
    });
    let pre = policywatch::extract::preselect::Preselector::new(&["#policy".into()], &[]).unwrap();
    g.bench_function("preselect: streaming cut of #policy", |b| {
        b.iter(|| pre.cut(black_box(PAGE)).unwrap().len())
    });
    g.bench_function("preselect: the same cut by lol_html alone", |b| {
        b.iter(|| pre.cut_by_lol_html(black_box(PAGE)).unwrap().len())
    });
    g.bench_function("normalise: display of every block", |b| {
        b.iter(|| blocks.iter().map(|s| display(s).len()).sum::<usize>())
    });
    g.bench_function("normalise: for_matching of every sentence", |b| {
        b.iter(|| {
            blocks
                .iter()
                .flat_map(|s| sentences(s))
                .map(|s| for_matching(s).len())
                .sum::<usize>()
        })
    });
    g.bench_function("verdict (assess, incl. for_matching)", |b| {
        b.iter(|| assess(lexicon, black_box(&blocks)))
    });
    let side = Side {
        blocks: &blocks,
        cancellation: &assessment.cancellation_blocks,
        contexts: &[],
        verdict: assessment.verdict,
    };
    g.bench_function("diff: unchanged", |b| {
        b.iter(|| diff(black_box(&side), black_box(&side)))
    });
    let mut changed = blocks.clone();
    changed[12] =
        "Either party may terminate the service by giving not less than sixty (60) days' notice."
            .into();
    let changed_assessment = assess(lexicon, &changed);
    let changed_side = Side {
        blocks: &changed,
        cancellation: &changed_assessment.cancellation_blocks,
        contexts: &[],
        verdict: changed_assessment.verdict,
    };
    g.bench_function("diff: one block changed", |b| {
        b.iter(|| diff(black_box(&side), black_box(&changed_side)))
    });
    g.bench_function("check CPU: extract + verdict + diff", |b| {
        b.iter(|| {
            let ex =
                extract_and_assess(&t.select, &t.remove, black_box(PAGE), &t.url, lexicon).unwrap();
            unchanged(&side, &ex)
        })
    });

    // What a check of an unchanged page does since the stored assessment is reused.
    let version = Version {
        id: 1,
        blocks: blocks.clone(),
        verdict: assessment.verdict,
        assessment: assessment.clone(),
        first_seen: 0,
        last_seen: 0,
    };
    g.bench_function(
        "check CPU: extract + reused verdict + diff (unchanged page)",
        |b| {
            b.iter(|| {
                let ex = extract_and_reassess(
                    &t.select,
                    &t.remove,
                    black_box(PAGE),
                    &t.url,
                    lexicon,
                    Some((&version.blocks, &version.assessment)),
                )
                .unwrap();
                unchanged(&side, &ex)
            })
        },
    );

    // A byte-identical page is not parsed: its hash names the current version.
    let page = policywatch::fetch::Page {
        url: t.url.clone(),
        status: 200,
        content_type: "text/html".into(),
        body: policywatch::fetch::Body::Html(PAGE.to_string()),
        encoding: "UTF-8",
        validators: Default::default(),
        moved_to: None,
    };
    g.bench_function("check CPU: identical page (hash, reuse the version)", |b| {
        b.iter(|| {
            let hash = page_hash(black_box(&page));
            let ex = Extracted {
                blocks: version.blocks.clone(),
                contexts: Vec::new(),
                assessment: version.assessment.clone(),
            };
            (hash, ex.blocks.len())
        })
    });

    // A page that differs only outside its selection (the noise pass): cut, hash the cut, and
    // the version it names is reused without a parse.
    g.bench_function(
        "check CPU: noise outside the selection (cut, hash, reuse the version)",
        |b| {
            b.iter(|| {
                let cut = extractor.cut(black_box(PAGE)).unwrap();
                let hash = policywatch::extract::document::cut_hash(&t.url, &cut);
                let ex = Extracted {
                    blocks: version.blocks.clone(),
                    contexts: Vec::new(),
                    assessment: version.assessment.clone(),
                };
                (hash, ex.blocks.len())
            })
        },
    );

    // Committing an unchanged check (the common case) to a real SQLite file.
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("bench.sqlite3")).unwrap();
    let state = TargetState::default();
    let mut at = 1_700_000_000;
    let record = |store: &mut Store, at: i64| {
        store
            .record(&CheckRecord {
                target: &t.name,
                carrier: &t.carrier,
                url: t.url.as_str(),
                started_at: at,
                duration: Duration::from_millis(3),
                http_status: Some(200),
                outcome: RecordOutcome::Content {
                    blocks: &blocks,
                    assessment: &assessment,
                    alert: None,
                    rebaseline: false,
                },
                state: &state,
                alerts: &[],
                raw: None,
                lease: None,
            })
            .unwrap()
    };
    record(&mut store, at);
    g.bench_function("store: record an unchanged check", |b| {
        b.iter(|| {
            at += 1;
            record(&mut store, at)
        })
    });
    g.finish();
}

/// Issue 14: a hostile page at the default `max_body` (10 MiB) of nothing but nested `<div>`s,
/// which took minutes before the parse capped its depth (src/extract/parse.rs).
fn hostile(c: &mut Criterion) {
    let levels = 10 * 1024 * 1024 / "<div></div>".len();
    let page = format!(
        "<html><body><main>{}To terminate, visit a shop.{}</main></body></html>",
        "<div>".repeat(levels),
        "</div>".repeat(levels)
    );
    let extractor = Extractor::new(&["main".to_string()], &[]).unwrap();
    let url = "https://www.example.com/hostile.html".parse().unwrap();
    let mut g = c.benchmark_group("hostile");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));
    g.bench_function("extract: 10 MiB of nested divs", |b| {
        b.iter(|| extractor.extract(black_box(&page), &url).unwrap())
    });
    // The shape of issue 14's report, read as a check reads it: nested `<div>`s never closed,
    // with almost no text, so the page is also looked at as a possible app shell.
    let levels = (10 * 1024 * 1024 - 200) / "<div>".len();
    let shell = format!(
        "<html><body><main>To terminate, visit a shop.{}x</main></body></html>",
        "<div>".repeat(levels)
    );
    let selection = Selection {
        name: "hostile".into(),
        select: vec!["main".into()],
        remove: vec![],
        pdf_from: None,
        pdf_to: None,
        rendered: false,
    };
    let limits = document::PdfLimits::default();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    g.bench_function("check's read: 10 MiB of unclosed divs, little text", |b| {
        b.iter(|| {
            let body = Body::Html(shell.clone());
            let (_, blocks) = rt.block_on(document::blocks(&selection, body, &url, &limits));
            blocks.unwrap()
        })
    });
    // A ~5 MB heading above 15,000 items that each name a channel and an ending: every item's
    // context look-ups (is the heading short? about porting?) must read a bounded prefix of the
    // heading, not all of it (9.5 s for this page before they did, 0.2 s after).
    let heading = format!(
        "<html><body><main><h2>{}</h2><ul>{}</ul></main></body></html>",
        "Terms ".repeat(800_000),
        (0..15_000)
            .map(|i| format!("<li>Call us on 1000 to cancel your plan {i}.</li>"))
            .collect::<String>()
    );
    let blocks = extractor.extract(&heading, &url).unwrap();
    g.bench_function("verdict: a 5 MB heading over 15,000 items", |b| {
        b.iter(|| assess_structured(Lexicon::builtin(), black_box(&blocks)))
    });
    // 6,000 numbered step headings, each over a paragraph naming a channel but no ending: each
    // paragraph looks at the step headings around its own for the one that ends (round 6), a
    // bounded window read a few characters into each heading.
    let steps = format!(
        "<html><body><main>{}<h2>Step 6001: Cancel your plan</h2><p>Submit it.</p></main></body></html>",
        (0..6_000)
            .map(|i| format!(
                "<h2>Step {i}: Contact us</h2><p>Call us on 0800 555 {i:04} or visit a store.</p>"
            ))
            .collect::<String>()
    );
    let step_blocks = extractor.extract(&steps, &url).unwrap();
    g.bench_function(
        "verdict: 6,000 step headings over channel paragraphs",
        |b| b.iter(|| assess_structured(Lexicon::builtin(), black_box(&step_blocks))),
    );
    // One paragraph of 60,000 sentences that each name a channel and no ending: each looks a few
    // sentences ahead for what to ask for there, not through the whole paragraph.
    let para = format!(
        "<html><body><main><h2>Contact</h2><p>{}</p></main></body></html>",
        "Visit a store. ".repeat(60_000)
    );
    let para_blocks = extractor.extract(&para, &url).unwrap();
    g.bench_function("verdict: one paragraph of 60,000 channel sentences", |b| {
        b.iter(|| assess_structured(Lexicon::builtin(), black_box(&para_blocks)))
    });
    g.finish();
}

criterion_group!(pipeline, benches, hostile);
criterion_main!(pipeline);
