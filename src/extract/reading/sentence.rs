//! The clause loop: a sentence read clause by clause, each clause cut, read for what it names,
//! set aside or counted, with what it leaves for the clauses after it; then the sentence read
//! whole ([`settle`]). The rules it applies live in the sibling modules and in
//! [`super`]; this module holds the order they run in and the state between clauses. Pure.

// The loop applies nearly every rule of the reader (some 130 names, from the parent and its
// other children): a list of them here would only repeat the parent's.
use super::*;

/// Does a sentence open with commentary ([`OPINION_SPEAKERS`], [`OPINION_VERBS`])? The verbs
/// are looked for first: most sentences have none.
fn opinion(normalised: &str) -> bool {
    let head = crate::extract::block::first_chars(normalised, OPINION_CHARS);
    OPINION_VERBS.iter().any(|v| head.contains(v))
        && OPINION_SPEAKERS.iter().any(|c| head.contains(c))
}

pub(super) fn read_normalised(lexicon: &Lexicon, normalised: &str) -> Reading {
    let mut sentence = Sentence::new(lexicon, normalised);
    // "出处：https://…", "Source: …": where the text was copied from, with its address; or the
    // address alone, closing a paragraph as its source.
    if CITATIONS.iter().any(|c| normalised.starts_with(c))
        || opinion(normalised)
        || bare_address(normalised).is_some_and(|a| a.starts_with("http"))
    {
        sentence.r.any_trap = true;
        return sentence.r;
    }
    let mut ahead = clauses(normalised).peekable();
    while let Some(clause) = ahead.next() {
        sentence.read_clause(clause, ahead.peek().copied());
    }
    settle(lexicon, normalised, sentence.r, sentence.tally)
}

/// A sentence read clause by clause: the reading so far, and what each clause leaves for the
/// clauses after it ([`read_normalised`]).
struct Sentence<'s> {
    lexicon: &'s Lexicon,
    normalised: &'s str,
    r: Reading,
    tally: Tally,
    /// A negation reaches the items of its own enumeration: "does not support cancellations
    /// through the app, Google Play, or an online self-serve cancellation", 不支持网上、APP销户.
    carried: bool,
    /// A trap reaches the bare names enumerated after it: 绑定了微博、微信、支付宝 names accounts.
    trap_carried: bool,
    /// The enumeration now read: what held as it began, and whether its items are bare.
    list: List,
    /// "销户、补换卡、变更套餐等业务只能到营业厅办理": an ending named bare in an enumeration of
    /// errands takes the way named for all of them (…等业务 …办理) by the item that closes it.
    ending_listed: bool,
    /// "If you think you can simply click a button online…, you're wrong.": the clause after
    /// refutes what the reader was said to think.
    believed_online: bool,
    /// A clause before held a belief the page corrects (误以为): the clauses after it are the
    /// belief's, until one corrects it.
    misbelief: bool,
    /// A clause before opened the state that held before a change ([`PAST_WORDS`]).
    was_before: bool,
    /// The clause before only said the sentence is for ending ("To cancel your service, …").
    for_ending: bool,
    /// The clause before said the sentence is for another task ("To update your mailing
    /// address, sign in to My Account").
    for_other: bool,
    /// The clause before ends with a label for an address ("… page", 网址).
    label_before: bool,
    /// A clause before opened a condition other than the wish to end ("If you have an
    /// outstanding balance, …").
    precondition: bool,
    /// The way of a clause dropped as a check (查询) the sentence goes on from with 并.
    way_of_check: Option<Concept>,
    /// The clause before named an online way it did not deny (网上客服可处理账单查询、…).
    online_before: bool,
    form_downloaded: bool,
    booked_visit: std::cell::OnceCell<bool>,
    /// Where the first word of the past stands: read once, not again for every clause (a
    /// sentence of thousands of clauses, the read-through of round 39), and only when a clause
    /// naming an online way asks.
    past_at: std::cell::OnceCell<Option<usize>>,
}

/// The enumeration a sentence is reading ("网上营业厅、APP、10000号均不受理…"): taken at its first
/// item, so that a word after the items (a collective refusal, the add-on they are for) can take
/// back what the bare items added.
#[derive(Clone, Copy, Default)]
struct List {
    /// Whether an online way was offered before the enumeration began: "APP、网厅、10000号均不
    /// 受理销户申请" takes back the bare items before its collective refusal.
    online_before: bool,
    /// What was read of the service before the enumeration began: "APP、公众号只能退订附加业务"
    /// gives its bare items to the add-on its last item is about.
    service_before: Concepts,
    /// Whether the enumeration has named only bare items so far ("网上营业厅、…").
    bare: bool,
}

/// One clause as cut, with what the clauses before it left for it ([`Sentence::read_clause`]).
#[derive(Clone, Copy)]
struct Clause<'c> {
    /// The clause after the cuts (without "without …", a login, pointers, a trap's modifier).
    text: &'c str,
    /// The clause as cut, before any rewriting: offsets into the sentence are taken from it.
    as_cut: &'c str,
    /// Where the clause starts in the sentence.
    at: usize,
    /// The sentence after the clause.
    after: &'c str,
    /// The clause after this one.
    next: Option<&'c str>,
    /// A bracket right after the clause (the splitter cut there): a call's arguments.
    paren_follows: bool,
    in_list: bool,
    /// A negation before reaches this item of its enumeration.
    continues: bool,
    /// A trap before reaches this item of its enumeration.
    trap_continues: bool,
    cues: Cues,
    hits: crate::extract::lexicon::Hits,
    /// Only a pointer's own verb is left after the pointer was cut.
    pointer_only: bool,
    /// The item that closes a list holding the ending (…等业务…办理).
    closes_errands: bool,
    /// The way of the check the clause before was dropped as.
    check_way: Option<Concept>,
    /// The clause before named an online way it did not deny.
    way_before: bool,
    /// The clause before only said the sentence is for ending.
    after_purpose: bool,
    /// The clause before said the sentence is for another task.
    after_other: bool,
}

/// What a clause names, once the rules that add or take away a way, a negation or an ending have
/// read it ([`Sentence::named`]).
#[derive(Clone, Copy)]
struct Named {
    c: Concepts,
    /// The online way named is announced for later, or told of the past.
    announced: bool,
    /// The way lacks the function to end.
    lacks: bool,
    /// A way was named before the self-service rule.
    names_way: bool,
}

impl<'s> Sentence<'s> {
    fn new(lexicon: &'s Lexicon, normalised: &'s str) -> Self {
        let question = is_question(normalised) || wishes(normalised);
        let r = Reading {
            question,
            asks_why: question && WHY.iter().any(|w| normalised.contains(w)),
            // "You don't need to call us to cancel. Just log in to My Account.": the sentence goes
            // on with how.
            refers_back: GOING_ON.iter().any(|w| normalised.starts_with(w))
                // A chat agent's "I can do that for you here": the way named holds the reference
                // (the lexicon finds the longer term, not "do that" inside it; round 39).
                || normalised.contains("that")
                    && AGENT_TAKES_IT.iter().any(|w| normalised.contains(w)),
            alternative: offers_alternative(normalised),
            sent_on: sent_there(normalised),
            way_back: names_way_back(normalised),
            ..Reading::default()
        };
        Sentence {
            lexicon,
            normalised,
            r,
            tally: Tally::default(),
            carried: false,
            trap_carried: false,
            list: List::default(),
            ending_listed: false,
            believed_online: false,
            misbelief: false,
            was_before: false,
            for_ending: false,
            for_other: false,
            label_before: false,
            precondition: false,
            way_of_check: None,
            online_before: false,
            form_downloaded: downloads_a_form(normalised),
            booked_visit: std::cell::OnceCell::new(),
            past_at: std::cell::OnceCell::new(),
        }
    }

    fn past_at(&self) -> Option<usize> {
        let normalised = self.normalised;
        *self
            .past_at
            .get_or_init(|| PAST.iter().filter_map(|w| normalised.find(w)).min())
    }

    /// The sentence books a visit (or books the ending for a visit): read once per sentence, as
    /// a sentence of thousands of clauses that each name the app would read the whole sentence
    /// again for each (the read-through of round 39: 5.9 s for one of 20,000 clauses).
    fn books_visit(&self) -> bool {
        *self
            .booked_visit
            .get_or_init(|| books_a_visit(self.normalised))
    }

    /// Reads one clause: cuts it, reads what it names ([`Self::named`]), drops it if it is set
    /// aside ([`Self::set_aside`]), and counts the rest ([`Self::count`]).
    fn read_clause(&mut self, clause: &'s str, next: Option<&'s str>) {
        let (lexicon, normalised) = (self.lexicon, self.normalised);
        // Only the clause right after a check takes its way.
        let check_way = self.way_of_check.take();
        let way_before = std::mem::take(&mut self.online_before);
        // "…call the customer service number, which is listed on your bill or the website":
        // where the number is found, said of it; the sentence is not about finding things.
        if WHERE_FOUND.iter().any(|w| clause.starts_with(w)) {
            return;
        }
        let at = clause.as_ptr() as usize - normalised.as_ptr() as usize;
        // The clause as cut, before any rewriting below: offsets into `normalised` are taken
        // from it alone.
        let as_cut = clause;
        let after = &normalised[at + clause.len()..];
        // A bracket right after the clause (the splitter cut there): a call's arguments.
        let paren_follows = after.starts_with('(') && !after.starts_with("(s)");
        let after_purpose = std::mem::take(&mut self.for_ending);
        let after_other = std::mem::take(&mut self.for_other);
        // "Official cancellation page: https://…", "Source: …": an address under a label is
        // where something is published, not a way to send a request.
        let labelled = std::mem::replace(&mut self.label_before, ends_with_label(clause));
        if labelled && bare_address(clause).is_some() {
            return;
        }
        let in_list = enumerated(normalised, clause);
        if !in_list {
            self.list = List {
                online_before: self.tally.plain_online,
                service_before: self.r.service,
                bare: bare_item(clause),
            };
        }
        let continues = std::mem::take(&mut self.carried) && in_list;
        let trap_continues = std::mem::take(&mut self.trap_carried) && in_list;
        self.ending_listed &= in_list;
        // "Cancel your service without porting your number", "…without calling us": what
        // follows "without" is not what the clause does; it names neither add-on nor channel.
        let clause = before_where_found(clause);
        // "You can't cancel the contract without having to pay a fee": ending is allowed at a
        // price (read before "without …" is cut).
        // One pass over the clause says which phrase checks below can match at all.
        let cues = Cues::of(clause);
        self.tally.at_a_cost |=
            cues.has(Cues::PRICE) && AT_A_PRICE.iter().any(|w| clause.contains(w));
        let cut = without_what(lexicon, cues.has(Cues::NOT_TAKEN), clause);
        let login = without_login(&cut);
        let pointed = if cues.has(Cues::POINTER) {
            without_pointers(&login)
        } else {
            std::borrow::Cow::Borrowed(login.as_ref())
        };
        // A pointer was cut out ("Click here for more information on our disconnection process"):
        // a few words left are the pointer's own verb ("click here", "please visit our website"),
        // unless they name ending ("… or to cancel"); more are a clause of their own ("Log in to
        // the customer portal and click on the section My Services").
        let pointer_only = matches!(pointed, std::borrow::Cow::Owned(_))
            && pointed.split_whitespace().nth(POINTER_VERB_WORDS).is_none();
        let clause: &str = &pointed;
        let mut hits = lexicon.scan(clause);
        // "於網上商店購買的eSIM計劃可於網上取消": a trap that is only a modifier (…的) of what
        // the clause is about leaves the head to be read on its own.
        let clause = match trap_modifies(clause, &hits) {
            Some(head) => {
                hits = lexicon.scan(head);
                head
            }
            None => clause,
        };
        // The item that closes a list holding the ending (…等业务…办理) names the way for it too.
        let closes_errands = self.ending_listed && clause.contains('等');
        let clause = Clause {
            text: clause,
            as_cut,
            at,
            after,
            next,
            paren_follows,
            in_list,
            continues,
            trap_continues,
            cues,
            hits,
            pointer_only,
            closes_errands,
            check_way,
            way_before,
            after_purpose,
            after_other,
        };
        let mut named = self.named(&clause);
        if let Some(preconditioned) = self.set_aside(&clause, &mut named) {
            self.count(&clause, named, preconditioned);
        }
    }

    /// What the clause names: the lexicon's concepts, with ways, negations and endings added or
    /// taken away by the rules that read the clause whole.
    fn named(&mut self, clause: &Clause) -> Named {
        let (lexicon, normalised) = (self.lexicon, self.normalised);
        let Clause {
            text: clause,
            as_cut,
            at,
            after,
            next,
            paren_follows,
            in_list,
            cues,
            ref hits,
            way_before,
            after_other,
            ..
        } = *clause;
        let mut c = hits.concepts;
        self.tally.last_rejects = c.has(Concept::Rejection);
        let announced = c.has(Concept::Online)
            && (announced_after(next, paren_follows, after)
                || announced_before(&normalised[..at])
                || announces(clause)
                || announcing_words(crate::extract::block::first_chars(after, ANNOUNCE_LOOK))
                || announced_far_on(after)
                || self.past_at().is_some_and(|p: usize| p < at + clause.len())
                || PAST_OPENERS.iter().any(|w| clause.starts_with(w))
                || FUTURE_OPENERS.iter().any(|w| normalised.starts_with(w))
                || until_launch(clause));
        if announced {
            c.insert(Concept::Negation);
        }
        // "销户业务目前不在中国移动APP、网上营业厅及10086热线受理": 不在 opens the ways, and the
        // verb that refuses them comes after the list (round 37's reviews).
        if c.has(Concept::Online) && not_handled_at(as_cut, &normalised[at..]) {
            c.insert(Concept::Negation);
        }
        // "公众号暂无销卡功能", "亦未开通APP销户功能": the way lacks the function (round 39); in a
        // clause after the way ("csl app 只可以改 plan…,無終止服務呢個掣") it is the way's too.
        let lacks =
            (c.has(Concept::Online) || self.tally.plain_online || c.has(Concept::Terminate))
                && lacks_function(clause);
        if lacks {
            c.insert(Concept::Negation);
        }
        // "副門號不提供 App 或網路門市退租功能", "退租不提供官網或電話申請", "本公司不設任何網上
        // 終止服務途徑": 不提供 / 不設 withholds the way or the ending its clause goes on to name
        // (round 47's first wave). Not "网上营业厅不提供发票打印", which goes on to neither.
        if (c.has(Concept::Online) || c.has(Concept::Terminate))
            && !c.has(Concept::Negation)
            && withholds_what_follows(lexicon, clause)
        {
            c.insert(Concept::Negation);
        }
        // A clause that opens with "otherwise" (否则) and names a fee: what the sentence denied
        // is allowed at that price.
        self.tally.at_a_cost |=
            c.has(Concept::Fee) && OTHERWISE.iter().any(|w| clause.starts_with(w));
        // "網上客服可處理賬單查詢、更改服務計劃，以及終止流動電話服務申請": the clause that goes
        // on with the list (以及) is handled by the way named before (round 34's reviews).
        if way_before
            && c.has(Concept::Terminate)
            && !c.has(Concept::Online)
            && !c.has(Concept::Offline)
            && clause.starts_with("以及")
        {
            c.insert(Concept::Online);
        }
        // Items of the list between (、) keep it: "…可處理賬單查詢、更改服務計劃，以及終止…".
        self.online_before = c.has(Concept::Online) && !c.has(Concept::Negation)
            || way_before && in_list && !c.has(Concept::Online) && !c.has(Concept::Offline);
        if !c.has(Concept::Offline)
            && (dialling::calls_a_number(clause)
                || dialling::number_clause(clause) && dialling::on_hand(normalised)
                || cues.has(Cues::CALL)
                    && (dialling::told_to_call(lexicon, clause)
                        || dialling::calls_a_provider(clause)
                        || dialling::gives_a_call(clause)))
        {
            c.insert(Concept::Offline);
        }
        // "DELETE /v1/numbers/{id}": a request sent to the provider's API is a way online; a
        // DELETE of a line, number or SIM ends it (round 32, from round 31's API pages).
        // A GET only reads ("GET /v1/lines/{id}/early-termination-fee" quotes a fee: round 32's
        // review, en08).
        if cues.has(Cues::API)
            && let Some(route) = api_route::route(clause)
            && route.method != "get"
        {
            c.insert(Concept::Online);
            if route.deletes_a_line() {
                c.insert(Concept::Terminate);
            }
        }
        // "call release_number()", "client.sims.terminate(iccid)", `#terminate`: an SDK's
        // method or an agent's tool is a way online, as an API route is; its name may end a
        // line (round 33, from heldout85's SDK pages and the round's review).
        // Only a clause with a character of code is read for a method's name.
        if (paren_follows || cues.has(Cues::CODE))
            && let Some(call) = api_route::method_call(clause, paren_follows)
        {
            c.insert(Concept::Online);
            if call.ends {
                c.insert(Concept::Terminate);
            } else if hits
                .first_at(Concept::Terminate)
                .zip(hits.last_at(Concept::Terminate))
                .is_some_and(|(f, l)| call.within(f) && call.within(l))
            {
                // "client.session.terminate()" ends a session: the ending word is the
                // method's, and names nothing of the line (round 33's review).
                c.remove(Concept::Terminate);
            }
        }
        if let Some(ends) = api_route::command_line(clause) {
            c.insert(Concept::Online);
            if ends {
                c.insert(Concept::Terminate);
            }
        }
        // "End your fibre plan in the app": an ending whose object has a word or two before its
        // head, beside a way. Not without one: as a heading ("Closing your Mobal account",
        // "Ending our Agreement") it would lend its subject to what is under it, which on the
        // cached pages is mostly something else (round 23: four pages lost, none gained).
        // But as the purpose that opens a sentence with more after it, where the way follows
        // ("To close the number, please call 1000", round 33).
        // Not a rental: a loan phone's is ended by bringing it back (round 32's second review).
        let opens_purpose = at == 0
            && clause.starts_with("to ")
            && normalised.len() > clause.len() + 1
            && !clause.contains("rental");
        // Or as a question of how ("How do I close my SIM-only account?", round 34's reviews):
        // the reader asks to end it.
        let asks_how = at == 0 && ASKING_HOW.iter().any(|w| clause.starts_with(w));
        if !c.has(Concept::Terminate)
            && (c.has(Concept::Online) || c.has(Concept::Offline) || opens_purpose || asks_how)
            && cues.has(Cues::END)
            && ending_phrase::ends_named_thing(clause)
        {
            c.insert(Concept::Terminate);
        }
        // "Releasing a phone number" (a heading over the console's steps): a rented number
        // given up is ended, with or without a way in the clause; so is a contract put an end
        // to.
        if !c.has(Concept::Terminate)
            && cues.has(Cues::END)
            && (ending_phrase::gives_up_number(clause)
                || ending_phrase::puts_an_end(clause)
                || ending_phrase::releases_number_zh(clause, normalised, c.has(Concept::Online)))
        {
            c.insert(Concept::Terminate);
        }
        // "可以透過網站預約，再到門市辦理": the clause that books a visit the sentence then makes,
        // ending nothing itself, names no way to end. Nor does one that books the ending
        // itself for the visit made after it ("宽带拆机可以在线上预约，预约后需携带光猫到营业厅办理",
        // round 30's second review).
        // "登录营业厅网站，填写光猫归还单，选好门店和到店时间": choosing the shop and the time
        // of the visit is booking it (round 31, zhs-8145 of heldout81).
        // Read only for a clause that names the web: the sentence's words are looked at then.
        // Read once per sentence: a sentence of thousands of clauses that each name the app
        // would read the whole sentence again for each (the read-through of round 39: 5.9 s for
        // one of 20,000 clauses).
        let then_visit = || THEN_VISIT.iter().any(|w| normalised.contains(w));
        let visit_after = || {
            normalised.contains("预约后")
                && ["营业厅", "门市", "门店"]
                    .iter()
                    .any(|w| normalised.contains(w))
        };
        // A denial of the way stays one ("网上预约只作预留时段之用，…不能在网上完成", round 49).
        if c.has(Concept::Online)
            && !c.has(Concept::Negation)
            && (clause.contains("预约")
                && (then_visit() && !c.has(Concept::Terminate) || visit_after())
                || self.books_visit() && !completes_online(clause, c))
        {
            c.remove(Concept::Online);
        }
        // "Book an appointment online, then bring your ID to the shop", "Book an appointment on
        // our website to cancel in store": the visit booked online is not the ending made
        // online, unless the clause ends something there itself ("book your disconnection
        // online").
        if c.has(Concept::Online)
            && (!c.has(Concept::Terminate) || c.has(Concept::Offline))
            && clause.contains("appointment")
        {
            c.remove(Concept::Online);
        }
        // "If you bought your SIM through our website, …", 在网上营业厅购买的宽带，…: the channel
        // of a clause that says where the thing was bought is the purchase's, not a way to end it.
        if c.has(Concept::Online) && cues.has(Cues::BUY) && bought_there(clause, hits) {
            c.remove(Concept::Online);
        }
        // "While you can manage most things in My Account, cancellations are only handled by
        // our team over the phone": the way a concession grants names no ending; it is the
        // ground the refusal that follows stands on (round 47's sixth wave).
        if c.has(Concept::Online)
            && !c.has(Concept::Terminate)
            && CONCESSIONS.iter().any(|w| clause.starts_with(w))
        {
            c.remove(Concept::Online);
        }
        // "Write to help@example.org … to end service": an email address is the email way, as a
        // number is the phone.
        // "Go to Manage › Plan › End plan": a path of menus told as a step is walked in the
        // provider's app or account (round 47's first wave).
        if !c.has(Concept::Online)
            && (has_mail_address(clause)
                || has_web_path(clause)
                || cues.has(Cues::MENU)
                    && !c.has(Concept::Offline)
                    && (menu_path::walks_a_menu(clause)
                        || menu_path::names_a_menu(clause)
                            && menu_path::walked_before(&normalised[..at]))
                || cues.has(Cues::CHAT) && names_a_chat(clause)
                || cues.has(Cues::API) && api_route::calls_an_api_zh(clause))
        {
            c.insert(Concept::Online);
        }
        // "Deleting your account in the app does not close your number": the app is the
        // deletion's, and the sentence denies that deleting ends the line, not a way to end it.
        if c.has(Concept::Terminate)
            && not_same::WAYS_AND_DENIALS.iter().any(|&x| c.has(x))
            && not_same::act_is_not_ending(clause)
        {
            for x in not_same::WAYS_AND_DENIALS {
                c.remove(x);
            }
        }
        // Carried over an item of what the task is about ("To view your usage, data allowance
        // and call history, log in …"): a clause that names no ending and no way.
        let names_way = c.has(Concept::Online) || c.has(Concept::Offline);
        self.for_other =
            !c.has(Concept::Terminate) && !names_way && (after_other || purpose_of_other(clause));
        // "You cannot cancel your service yourself": ending it oneself is the self-service way,
        // which is online; counted only when denied, since a shop is also visited "yourself",
        // and not at a price ("… yourself without paying a fee" allows it).
        if !self.tally.at_a_cost
            && c.has(Concept::Terminate)
            && c.has(Concept::Negation)
            && !c.has(Concept::Online)
            && !c.has(Concept::Offline)
            && by_oneself(clause, hits)
        {
            c.insert(Concept::Online);
        }
        Named {
            c,
            announced,
            lacks,
            names_way,
        }
    }

    /// Whether the clause is kept: `None` when it is set aside (a trap, a citation, a plan
    /// change, an errand, the past…); else whether a condition before it holds it up.
    fn set_aside(&mut self, clause: &Clause, named: &mut Named) -> Option<bool> {
        let normalised = self.normalised;
        let Clause {
            text: clause,
            at,
            cues,
            ref hits,
            pointer_only,
            closes_errands,
            check_way,
            trap_continues,
            after_other,
            ..
        } = *clause;
        let Named {
            mut c, names_way, ..
        } = *named;
        // "If you have an outstanding balance, we can't cancel your service": a refusal after
        // such a condition says when ending is held up, not that the service cannot be ended. A
        // denial of the online channel itself stays one ("if you have unpaid bills, you cannot
        // cancel online"), and "If you want to cancel, we cannot do it online" conditions on
        // the wish to end, which is no precondition. Read before the trap check: in
        // 如有未繳費用 the trap 繳費 sits inside the unpaid charges.
        let preconditioned = self.precondition && !c.has(Concept::Online);
        self.precondition |= opens_condition(clause, c);
        // "According to the OFCA web page, consumers may…": the page cited is where a rule is
        // read, not a channel ("cancel online according to the steps below" is a channel).
        let cited = CITING.iter().any(|w| clause.starts_with(w)) && c.has(Concept::Online);
        // "You can change your monthly plan online through My Page", under a heading about
        // termination: the way named is for changing the plan. Not when the clause names ending
        // too ("change your plan or cancel online").
        let plan_change =
            cues.has(Cues::PLAN) && !c.has(Concept::Terminate) && changes_plan(clause);
        // "Your first instinct might be to look on their website" (en-2937): reading, not a
        // request; but "look on the website … where there is a Cancel Service button" is one.
        let looks = cues.has(Cues::LOOK)
            && !c.has(Concept::Terminate)
            && LOOKS.iter().any(|w| clause.contains(w));
        // "Pay online", "Upgrade online", "Reload in the app": a way named for another
        // errand, under a heading about ending (round 33's review).
        let errand = c.has(Concept::Online) && !c.has(Concept::Terminate) && other_errand(clause);
        // "Download the Broadband Termination Form (PDF) from our website": a form got online
        // and sent no way in the clause (round 34's reviews; "download the form and email it"
        // sends it).
        // Dropped without marking a trap: the sentence's other clauses may still take the
        // heading's subject ("如需了解更多关于网上销户的信息，请登录网上营业厅").
        if pointer_only && !c.has(Concept::Terminate) {
            return None;
        }
        if c.has(Concept::Trap)
            && (second_purpose(clause, hits) || ends_on_request(clause, hits) || then_sent(clause))
        {
            c.remove(Concept::Trap);
        }
        // "可前往营业网点查询名下号码，并对非本人办理的号码进行销号处理": the visit that the
        // check was made on is where the clause joined by 并 ends the line.
        if let Some(way) = check_way
            && clause.starts_with('并')
            && c.has(Concept::Terminate)
            && !c.has(Concept::Online)
            && !c.has(Concept::Offline)
        {
            c.insert(way);
        }
        // An item that names ending ("缴费、销户可在APP办理") is a statement of its own.
        let trap_item = trap_continues
            && !c.has(Concept::Terminate)
            && clause.chars().nth(TRAP_ITEM_CHARS).is_none();
        // Cut at "but" / 但 (the splitter drops the word), or a correcting word: the page turns
        // from the belief. Read only while a belief runs (most sentences hold none).
        let turned = || {
            let before = normalised[..at].trim_end();
            CLAUSE_WORDS[3..].iter().any(|w| before.ends_with(w.trim()))
                || CORRECTING.iter().any(|w| clause.starts_with(w))
        };
        self.misbelief = if self.misbelief {
            !turned()
        } else {
            c.has(Concept::Trap) && MISBELIEF.iter().any(|w| clause.contains(w))
        };
        let believed = self.misbelief && !c.has(Concept::Trap);
        // "Previously, you could close your account online", "此前，销户须到营业厅办理": what held
        // before a change, up to a clause that turns to now. Read only while such a run goes on
        // or a clause opens with a word for the past (most open with neither).
        self.was_before = if self.was_before {
            !turned() && !NOW_WORDS.iter().any(|w| clause.starts_with(w)) && !from_a_year(clause)
        } else {
            // Looked for only in a clause whose first letter can open one (most cannot).
            clause
                .chars()
                .next()
                .is_some_and(|f| PAST_FIRST.contains(f))
                && (PAST_WORDS
                    .iter()
                    .any(|w| opens_with(clause, w) && told_of_the_past(clause, w, normalised))
                    || before_a_date(clause, normalised))
        };
        // "如果您的號碼已被註銷，請補交欠費並到營業廳辦理", "if your line has been disconnected,
        // call us": the ending has already befallen the line; the way named after it is for what
        // follows (restoring it, paying), and the sentence lends no channel to ending.
        let befell = conditional(clause) && ended_already(clause, hits);
        let for_else = after_other && !c.has(Concept::Terminate) && names_way;
        // Whatever the closing item is read as (a trap, an add-on, the service), its way is the
        // listed ending's too.
        if closes_errands {
            lend_ways(&mut self.r, c);
        }
        if c.has(Concept::Trap)
            || cited
            || plan_change
            || looks
            || self.form_downloaded
            || errand
            || trap_item
            || befell
            || for_else
            || believed
            || self.was_before
        {
            if c.has(Concept::Trap) && !c.has(Concept::Terminate) {
                self.way_of_check = way_gone_to(c, hits);
            }
            // What held before still names what is ended ("客户以往可在APP销户，现在须到营业厅
            // 办理"): the way said now is for it.
            // "…, to end the line and settle your final bill": an ending named before the trap,
            // joined to it and naming no way, is an errand of its own (round 48).
            if self.was_before && c.has(Concept::Terminate) || ends_before_trap(clause, c, hits) {
                self.r.all.insert(Concept::Terminate);
                self.r.service.insert(Concept::Terminate);
                self.r.ending_named = true;
            }
            self.r.any_trap = true;
            self.tally.last_trap = Some(at);
            self.trap_carried = true;
            return None;
        }
        named.c = c;
        Some(preconditioned)
    }

    /// Counts a kept clause into the reading: the service or an add-on, and its negation bound
    /// to what it negates.
    fn count(&mut self, clause: &Clause, named: Named, preconditioned: bool) {
        let normalised = self.normalised;
        let Clause {
            text: clause,
            in_list,
            continues,
            ref hits,
            after_purpose,
            ..
        } = *clause;
        let Named {
            mut c,
            announced,
            lacks,
            ..
        } = named;
        if REFUTING.iter().any(|w| clause.starts_with(w)) && self.believed_online {
            self.r.negated = true;
            self.tally.way_denied = true;
        }
        self.believed_online =
            BELIEVING.iter().any(|w| clause.starts_with(w)) && c.has(Concept::Online);
        self.r.all = self.r.all.union(c);
        self.r.ending_named |= c.has(Concept::Terminate)
            && (!c.has(Concept::Consequence) || ending_survives_consequence(clause, hits))
            && !ending_is_time(clause, hits)
            && !(c.has(Concept::Fee) && ending_is_fee(clause, hits));
        if generic_business(clause, hits) || owed_payments(clause, hits) {
            c.remove(Concept::Addon);
        }
        // "如需出國期間暫停服務，請於網上提交停用申請": in a sentence about suspending, 停用 (stop
        // using) is the suspension, not an ending. The sentence is read for it only then.
        let about_addon = (stops_use_only(clause, hits) && suspends(normalised))
            || ((c.has(Concept::Addon) || c.has(Concept::AutoRenewal))
                && (!c.has(Concept::Service) || addon_is_head(clause, hits))
                && !addon_beside_ending(clause, hits));
        if about_addon {
            // The bare ways listed before it ("APP、公众号只能关闭续订…", round 65's first wave)
            // are the add-on's ways too, not the service's.
            if in_list
                && self.list.bare
                && self.r.service.has(Concept::Terminate)
                    == self.list.service_before.has(Concept::Terminate)
            {
                let listed = self.r.service;
                self.r.service = self.list.service_before;
                self.r.addon = self.r.addon.union(listed);
                self.tally.plain_online = self.list.online_before;
            }
            self.r.addon_leads |= self.r.service.is_empty();
            self.r.addon = self.r.addon.union(c);
            return;
        }
        self.r.service = self.r.service.union(c);
        self.r.ends_itself |= c.has(Concept::Terminate)
            && (c.has(Concept::Online) || c.has(Concept::Offline))
            && service_endings().any(|w| clause.contains(w));
        self.r.own_line |=
            c.has(Concept::Terminate) && !c.has(Concept::Addon) && names_own_line(clause);
        self.ending_listed |=
            c.has(Concept::Terminate) && !c.has(Concept::Online) && !c.has(Concept::Offline);
        self.r.refers_back |= c.has(Concept::Refer)
            || ((c.has(Concept::Offline) || c.has(Concept::Online))
                && !c.has(Concept::Terminate)
                && (handled_there(clause)
                    // "恕不接受网上或电话申请" after the way to end: the requests refused are
                    // that ending's (round 43).
                    // Not a refusal quoted to take it back (上文"线上渠道暂不受理"的说明不再适用).
                    || c.has(Concept::Rejection)
                        && !c.has(Concept::Fee)
                        && bare_requests(clause)
                        && !RETRACTED.iter().any(|w| normalised.contains(w))));
        self.r.points_forward |= c.has(Concept::Forward);
        self.r.request_notice |=
            c.has(Concept::Online) && REQUEST_NOTICES.iter().any(|w| clause.contains(w));
        // "To cancel your service, use one of the channels below:" points to ways of ending as
        // much as one clause naming both does; "如需拆机，请先按下列方式归还设备" points to a task
        // done first, which is not.
        self.r.forward_ending |= c.has(Concept::Forward)
            && (c.has(Concept::Terminate) || after_purpose && !own_task(clause));
        self.for_ending = purpose_of_ending(clause, c);
        // A negation about money ("we cannot offer partial refunds for cancellation", 恕不退還)
        // or notice ("no longer allowed to require a month's notice of cancellation") denies
        // the refund or the notice, not ending the service or a channel for it; the money or
        // notice comes before the ending word, or is a compound that starts with it ("cannot
        // charge you a cancellation fee"; "cannot be cancelled or refunded" still denies
        // ending).
        // A notice refused through a way ("Notices given by email … shall not be accepted as
        // notice of termination", round 33's review) refuses that way.
        // So does one refused by phone first, the online ways listed after it ("We cannot
        // accept notice to end your plan by phone, email, chat or in the app", round 54's
        // opened probes).
        // And a notice said not to be given through an online way ("Notice to end the Service
        // can't be given through Jacaranda Online, live chat or email", its second wave); not
        // "No notice is needed if you cancel online", where the negation is the notice's.
        // Nor a notice through a way said to be no valid one, wherever the notice stands ("A
        // request sent by email … is not a valid notice of termination", round 58).
        let refuses_way = c.has(Concept::Rejection)
            && (c.has(Concept::Online) || c.has(Concept::Offline) || self.tally.plain_online)
            || c.has(Concept::Online)
                && hits.before_all(Concept::Notice, Concept::Negation)
                && hits.before_all(Concept::Negation, Concept::Online)
            || c.has(Concept::Online)
                && hits.before_all(Concept::Online, Concept::Negation)
                && NOT_VALID.iter().any(|w| clause.contains(w));
        // "【通知】线上销户功能即将上线": an announced way is no notice period denied.
        let about_terms = !refuses_way
            && !announced
            && [Concept::Refund, Concept::Fee, Concept::Notice]
                .into_iter()
                .any(|m| {
                    c.has(m)
                        && (!c.has(Concept::Terminate) || !hits.before_all(Concept::Terminate, m))
                });
        // A way for other errands only is no qualifier of the ending: its "only" (僅, 只) limits
        // the way.
        let only_other = c.has(Concept::Online)
            && !c.has(Concept::Terminate)
            && ONLY_HANDLES
                .iter()
                .filter_map(|w| clause.find(w).map(|at| &clause[at + w.len()..]))
                .any(|rest| OTHER_ERRANDS.iter().any(|e| rest.contains(e)));
        let negation = ((c.has(Concept::Negation)
            || c.has(Concept::Rejection)
            || c.has(Concept::Online) && pilot_over(clause) && !replaced_by_new(normalised))
            && (!c.has(Concept::Consequence)
                || c.has(Concept::Online) && arrears_lines(clause, hits))
            && !about_terms
            && !conditional(clause)
            && !preconditioned
            && !alone(clause))
            || (continues && !c.has(Concept::Consequence) && !about_terms)
            || only_other;
        self.carried = negation;
        // Only where a bare item before it named an online way: "营业厅、10086热线不受理" refuses
        // no online way.
        if negation
            && in_list
            && self.tally.plain_online
            && !self.list.online_before
            && (self.list.bare || refuses_all_listed(clause, hits))
        {
            // The items named bare before it are refused with it ("网上营业厅、手机营业厅的线上
            // 销户功能停止受理"; 均, 都, 一律: all of them).
            self.tally.plain_online = false;
            if !c.has(Concept::Online) {
                self.r.negated = true;
                self.tally.way_denied = true;
                return;
            }
        }
        if !only_other && (c.has(Concept::Qualifier) || (negation && restricted(clause, hits))) {
            // "部分业务暂不支持自助注销": a negation for some services only qualifies; a
            // qualified offer ("部分地区支持线上注销") is an offer for some.
            if negation {
                self.tally.partial_denial = true;
            } else {
                self.r.qualified = true;
            }
            return;
        }
        // "We do not accept cancellations by email, please use My Account", 以電話提出之終止通知
        // 不生效力，請於網路門市線上申請: after a refused way, a clause that sends the reader to
        // another online way instead offers it (round 58).
        self.tally.offered_instead |= !negation
            && c.has(Concept::Online)
            && self.tally.way_denied
            && INSTEAD.iter().any(|w| clause.trim_start().starts_with(w));
        self.tally.plain_online |= c.has(Concept::Online) && !negation;
        self.tally.plain_offline |= c.has(Concept::Offline) && !negation;
        self.tally.demanded |= !negation
            && !c.has(Concept::Online)
            && hits
                .first_at(Concept::Offline)
                .is_some_and(|at| demand::demands_offline(clause, at));
        if !negation {
            self.list.bare &= !in_list || bare_item(clause);
            return;
        }
        if c.has(Concept::Online) {
            self.r.negated = true;
            self.tally.way_denied = true;
        } else if c.has(Concept::Offline) {
            self.r.negated_offline = true;
        } else if unpaid_condition(clause, hits) || about_the_text(clause) {
            // "Services cannot be cancelled if there are outstanding balances": unpaid bills
            // hold ending up, they do not deny it; "this article does not apply to fibre
            // cancellation" speaks of the page.
        } else if hits.before_all(Concept::Negation, Concept::Terminate)
            || hits.before_all(Concept::Rejection, Concept::Terminate)
        {
            // Only a negation before the first ending word denies ending: in "cancelling the
            // service doesn't cancel these payments" the ending is what the sentence is about.
            self.r.negated = true;
            self.r.cannot_end = true;
            // In the same clause as the refusal: "請透過以下方式辦理" after a refusal points to
            // the ways offered instead.
            self.tally.refusal_points |= WAYS_FORWARD.iter().any(|w| clause.contains(w));
        } else if self.tally.plain_online && (lacks || points_back_to_place(clause)) {
            // "The app is great for paying bills, but line termination isn't available there":
            // the place named before is the way denied (round 39).
            self.r.negated = true;
            self.tally.way_denied = true;
        } else if c.has(Concept::Terminate) && lacks {
            // "無終止服務呢個掣" with no way named: the function to end is missing, as "cannot be
            // cancelled" says (round 39).
            self.r.negated = true;
            self.r.cannot_end = true;
        } else if c.has(Concept::Rejection) {
            // "…submitted online, however, will not be accepted": a refusal in a clause of its own.
            self.r.negated = true;
            self.tally.way_denied = true;
        }
    }
}

/// "網上終止服務申請（預計於 2027 年上半年推出）", "Online cancellation (coming soon)": a short
/// remark in the bracket after the clause that announces it for later denies it now (round 34's
/// held-out review). Only a bracket of at most BRACKET_CHARS is read. So does such a remark as
/// the clause after: "Online cancellation: coming soon". Only an announcement: "…, it cannot be
/// undone" denies nothing of the way.
fn announced_after(next: Option<&str>, paren_follows: bool, after: &str) -> bool {
    next.is_some_and(|next| {
        next.chars().nth(BRACKET_CHARS).is_none() && ANNOUNCED.iter().any(|w| next.contains(w))
    }) || paren_follows && {
        let inner: String = after
            .chars()
            .skip(1)
            .take_while(|&c| c != ')')
            .take(BRACKET_CHARS + 1)
            .collect();
        inner.chars().count() <= BRACKET_CHARS && ANNOUNCED.iter().any(|w| inner.contains(w))
    }
}

/// What the clauses of a sentence said between them, for the look at the sentence whole
/// ([`settle`]).
#[derive(Default)]
struct Tally {
    /// An online way named and not denied in some clause.
    plain_online: bool,
    /// An offline way named and not denied in some clause.
    plain_offline: bool,
    /// An offline way demanded in a clause that names no online one.
    demanded: bool,
    /// A denial for some services or places only.
    partial_denial: bool,
    /// A way to end was denied, apart from "cannot end" itself.
    way_denied: bool,
    /// Not doing the sentence's thing costs something ("otherwise a fee applies").
    at_a_cost: bool,
    /// A refusal to end points forward to the ways offered instead.
    refusal_points: bool,
    /// The last clause read holds a refusal.
    last_rejects: bool,
    /// Where the last trap clause stands.
    last_trap: Option<usize>,
    /// After a way refused, another online way offered instead ([`INSTEAD`]).
    offered_instead: bool,
}

/// How a clause opens that sends the reader to another way instead of the one just refused,
/// after the fold.
const INSTEAD: [&str; 14] = [
    "please use",
    "please log",
    "please submit",
    "please cancel",
    "please complete",
    "instead",
    "请于",
    "请改",
    "请通过",
    "请透过",
    "请登录",
    "请登入",
    "请使用",
    "改以",
];

/// The sentence read whole, after its clauses ([`read_normalised`]): refusals that close or
/// open a list of ways, a denial at a cost, a term still running, a pilot elsewhere, an online
/// way set aside by a contrast, a trap the sentence turns from.
fn settle(lexicon: &Lexicon, normalised: &str, mut r: Reading, tally: Tally) -> Reading {
    let Tally {
        plain_online,
        plain_offline,
        demanded,
        partial_denial,
        mut way_denied,
        at_a_cost,
        refusal_points,
        last_rejects,
        last_trap,
        offered_instead,
    } = tally;
    // The notice named in an earlier clause of the sentence, its ways listed after ("Written
    // notice under clause 9.1 may be given (a) by email …", round 41); not where the sentence
    // refuses one ("A Written Notice under Clause 11.1 … sent by electronic mail … shall not be
    // effective").
    r.request_notice |= r.all.has(Concept::Online)
        && !r.all.has(Concept::Negation)
        && !r.all.has(Concept::Rejection)
        && REQUEST_NOTICES[..NOTICE_REFERENCES]
            .iter()
            .any(|w| normalised.contains(w));
    // "Communications sent by email, SMS, through the website or app, or made orally to the
    // hotline shall not constitute a Termination Notice": a refusal that closes a sentence
    // listing ways, none of them offered, refuses them all (round 39).
    if last_rejects
        && plain_online
        && !r.negated
        && !OFFERING.iter().any(|w| normalised.contains(w))
    {
        r.negated = true;
        way_denied = true;
    }
    // "No notice of termination given by telephone, facsimile, …, the Company's website or any
    // other electronic means shall be effective": a refusal that opens the list of ways refuses
    // every way in it, however long the list (round 43).
    if plain_online && !r.negated && VOIDS_EVERY_WAY.iter().any(|w| normalised.contains(w)) {
        r.negated = true;
        way_denied = true;
    }
    // "流量用完自動續費，當月無法退訂": a bare "cannot be cancelled" with nothing named to end
    // takes its object from the sentence, and the sentence is about an add-on.
    if r.cannot_end && about_addon_only(r) {
        r.addon = r.addon.union(r.service);
        r.service = Concepts::default();
        (r.negated, r.cannot_end) = (false, false);
    }
    // "須到自有營業廳辦理，代理營業廳無法辦理": a channel offered in one clause is not taken
    // back by denying another offline channel in the next.
    r.negated_offline &= !plain_offline;
    r.offline_demanded = demanded && !plain_online;
    // "合约期内不能销号，否则要交违约金", "you can't leave early, otherwise a fee applies": what
    // cannot be done without paying can be done, at a cost. A way denied in another clause
    // ("you cannot cancel online, and …") stays denied.
    if at_a_cost && r.cannot_end {
        (r.negated, r.cannot_end) = (way_denied, false);
    }
    // Only a qualified denial: the statement is a denial for some products or places.
    if partial_denial && !r.negated && !plain_online && !at_a_cost {
        r.negated = true;
        r.cannot_end = true;
        r.qualified = true;
    } else if partial_denial && !at_a_cost {
        r.partial_denial = true;
    }
    // "一份手機契約通常不可能在到期前解約", "during this period you are unable to terminate
    // your line": ending is held off until a term is over. That says when, not whether or
    // through which channel; readers of real pages label it so (round 17: 110 such pages
    // unknown, 6 not-supported). A term window is no qualification by product either.
    if r.cannot_end
        && !way_denied
        && !r.service.has(Concept::Online)
        && held_until_term_end(normalised)
    {
        (r.negated, r.cannot_end, r.qualified) = (false, false, false);
    }
    r.refuses_ways = r.cannot_end && refusal_points && !r.online() && !r.offline();
    // "线上销户目前仅在部分省份试点，本省暂未开通": a pilot elsewhere, denied here. The page is the
    // reader's province's, so the denial is theirs, not one for some places only.
    // Read only when there is a qualification to drop (most sentences have none).
    if (r.qualified || r.partial_denial)
        && (r.negated && NOT_HERE_YET.iter().any(|w| normalised.contains(w))
            || PILOT_OVER.iter().any(|w| normalised.contains(w)))
    {
        (r.qualified, r.partial_denial) = (false, false);
    }
    if r.service.has(Concept::Online)
        && r.service.has(Concept::Offline)
        && online_set_aside(lexicon, normalised)
    {
        r.service.remove(Concept::Online);
    }
    // Looked for only after a trap: most sentences have none.
    r.trap_turned = last_trap.is_some_and(|t| {
        TURNS
            .iter()
            .filter_map(|w| normalised.rfind(w))
            .max()
            .is_some_and(|u| t < u)
    });
    // A way refused and another offered instead: the sentence offers (the refused one is a
    // narrow route the verdict reads apart, as "requests by email are not accepted").
    if offered_instead && !r.cannot_end {
        r.negated = false;
    }
    r
}

/// Does a clause that books nothing itself finish the ending where it names its way
/// ("请在APP立即预约，销户可在APP在线完成")? The booking in the sentence's other clause is
/// then the way in, not a visit the ending waits for.
fn completes_online(clause: &str, c: Concepts) -> bool {
    c.has(Concept::Terminate) && !clause.contains("预约") && clause.contains("完成")
}
