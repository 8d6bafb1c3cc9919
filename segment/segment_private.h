/* segment_private.h -- what the files of the segment stage share: compiled rules,
 * classified lines, the knowledge tables (local-government codes, countries), and the
 * state of one assembly of lines into a report, which segment_assemble.c and the files
 * it hands its work to (cues, units, contact, release, awards) pass between them. */
#pragma once

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include "hy_segment.h"

/* Rule kinds beyond the line classes, never a line's class: a pattern whose match selects
 * its profile, and one whose match says a caption's line cannot end the caption (it
 * stops on a particle: the caption goes on on the next line). */
#define HY_RULE_PROFILE HY_LINE_N_CLASSES
#define HY_RULE_UNFINISHED (HY_LINE_N_CLASSES + 1)
/* A line that only begins an awardee's name (特定非営利活動法人 on a line of its own above
 * the rest of its heading). */
#define HY_RULE_NAME_PREFIX (HY_LINE_N_CLASSES + 2)
/* A line of a cover's list that names an awardee (marked ○, or ending in a location in
 * brackets or in what organisations are called); local-government names are known in C. */
#define HY_RULE_LISTED (HY_LINE_N_CLASSES + 3)
/* A value a contact field would hold, anywhere in a line (a phone number, an e-mail address,
 * 〒 and a postal code, a URL): the pattern's first named group says which field. What tells
 * a contact block under a header no rule knows, and a caption that is a contact field. */
#define HY_RULE_CONTACT_LIKE (HY_LINE_N_CLASSES + 4)
/* What a department's name looks like (国際課, 国際交流室, 交流センター): the line right above
 * a block of contact values with no header at all is taken for the department when it
 * matches, with a warning. */
#define HY_RULE_DEPARTMENT_LIKE (HY_LINE_N_CLASSES + 5)

typedef struct {
    char *name;
    int kind; /* HyLineClass, or HY_RULE_PROFILE */
    char *pattern;
    int source_line;
    pcre2_code *code;
    gboolean jit; /* JIT-compiled: matched through pcre2_jit_match() */
    /* What PCRE2 knows every match needs (pcre2_pattern_info), asked before matching:
     * the set of first bytes of an anchored pattern (NULL when unknown or unanchored),
     * and a byte that must occur (-1 when none, or when it is a letter: case-blind
     * rules may match it in another case). */
    const uint8_t *first_bytes;
    int required_byte;
    guint n_groups;
    char **group_names; /* n_groups names ... */
    int *group_numbers; /* ... and their capture numbers */
} HyRule;

struct _HyRules {
    char *name;
    GPtrArray *rules;      /* HyRule*, in the order they are tried: a file's own, then those
                            * of the built-in profile it extends */
    GPtrArray *own;        /* (nullable) HyRule*, the rules compiled for this HyRules, which
                            * it frees; the others are a built-in profile's, kept for the
                            * process (hy_rules_load_extending) */
    guint n_group_names;   /* named groups of all rules together: most captures a line can have */
    const HyRules *shared; /* (nullable) the compiled built-in profile whose rules these
                            * borrow (hy_rules_load_builtin): not freed with them */
    GPtrArray *warnings;   /* char*: what the rules lack (a kind without any rule) */
};

/* One named value a rule captured. */
typedef struct {
    const char *name;  /* borrowed from the rule */
    const char *value; /* in the block of the line's captures */
} HyCapture;

/* A line with its class and what its rules captured. */
typedef struct {
    const HyLine *line;
    HyLineClass line_class;
    const HyRule *rule;  /* (nullable) the rule that decided the class */
    HyCapture *captures; /* (nullable) n_captures of them, their values after them in the
                          * same allocation: one block a line, freed by
                          * hy_segment__classified_clear() */
    guint n_captures;
} HyClassified;

void hy_segment__classified_clear(HyClassified *classified);
/* Value captured under @name, or NULL. (transfer none) */
const char *hy_segment__capture(const HyClassified *classified, const char *name);

/* Classifies @line with @rules; @match_data belongs to the caller (one per thread). */
void hy_segment__classify(const HyRules *rules, const HyLine *line, pcre2_match_data *match_data,
                          HyClassified *out);
pcre2_match_data *hy_segment__match_data_new(const HyRules *rules);
/* TRUE when a `profile` rule of @rules matches @text. */
gboolean hy_segment__profile_matches(const HyRules *rules, const char *text, pcre2_match_data *match_data);
/* TRUE when a rule of kind @kind (HY_RULE_PROFILE, HY_RULE_UNFINISHED, HY_RULE_NAME_PREFIX,
 * HY_RULE_LISTED, HY_RULE_CONTACT_LIKE) matches @text. */
gboolean hy_segment__kind_matches(const HyRules *rules, int kind, const char *text, pcre2_match_data *match_data);
/* The first rule of kind @kind that matches @text, or NULL. (transfer none) */
const HyRule *hy_segment__kind_match(const HyRules *rules, int kind, const char *text, pcre2_match_data *match_data);

/* ---- knowledge (segment_knowledge.c) ---------------------------------- */

typedef enum {
    HY_LG_PREFECTURE,
    HY_LG_MUNICIPALITY,
    HY_LG_WARD,
} HyLgType;

typedef struct {
    const char *code;
    HyLgType type;
    const char *prefecture;
    const char *name;
    const char *parent; /* (nullable) city of a ward */
} HyLocalGov;

/* The prefecture entry named @name, or NULL. */
const HyLocalGov *hy_segment__prefecture_named(const char *name);
/* Length in bytes of the prefecture name that @text starts with, or 0. Sets @out. */
gsize hy_segment__leading_prefecture(const char *text, const HyLocalGov **out);
/* The longest municipality name @text starts with, preferring @prefecture's
 * (nullable); length in bytes, or 0. Ambiguity (the name exists in several
 * prefectures and @prefecture does not pick one) sets *@ambiguous. */
gsize hy_segment__leading_municipality(const char *text, const char *prefecture, const HyLocalGov **out,
                                       gboolean *ambiguous);
/* The prefecture whose block of post codes holds @postal_code (NNN-NNNN), or NULL.
 * Coarse: only for choosing among candidates, never on its own. */
const char *hy_segment__prefecture_of_postal_code(const char *postal_code);
/* ISO alpha-2 of a country written as in a heading (中華人民共和国, アメリカ合衆国イリノイ州),
 * by longest prefix over the formal-name table and ICU's Japanese names; NULL if none. */
const char *hy_segment__country_code(const char *country);

/* ---- fields (segment_fields.c) ---------------------------------------- */

/* Sets the awardee name (location suffix removed) and partners from a heading's
 * captures; returns (transfer full) the prefecture the suffix named, or NULL. */
char *hy_segment__parse_heading(HyAward *award, const char *name, const char *partners);
/* Decides kind, prefecture and lg_code of award->awardee from its name, @prefecture_hint
 * (nullable) and the contact address; adds a warning when a name stays ambiguous. */
void hy_segment__resolve_awardee(HyAward *award, const char *prefecture_hint);
/* Derives the awardee from the contact block when no heading was found. */
void hy_segment__infer_awardee(HyAward *award);
typedef enum {
    HY_CONTACT_STORED,
    HY_CONTACT_SAME,      /* the field already held this value */
    HY_CONTACT_DUPLICATE, /* the field already held another value, which is kept */
    HY_CONTACT_INVALID,   /* the value does not parse for its field (a postal code not NNN-NNNN) */
    HY_CONTACT_EMPTY,     /* nothing left after cleaning, or no such field */
} HyContactResult;

/* Stores a value for the contact field named @name ("tel"), cleaned for its field; an
 * already set field is kept. */
HyContactResult hy_segment__set_contact(HyContact *contact, const char *name, const char *value);
/* Frees the values of @contact and sets them to NULL. */
void hy_segment__contact_clear(HyContact *contact);
/* Sets @report->date (when not yet set) from a date line's captures. Returns: FALSE
 * when they name no real day (令和5年2月30日), the report unchanged. */
gboolean hy_segment__parse_date(HyReport *report, const HyClassified *date);
/* The Japanese fiscal year (April to March) of an ISO @date, or 0. */
int hy_segment__fiscal_year(const char *date);
/* The awardee a list entry names, as awardee.name writes it: marks (○ ・) and a trailing
 * location in brackets removed. Returns: (transfer full), or NULL when nothing is left. */
char *hy_segment__listed_name(const char *text);
/* Fills title, edition and year of @report from a title line's captures. */
void hy_segment__parse_title(HyReport *report, const HyClassified *title);

/* ---- assembly (segment_assemble.c and the files it hands work to) ----------- */

/* Longest text still taken for a photo caption; longer unattached text is prose. */
#define HY_CAPTION_MAX_CHARS 60

/* What a run of lines is, before it is known whose award it belongs to. */
typedef enum {
    HY_UNIT_HEADING,
    HY_UNIT_BULLETS,
    HY_UNIT_CONTACT,
    HY_UNIT_CAPTION,
    HY_UNIT_PROSE,
} HyUnitKind;

typedef struct {
    HyUnitKind kind;
    GArray *lines;           /* guint indexes into the classified lines */
    char *name;              /* heading: the awardee as written, location suffix included */
    GPtrArray *partners;     /* (nullable until the first) heading: partner texts, name(country) each or a 、-list */
    GPtrArray *texts;        /* bullets: one per evaluation; caption/prose: one */
    gboolean paragraphs;     /* bullets that are prose paragraphs (older layout) */
    gboolean glyphless;      /* bullets recognised as paragraphs, their glyphs lost */
    char *heading_text;      /* heading: the text so far, while its brackets are still open */
    gboolean bullet_open;    /* the last evaluation has not reached its sentence end */
    int bullet_longest;      /* longest bullet line in characters (for continuation) */
    int bullet_lines;        /* lines of the last evaluation so far */
    double bullet_x;         /* x of the last evaluation's first line (0 without positions) */
    HyContact contact;
    const char *last_field;  /* contact field the previous line filled */
    GPtrArray *warnings;     /* (nullable until the first) contact values that were not used, and why */
    gboolean contact_fields; /* a labelled field was seen */
    const char *prize;       /* (nullable) the prize label in force where the unit began */
    int first_page, last_page;
} HyUnit;

/* What unlabelled lines are, after an older-layout section marker. */
typedef enum {
    HY_MODE_PLAIN, /* captions, continuations */
    HY_MODE_NAMES, /* after ○受賞団体 / <姉妹提携の相手方>: awardee, then partners */
    HY_MODE_PROSE, /* after <姉妹交流の概要>: paragraphs */
} HyTextMode;

/* The part of a published release the lines are in (output-v1.md, "Whole published
 * documents"). Only the award section makes awards; a document without markers is one. */
typedef enum {
    HY_RELEASE_AWARDS,
    HY_RELEASE_COVER,     /* the press release's cover: date, list of awardees, the ministry's 連絡先 */
    HY_RELEASE_PROGRAMME, /* the award programme's description */
    HY_RELEASE_PAST,      /* a list of past awardees */
} HyReleaseSection;

/* How a contact block the rules did not see begin begins (HyAssembly.contact_header). */
enum {
    HY_UNKNOWN_HEADER_NONE,
    HY_UNKNOWN_HEADER_LABEL,      /* a label no rule knows (【連絡窓口】), perhaps with the department */
    HY_UNKNOWN_HEADER_DEPARTMENT, /* no header at all: the department's name right above the values */
};

/* One run of hy_segment_lines(): the lines, what was made of them so far, and where. */
typedef struct {
    const HyRules *rules;
    GArray *classified;       /* HyClassified per line */
    const char **fields;      /* per line: where it went, for the trace */
    const char **joins;       /* per line: why it was joined to its unit's text before it, or NULL */
    GPtrArray *units;         /* HyUnit* */
    HyUnit *open;             /* unit that may still take lines */
    HyTextMode mode;
    pcre2_match_data *match_data;
    double body_size;         /* most common font size, 0 when unknown */
    HyReleaseSection section;
    gboolean listing;         /* inside the cover's list of awardees */
    gboolean award_content;   /* a heading, bullet or contact line of the award section was taken */
    const char *prize;        /* (nullable) the prize label in force, one of @prizes */
    GPtrArray *prizes;        /* char*: the prize labels met, owned here */
    char *title_category;     /* (nullable) the prize the title names */
    gboolean *label;          /* per line: a character of a vertical margin label */
    gboolean *taken;          /* per line: already taken with the line before (a label's value) */
    guint8 *contact_header;   /* per line: HY_UNKNOWN_HEADER_*, a contact block the rules did not see begin */
    guint8 *contact_like;     /* per line: 0 not asked yet, else 1 + whether a contact_like rule
                               * matches its text (hy_segment__contact_like_text) */
    HyReport *report;
    GArray *trace;            /* HyLineTrace per line, or NULL */
} HyAssembly;

static inline const HyClassified *hy_segment__classified_at(const HyAssembly *a, guint index)
{
    return &g_array_index(a->classified, HyClassified, index);
}

static inline const HyLine *hy_segment__line_at(const HyAssembly *a, guint index)
{
    return hy_segment__classified_at(a, index)->line;
}

/* The index of the last line @unit took (every unit takes one as it starts). */
static inline guint hy_segment__unit_last_line(const HyUnit *unit)
{
    return g_array_index(unit->lines, guint, unit->lines->len - 1);
}

/* segment_cues.c: what a line's text and layout say, asked by the files that take lines. */

/* Whether a `contact_like` rule matches line @index's text (a phone number, an e-mail
 * address, a postal code or a URL somewhere in it); asked of the rules once per line. */
/* Bytes of a bracketed label at the start of @text (【連絡窓口】, <窓口>: at most 12
 * characters inside), 0 when it starts with none. */
gsize hy_segment__leading_label(const char *text);
gboolean hy_segment__contact_like_text(HyAssembly *a, guint index);
/* segment_provenance.c: what @unit gives @award, by field path, before its texts move
 * into the award; the partners after the heading is parsed. Nothing without a trace. */
void hy_segment__provenance_add_unit(HyAssembly *a, const HyUnit *unit, HyAward *award);
void hy_segment__provenance_add_partners(HyAssembly *a, const HyUnit *heading, HyAward *award);
/* 。 . ! ? possibly followed by closing brackets: the end of an evaluation. */
gboolean hy_segment__ends_sentence(const char *text);
/* Why @line goes on with the caption whose last line is @prev, or NULL when it does not.
 * (transfer none) a static string, for the trace. */
const char *hy_segment__caption_continues(const HyAssembly *a, const HyLine *prev, const HyLine *line);
/* Byte offset in @raw of the space between two captions an extractor put on one line, or -1. */
gssize hy_segment__caption_seam(const char *raw);
/* Two captions side by side on @line (a seam, no 、 or 。), not a sentence. */
gboolean hy_segment__captions_side_by_side(const HyLine *line);
/* @line is set in further than @next (NULL or on another page: FALSE). */
gboolean hy_segment__indented_before(const HyLine *line, const HyLine *next);
/* With positions: @line stands above the first line of @unit on its page. */
gboolean hy_segment__set_above(const HyAssembly *a, const HyUnit *unit, const HyLine *line);
/* Line @index begins an evaluation whose bullet glyph the extractor lost. */
gboolean hy_segment__lost_glyph_bullet(const HyAssembly *a, guint index);
/* Line @index, starting with ・, goes on with the open evaluation's sentence. */
gboolean hy_segment__nakaguro_continues(const HyAssembly *a, guint index);
/* @line is a heading by its type size alone (its 交流先 part missing). */
gboolean hy_segment__heading_by_size(const HyAssembly *a, const HyLine *line);
/* The one-line unit @last, right before heading line @index, begins that heading's name. */
gboolean hy_segment__heading_prefix_before(const HyAssembly *a, const HyUnit *last, guint index);
/* Lines in the paragraph of body text that starts at @index, or 0 when it is none. */
guint hy_segment__paragraph_ahead(const HyAssembly *a, guint index);
/* Sets a->label for the characters of vertical margin labels, before any line is taken. */
void hy_segment__mark_vertical_labels(HyAssembly *a);
/* Sets a->contact_header for headers of contact blocks no rule knows, before any line is taken. */
void hy_segment__mark_unknown_contact_headers(HyAssembly *a);
/* The size most body lines (HyLine*) are set in; 0 for text input. */
double hy_segment__body_font_size(GPtrArray *lines);

/* segment_units.c: lines -> units. */

/* A new unit of @kind beginning at line @line_index, added to a->units and left open. */
HyUnit *hy_segment__unit_start(HyAssembly *a, HyUnitKind kind, guint line_index);
void hy_segment__unit_free(HyUnit *unit);
/* Line @line_index joins @unit, its destination @field recorded for the trace. */
void hy_segment__unit_add_line(HyAssembly *a, HyUnit *unit, guint line_index, const char *field);
/* Adds @text (transfer full) to *@strings, making the array on the first. */
void hy_segment__strings_add(GPtrArray **strings, char *text);
/* Takes line @index (in order, each line once) into the units, or into the report's parts. */
void hy_segment__take_line(HyAssembly *a, guint index);

/* segment_contact.c: contact blocks. */

/* Stores the fields of labelled line @c in @unit. Returns: (transfer none) the
 * destinations for the trace ("contact.tel,fax"). */
const char *hy_segment__contact_take_captures(HyUnit *unit, const HyClassified *c);
/* Takes an unlabelled @line into the open contact block @unit when it belongs there.
 * Returns: (transfer none) the field it went to, or NULL. */
const char *hy_segment__contact_take_text(HyUnit *unit, const HyLine *line);
/* A field's label alone on line @index and its value on a line after it: one field. */
gboolean hy_segment__take_labelled_value(HyAssembly *a, guint index, gboolean wrapped_label);
/* A label wrapped in its cell onto lines @index and @index + 1, its value after them. */
gboolean hy_segment__take_wrapped_label(HyAssembly *a, guint index);
/* Line @index, marked by hy_segment__mark_unknown_contact_headers(), starts a contact block. */
void hy_segment__take_unknown_contact_header(HyAssembly *a, guint index);

/* segment_release.c: the parts of a published release. */

/* Title, edition, year and the prize the title names, from title line @c. */
void hy_segment__record_title(HyAssembly *a, const HyClassified *c);
/* Takes line @index when it marks a part of the release or lies outside the award
 * section. Returns: FALSE for a line the award section's units are to take. */
gboolean hy_segment__take_section_line(HyAssembly *a, guint index);
/* Warns of each listed awardee without an award, and each award not listed. */
void hy_segment__cross_check_listing(HyReport *report);

/* segment_awards.c: units -> blocks -> awards. */

/* Groups a->units into blocks and makes each block that names an awardee an award of
 * a->report; the text of the others goes to the report's warnings. */
void hy_segment__awards_from_units(HyAssembly *a);
