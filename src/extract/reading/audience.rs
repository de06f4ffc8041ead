//! Audience: whether an online way's sentence keeps that way for customers other than the ones a
//! page is written for ("The Close my line option is only available to subscribers registered
//! with a National ID" on a page for passport holders), or shuts them out of it (上网卡号码不在受理
//! 范围 on a page about data cards). Round 45's reviews: such a page offers its own readers
//! nothing online, and the offer it names for others is no contradiction of its refusal. Pure;
//! reads folded text ([`crate::extract::normalise::for_matching`]) with a fixed number of
//! substring searches.

/// What an online way's sentence says of the page's own customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Audience {
    /// Nothing that sets them apart: the offer is theirs.
    Theirs,
    /// The way is kept for other customers ("only available to NRIC holders", 主門號用戶可於APP
    /// 退租): not theirs, and silent on what they may do.
    KeptForOthers,
    /// They are named and shut out ("not available for passport-registered accounts",
    /// 欠费停机状态的号码无法使用APP线上销户): a refusal for them.
    ShutOut,
}

/// Words that keep what the sentence offers for some customers only, after the fold.
const ONLY_FOR: [&str; 46] = [
    // Round 48: "(The Terminate Line option you may see in the app applies only to principal
    // lines.)"
    "applies only to",
    "only applies to",
    "only available to",
    "only available for",
    "available only to",
    "available only for",
    "only open to",
    "open only to",
    "only appears for",
    // "Cancelling in the app is only set up for phone plans", "is limited to holders of a
    // Taiwan national ID", 僅適用合約已期滿之門號 (round 46's waves).
    "only set up for",
    "is limited to",
    "仅适用",
    // Round 46's fifth wave: "is shown only to the account holder", 只會於承諾期屆滿後顯示,
    // "only accepts Chinese ID cards", 僅提供主號使用.
    "shown only to",
    "only shown to",
    "只会于",
    "only accepts",
    "仅提供主号",
    "only shows for",
    "only shown for",
    "only for customers",
    "only for subscribers",
    "only to customers",
    "only to subscribers",
    "restricted to",
    "reserved for",
    "exclusively for",
    "只适用于",
    "只适用",
    "仅适用于",
    "只对",
    "仅对",
    "仅限",
    "只限",
    "仅供",
    // Round 46: 只供已完成承諾期之客戶使用
    "只供",
    // Round 45's second wave: 仅开放给合约已到期之门号, 仅向状态正常的号码开放, 仅面向…
    "仅开放",
    "只开放",
    "仅向",
    "只向",
    "仅面向",
    "只面向",
    "仅针对",
    "只针对",
    "只提供给",
    "仅提供给",
    "只给",
];

/// Words of customers set against the page's own (the primary line against its 副卡, ID-card
/// holders against passport holders, lines out of their term against those in it), after the
/// fold: an offer to them is kept from the page's customers.
const COUNTERPARTS: [&str; 64] = [
    // Round 52's first wave: the main number on a 附屬 SIM page (只適用於主號碼的個人月費計劃),
    // ordinary monthly customers on a data SIM's or a secondary SIM's page.
    "适用于主号码",
    // 只適用於以香港身份證登記的賬戶 on a guide for non-HKID holders.
    "以香港身份证登记",
    // Round 52's second wave: 一般月租型門號 on a secondary lines' page, 成年個人戶 and 年滿 18
    // 歲之門號本人 on pages for minors, 無合約門號 on a device contract's page, 普通个人用户 on a
    // handset offer's terms.
    "一般月租",
    "成年个人",
    "年满18岁",
    "年满 18 岁",
    "无合约门号",
    "普通个人",
    // Round 52's third wave: the main line on an added line's page, lines not under contract
    // on a device bundle's FAQ.
    "main mobile line",
    "not under contract",
    "no-commitment",
    "一般个人",
    "一般月费",
    "ordinary monthly plan",
    "ordinary monthly plans",
    // Round 48: "(No device repayments? You can cancel yourself in the app.)" on a page for
    // customers paying off a device: "repayments" names them, so this is read as others'.
    "no device repayment",
    // Round 48: 正常狀態號碼的線上銷戶, 一般無欠費的門號雖然可以在APP自行退租 on arrears pages.
    "正常状态",
    "无欠费的门号",
    "无欠费的号码",
    // Round 48: "Customers registered with a Hong Kong Identity Card can give notice through My
    // Pacifica" on a passport holders' page; principal lines on a supplementary lines' FAQ.
    "identity card",
    "principal line",
    // Round 48: "That is true for people who registered with a mainland resident ID card: the
    // online cancellation flow…" on an expats' page.
    "resident id card",
    "mainland id card",
    // Round 47 (47ai/26): 線上銷戶的人臉核驗僅支持居民身份證, on a page for Hong Kong, Macau, Taiwan and foreign ID holders.
    "居民身份证",
    // Round 47: "Customers registered with a Resident Certificate (ARC/APRC) can close…" on a
    // visitor SIM page; 香港身份證持有人可於網上服務內提交終止申請 on a passport holders' page.
    "身份证持有人",
    "resident certificate",
    "arc holders",
    // The primary line on a page about its 副卡 ("主卡在无副卡…的情况下,可在APP…提交").
    "主门号",
    "主卡",
    // Round 45's third wave: 一般客戶可於App提交終止服務申請，但賬戶有逾期款項時…不會開放.
    "一般客户",
    "普通用户",
    "primary line holder",
    "primary account holder",
    "registered with an nric",
    "registered with a national id",
    "registered with an hkid",
    "registered with a resident id",
    // Round 46: "Most customers can submit a termination request…" on a passport holders' page.
    "most customers",
    "大部分客户",
    // "Customers registered with a Taiwan national ID card can end their plan in the app" on a
    // page for foreign residents (46x-18).
    "registered with a taiwan national id",
    "national id card holders",
    // Round 51 (its second wave): 未参加合约活动的个人用户,可在APP“线上销户”中自助办理 on a page
    // for users in a contract offer.
    "未参加合约",
    "未参与合约",
    "nric holders",
    "hkid holders",
    "mykad holders",
    "居民身份证登记",
    // "Local customers with a national ID card can submit…", 一般月租門號之申請人本人可於APP…
    "with a national id card",
    "local customers",
    "一般月租",
    // Round 53's first wave: "…only for lines registered with a MyKad" on a passport holders'
    // page, 主戶一般可於 App…終止其主號碼 on a secondary SIMs' page, 仅面向个人名下的实名号码 on
    // a page for numbers a company pays for, "as the plan owner" on a members' page.
    "registered with a mykad",
    "主户",
    "其主号码",
    "个人名下",
    "as the plan owner",
    // Round 53's second wave: （個人客戶可於…App 自行辦理終止…） on a business lines' page,
    // "Plan owners can end their own plan…" on a members' page.
    "个人客户",
    "plan owners",
    // Round 53's third wave: "Customers with no balance owing can end their service online" on
    // an overdue accounts' page, 承諾期已屆滿的客戶可於 App… on an early termination page,
    // 一般成人客戶 and "adult customers" on a student plan's, 一般成年用戶 on a minors' page,
    // "Individual postpaid lines can be terminated in the app" on a share lines' page.
    "no balance owing",
    "承诺期已届满",
    "一般成人",
    "adult customers",
    "一般成年",
    "individual postpaid lines",
    "已无专案约定",
];

/// Conditions that keep a way for lines other than the page's (只适用于独立计费的个人号码,
/// 仅开放给无合约的号码), after the fold: read only where the sentence does not name the page's
/// own customers, since "eSIM 門號(個人戶、無合約)可於App退租" on a page about eSIMs states the
/// condition of their own way (round 45's fourth wave).
const CONDITIONS: [&str; 22] = [
    // Round 47: 只適用於合約已屆滿的客戶.
    "合约已届满",
    "合约届满",
    "普通号码",
    "独立计费",
    "无合约",
    "无绑约",
    "合约已到期",
    // Round 46: 合約已期滿的用戶可以直接在 App…申請, 仅开放无欠费之门号, 已完成承諾期之客戶
    "合约已期满",
    "合约期已届满",
    "完成承诺期",
    "无欠费",
    "没有欠费",
    "合约期满之",
    "已过合约期",
    "合约期满的",
    "no device balance",
    "no outstanding device",
    "out of contract",
    "no outstanding balance",
    "paid up",
    // Round 53's second wave: 僅開放給合約已屆期或未綁約之門號.
    "合约已届期",
    "未绑约",
];

/// Words that shut a group out of what the sentence offers ("but this option is not available for
/// passport-registered accounts", 欠费停机的号码无法登录办理), after the fold. Only words of a way
/// or an option not open: a refund refused beside the offer ("unused credit cannot be refunded")
/// is no such word.
const SHUT_OUT: [&str; 65] = [
    // Round 52's first wave: 未能用於此類號碼.
    "未能用于",
    // Round 52's third wave: 未能供本指南所述客戶使用, 以護照登記的賬戶未能使用此功能.
    "未能供",
    "未能使用",
    // Round 48: 有未繳帳款的門號APP會直接擋下.
    "挡下",
    // Round 48: 合約期內客戶於網上提交之申請將不獲處理.
    "不获处理",
    // Round 48: 存在有效合約時，線上銷戶入口將提示「暫不符合辦理條件」.
    "不符合办理条件",
    // Round 47 (47an/23): 合約未到期之門號無法透過網路或 APP 申請.
    "无法透过",
    "无法通过",
    "无法经",
    // Round 47: 合約期內的客戶不能經 App 或網上提交.
    "不能经",
    "不能透过",
    "不能通过",
    "is locked",
    "are locked",
    // Round 46: 終止功能會被鎖定, "so it won't appear for passport-registered accounts"
    "被锁定",
    "won't appear",
    // Round 53's first wave: "…only for lines registered with a MyKad, so it won't show".
    "won't show",
    "will not show",
    // Round 53's third wave: 本方案門號無法適用, "this option doesn't apply here", 專案期間內之
    // 門號於線上點選時…無法送出.
    "无法适用",
    "doesn't apply here",
    "does not apply here",
    "无法送出",
    "will not appear",
    "is not shown",
    "isn't shown",
    // "Family Lines are not included", 线上销户功能不向其开放 (round 46's waves).
    "are not included",
    "is not included",
    "不向其开放",
    "不会显示",
    "will not be shown",
    "is hidden",
    "不会开放",
    "不开放",
    "not available for",
    "not available to",
    "isn't available for",
    "isn't available to",
    "is unavailable",
    "switched off",
    "turned off",
    "is disabled",
    "are disabled",
    "not eligible",
    "ineligible",
    "are excluded",
    "is excluded",
    "不设此",
    "不适用",
    // Round 51 (its second wave): "…, this does not apply to Data SIM plans", "supplementary
    // lines do not appear in the app's Terminate line menu".
    "does not apply to",
    "doesn't apply to",
    "do not appear",
    "don't appear",
    "does not appear",
    "不在受理",
    "不受理",
    "无法提交",
    "无法登录",
    "无法办理",
    "无法线上",
    "无法在线",
    "无法使用",
    "无法送出",
    "不能线上",
    "不能在线",
    "不能使用",
];

/// Words that turn from the customers offered a way to others, after the fold.
const TURNS: [&str; 6] = ["although", " but ", " whereas ", "however", "惟", "但"];

/// A bare "cannot", after the fold: read only after a turn ([`TURNS`]).
const CANNOT: [&str; 7] = [
    "cannot",
    "can't",
    "can not",
    "不能",
    "不可以",
    "无法",
    // Round 51 (its second wave): "…;但綁約期間內提前解約,…App及官網不提供此項申請".
    "不提供",
];

/// What `sentence` (folded), an online way's, says of the page's own customers, named by the
/// folded words of `audience`.
pub(crate) fn audience_of(sentence: &str, audience: &[&str], group: bool) -> Audience {
    let has = |words: &[&str]| words.iter().any(|w| sentence.contains(w));
    if audience.iter().any(|w| sentence.contains(w)) || has(&THESE) {
        // Or a turn to them and a bare "cannot": "Although customers with an ARC can close
        // their line in My Account, passport-only accounts cannot."
        // Or a way not opened to them: 线上销户功能目前不对副卡开放 (46s-02).
        // Or closed or no longer shown to them: 线上销户入口对校园卡号码关闭, 入口不再对该号码显示
        // (round 52's second wave).
        let not_opened = sentence.contains("不对") && sentence.contains("开放")
            || sentence.contains("对")
                && ["关闭", "不再对", "不予显示"]
                    .iter()
                    .any(|w| sentence.contains(w));
        if has(&SHUT_OUT)
            || has(&TURNS) && has(&CANNOT)
            || not_opened
            || sent_away(sentence, audience)
        {
            return Audience::ShutOut;
        }
        // "線上退租功能僅開放無欠費之門號;帳單逾期未繳之門號,請…至門市": the way is kept for
        // the lines the condition names, whichever group the sentence goes on to (round 46).
        if has(&ONLY_FOR) && has(&CONDITIONS) {
            return Audience::KeptForOthers;
        }
        // "主門號用戶雖可於APP自行退租，但須先將副門號移出…" names both; the offer is the
        // counterpart's.
        if has(&COUNTERPARTS) {
            return Audience::KeptForOthers;
        }
        return Audience::Theirs;
    }
    // A condition sets others apart from a group of customers only (`group`): on an eSIM page,
    // "月租型個人戶(合約期滿且無欠費)可於 App…申請退租" states the way's conditions.
    if kept_for_some(sentence) || group && has(&CONDITIONS) {
        Audience::KeptForOthers
    } else {
        Audience::Theirs
    }
}

/// Does `sentence` (folded), an online way's on a page that names no group, keep the way for
/// others and shut the reader's own line out ("…only for lines registered with a MyKad, so it
/// won't show for your number", round 53's first wave)? The words that point at the reader
/// ([`THESE`]) stand for the group: with no group named, [`audience_of`] shuts out only a
/// sentence that holds one. Not without the others: "…and your number is switched off on that
/// date" is the ending itself (47n/32).
pub(crate) fn reader_shut_out(sentence: &str) -> bool {
    audience_of(sentence, &[], false) == Audience::ShutOut && kept_for_some(sentence)
}

/// Words that point at the customers the page is about without naming them, after the fold
/// (未能用於此類號碼, 不適用於本頁所述的計劃, round 52's first wave).
const THESE: [&str; 16] = [
    "此类号码",
    "本页所述",
    "this type of account",
    // Round 52's second wave: 入口不再對該號碼顯示 on an arrears FAQ, 於本專區所列門號.
    "该号码",
    "本专区",
    // Round 52's third wave: 未能供本指南所述客戶使用.
    "本指南所述",
    // Round 53's first wave: "…但此功能不適用於您的門號" on a members' page, "so it won't show
    // for your number" on a passport holders' page.
    "您的门号",
    "你的门号",
    "您的号码",
    "你的号码",
    "your number",
    // Round 53's third wave: 此功能並不適用於本計劃, "this does not apply to this plan", 本方案
    // 門號無法適用, 本頁適用之客戶, "this option doesn't apply here".
    "本计划",
    "this plan",
    "本方案",
    "本页适用",
    "apply here",
];

/// Words that oblige the reader to a way, after the fold ("须" covers 必须, "need to" covers
/// "will need to").
const OBLIGED: [&str; 5] = ["须", "只能", "must", "have to", "need to"];

/// Words before an obligation that lift it (无须, "no need to", "don't need to").
const NOT_OBLIGED: [&str; 5] = [
    "无须",
    "毋须",
    "no need to",
    "don't need to",
    "do not need to",
];

/// Does `sentence` (folded) turn from others' online way to the page's own customers and send
/// them elsewhere ("月租型門號雖已開放於APP線上退租，但預付卡門號…須…至直營門市辦理", round
/// 48)? The page's customers are named only after the turn, with an obligation there.
fn sent_away(sentence: &str, audience: &[&str]) -> bool {
    let Some(turn) = TURNS.iter().filter_map(|w| sentence.find(w)).min() else {
        return false;
    };
    let (before, after) = sentence.split_at(turn);
    audience.iter().any(|w| after.contains(w))
        && !audience.iter().any(|w| before.contains(w))
        && OBLIGED.iter().any(|w| after.contains(w))
        && !NOT_OBLIGED.iter().any(|w| after.contains(w))
        && sends_offline(after)
}

/// Does `text` (folded) name an offline place or way to be sent to: not a condition of the
/// others' way ("但退租前須先將所有副門號移出共享方案"), nor an app store or a call from the
/// carrier ("we will call you")?
fn sends_offline(text: &str) -> bool {
    const PLACES: [&str; 8] = [
        "门市",
        "门店",
        "营业厅",
        "服务中心",
        "客服中心",
        "亲临",
        "亲至",
        "热线",
    ];
    const WORDS: [&str; 4] = ["store", "shop", "call", "hotline"];
    const NOT_PLACES: [&str; 3] = ["app store", "play store", "call you"];
    PLACES.iter().any(|w| text.contains(w))
        || text.contains("in person")
        || WORDS
            .iter()
            .any(|w| crate::extract::context::names_word(text, w))
            && !NOT_PLACES.iter().any(|w| text.contains(w))
}

/// Does `sentence` (folded), an online way's, keep the way for some customers in words of its
/// own ("only available to NRIC holders", 只開放給…的客戶, "shown only to the account holder"),
/// whoever the page is for? A bare condition (無合約之月租型用戶) is not enough: on a page for
/// everyone it states who may, not that the reader may not (46l/20).
pub(crate) fn kept_for_some(sentence: &str) -> bool {
    let has = |words: &[&str]| words.iter().any(|w| sentence.contains(w));
    // "In-app termination is available for lines registered with an NRIC only."
    let only_at_end = (sentence.contains("available for") || sentence.contains("available to"))
        && sentence.contains(" only");
    has(&ONLY_FOR) || COUNTERPARTS.iter().any(|w| sets_apart(sentence, w)) || only_at_end
}

/// Does the counterpart `word` occur in `sentence` (folded) other than as the one who must act?
/// "the primary account holder needs to email us" says who sends the request on a page for
/// every customer, not that others may not (round 51's first wave).
fn sets_apart(sentence: &str, word: &str) -> bool {
    const ACTS: [&str; 6] = ["needs to", "must", "has to", "will need to", "须", "必须"];
    sentence.match_indices(word).any(|(at, _)| {
        let rest = sentence[at + word.len()..].trim_start();
        !ACTS.iter().any(|a| rest.starts_with(a))
    })
}

#[cfg(test)]
mod tests {
    use super::{Audience, audience_of, reader_shut_out};
    use crate::extract::normalise::for_matching;

    fn of(sentence: &str, audience: &[&str]) -> Audience {
        audience_of(&for_matching(sentence), audience, true)
    }

    #[test]
    fn a_way_kept_for_other_customers_is_theirs() {
        let passport = ["passport", "护照"];
        assert_eq!(
            of(
                "The Close my line option in My Kite is only available to subscribers registered with a National ID.",
                &passport
            ),
            Audience::KeptForOthers
        );
        assert_eq!(
            of(
                "In-app termination is available for lines registered with an NRIC only.",
                &passport
            ),
            Audience::KeptForOthers
        );
        assert_eq!(
            of(
                "APP「線上退租」僅開放給合約已到期或無綁約之門號。",
                &["合约期内"]
            ),
            Audience::KeptForOthers
        );
        assert_eq!(
            of(
                "主門號用戶雖可於APP自行退租，但退租前須先將所有副門號移出共享方案。",
                &["副门号"]
            ),
            Audience::KeptForOthers
        );
    }

    #[test]
    fn a_way_kept_for_others_that_will_not_show_for_the_readers_line_shuts_it_out() {
        // Round 53's first wave: a page naming no group, the reader's own line shut out.
        assert!(reader_shut_out(&for_matching(
            "The Terminate line option is available only for lines registered with a MyKad, so it won't show for your number."
        )));
        // The ending itself switches the number off: no one is shut out (47n/32).
        assert!(!reader_shut_out(&for_matching(
            "In the app tap End plan, and your number is switched off on that date."
        )));
        // Ordinary monthly customers' way, not for the numbers of a members' page.
        assert_eq!(
            of(
                "一般月租型門號可於APP申請退租，但此功能不適用於您的門號。",
                &["成员门号"]
            ),
            Audience::ShutOut
        );
    }

    #[test]
    fn the_pages_own_customers_shut_out_are_refused() {
        let passport = ["passport", "护照"];
        assert_eq!(
            of(
                "Customers with an HKID can end their plan in the app, but this option is not available for passport-registered accounts.",
                &passport
            ),
            Audience::ShutOut
        );
        assert_eq!(
            of(
                "以香港身份證登記之客戶可於App終止計劃，惟以護照登記之賬戶不設此功能。",
                &passport
            ),
            Audience::ShutOut
        );
        assert_eq!(
            of(
                "App的销号功能只对手机号码开放，上网卡号码不在受理范围。",
                &["上网卡"]
            ),
            Audience::ShutOut
        );
        assert_eq!(
            of("欠费停机状态的号码无法使用APP线上销户。", &["欠费"]),
            Audience::ShutOut
        );
        assert_eq!(
            of(
                "Although customers with an ARC can close their line in My Account, passport-only accounts cannot.",
                &passport
            ),
            Audience::ShutOut
        );
    }

    #[test]
    fn a_way_offered_to_the_pages_own_customers_stays_theirs() {
        let passport = ["passport", "护照"];
        assert_eq!(
            of(
                "Passport holders can close their line in the app.",
                &passport
            ),
            Audience::Theirs
        );
        assert_eq!(
            of(
                "Online cancellation is only available to customers registered with a passport.",
                &passport
            ),
            Audience::Theirs
        );
        // A refund refused beside the offer shuts nobody out of the way.
        assert_eq!(
            of(
                "Prepaid customers can cancel in the app; unused credit cannot be refunded.",
                &["prepaid"]
            ),
            Audience::Theirs
        );
        assert_eq!(
            of(
                "You can cancel your plan in the app at any time.",
                &passport
            ),
            Audience::Theirs
        );
    }

    /// Round 48: a turn from others' way that sends the page's customers to a shop.
    #[test]
    fn a_turn_that_sends_the_pages_customers_elsewhere_shuts_them_out() {
        assert_eq!(
            of(
                "月租型門號雖已開放於APP線上退租，但預付卡門號須由本人攜帶證件至門市辦理。",
                &["预付卡"]
            ),
            Audience::ShutOut
        );
        assert_eq!(
            of(
                "Pay monthly customers can end their plan in the app, but prepaid customers must visit a store.",
                &["prepaid"]
            ),
            Audience::ShutOut
        );
        // Not sent anywhere: told they need not go, or sent to the App Store.
        assert_eq!(
            of(
                "月租型門號可於APP線上退租，但預付卡門號無須至門市，同樣可於APP辦理。",
                &["预付卡"]
            ),
            Audience::Theirs
        );
        assert_eq!(
            of(
                "Pay monthly customers end their plan in the app, but prepaid customers must first download it from the App Store.",
                &["prepaid"]
            ),
            Audience::Theirs
        );
        // Named before the turn, they are the ones offered the way.
        assert_eq!(
            of("預付卡門號可於APP線上退租，但須先用完餘額。", &["预付卡"]),
            Audience::Theirs
        );
    }

    /// Round 46: a way kept for some customers in the sentence's own words, whoever the page is
    /// for; a bare condition is not enough on a page for everyone.
    #[test]
    fn a_way_kept_for_some_customers_is_said_in_its_own_words() {
        use super::kept_for_some;
        let kept = |s: &str| kept_for_some(&for_matching(s));
        assert!(kept(
            "The Cancel subscription option in My Lir is shown only to the account holder."
        ));
        assert!(kept("App 內「終止服務」功能只會於承諾期屆滿後顯示。"));
        assert!(kept("App的「終止計劃」只開放給合約期已屆滿的客戶。"));
        assert!(!kept(
            "合約到期或無合約之月租型用戶,登入官網「會員專區」即可線上退租。"
        ));
        assert!(!kept("You can end your plan in the app at any time."));
        // The condition still keeps the way from a page's named group.
        assert_eq!(
            of(
                "線上退租功能僅開放無欠費之門號;帳單逾期未繳之門號,請至門市辦理。",
                &["逾期", "欠费"]
            ),
            Audience::KeptForOthers
        );
    }

    #[test]
    fn words_that_point_at_the_page_group_or_set_others_apart() {
        let secondary = ["副卡", "附属sim"];
        // 此類號碼 points at the page's own group: the way is shut to them.
        assert_eq!(
            of(
                "App 的終止功能只適用於主號碼的月費計劃，未能用於此類號碼。",
                &secondary
            ),
            Audience::ShutOut
        );
        // Ordinary monthly customers and HKID-registered accounts are others.
        assert_eq!(
            of("一般個人月費客戶可於 App 自行提交申請。", &secondary),
            Audience::KeptForOthers
        );
        assert_eq!(
            of(
                "App 的終止功能只適用於以香港身份證登記的賬戶。",
                &["passport"]
            ),
            Audience::KeptForOthers
        );
        // Round 52's second wave: adults beside minors, lines without a contract beside those in
        // one, an entry closed or no longer shown to the page's numbers.
        assert_eq!(
            of("成年個人戶可於 App 線上申請。", &["未成年"]),
            Audience::KeptForOthers
        );
        assert_eq!(
            of(
                "App 的「線上退租」功能僅提供無合約門號使用。",
                &["合约期内"]
            ),
            Audience::KeptForOthers
        );
        assert_eq!(
            of("线上销户入口对校园卡号码关闭。", &["校园卡"]),
            Audience::ShutOut
        );
        assert_eq!(
            of("APP中的“线上销户”入口不再对该号码显示。", &["欠费"]),
            Audience::ShutOut
        );
        // Round 52's third wave: the customers of this guide, passport accounts that cannot use
        // the function, the main line and lines not under contract beside the page's own.
        assert_eq!(
            of(
                "網上客戶中心的終止功能未能供本指南所述客戶使用。",
                &["旅行证件"]
            ),
            Audience::ShutOut
        );
        assert_eq!(
            of(
                "以香港身份證登記的客戶可於網上終止服務，但以護照登記的賬戶未能使用此功能。",
                &["护照"]
            ),
            Audience::ShutOut
        );
        assert_eq!(
            of(
                "Your main mobile line can be terminated in the app.",
                &["added line"]
            ),
            Audience::KeptForOthers
        );
    }
}
