#!/usr/bin/env python3
"""gen_report.py -- inputs for tools/bench/run.sh: a report of N pages as a page description
for hy_genfixture (tools/README.md), or a large text corpus laid out the way pdftotext writes
such reports. One awardee per page; every awardee is drawn from the pools below with a fixed
seed, so the same arguments always give the same bytes (no clock, no system randomness).

  gen_report.py page [--seed S] PAGES OUT.page
  gen_report.py text [--seed S] MEGABYTES OUT.txt

The text corpus mixes the three ways reports reach hyosho as text: pdftotext's reading order
(running header, form feed and page number per page), `pdftotext -layout` (captions and
電話/FAX side by side across a wide gutter, indented lines) and copy-paste without blank lines.
"""
import random
import sys

PREFECTURES = [
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
    "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
    "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
    "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
]

# (awardee, prefecture, mail domain); a prefecture itself when the prefecture is None.
AWARDEES = [
    ("富山県", None, "pref.toyama.lg.jp"), ("京都市", "京都府", "city.kyoto.lg.jp"),
    ("千葉市", "千葉県", "city.chiba.lg.jp"), ("鳥取県", None, "pref.tottori.lg.jp"),
    ("豊田市", "愛知県", "city.toyota.aichi.jp"), ("長野県", None, "pref.nagano.lg.jp"),
    ("柳川市", "福岡県", "city.yanagawa.lg.jp"), ("薩摩川内市", "鹿児島県", "city.satsumasendai.lg.jp"),
    ("札幌市", "北海道", "city.sapporo.jp"), ("仙台市", "宮城県", "city.sendai.jp"),
    ("新潟市", "新潟県", "city.niigata.lg.jp"), ("金沢市", "石川県", "city.kanazawa.lg.jp"),
    ("静岡県", None, "pref.shizuoka.lg.jp"), ("浜松市", "静岡県", "city.hamamatsu.shizuoka.jp"),
    ("岡山県", None, "pref.okayama.lg.jp"), ("広島市", "広島県", "city.hiroshima.lg.jp"),
    ("松江市", "島根県", "city.matsue.lg.jp"), ("高知県", None, "pref.kochi.lg.jp"),
    ("熊本市", "熊本県", "city.kumamoto.lg.jp"), ("大分県", None, "pref.oita.lg.jp"),
    ("長崎市", "長崎県", "city.nagasaki.lg.jp"), ("那覇市", "沖縄県", "city.naha.okinawa.jp"),
    ("青森県", None, "pref.aomori.lg.jp"), ("盛岡市", "岩手県", "city.morioka.iwate.jp"),
    ("秋田県", None, "pref.akita.lg.jp"), ("山形市", "山形県", "city.yamagata-yamagata.lg.jp"),
    ("福島県", None, "pref.fukushima.lg.jp"), ("宇都宮市", "栃木県", "city.utsunomiya.tochigi.jp"),
    ("前橋市", "群馬県", "city.maebashi.gunma.jp"), ("横浜市", "神奈川県", "city.yokohama.lg.jp"),
    ("甲府市", "山梨県", "city.kofu.yamanashi.jp"), ("岐阜県", None, "pref.gifu.lg.jp"),
    ("津市", "三重県", "city.tsu.lg.jp"), ("大津市", "滋賀県", "city.otsu.lg.jp"),
    ("奈良県", None, "pref.nara.lg.jp"), ("和歌山県", None, "pref.wakayama.lg.jp"),
    ("神戸市", "兵庫県", "city.kobe.lg.jp"), ("徳島県", None, "pref.tokushima.lg.jp"),
    ("高松市", "香川県", "city.takamatsu.kagawa.jp"), ("松山市", "愛媛県", "city.matsuyama.ehime.jp"),
    ("佐賀県", None, "pref.saga.lg.jp"), ("宮崎県", None, "pref.miyazaki.lg.jp"),
    ("山口県", None, "pref.yamaguchi.lg.jp"), ("福井県", None, "pref.fukui.lg.jp"),
    ("公益財団法人北九州国際交流協会", "福岡県", "kitaq-koryu.jp"),
    ("一般社団法人しずおか国際交流会", "静岡県", "shizuoka-kokusai.jp"),
]

PARTNERS = [
    ("ボストン市", "アメリカ合衆国"), ("ヒューストン市", "アメリカ合衆国"), ("シアトル市", "アメリカ合衆国"),
    ("ポートランド市", "アメリカ合衆国オレゴン州"), ("遼寧省", "中華人民共和国"), ("大連市", "中華人民共和国"),
    ("蘇州市", "中華人民共和国"), ("江原道", "大韓民国"), ("釜山広域市", "大韓民国"), ("慶尚南道", "大韓民国"),
    ("ブリスベン市", "オーストラリア連邦"), ("バンクーバー市", "カナダ"), ("リヨン市", "フランス共和国"),
    ("ミュンヘン市", "ドイツ連邦共和国"), ("クリチバ市", "ブラジル連邦共和国"),
    ("ザルツブルク市", "オーストリア共和国"), ("ハバロフスク市", "ロシア連邦"),
    ("フィレンツェ市", "イタリア共和国"), ("ハイフォン市", "ベトナム社会主義共和国"),
    ("ジョグジャカルタ特別州", "インドネシア共和国"), ("ゲント市", "ベルギー王国"),
    ("オークランド市", "ニュージーランド"), ("チェンマイ県", "タイ王国"), ("セブ市", "フィリピン共和国"),
]

OPENINGS = [
    "{years}年間にわたり", "姉妹提携以来{years}年にわたって", "提携{years}周年を迎え", "長年にわたり",
    "{years}年以上の長きにわたり", "行政と市民が一体となって", "地域の大学や企業と連携しながら",
]
ACTIVITIES = [
    "青少年の相互派遣を継続し", "文化・スポーツ分野の交流を重ね", "経済・観光分野での協力を深め",
    "医療・福祉分野の人材交流を進め", "環境技術の共同研究に取り組み", "農業研修生の受入れを続け",
    "市民団体によるホームステイ交流を支え", "オンラインを活用した学校間交流を広げ",
    "防災分野の知見を共有し", "伝統芸能の相互公演を実施し",
]
EFFECTS = [
    "相互の信頼関係を築いている点が評価できる。", "交流のすそ野が市民の間に広がっている点が評価できる。",
    "交流の成果を地域の人材育成につなげている。", "持続可能な活動へと発展していく可能性がみられる。",
    "地域経済の活性化に結び付いている点は先進的である。", "次世代の担い手が着実に育っている。",
    "両地域の相互理解を深めている点が高く評価できる。", "他の自治体の模範となる取組である。",
]
EXTRAS = [
    "", "", "", "特に、", "また、", "さらに、コロナ禍においても",
]
CAPTIONS = [
    "{partner}訪問団の受入れ", "姉妹都市提携{years}周年記念式典", "青少年交流事業", "{partner}での文化交流公演",
    "市民訪問団の{partner}訪問", "友好交流記念植樹", "高校生派遣団の交流会", "経済交流ミッション",
    "{partner}との覚書締結", "スポーツ交流大会",
]
BUREAUS = ["総合政策局国際課", "観光交流局交流推進課", "市民文化部国際交流課", "企画部国際交流室",
           "文化観光部国際交流課", "総務部国際化推進室", "地域振興局国際交流課", "事務局"]
TOWNS = ["中央区本町", "新町", "東町一丁目", "大手町", "城内", "西町3丁目", "丸の内二丁目", "旭町"]
GLYPHS = ["wingdings", "・", "■", "●", "◆", "○"]
HEADER = "令和5年度 第18回自治体国際交流表彰（総務大臣賞）受賞団体の概要"


def awardee(rng, index):
    name, pref, domain = AWARDEES[index % len(AWARDEES)]
    pref = pref or name
    partners = rng.sample(PARTNERS, 2 if rng.random() < 0.2 else 1)
    years = rng.randint(10, 60)
    first = partners[0][0]
    bullets = []
    for _ in range(rng.randint(3, 4)):
        bullets.append(rng.choice(EXTRAS) + rng.choice(OPENINGS).format(years=years) + "、"
                       + rng.choice(ACTIVITIES) + "、" + rng.choice(EFFECTS))
    captions = [c.format(partner=first, years=years) for c in rng.sample(CAPTIONS, 2)]
    head = "、".join(f"{p}（{c}）" for p, c in partners)
    area = rng.randint(100, 999)
    city = name if name.endswith("市") else ""
    return {
        "heading": f"{name}（交流先：{head}）",
        "bullets": bullets,
        "captions": captions,
        "department": name + rng.choice(BUREAUS),
        "address": f"〒{rng.randint(100, 999)}-{rng.randint(0, 9999):04d} {pref}{city}"
                   f"{rng.choice(TOWNS)}{rng.randint(1, 30)}番{rng.randint(1, 20)}号",
        "tel": f"0{area}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
        "fax": f"0{area}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
        "email": f"kokusai{rng.randint(1, 99)}@{domain}",
        "url": f"https://www.{domain}/kokusai/",
    }


def write_page(out, pages, seed):
    rng = random.Random(seed)
    out.write(f"# {pages} pages, one awardee a page (tools/bench/gen_report.py page --seed {seed} {pages})\n")
    out.write(f"font {'gothic' if seed % 2 else 'mincho'}\nheader {HEADER}\npage-number on\n")
    for page in range(pages):
        a = awardee(rng, page)
        out.write(f"\npage\nbullet-glyph {rng.choice(GLYPHS)}\nawardee\n")
        out.write(f"photo-height {rng.choice([35, 40, 45])}\n")
        if rng.random() < 0.3:
            out.write(rng.choice(["order bullets,heading,contact,photos", "order heading,contact,bullets,photos",
                                  "order photos,heading,bullets,contact"]) + "\n")
        out.write(f"heading {a['heading']}\n")
        for b in a["bullets"]:
            out.write(f"bullet {b}\n")
        for c in a["captions"]:
            out.write(f"photo {c}\n")
        out.write(f"contact-line {a['department']}\ncontact-line 住所：{a['address']}\n")
        out.write(f"contact-line 電話：{a['tel']}　　FAX：{a['fax']}\n")
        out.write(f"contact-line E-mail: {a['email']}\ncontact-line URL：{a['url']}\n")


def wrap(text, width):
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def write_text(out, megabytes, seed):
    rng = random.Random(seed)
    target = int(megabytes * 1024 * 1024)
    written, page = 0, 0
    while written < target:
        page += 1
        a = awardee(rng, page)
        number = (page - 1) % 300 + 1  # as in a real report: page numbers stay below 1000
        style = rng.choice(["reading", "reading", "layout", "paste"])
        lines = []
        glyph = rng.choice(["・", "■", "●", "\uf0b2", "○"])
        width = rng.choice([38, 40, 42])
        if style == "layout":
            lines += [" " * 20 + HEADER, ""]
            lines += ["  " + a["heading"], ""]
            for b in a["bullets"]:
                parts = wrap(b, width)
                lines.append(f"  {glyph} {parts[0]}")
                lines += ["     " + p for p in parts[1:]]
            lines += ["", f"      {a['captions'][0]}" + " " * 12 + a["captions"][1], ""]
            lines += ["  お問い合わせ先", f"  {a['department']}", f"  住所：{a['address']}",
                      f"  電話：{a['tel']}      FAX：{a['fax']}", f"  E-mail: {a['email']}",
                      f"  URL：{a['url']}", "", " " * 30 + f"- {number} -"]
        else:
            blank = style == "reading"
            lines += [HEADER] + ([""] if blank else [])
            lines += [a["heading"]] + ([""] if blank else [])
            for b in a["bullets"]:
                parts = wrap(b, width)
                lines.append(f"{glyph} {parts[0]}")
                lines += parts[1:]
            lines += [""] if blank else []
            for c in a["captions"]:
                lines += [c] + ([""] if blank else [])
            lines += ["お問い合わせ先", a["department"], f"住所：{a['address']}", f"電話：{a['tel']}",
                      f"FAX：{a['fax']}", f"E-mail: {a['email']}", f"URL：{a['url']}"]
            lines += ["", f"- {number} -"] if blank else []
        chunk = "\n".join(lines) + "\n\f"
        out.write(chunk)
        written += len(chunk.encode("utf-8"))


def main(argv):
    args = argv[1:]
    seed = 1
    if len(args) >= 2 and args[1] == "--seed":
        seed = int(args[2])
        del args[1:3]
    if len(args) != 3 or args[0] not in ("page", "text"):
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    with open(args[2], "w", encoding="utf-8", newline="\n") as out:
        if args[0] == "page":
            write_page(out, int(args[1]), seed)
        else:
            write_text(out, float(args[1]), seed)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
