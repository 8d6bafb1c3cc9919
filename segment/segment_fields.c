/* segment_fields.c -- turns what the rules captured into record fields: the heading's
 * awardee and partners, cleaned contact values, the awardee's kind, prefecture and
 * lg_code (or an awardee inferred from the contact block), and the report's title. */
#include "segment_private.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

HyPartner *hy_partner_new(const char *name, const char *country, const char *country_code)
{
    HyPartner *partner = g_new0(HyPartner, 1);
    partner->name = g_strdup(name);
    partner->country = g_strdup(country);
    partner->country_code = g_strdup(country_code);
    return partner;
}

void hy_partner_free(HyPartner *partner)
{
    if (partner == NULL) return;
    g_free(partner->name);
    g_free(partner->country);
    g_free(partner->country_code);
    g_free(partner);
}

HyAward *hy_award_new(void)
{
    HyAward *award = g_new0(HyAward, 1);
    award->awardee.kind = HY_KIND_ORGANIZATION;
    award->partners = g_ptr_array_new_with_free_func((GDestroyNotify)hy_partner_free);
    award->evaluations = g_ptr_array_new_with_free_func(g_free);
    award->captions = g_ptr_array_new_with_free_func(g_free);
    award->pages = g_array_new(FALSE, FALSE, sizeof(int));
    award->warnings = g_ptr_array_new_with_free_func(g_free);
    return award;
}

void hy_award_free(HyAward *award)
{
    if (award == NULL) return;
    g_free(award->awardee.name);
    g_free(award->awardee.prefecture);
    g_free(award->awardee.lg_code);
    g_free(award->category);
    g_ptr_array_unref(award->partners);
    g_ptr_array_unref(award->evaluations);
    hy_segment__contact_clear(&award->contact);
    g_ptr_array_unref(award->captions);
    g_array_unref(award->pages);
    g_ptr_array_unref(award->warnings);
    if (award->provenance != NULL) g_ptr_array_unref(award->provenance);
    g_free(award);
}

HyReport *hy_report_new(void)
{
    HyReport *report = g_new0(HyReport, 1);
    report->listed_awardees = g_ptr_array_new_with_free_func(g_free);
    report->awards = g_ptr_array_new_with_free_func((GDestroyNotify)hy_award_free);
    report->warnings = g_ptr_array_new_with_free_func(g_free);
    return report;
}

void hy_report_free(HyReport *report)
{
    if (report == NULL) return;
    g_free(report->title);
    g_free(report->date);
    g_ptr_array_unref(report->listed_awardees);
    g_ptr_array_unref(report->awards);
    g_ptr_array_unref(report->warnings);
    g_free(report);
}

const char *hy_awardee_kind_name(HyAwardeeKind kind)
{
    switch (kind) {
    case HY_KIND_PREFECTURE: return "prefecture";
    case HY_KIND_MUNICIPALITY: return "municipality";
    case HY_KIND_ORGANIZATION: break;
    }
    return "organization";
}

/* ---- heading ------------------------------------------------------------ */

/* Byte offset of the '(' that opens the bracket closing at the very end of @text,
 * or -1 when @text does not end in a balanced bracket. */
static gssize trailing_bracket(const char *text)
{
    gsize len = strlen(text);
    if (len < 2 || text[len - 1] != ')') return -1;
    int depth = 0;
    for (gssize i = (gssize)len - 1; i >= 0; i--) {
        if (text[i] == ')') depth++;
        else if (text[i] == '(' && --depth == 0) return i;
    }
    return -1;
}

/* The prefecture a location such as 北海道, 富山県富山市 or 京都市 stands for. */
static const char *prefecture_of_location(const char *location)
{
    const HyLocalGov *gov = NULL;
    if (hy_segment__leading_prefecture(location, &gov) > 0) return gov->prefecture;
    gboolean ambiguous = FALSE;
    if (hy_segment__leading_municipality(location, NULL, &gov, &ambiguous) == strlen(location) && gov != NULL)
        return gov->prefecture;
    return NULL;
}

static void add_partner(GPtrArray *partners, const char *item, gsize len)
{
    g_autofree char *text = g_strstrip(g_strndup(item, len));
    if (*text == '\0') return;
    HyPartner *partner = g_new0(HyPartner, 1);
    gssize open = trailing_bracket(text);
    if (open > 0) {
        partner->country = g_strstrip(g_strndup(text + open + 1, strlen(text) - (gsize)open - 2));
        partner->name = g_strstrip(g_strndup(text, (gsize)open));
    } else if ((open = (gssize)(strchr(text, '(') ? strchr(text, '(') - text : -1)) > 0) {
        /* A heading cut short loses its closing brackets: 遼寧省(中華人民共和国 */
        partner->country = g_strstrip(g_strdup(text + open + 1));
        partner->name = g_strstrip(g_strndup(text, (gsize)open));
    } else {
        partner->name = g_steal_pointer(&text);
    }
    if (partner->country != NULL && *partner->country == '\0') g_clear_pointer(&partner->country, g_free);
    g_ptr_array_add(partners, partner);
}

static void parse_partners(HyAward *award, const char *list)
{
    /* Split at 、 or , outside brackets; a name joined with ・ stays one partner. */
    int depth = 0;
    const char *start = list;
    for (const char *p = list; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c == '(') depth++;
        else if (c == ')' && depth > 0) depth--;
        else if (depth == 0 && (c == 0x3001 /* 、 */ || c == ',')) {
            add_partner(award->partners, start, (gsize)(p - start));
            start = g_utf8_next_char(p);
        }
    }
    add_partner(award->partners, start, strlen(start));

    /* 常熟市、蘇州市(中華人民共和国): a country written once covers the names before it. */
    const char *country = NULL;
    for (guint i = award->partners->len; i-- > 0;) {
        HyPartner *partner = g_ptr_array_index(award->partners, i);
        if (partner->country != NULL) country = partner->country;
        else if (country != NULL) partner->country = g_strdup(country);
    }
    for (guint i = 0; i < award->partners->len; i++) {
        HyPartner *partner = g_ptr_array_index(award->partners, i);
        partner->country_code = g_strdup(hy_segment__country_code(partner->country));
        if (partner->country != NULL && partner->country_code == NULL)
            g_ptr_array_add(award->warnings, g_strdup_printf("partner %s: no country code known for %s",
                                                             partner->name, partner->country));
    }
}

char *hy_segment__parse_heading(HyAward *award, const char *name, const char *partners)
{
    g_autofree char *awardee = g_strstrip(g_strdup(name != NULL ? name : ""));
    char *prefecture = NULL;
    gssize open = trailing_bracket(awardee);
    if (open > 0) {
        g_autofree char *location = g_strndup(awardee + open + 1, strlen(awardee) - (gsize)open - 2);
        const char *found = prefecture_of_location(location);
        if (found != NULL) {
            prefecture = g_strdup(found);
            awardee[open] = '\0';
            g_strchomp(awardee);
        }
    }
    g_free(award->awardee.name);
    award->awardee.name = g_steal_pointer(&awardee);
    if (partners != NULL) parse_partners(award, partners);
    return prefecture;
}

/* ---- awardee ------------------------------------------------------------ */

static void set_awardee_gov(HyAward *award, const HyLocalGov *gov)
{
    award->awardee.kind = gov->type == HY_LG_PREFECTURE ? HY_KIND_PREFECTURE : HY_KIND_MUNICIPALITY;
    g_free(award->awardee.prefecture);
    award->awardee.prefecture = g_strdup(gov->prefecture);
    g_free(award->awardee.lg_code);
    award->awardee.lg_code = g_strdup(gov->code);
}

/* The local government @text names at its start: prefecture, then municipality. */
static const HyLocalGov *gov_named_at_start(const char *text, gboolean want_municipality)
{
    if (text == NULL) return NULL;
    const HyLocalGov *pref = NULL, *city = NULL;
    gsize skip = hy_segment__leading_prefecture(text, &pref);
    gboolean ambiguous = FALSE;
    if (hy_segment__leading_municipality(text + skip, pref ? pref->prefecture : NULL, &city, &ambiguous) > 0 &&
        city != NULL && (want_municipality || pref == NULL))
        return city;
    return pref;
}

/* The prefecture an address or department names, directly or through its municipality. */
static const char *prefecture_in(const char *text)
{
    const HyLocalGov *gov = gov_named_at_start(text, FALSE);
    return gov != NULL ? gov->prefecture : NULL;
}

static const char *prefecture_hint_from_contact(const HyContact *contact)
{
    const HyLocalGov *gov = NULL;
    if (contact->address != NULL && hy_segment__leading_prefecture(contact->address, &gov) > 0)
        return gov->prefecture;
    if (contact->department != NULL && hy_segment__leading_prefecture(contact->department, &gov) > 0)
        return gov->prefecture;
    return NULL;
}

static void resolve_awardee_named(HyAward *award, const char *prefecture_hint)
{
    HyAwardee *awardee = &award->awardee;
    const char *name = awardee->name;
    const HyLocalGov *gov = hy_segment__prefecture_named(name);
    if (gov != NULL) {
        set_awardee_gov(award, gov);
        return;
    }

    /* 京都市, or 鹿児島県薩摩川内市 spelled with its prefecture. */
    const HyLocalGov *pref = NULL;
    gsize skip = hy_segment__leading_prefecture(name, &pref);
    const char *rest = name + skip;
    const char *hint = pref != NULL ? pref->prefecture : prefecture_hint;
    if (hint == NULL) hint = prefecture_hint_from_contact(&award->contact);
    gboolean ambiguous = FALSE;
    gsize len = hy_segment__leading_municipality(rest, hint, &gov, &ambiguous);
    if (len == 0 && hint != NULL) /* the hint contradicts the name: trust the name */
        len = hy_segment__leading_municipality(rest, NULL, &gov, &ambiguous);
    if (len > 0 && len == strlen(rest) && gov == NULL && ambiguous) {
        /* Several prefectures have this name: the post code's block picks one of them. */
        const char *by_post = hy_segment__prefecture_of_postal_code(award->contact.postal_code);
        if (by_post != NULL) hy_segment__leading_municipality(rest, by_post, &gov, &ambiguous);
    }
    if (len > 0 && len == strlen(rest)) {
        if (gov != NULL) {
            set_awardee_gov(award, gov);
        } else {
            awardee->kind = HY_KIND_MUNICIPALITY;
            g_ptr_array_add(award->warnings,
                            g_strdup_printf("awardee %s: the name exists in several prefectures and neither "
                                            "heading, address nor post code says which; prefecture and lg_code "
                                            "left null",
                                            name));
        }
        return;
    }

    awardee->kind = HY_KIND_ORGANIZATION;
    g_clear_pointer(&awardee->lg_code, g_free);
    const char *prefecture = prefecture_hint != NULL ? prefecture_hint : pref != NULL ? pref->prefecture : NULL;
    if (prefecture == NULL) prefecture = prefecture_in(award->contact.address);
    if (prefecture == NULL) prefecture = prefecture_in(award->contact.department);
    g_free(awardee->prefecture);
    awardee->prefecture = g_strdup(prefecture);
}

/* What an e-mail or web domain says of the office: pref.toyama.lg.jp is a prefecture,
 * city.kyoto.lg.jp a municipality. */
static int kind_from_domain(const HyContact *contact)
{
    const char *texts[] = {contact->email, contact->url};
    for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
        const char *t = texts[i];
        if (t == NULL) continue;
        if (strstr(t, "pref.") != NULL) return HY_KIND_PREFECTURE;
        if (strstr(t, "city.") != NULL || strstr(t, "town.") != NULL || strstr(t, "vill.") != NULL)
            return HY_KIND_MUNICIPALITY;
    }
    return -1;
}

void hy_segment__infer_awardee(HyAward *award)
{
    const HyContact *contact = &award->contact;
    HyAwardee *awardee = &award->awardee;
    int domain_kind = kind_from_domain(contact);

    const HyLocalGov *gov = gov_named_at_start(contact->department, TRUE);
    if (gov == NULL || (domain_kind == HY_KIND_MUNICIPALITY && gov->type == HY_LG_PREFECTURE)) {
        const HyLocalGov *from_address = gov_named_at_start(contact->address, domain_kind != HY_KIND_PREFECTURE);
        if (from_address != NULL) gov = from_address;
    }
    if (gov != NULL && domain_kind == HY_KIND_PREFECTURE && gov->type == HY_LG_MUNICIPALITY)
        gov = hy_segment__prefecture_named(gov->prefecture);

    awardee->inferred = TRUE;
    g_free(awardee->name);
    if (gov != NULL) {
        awardee->name = g_strdup(gov->name);
        set_awardee_gov(award, gov);
        g_ptr_array_add(award->warnings,
                        g_strdup_printf("no heading found: awardee %s inferred from the contact block", gov->name));
    } else {
        awardee->name = g_strdup(contact->department != NULL ? contact->department : "");
        awardee->kind = HY_KIND_ORGANIZATION;
        g_ptr_array_add(award->warnings, g_strdup(contact->department != NULL
                                                      ? "no heading found: awardee named after the contact department"
                                                      : "no heading and no contact block: awardee unknown"));
    }
}

void hy_segment__resolve_awardee(HyAward *award, const char *prefecture_hint)
{
    /* A joint award (川越市、川越市姉妹都市交流委員会) keeps its name as written and takes
     * kind, prefecture and lg_code from the local government it names first. */
    HyAwardee *awardee = &award->awardee;
    const char *comma = awardee->name != NULL ? strstr(awardee->name, "、") : NULL;
    if (comma != NULL && comma > awardee->name) {
        g_autofree char *whole = g_steal_pointer(&awardee->name);
        awardee->name = g_strndup(whole, (gsize)(comma - whole));
        resolve_awardee_named(award, prefecture_hint);
        g_free(awardee->name);
        awardee->name = g_steal_pointer(&whole);
        if (awardee->kind != HY_KIND_ORGANIZATION) return;
    }
    resolve_awardee_named(award, prefecture_hint);
}

/* ---- contact ------------------------------------------------------------ */

/* Digits and single '-' only: (076)444-3158 and 076 444 3158 become 076-444-3158. */
static char *clean_phone(const char *value)
{
    g_autofree char *dashed = hy_normalize_number_dashes(value);
    char *out = g_malloc(strlen(dashed) + 1); /* never longer than @dashed */
    gsize len = 0, digits = 0;
    for (const char *p = dashed; *p; p++) {
        if (g_ascii_isdigit(*p)) {
            out[len++] = *p;
            digits++;
        } else if (len > 0 && out[len - 1] != '-') {
            out[len++] = '-';
        }
    }
    while (len > 0 && out[len - 1] == '-') len--;
    out[len] = '\0';
    if (digits < 6) g_clear_pointer(&out, g_free);
    return out;
}

static char *clean_postal_code(const char *value)
{
    char digits[8];
    gsize n = 0;
    for (const char *p = value; *p; p++)
        if (g_ascii_isdigit(*p) && n++ < 7) digits[n - 1] = *p;
    if (n != 7) return NULL; /* the contract's NNN-NNNN or nothing */
    return g_strdup_printf("%.3s-%.4s", digits, digits + 3);
}

static char *clean_email(const char *value)
{
    static const char *const ats[] = {"(at)", "[at]", "(アットマーク)", "(AT)", "[AT]"};
    GString *out = g_string_new(NULL);
    for (const char *p = value; *p; p++)
        if (!g_ascii_isspace(*p)) g_string_append_c(out, *p);
    for (guint i = 0; i < G_N_ELEMENTS(ats); i++) g_string_replace(out, ats[i], "@", 0);
    if (out->len > 0 && strchr(out->str, '@') == NULL) {
        g_string_free(out, TRUE);
        return NULL;
    }
    return g_string_free(out, FALSE);
}

const HyContactField hy_contact_fields[HY_CONTACT_N_FIELDS] = {
    {"department", offsetof(HyContact, department), "department"},
    {"postal_code", offsetof(HyContact, postal_code), "postal code"},
    {"address", offsetof(HyContact, address), "address"},
    {"tel", offsetof(HyContact, tel), "phone number"},
    {"fax", offsetof(HyContact, fax), "fax number"},
    {"email", offsetof(HyContact, email), "e-mail"},
    {"url", offsetof(HyContact, url), "URL"},
};

/* How the value of each field is cleaned, in the order of hy_contact_fields: a cleaner
 * returns NULL for a value that does not parse. */
static char *(*const contact_cleaners[HY_CONTACT_N_FIELDS])(const char *value) = {
    g_strdup, clean_postal_code, g_strdup, clean_phone, clean_phone, clean_email, g_strdup,
};

const HyContactField *hy_contact_field_named(const char *name)
{
    g_return_val_if_fail(name != NULL, NULL);
    for (guint i = 0; i < HY_CONTACT_N_FIELDS; i++)
        if (strcmp(hy_contact_fields[i].name, name) == 0) return &hy_contact_fields[i];
    return NULL;
}

const char *hy_contact_value(const HyContact *contact, const HyContactField *field)
{
    return G_STRUCT_MEMBER(const char *, contact, field->offset);
}

char **hy_contact_slot(HyContact *contact, const HyContactField *field)
{
    return G_STRUCT_MEMBER_P(contact, field->offset);
}

void hy_segment__contact_clear(HyContact *contact)
{
    for (guint i = 0; i < HY_CONTACT_N_FIELDS; i++)
        g_clear_pointer(hy_contact_slot(contact, &hy_contact_fields[i]), g_free);
}

HyContactResult hy_segment__set_contact(HyContact *contact, const char *name, const char *value)
{
    if (value == NULL) return HY_CONTACT_EMPTY;
    g_autofree char *trimmed = g_strstrip(g_strdup(value));
    if (*trimmed == '\0') return HY_CONTACT_EMPTY;
    const HyContactField *field = hy_contact_field_named(name);
    if (field == NULL) return HY_CONTACT_EMPTY; /* a group name that is no contact field: ignored by design */
    char **slot = hy_contact_slot(contact, field);
    g_autofree char *cleaned = contact_cleaners[field - hy_contact_fields](trimmed);
    if (cleaned == NULL) return HY_CONTACT_INVALID;
    if (*cleaned == '\0') return HY_CONTACT_EMPTY; /* never "" in the output */
    if (*slot != NULL) return strcmp(*slot, cleaned) == 0 ? HY_CONTACT_SAME : HY_CONTACT_DUPLICATE;
    *slot = g_steal_pointer(&cleaned);
    return HY_CONTACT_STORED;
}

/* ---- title -------------------------------------------------------------- */

void hy_segment__parse_title(HyReport *report, const HyClassified *title)
{
    if (report->title == NULL) report->title = g_strdup(title->line->text);
    const char *edition = hy_segment__capture(title, "edition");
    if (report->edition == 0 && edition != NULL) report->edition = atoi(edition);
    if (report->year != 0) return;
    const char *year = hy_segment__capture(title, "year");
    const char *era = hy_segment__capture(title, "era");
    const char *era_year = hy_segment__capture(title, "era_year");
    if (year != NULL && *year) report->year = atoi(year);
    else if (era != NULL && *era && era_year != NULL)
        report->year = hy_normalize_era_to_gregorian(era, strcmp(era_year, "元") == 0 ? 1 : atoi(era_year));
}

/* ---- the parts of a whole release ----------------------------------------- */

gboolean hy_segment__parse_date(HyReport *report, const HyClassified *date)
{
    const char *era = hy_segment__capture(date, "era");
    const char *era_year = hy_segment__capture(date, "era_year");
    const char *year_text = hy_segment__capture(date, "year");
    const char *month = hy_segment__capture(date, "month");
    const char *day = hy_segment__capture(date, "day");
    if (month == NULL || day == NULL) return FALSE;
    int year = 0;
    if (year_text != NULL && *year_text) year = atoi(year_text);
    else if (era != NULL && *era && era_year != NULL)
        year = hy_normalize_era_to_gregorian(era, strcmp(era_year, "元") == 0 ? 1 : atoi(era_year));
    int m = atoi(month), d = atoi(day);
    if (year < 1 || year > 9999 || m < 1 || m > 12 || d < 1 || d > 31 ||
        !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)year))
        return FALSE;
    if (report->date == NULL) report->date = g_strdup_printf("%04d-%02d-%02d", year, m, d);
    return TRUE;
}

int hy_segment__fiscal_year(const char *date)
{
    int year = 0, month = 0, day = 0;
    if (date == NULL || sscanf(date, "%d-%d-%d", &year, &month, &day) != 3) return 0;
    return month >= 4 ? year : year - 1; /* the Japanese fiscal year runs April to March */
}

char *hy_segment__listed_name(const char *text)
{
    /* Marks in front of a listed name: ○ ◯ 〇 ● ・ ◆ ■ and spaces. */
    static const gunichar marks[] = {0x25CB, 0x25EF, 0x3007, 0x25CF, 0x30FB, 0x25C6, 0x25A0, ' ', 0x3000};
    const char *start = text;
    for (gboolean more = TRUE; more && *start;) {
        gunichar c = g_utf8_get_char(start);
        more = FALSE;
        for (guint i = 0; i < G_N_ELEMENTS(marks); i++)
            if (c == marks[i]) more = TRUE;
        if (more) start = g_utf8_next_char(start);
    }
    g_autoptr(HyAward) probe = hy_award_new();
    g_free(hy_segment__parse_heading(probe, start, NULL)); /* the location it names is not wanted here */
    if (probe->awardee.name == NULL || *probe->awardee.name == '\0') return NULL;
    return g_steal_pointer(&probe->awardee.name);
}
