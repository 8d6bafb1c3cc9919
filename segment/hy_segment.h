/* hy_segment.h -- segment stage: normalized lines + rules -> the report's awards
 * (awardee, partners, evaluations, contact, captions). Knows nothing about PDF
 * files or output formats; the rules are data (files in segment/rules/). */
#pragma once

#include <stddef.h>

#include <glib.h>
#include "hy_normalize.h"

G_BEGIN_DECLS

#define HY_SEGMENT_ERROR (hy_segment_error_quark())
GQuark hy_segment_error_quark(void);

typedef enum {
    HY_SEGMENT_ERROR_RULE,  /* a rules file that does not load or compile */
    HY_SEGMENT_ERROR_INPUT, /* input segment cannot use */
} HySegmentError;

/* ---- rules ------------------------------------------------------------ */

/* What a rule says about a line it matches. */
typedef enum {
    HY_LINE_TEXT,      /* none of the others: continuation, caption, department */
    HY_LINE_TITLE,     /* report title or running header (edition, year) */
    HY_LINE_NOISE,     /* page numbers and the like: never content */
    HY_LINE_HEADING,   /* awardee heading with its partners */
    HY_LINE_BULLET,    /* start of an evaluation */
    HY_LINE_CONTACT,   /* お問い合わせ先: start of the contact block */
    HY_LINE_FIELD,     /* a contact field line (住所, 電話, FAX, E-mail, URL) */
    HY_LINE_AWARDEE,   /* older layout: ○受賞団体, starts an awardee (name may follow) */
    HY_LINE_PARTNERS,  /* older layout: <姉妹提携の相手方>: name(location) lines follow */
    HY_LINE_SUMMARY,   /* older layout: <姉妹交流の概要>: prose paragraphs follow */
    /* The parts of a whole published release (output-v1.md, "Whole published documents"): */
    HY_LINE_DATE,      /* the date the document was issued: era, era_year or year, month, day */
    HY_LINE_PRIZE,     /* a prize label (○総務大臣賞): category; the blocks after it fall under it */
    HY_LINE_COVER,     /* a line only a cover page has (報道資料, (添付資料)): the cover starts */
    HY_LINE_LISTING,   /* 受賞団体 heading the cover's list: the listed awardees follow */
    HY_LINE_AWARDS,    /* 資料1 / 別紙1: the award section starts */
    HY_LINE_PROGRAMME, /* 資料2, the award programme's description: no awards from here */
    HY_LINE_PAST,      /* これまでの受賞団体: a list of past awardees, no awards */
    HY_LINE_FIELD_LABEL, /* a contact field's label alone (住所, 電話: a table's left cell); its
                          * value is the next line, on the same row or right under it */
    HY_LINE_N_CLASSES
} HyLineClass;

typedef struct _HyRules HyRules;

/* Loads a rules file (`name<TAB>kind<TAB>pattern`, `#` comments, a `%replace` directive
 * before the first rule) and compiles every pattern once, with JIT when available: the
 * file's rules and no others, whatever its directive says. Returns: (transfer full), or
 * NULL with HY_SEGMENT_ERROR_RULE naming file, line, rule and byte offset. */
HyRules *hy_rules_load(const char *path, GError **error);
/* Loads a rules file as `--rules` means it: the file's rules are tried first, then those of
 * the built-in profile @base_profile ("default", "older"), so that a file holding one new
 * rule changes only what that rule matches. A file that says `%replace` before its first
 * rule has its own rules only (@base_profile is then not loaded). Returns: (transfer full),
 * or NULL with HY_SEGMENT_ERROR_RULE (the file does not load, or @base_profile is no
 * built-in profile). The rules lack nothing when they extend a profile; what a replacing
 * file lacks is in hy_rules_warnings(). */
HyRules *hy_rules_load_extending(const char *path, const char *base_profile, GError **error);
HyRules *hy_rules_load_data_extending(const char *name, const char *data, gsize len, const char *base_profile,
                                      GError **error);
/* The rules built into the binary: profile "default" (the current report layout)
 * or "older" (平成 reports with ○受賞団体 / <姉妹提携の相手方>). */
HyRules *hy_rules_load_builtin(const char *profile, GError **error);
HyRules *hy_rules_load_data(const char *name, const char *data, gsize len, GError **error);
void hy_rules_free(HyRules *rules);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HyRules, hy_rules_free)
const char *hy_rules_name(const HyRules *rules);
/* What the rules lack, one line each (char*, without the file's name): a kind that awards
 * need and no rule has, as `no rule of kind 'contact' (お問い合わせ先 and the like become
 * captions)`. Counted: heading (or awardee), bullet (or summary), contact, field, noise,
 * title and contact_like. Empty for the built-in profiles and for any file that extends one.
 * hy_segment_lines() also puts them at the head of every report's warnings, prefixed
 * `rules FILE: ` (FILE without its folders). Returns: (transfer none) the array, never NULL. */
GPtrArray *hy_rules_warnings(const HyRules *rules);
/* Names of the built-in profiles, NULL-terminated. */
const char *const *hy_rules_builtin_profiles(void);
/* The built-in profile whose `profile` rules match a line of @lines (HyLine*), or
 * "default" when none does. Returns: (transfer none) a profile name. */
const char *hy_rules_detect_profile(GPtrArray *lines);

/* ---- records (output-v1.md) ------------------------------------------ */

typedef enum {
    HY_KIND_PREFECTURE,
    HY_KIND_MUNICIPALITY,
    HY_KIND_ORGANIZATION,
} HyAwardeeKind;
const char *hy_awardee_kind_name(HyAwardeeKind kind);

typedef struct {
    char *name;
    HyAwardeeKind kind;
    char *prefecture; /* (nullable) */
    char *lg_code;    /* (nullable) */
    gboolean inferred;
} HyAwardee;

typedef struct {
    char *name;
    char *country;      /* (nullable) as written, region included */
    char *country_code; /* (nullable) ISO 3166-1 alpha-2 */
} HyPartner;

typedef struct {
    char *department, *postal_code, *address, *tel, *fax, *email, *url; /* each nullable */
} HyContact;

/* One field of HyContact. hy_contact_fields lists them in the contract's order
 * (output-v1.md: department, postal_code, address, tel, fax, email, url), which the JSON
 * members and the columns of the SQLite table `contacts` follow. */
typedef struct {
    const char *name;  /* as JSON, SQLite and the rules' named groups call it: "postal_code" */
    size_t offset;     /* of the field's char * in HyContact */
    const char *label; /* what the value is, for people: "postal code", "phone number" */
} HyContactField;
#define HY_CONTACT_N_FIELDS 7
extern const HyContactField hy_contact_fields[HY_CONTACT_N_FIELDS];
/* The field named @name ("tel"), or NULL when no contact field has that name. (transfer none) */
const HyContactField *hy_contact_field_named(const char *name);
/* (transfer none) (nullable) the value of @field in @contact. */
const char *hy_contact_value(const HyContact *contact, const HyContactField *field);
/* (transfer none) where @contact keeps the value of @field: a char * that @contact owns. */
char **hy_contact_slot(HyContact *contact, const HyContactField *field);

/* One line a field's value was read from (hyosho convert --provenance). */
typedef struct {
    int page;      /* 1-based */
    int line;      /* the line's number in the document (HyLine.number) */
    gboolean boxed; /* the box below is known (a PDF line with positions) */
    double x, y, width, height; /* the line's box in PDF points, origin top left of its page */
} HyProvenanceBox;

/* The lines one field of an award was made from. */
typedef struct {
    char *path;    /* the field, as output-v1.md's `provenance` names it: "awardee.name",
                    * "partners[0]", "evaluations[2]", "captions[0]", "contact.tel" */
    GArray *boxes; /* HyProvenanceBox, in reading order */
} HyFieldSource;

void hy_field_source_free(HyFieldSource *source);

typedef struct {
    HyAwardee awardee;
    char *category;         /* (nullable) the prize the block falls under (総務大臣賞, 審査委員会特別賞) */
    GPtrArray *partners;    /* HyPartner* */
    GPtrArray *evaluations; /* char* */
    HyContact contact;
    GPtrArray *captions;    /* char* */
    GArray *pages;          /* int, ascending, distinct */
    GPtrArray *warnings;    /* char* */
    GPtrArray *provenance;  /* (nullable) HyFieldSource*, in the order the lines were read: only
                             * when segmentation was asked for a trace */
} HyAward;

/* Which parts of a published release a document held (HyReport.sections). */
typedef enum {
    HY_SECTION_COVER = 1 << 0,     /* a cover page / press release */
    HY_SECTION_AWARDS = 1 << 1,    /* award blocks */
    HY_SECTION_PROGRAMME = 1 << 2, /* the programme's description or a list of past awardees */
} HySections;

typedef struct {
    char *title;         /* (nullable) */
    int edition;         /* 0 = unknown */
    int year;            /* 0 = unknown */
    char *date;          /* (nullable) the date the document was issued, ISO 8601 YYYY-MM-DD */
    GPtrArray *listed_awardees; /* char*: the awardees a cover or release lists, in order */
    HySections sections; /* the parts found: a file of a cover alone is a release with no awards */
    GPtrArray *awards;   /* HyAward* */
    GPtrArray *warnings; /* char* */
} HyReport;

/* Constructors for whoever builds records outside segmentation (readers of stored
 * JSON, tests): every array is created empty with the right free function, kind is
 * organization, nothing else is set. */
HyReport *hy_report_new(void);
/* Frees the provenance of every award of @report (what a review needed, before the
 * records go on without it). */
void hy_report_drop_provenance(HyReport *report);

void hy_report_free(HyReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HyReport, hy_report_free)
HyAward *hy_award_new(void);
void hy_award_free(HyAward *award);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HyAward, hy_award_free)
/* (transfer full) a partner; @country and @country_code may be NULL. */
HyPartner *hy_partner_new(const char *name, const char *country, const char *country_code);
void hy_partner_free(HyPartner *partner);

/* ---- segmentation ----------------------------------------------------- */

/* Where one line went, for `hyosho explain`. */
typedef struct {
    const HyLine *line; /* borrowed from the input */
    HyLineClass line_class;
    const char *rule;   /* (nullable) name of the rule that matched */
    int award;          /* index into report->awards, -1 for none */
    const char *field;  /* "heading", "partner", "evaluation", "caption", "contact.tel", ..., "title",
                         * "noise", "marker", "warning" (text that went into no field),
                         * "date", "category", "section", "label" (a vertical margin label),
                         * "cover", "listed_awardee", "programme", "past_awardees" */
    const char *joined; /* (nullable) why the line was joined to the text before it in its unit
                         * (a wrapped heading, a caption under a caption, an unfinished sentence) */
} HyLineTrace;

/* Segments @lines (HyLine*, borrowed) into a report. @rules is borrowed and may be
 * shared between threads. When @trace is not NULL it receives one HyLineTrace per line
 * (transfer full, g_free the array). Returns: (transfer full) the report, possibly with
 * no awards (a warning says so), or NULL with HY_SEGMENT_ERROR_INPUT. */
HyReport *hy_segment_lines(const HyRules *rules, GPtrArray *lines, GArray **trace, GError **error);

/* Same, with the lines classified on up to @threads threads (0 = one a core) when
 * there are enough of them to be worth it; the report is the same for any value. */
HyReport *hy_segment_lines_parallel(const HyRules *rules, GPtrArray *lines, int threads, GArray **trace,
                                    GError **error);

const char *hy_line_class_name(HyLineClass line_class);

G_END_DECLS
