//! Form: a page whose own form asks for the ending is the online way. A `<form>` the reader can
//! fill in and send on the page (the walk marks it: a submit control, a field, no search) whose
//! legends or labels name the ending ("終止詳情", "Reason for closing"), or that stands right
//! under a heading or sentence naming it ("Ending your service" › the form), takes the request
//! there, though no sentence says "online". A form that books a visit, tracks a request, asks
//! for a porting code, signs in, searches or collects feedback does not. Part of [`Page`]'s
//! reading; pure.

use super::account_page::NOT_ACTIONS;
use super::{PORTING, Page};
use crate::extract::block::FormMark;
use crate::extract::structure::Role;

/// How many blocks after a sentence naming the ending its form may start.
const FORM_NEAR: usize = 4;
/// How many blocks of a form are read for what it does.
const FORM_BLOCKS: usize = 64;

/// Words of a form (its blocks or its submit label, after the fold) that does something else
/// than asking for the ending, besides an account page label's ([`NOT_ACTIONS`]: a status,
/// progress, a booking).
const OTHER_ERRANDS: [&str; 25] = [
    "booking",
    // A queue ticket or a visit reserved ("Get e-ticket", 預約到店, round 44's reviews).
    "e-ticket",
    "pre-registration",
    "reserve",
    "appointment",
    "预约",
    "取号",
    "callback",
    "call back",
    "feedback",
    "helpful",
    "subscribe",
    "search",
    "sign in",
    "log in",
    "login",
    "回电",
    "意见",
    "有帮助",
    "订阅",
    "搜索",
    "登入",
    "登录",
    "搜寻",
    "keep your number",
];

/// How a submit label that does something else opens, after the fold: a calculator, a fee
/// check, a store finder, a help search, a porting code, a newsletter, a settings page's
/// "Save" (the read-through of round 38, and its second wave), a printout.
const OTHER_SUBMITS: [&str; 21] = [
    "calculat", "check", "find", "go", "estimate", "quote", "look up", "lookup", "text me",
    "sign up", "save", "update", "计算", "试算", "查找", "搜", "保存", "更新",
    // A form printed to be signed and posted (按「列印」, round 44's reviews).
    "print", "列印", "打印",
];

impl Page<'_> {
    /// Does a sendable form ask for the ending of block `b`: `b` stands in it, or it starts
    /// within [`FORM_NEAR`] blocks after `b`, in `b`'s section when `b` is a heading, with no
    /// heading between when it is not? Then the context to show
    /// for the form is returned: its submit label.
    pub(super) fn form_here(&self, b: usize) -> Option<String> {
        let mark = match &self.ctx(b).form {
            Some(m) => m,
            None => {
                // Under a heading, anywhere in its section (a steps bar may head the form);
                // after a sentence, with no heading between.
                let heading = matches!(self.ctx(b).role, Role::Heading);
                let start = (b + 1..self.blocks.len().min(b + 1 + FORM_NEAR))
                    .take_while(|&x| {
                        heading && self.ctx(x).headings.contains(&b)
                            || !heading
                                && (self.ctx(x).form.is_some()
                                    || !matches!(self.ctx(x).role, Role::Heading))
                    })
                    .find(|&x| self.ctx(x).form.is_some())?;
                self.ctx(start).form.as_ref()?
            }
        };
        self.asks_nothing_else(mark)
            .then(|| format!("form ‹{}›", mark.submit))
    }

    /// Does the form ask for nothing but the ending: are its words (its first [`FORM_BLOCKS`]
    /// blocks and its submit label) free of another errand (a booking, a status, a porting code,
    /// a sign-in, a search, feedback)? Worked out for every form in one pass over the page.
    fn asks_nothing_else(&self, mark: &FormMark) -> bool {
        let free = self.forms.get_or_init(|| {
            let other = |t: &str| {
                NOT_ACTIONS
                    .iter()
                    .chain(&OTHER_ERRANDS)
                    .chain(&PORTING)
                    .any(|w| t.contains(w))
            };
            let mut free: Vec<bool> = Vec::new();
            let mut read = 0;
            for x in 0..self.blocks.len() {
                let Some(m) = &self.ctx(x).form else { continue };
                let i = m.index as usize;
                if i >= free.len() {
                    // A form's first block: its submit label, then up to FORM_BLOCKS blocks.
                    free.resize(i + 1, false);
                    let submit = crate::extract::normalise::for_matching(&m.submit);
                    free[i] = !other(&submit)
                        && !OTHER_SUBMITS.iter().any(|w| {
                            submit.strip_prefix(w).is_some_and(|rest| {
                                // A short word whole: "go", not "google"; longer ones
                                // as stems ("calculat" for "Calculate").
                                !w.is_ascii()
                                    || w.len() > 3
                                    || !rest.starts_with(|c: char| c.is_ascii_alphabetic())
                            })
                        });
                    read = 0;
                }
                read += 1;
                if read <= FORM_BLOCKS && free[i] {
                    free[i] = self.of_block(x).iter().all(|s| !other(&s.folded));
                }
            }
            free
        });
        free.get(mark.index as usize).copied().unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::lexicon::Lexicon;
    use crate::extract::verdict::{Verdict, assess_structured};

    fn verdict(html: &str) -> Verdict {
        let url = "https://example.com/".parse().unwrap();
        let extractor = crate::extract::Extractor::new(&["main".to_string()], &[]).unwrap();
        let blocks = extractor.extract(html, &url).unwrap();
        assess_structured(Lexicon::builtin(), &blocks).verdict
    }

    fn page(heading: &str, fields: &str, submit: &str) -> Verdict {
        verdict(&format!(
            "<main><h1>{heading}</h1><p>Fill in the details below.</p>\
             <form><fieldset><legend>Your details</legend>{fields}</fieldset>{submit}</form>\
             <p>We reply within two working days.</p></main>"
        ))
    }

    const FIELDS: &str = "<label>Account number <input name=a></label>\
                          <label>Reason <select><option>Moving</option></select></label>";

    #[test]
    fn a_sendable_form_under_an_ending_heading_is_the_online_way() {
        let submit = "<button type=submit>Submit request</button>";
        assert_eq!(
            page("Ending your mobile service", FIELDS, submit),
            Verdict::Supported
        );
        assert_eq!(
            page(
                "Ending your mobile service",
                FIELDS,
                "<input type=submit value=Send>"
            ),
            Verdict::Supported
        );
        // No form to send: no submit, no field, a sign-in form, a search.
        assert_eq!(
            page(
                "Ending your mobile service",
                FIELDS,
                "<button type=button>Print</button>"
            ),
            Verdict::Unknown
        );
        assert_eq!(
            page("Ending your mobile service", "", submit),
            Verdict::Unknown
        );
        assert_eq!(
            page(
                "Ending your mobile service",
                "<label>Password <input type=password></label>",
                "<button>Log in</button>"
            ),
            Verdict::Unknown
        );
        assert_eq!(
            page(
                "Ending your mobile service",
                "<label>Words <input type=search></label>",
                "<button>Go</button>"
            ),
            Verdict::Unknown
        );
        // Another errand: booking the visit, tracking the request.
        assert_eq!(
            page(
                "Ending your mobile service",
                FIELDS,
                "<button>Book an appointment</button>"
            ),
            Verdict::Unknown
        );
        assert_eq!(
            page(
                "Ending your mobile service",
                "<label>Request status: reference <input></label>",
                submit
            ),
            Verdict::Unknown
        );
        // A form under a heading about something else.
        assert_eq!(page("Contact us", FIELDS, submit), Verdict::Unknown);
    }

    #[test]
    fn a_form_whose_own_labels_name_the_ending_is_the_online_way() {
        let html = "<main><h1>網上客戶服務</h1><form><fieldset><legend>客戶資料</legend>\
                    <label>流動電話號碼 <input></label></fieldset><fieldset><legend>終止詳情</legend>\
                    <label>希望終止服務日期 <input type=date></label></fieldset>\
                    <button type=submit>提交申請</button></form></main>";
        assert_eq!(verdict(html), Verdict::Supported);
    }

    /// A weak offer: an offline way said for the ending on the same page outweighs it.
    #[test]
    fn a_form_yields_to_an_offline_way_said_for_the_ending() {
        let html = "<main><h1>Ending your mobile service</h1>\
                    <p>Mobile services can only be terminated in person at our shops.</p>\
                    <form><label>Account number <input></label>\
                    <button>Submit</button></form></main>";
        assert_eq!(verdict(html), Verdict::NotSupported);
    }

    #[test]
    fn each_forms_errands_are_read_once_and_bounded() {
        // Thousands of labels naming the ending in one form: the form is read once, its first
        // FORM_BLOCKS blocks only, so an errand word far down does not count.
        let labels = "<label>Termination date <input></label>".repeat(3000);
        let html = format!(
            "<main><h1>Ending your service</h1><form>{labels}\
             <label>Track your request <input></label><button>Send</button></form></main>"
        );
        assert_eq!(verdict(&html), Verdict::Supported);
        // The same errand near the start is read: the form tracks a request.
        let html = format!(
            "<main><h1>Ending your service</h1><form>\
             <label>Track your request <input></label>{labels}<button>Send</button></form></main>"
        );
        assert_eq!(verdict(&html), Verdict::Unknown);
        // Two forms, each read for itself: a booking form beside the request form.
        let html = "<main><h1>Ending your service</h1><form><label>Number <input></label>\
                    <button>Submit request</button></form><h2>Or visit us</h2><form>\
                    <label>Store <input></label><button>Book an appointment</button></form></main>";
        assert_eq!(verdict(html), Verdict::Supported);
    }
}
