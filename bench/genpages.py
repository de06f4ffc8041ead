#!/usr/bin/env python3
"""Generates realistic Hong Kong carrier pages for the end-to-end benchmark.

Every page is about 90 KiB, like the carrier pages policywatch watches: a big bilingual mega-menu,
inline scripts, inline CSS, a JSON state blob (as Next.js/Nuxt sites embed), promo banners, and a
bilingual (English + Traditional Chinese) policy section `<section id="policy">` of about 60
blocks holding termination, notice, fee and refund wording. Each page has its own carrier, plan,
numbers and verdict, so no two pages are alike.

    genpages.py OUT_DIR N STATE

STATE is one of
  base    the first versions;
  mutate  base, but 10 % of the pages (i % 10 == 3) have one policy sentence changed;
  noise   mutate, plus new footers, CSRF tokens, build ids, timestamps and JSON state nonces in
          every page (nothing inside #policy changes);
  noiseK  (K = 2, 3, ...) the same with the K-th different noise, for repeated noise passes.

Output: OUT_DIR/p/NNNNN.html, OUT_DIR/robots.txt and OUT_DIR/mutated.txt (names of the pages
whose policy text differs from base). Deterministic: the same arguments give the same bytes.
"""

import os
import random
import sys

CARRIERS = [
    ("China Mobile Hong Kong", "CMHK", "中國移動香港", "MyLink", "12580"),
    ("China Unicom (Hong Kong)", "CUniq", "中國聯通（香港）", "CUniq app", "10186"),
    ("csl", "csl", "csl", "My Account", "2888 1010"),
    ("1O1O", "1O1O", "1O1O", "My Account", "2888 0033"),
    ("Club SIM", "Club SIM", "Club SIM", "Club SIM app", "2888 1888"),
    ("3HK", "3", "3香港", "My3", "1033"),
    ("SmarTone", "SmarTone", "數碼通", "My SmarTone", "2880 2688"),
]

PLANS = ["prepaid SIM", "data card", "eSIM", "travel SIM", "5G broadband SIM", "IoT SIM",
         "monthly plan", "student plan", "family plan", "roaming day pass"]
PLANS_ZH = ["儲值卡", "數據卡", "eSIM", "旅遊卡", "5G寬頻SIM", "物聯網SIM", "月費計劃",
            "學生計劃", "家庭計劃", "漫遊日費"]

NUM_WORDS = {7: "seven", 14: "fourteen", 30: "thirty", 60: "sixty", 90: "ninety"}

# The sentence that decides the verdict: (English, Chinese) per stance.
VERDICT_SENTENCES = [
    ("You may terminate your {plan} service online through {app} or our website at any time.",
     "客戶可隨時透過{app}或本公司網站網上終止{plan_zh}服務。"),
    ("To terminate the {plan} service, please visit any {short} shop in person with your identity document.",
     "如需終止{plan_zh}服務，請攜同身份證明文件親臨任何{short}門市辦理。"),
    ("The {plan} service cannot be cancelled online; please call our hotline {hotline} to request termination.",
     "{plan_zh}服務恕不接受網上終止申請，請致電客戶服務熱線{hotline}辦理。"),
    ("Termination requests for the {plan} may be submitted by email or through {app}.",
     "終止{plan_zh}服務的申請可透過電郵或{app}提交。"),
]

FILLER_EN = [
    "Service is subject to network coverage and the fair usage policy in force from time to time.",
    "Data usage is rounded up to the nearest kilobyte for each session.",
    "Roaming rates differ by destination; please check the latest rates before you travel.",
    "The stored value is valid for {days} days from the date of activation.",
    "Customers must keep their SIM card and PIN secure and must not disclose them to others.",
    "{short} may change these terms by giving not less than {n} days' notice on its website.",
    "Promotional offers cannot be exchanged for cash or other products.",
    "Speed may be reduced after {gb}GB of local data usage in each billing cycle.",
    "Calls to special service numbers are charged at the rates shown on our website.",
    "Personal data is handled according to our Privacy Policy Statement.",
    "The SIM card remains the property of {short} at all times.",
    "Network maintenance may interrupt the service from time to time without notice.",
]
FILLER_ZH = [
    "服務須視乎網絡覆蓋範圍及不時生效的公平使用政策而定。",
    "每次數據用量以千位元組為單位計算，不足一千位元組亦作一千位元組計算。",
    "漫遊收費因目的地而異，出發前請查閱最新收費。",
    "儲值額由啓動日起計{days}日內有效。",
    "客戶須妥善保管SIM卡及密碼，不得向他人透露。",
    "{short}可於網站發出不少於{n}天通知後修改本條款。",
    "推廣優惠不可兌換現金或其他產品。",
    "每個帳單週期本地數據用量超過{gb}GB後，速度或會被調低。",
    "致電特別服務號碼按本公司網站所列收費計算。",
    "個人資料將按照本公司私隱政策聲明處理。",
    "SIM卡的擁有權在任何時候均屬{short}所有。",
    "網絡維修期間服務或會暫停，恕不另行通知。",
]
RELATED = [
    ("Early termination charge of HK${fee} applies if the service is terminated within the commitment period.",
     "如於承諾期內提前終止服務，須繳付提前終止費港幣{fee}元。"),
    ("Either party may terminate the service by giving not less than {nw} ({n}) days' notice.",
     "任何一方可給予不少於{n}天通知終止服務。"),
    ("Fees paid are non-refundable and the remaining stored value will be forfeited upon termination.",
     "已繳費用恕不退還，終止服務後剩餘儲值額將作廢。"),
    ("Outstanding charges must be settled before the termination takes effect.",
     "終止服務生效前，客戶須繳清所有未繳費用。"),
    ("A Pre-activation Cancellation Charge of HK${fee2} applies to orders cancelled before activation.",
     "啓動前取消費用為港幣{fee2}元。"),
    ("Customers may terminate the auto-renewal function by giving notice before the renewal date.",
     "客戶可於續期日前發出通知終止自動續期功能。"),
]
NAV_SECTIONS = [
    ("Mobile", "流動通訊"), ("Prepaid", "儲值卡"), ("Roaming", "漫遊"), ("5G", "5G"),
    ("Home Broadband", "家居寬頻"), ("Shop", "網上商店"), ("Support", "客戶支援"),
    ("Business", "商業客戶"), ("Entertainment", "娛樂"), ("About us", "關於我們"),
]
NAV_ITEMS = ["Plans", "Offers", "Devices", "Accessories", "Coverage", "FAQ", "Top up",
             "Bill payment", "Online Cancellation", "Store locator", "Contact us", "eSIM",
             "Number porting", "Value-added services", "Terms and conditions", "Data add-ons",
             "Travel packs", "Student offers", "Trade-in", "Rewards"]
NAV_ITEMS_ZH = ["計劃", "優惠", "手機", "配件", "網絡覆蓋", "常見問題", "增值", "繳費",
                "網上銷戶", "門市位置", "聯絡我們", "eSIM", "攜號轉台", "增值服務", "條款及細則",
                "數據附加", "旅遊套票", "學生優惠", "舊機回收", "獎賞"]


def rnd_token(r, n):
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return "".join(r.choice(alphabet) for _ in range(n))


def inline_js(r, build):
    """About 12 KiB of minified-looking analytics and app bootstrap code."""
    parts = [f'window.__BUILD__="{build}";window.dataLayer=window.dataLayer||[];']
    for k in range(150):
        fn = rnd_token(r, 6)
        parts.append(
            f"function {fn}(e,t){{var n=e&&e.{rnd_token(r, 4)}||{{}};for(var i=0;i<t.length;i++)"
            f"{{n[t[i]]=(n[t[i]]||0)+{k};}}return n}}"
        )
    return "".join(parts)


def json_state(r, i, nonce, ts, carrier):
    """About 22 KiB of embedded JSON state, as single-page-app frameworks ship it."""
    items = []
    for k in range(250):
        items.append(
            '{"sku":"%s","name":"%s %d","nameZh":"%s%d","price":%d,"stock":%d,"badge":"%s"}'
            % (rnd_token(r, 10), r.choice(PLANS), k, r.choice(PLANS_ZH), k,
               r.randint(18, 888), r.randint(0, 500), r.choice(["hot", "new", "", "sale"]))
        )
    return ('{"props":{"page":%d,"carrier":"%s","nonce":"%s","renderedAt":"%s","session":"%s",'
            '"catalogue":[%s]}}' % (i, carrier, nonce, ts, rnd_token(r, 32), ",".join(items)))


def css(r):
    rules = []
    for _ in range(160):
        rules.append(".%s{margin:%dpx %dpx;color:#%06x;font-size:%drem}"
                     % (rnd_token(r, 7), r.randint(0, 40), r.randint(0, 40),
                        r.randint(0, 0xFFFFFF), r.randint(1, 3)))
    return "".join(rules)


def nav(r, short):
    out = ['<header class="site-header"><nav class="mega-menu" aria-label="Main"><ul>']
    for en, zh in NAV_SECTIONS:
        out.append(f'<li class="menu-section"><a href="/{en.lower().replace(" ", "-")}">{en} {zh}</a><ul>')
        for k in range(len(NAV_ITEMS)):
            slug = NAV_ITEMS[k].lower().replace(" ", "-")
            out.append(f'<li><a href="/{en.lower().replace(" ", "-")}/{slug}?ref={short}" '
                       f'data-track="nav-{rnd_token(r, 5)}">{NAV_ITEMS[k]} {NAV_ITEMS_ZH[k]}</a></li>')
        out.append("</ul></li>")
    out.append("</ul></nav></header>")
    return "".join(out)


def sitemap(r):
    """The footer's site map: about 9 KiB of links."""
    out = []
    for en, zh in NAV_SECTIONS:
        out.append(f"<h4>{en} {zh}</h4><ul>")
        for k in range(12):
            out.append(f'<li><a href="/sitemap/{rnd_token(r, 6)}">{NAV_ITEMS[(k * 7) % len(NAV_ITEMS)]}'
                       f" {NAV_ITEMS_ZH[(k * 7) % len(NAV_ITEMS)]}</a></li>")
        out.append("</ul>")
    return "".join(out)


def policy(i, mutated):
    """The watched region. Depends only on the page number (and the mutation), never on noise."""
    r = random.Random(1000003 * i + 7)
    name, short, name_zh, app, hotline = CARRIERS[i % len(CARRIERS)]
    plan_idx = r.randrange(len(PLANS))
    fields = dict(
        short=short, app=app, hotline=hotline, plan=PLANS[plan_idx], plan_zh=PLANS_ZH[plan_idx],
        days=r.choice([30, 90, 180, 365]), n=r.choice([7, 14, 30]), gb=r.choice([5, 10, 20, 50]),
        fee=r.choice([100, 200, 300, 500, 800]), fee2=r.choice([50, 100, 150]),
    )
    fields["nw"] = NUM_WORDS[fields["n"]]
    stance = VERDICT_SENTENCES[i % len(VERDICT_SENTENCES)]
    en_blocks, zh_blocks = [], []
    # Which related sentence a mutation rewrites: the notice period or a fee.
    for k in range(60):
        if k == 8:
            en_blocks.append(("p", stance[0].format(**fields)))
            zh_blocks.append(("p", stance[1].format(**fields)))
        elif k % 5 == 2:
            en, zh = RELATED[(k // 5 + i) % len(RELATED)]
            en_blocks.append(("li", en.format(**fields)))
            zh_blocks.append(("li", zh.format(**fields)))
        else:
            j = r.randrange(len(FILLER_EN))
            en_blocks.append(("li" if k % 3 else "p", FILLER_EN[j].format(**fields)))
            zh_blocks.append(("li" if k % 3 else "p", FILLER_ZH[j].format(**fields)))
    if mutated:
        # One changed policy sentence: the notice period and early termination charge.
        tag, text = en_blocks[12]
        en_blocks[12] = (tag, "Either party may terminate the service by giving not less than "
                              "sixty (60) days' notice, and an early termination charge of "
                              f"HK${fields['fee'] + 100} applies.")
    out = [f'<main id="content"><article class="terms"><section id="policy" data-plan="{plan_idx}">']
    out.append(f"<h1>{name} {PLANS[plan_idx]}: Terms and Conditions</h1>")
    for title, blocks in (("Service terms", en_blocks), ("服務條款", zh_blocks)):
        out.append(f"<h2>{title}</h2>")
        in_list = False
        for n, (tag, text) in enumerate(blocks, 1):
            if tag == "li" and not in_list:
                out.append("<ol>")
                in_list = True
            if tag == "p" and in_list:
                out.append("</ol>")
                in_list = False
            if tag == "li":
                out.append(f"<li>{text}</li>")
            else:
                out.append(f"<h3>{n}.</h3><p>{text}</p>")
        if in_list:
            out.append("</ol>")
    # A fee table, both languages.
    out.append('<table class="fees"><thead><tr><th>Item 項目</th><th>Charge 收費</th></tr></thead><tbody>')
    for item, charge in (("Early termination charge 提前終止費", f"HK${fields['fee']}"),
                         ("Pre-activation Cancellation Charge 啓動前取消費用", f"HK${fields['fee2']}"),
                         ("SIM replacement 補領SIM卡", "HK$100"),
                         ("Administration fee 行政費", "HK$50")):
        out.append(f"<tr><td>{item}</td><td>{charge}</td></tr>")
    out.append("</tbody></table>")
    # Page furniture inside the selection that extraction must skip.
    out.append('<script>window.__policyViewed=Date.now();</script>'
               '<button class="print">Print 列印</button></section>')
    return "".join(out), name, short


def page(i, state):
    noise = noise_round(state)
    mutated = (state == "mutate" or noise > 0) and i % 10 == 3
    r = random.Random(7919 * i + noise)
    body, name, short = policy(i, mutated)
    build = rnd_token(r, 12)
    nonce = rnd_token(r, 24)
    ts = "2026-11-%02dT%02d:%02d:%02d+08:00" % (r.randint(1, 28), r.randint(0, 23),
                                                r.randint(0, 59), r.randint(0, 59))
    # The layout (nav, css, scripts) depends on the carrier, as on a real site, so it is
    # regenerated from a seed that the noise does not change except where noted.
    lr = random.Random(31 * (i % len(CARRIERS)) + 5)
    html = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        f"<title>{name}: Terms and Conditions 條款及細則</title>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="csrf-token" content="{rnd_token(r, 40)}">',
        "".join(f'<link rel="preload" href="/static/{rnd_token(lr, 8)}.{build}.js" as="script">'
                for _ in range(12)),
        f"<style>{css(lr)}</style>",
        f"<script>{inline_js(lr, build)}</script>",
        f'<script id="__NEXT_DATA__" type="application/json">{json_state(r, i, nonce, ts, short)}</script>',
        "</head><body>",
        nav(lr, short),
        '<div class="promo-banner"><p>Limited offer! 限時優惠！ Ends in '
        f'<span class="countdown">{r.randint(1, 99)}</span> hours</p></div>',
        '<nav class="breadcrumb"><a href="/">Home 主頁</a> &gt; <a href="/support">Support</a></nav>',
        body,
        '<aside class="related"><h2>Related 相關連結</h2><ul>',
        "".join(f'<li><a href="/faq/{k}">FAQ {k}: {NAV_ITEMS[k % len(NAV_ITEMS)]}</a></li>'
                for k in range(20)),
        "</ul></aside></article></main>",
        f'<footer class="site-footer"><div class="sitemap">{sitemap(lr)}</div>',
        f"<p>© 2026 {name}. All rights reserved.</p>",
        f"<p>Page generated {ts} · build {build} · {r.randint(10, 900)} people are viewing this page</p>",
        f'<form><input type="hidden" name="token" value="{nonce}"></form>',
        f'<script>window.__RENDER_TS__="{ts}";window.__NONCE__="{nonce}";</script>',
        "</footer></body></html>",
    ]
    return "".join(html)


def noise_round(state):
    """0 for base and mutate, K for noiseK (noise is 1)."""
    if not state.startswith("noise"):
        return 0
    return int(state[5:] or 1)


def main():
    if len(sys.argv) != 4 or not (sys.argv[3] in ("base", "mutate")
                                  or (sys.argv[3].startswith("noise")
                                      and (sys.argv[3][5:] == "" or sys.argv[3][5:].isdigit()))):
        sys.exit(__doc__)
    out, n, state = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(os.path.join(out, "p"), exist_ok=True)
    with open(os.path.join(out, "robots.txt"), "w") as f:
        f.write("User-agent: *\nAllow: /\n")
    mutated = []
    for i in range(n):
        with open(os.path.join(out, "p", "%05d.html" % i), "w", encoding="utf-8") as f:
            f.write(page(i, state))
        if state != "base" and i % 10 == 3:
            mutated.append("p%05d" % i)
    with open(os.path.join(out, "mutated.txt"), "w") as f:
        f.write("\n".join(mutated) + ("\n" if mutated else ""))


if __name__ == "__main__":
    main()
