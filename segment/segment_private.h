/* segment_private.h -- what the files of the segment stage share: compiled rules,
 * classified lines, and the knowledge tables (local-government codes, countries). */
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

/* Stores a contact field value, cleaned for its field; an already set field is kept. */
HyContactResult hy_segment__set_contact(HyContact *contact, const char *field, const char *value);
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
