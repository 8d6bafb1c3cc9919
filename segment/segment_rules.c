/* segment_rules.c -- loads rules files (name<TAB>kind<TAB>pattern), compiles every
 * pattern once with JIT, and classifies lines with them. After loading, HyRules is
 * read-only and may be shared by threads; match data belongs to each caller. */
#include "segment_private.h"

#include <gio/gio.h>
#include <string.h>

#define HY_RESOURCE_PREFIX "/org/hyosho/segment/"

G_DEFINE_QUARK(hy-segment-error-quark, hy_segment_error)

static const char *const kind_names[] = {
    [HY_LINE_TEXT] = "text",       [HY_LINE_TITLE] = "title",     [HY_LINE_NOISE] = "noise",
    [HY_LINE_HEADING] = "heading", [HY_LINE_BULLET] = "bullet",   [HY_LINE_CONTACT] = "contact",
    [HY_LINE_FIELD] = "field",     [HY_LINE_AWARDEE] = "awardee", [HY_LINE_PARTNERS] = "partners",
    [HY_LINE_SUMMARY] = "summary", [HY_LINE_DATE] = "date",       [HY_LINE_PRIZE] = "prize",
    [HY_LINE_COVER] = "cover",     [HY_LINE_LISTING] = "listing", [HY_LINE_AWARDS] = "awards",
    [HY_LINE_PROGRAMME] = "programme", [HY_LINE_PAST] = "past",
    [HY_LINE_FIELD_LABEL] = "field_label",
    [HY_RULE_PROFILE] = "profile", [HY_RULE_UNFINISHED] = "unfinished",
    [HY_RULE_NAME_PREFIX] = "name_prefix", [HY_RULE_LISTED] = "listed",
    [HY_RULE_CONTACT_LIKE] = "contact_like", [HY_RULE_DEPARTMENT_LIKE] = "department_like",
};

static const char *const builtin_profiles[] = {"default", "older", NULL};

const char *hy_line_class_name(HyLineClass line_class)
{
    g_return_val_if_fail(line_class < HY_LINE_N_CLASSES, "?");
    return kind_names[line_class];
}

const char *const *hy_rules_builtin_profiles(void)
{
    return builtin_profiles;
}

static void rule_free(HyRule *rule)
{
    if (rule == NULL) return;
    g_free(rule->name);
    g_free(rule->pattern);
    pcre2_code_free(rule->code);
    g_strfreev(rule->group_names);
    g_free(rule->group_numbers);
    g_free(rule);
}

void hy_rules_free(HyRules *rules)
{
    if (rules == NULL) return;
    g_free(rules->name);
    if (rules->shared == NULL) {
        g_ptr_array_unref(rules->rules);
        if (rules->own != NULL) g_ptr_array_unref(rules->own);
    }
    g_ptr_array_unref(rules->warnings);
    g_free(rules);
}

const char *hy_rules_name(const HyRules *rules)
{
    return rules->name;
}

GPtrArray *hy_rules_warnings(const HyRules *rules)
{
    g_return_val_if_fail(rules != NULL, NULL);
    return rules->warnings;
}

static int kind_from_name(const char *name)
{
    for (guint i = 0; i < G_N_ELEMENTS(kind_names); i++)
        if (kind_names[i] != NULL && strcmp(kind_names[i], name) == 0) return (int)i;
    return -1;
}

/* Records the named groups so that matching never looks names up per line. */
static void rule_index_groups(HyRule *rule)
{
    uint32_t count = 0, entry_size = 0;
    PCRE2_SPTR table = NULL;
    pcre2_pattern_info(rule->code, PCRE2_INFO_NAMECOUNT, &count);
    pcre2_pattern_info(rule->code, PCRE2_INFO_NAMEENTRYSIZE, &entry_size);
    pcre2_pattern_info(rule->code, PCRE2_INFO_NAMETABLE, &table);
    rule->n_groups = count;
    rule->group_names = g_new0(char *, count + 1);
    rule->group_numbers = g_new0(int, count);
    for (uint32_t i = 0; i < count; i++) {
        PCRE2_SPTR entry = table + (gsize)i * entry_size;
        rule->group_numbers[i] = (entry[0] << 8) | entry[1];
        rule->group_names[i] = g_strdup((const char *)entry + 2);
    }
}

/* The screen of rule_match(): facts PCRE2 works out while compiling and itself uses to
 * fail early, asked here so that a line that cannot match skips the call (about 20 ns
 * each; most lines fail most of some 24 rules). Exact, being PCRE2's own: a start-byte
 * table that is there is a superset of the bytes a match can begin with, and a
 * required code unit occurs in every match. */
static void rule_learn_screen(HyRule *rule)
{
    uint32_t options = 0, last_type = 0, last_unit = 0;
    const uint8_t *bitmap = NULL;
    pcre2_pattern_info(rule->code, PCRE2_INFO_ALLOPTIONS, &options);
    pcre2_pattern_info(rule->code, PCRE2_INFO_FIRSTBITMAP, &bitmap);
    rule->first_bytes = (options & PCRE2_ANCHORED) != 0 ? bitmap : NULL;
    pcre2_pattern_info(rule->code, PCRE2_INFO_LASTCODETYPE, &last_type);
    pcre2_pattern_info(rule->code, PCRE2_INFO_LASTCODEUNIT, &last_unit);
    rule->required_byte = last_type == 1 && last_unit < 256 && !g_ascii_isalpha((int)last_unit) ? (int)last_unit : -1;
}

static HyRule *rule_compile(const char *file, int source_line, char **fields, GError **error)
{
    int kind = kind_from_name(fields[1]);
    if (kind < 0) {
        g_set_error(error, HY_SEGMENT_ERROR, HY_SEGMENT_ERROR_RULE,
                    "%s:%d: rule '%s': unknown kind '%s'", file, source_line, fields[0], fields[1]);
        return NULL;
    }
    int errcode = 0;
    PCRE2_SIZE erroff = 0;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)fields[2], PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP,
                                     &errcode, &erroff, NULL);
    if (code == NULL) {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(errcode, message, sizeof message);
        g_set_error(error, HY_SEGMENT_ERROR, HY_SEGMENT_ERROR_RULE, "%s:%d: rule '%s', byte %zu: %s", file,
                    source_line, fields[0], (size_t)erroff, (const char *)message);
        return NULL;
    }
    gboolean jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0; /* optional: no JIT is only slower */

    HyRule *rule = g_new0(HyRule, 1);
    rule->name = g_strdup(fields[0]);
    rule->kind = kind;
    rule->pattern = g_strdup(fields[2]);
    rule->source_line = source_line;
    rule->code = code;
    rule->jit = jit;
    rule_learn_screen(rule);
    rule_index_groups(rule);
    return rule;
}

/* The kinds of line every award page has, whose absence puts award content into the wrong
 * field (a line no rule knows becomes a caption) or lets it go unnoticed, each with the kind
 * that may stand in for it (the older layout starts an awardee at ○受賞団体 and has prose
 * for bullets). Not counted, on purpose: the parts of a whole release (date, cover, listing,
 * awards, programme, past, prize: a file made for award pages alone need not know them),
 * field_label, unfinished, name_prefix and listed (refinements for layouts some reports
 * have), profile (selection only). */
static const struct {
    int kind, or_kind;
    const char *loss;
} needed_kinds[] = {
    {HY_LINE_HEADING, HY_LINE_AWARDEE, "no line starts an awardee: awards are named from their contact blocks"},
    {HY_LINE_BULLET, HY_LINE_SUMMARY, "evaluations are not recognised: their lines become captions"},
    {HY_LINE_CONTACT, -1, "お問い合わせ先 and the like become captions"},
    {HY_LINE_FIELD, -1, "住所, 電話, E-mail lines fill no contact field"},
    {HY_LINE_NOISE, -1, "page numbers become captions"},
    {HY_LINE_TITLE, -1, "the report's title and running headers become captions"},
    {HY_RULE_CONTACT_LIKE, -1, "contact values under an unknown header or in a caption go unwarned"},
};

static gboolean rules_have_kind(const HyRules *rules, int kind)
{
    for (guint i = 0; i < rules->rules->len; i++)
        if (((const HyRule *)g_ptr_array_index(rules->rules, i))->kind == kind) return TRUE;
    return FALSE;
}

/* Names in @rules->warnings each needed kind no rule has. */
static void rules_check_kinds(HyRules *rules)
{
    g_ptr_array_set_size(rules->warnings, 0);
    for (guint k = 0; k < G_N_ELEMENTS(needed_kinds); k++) {
        if (rules_have_kind(rules, needed_kinds[k].kind) ||
            (needed_kinds[k].or_kind >= 0 && rules_have_kind(rules, needed_kinds[k].or_kind)))
            continue;
        g_ptr_array_add(rules->warnings, g_strdup_printf("no rule of kind '%s' (%s)", kind_names[needed_kinds[k].kind],
                                                         needed_kinds[k].loss));
    }
}

/* A directive line (`%replace`) of a rules file; sets *@replace. FALSE with an error for
 * one that comes after a rule, or that is unknown. */
static gboolean rules_directive(const char *name, int source_line, const char *line, gboolean after_rule,
                                gboolean *replace, GError **error)
{
    g_autofree char *directive = g_strstrip(g_strdup(line));
    if (strcmp(directive, "%replace") != 0) {
        g_set_error(error, HY_SEGMENT_ERROR, HY_SEGMENT_ERROR_RULE, "%s:%d: unknown directive '%s' (known: %%replace)",
                    name, source_line, directive);
        return FALSE;
    }
    if (after_rule) {
        /* The whole file must be read one way: a late %replace would change what the rules above it meant. */
        g_set_error(error, HY_SEGMENT_ERROR, HY_SEGMENT_ERROR_RULE, "%s:%d: %%replace must come before the first rule",
                    name, source_line);
        return FALSE;
    }
    *replace = TRUE;
    return TRUE;
}

/* @markers_only: only the `profile` rules are compiled (the others are skipped unread),
 * and a file without any is not an error: what profile detection needs. *@replace (may be
 * NULL) tells whether the file said `%replace`. */
static HyRules *rules_load(const char *name, const char *data, gsize len, gboolean markers_only,
                           gboolean *replace, GError **error)
{
    gboolean replacing = FALSE;
    if (replace != NULL) *replace = FALSE;
    if (!g_utf8_validate_len(data, len, NULL)) {
        g_set_error(error, HY_SEGMENT_ERROR, HY_SEGMENT_ERROR_RULE, "%s: not valid UTF-8", name);
        return NULL;
    }
    g_autoptr(HyRules) rules = g_new0(HyRules, 1);
    rules->name = g_strdup(name);
    rules->own = g_ptr_array_new_with_free_func((GDestroyNotify)rule_free);
    rules->rules = g_ptr_array_new();
    rules->warnings = g_ptr_array_new_with_free_func(g_free);

    g_autofree char *text = g_strndup(data, len);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (int i = 0; lines[i] != NULL; i++) {
        char *line = lines[i];
        gsize n = strlen(line);
        if (n > 0 && line[n - 1] == '\r') line[n - 1] = '\0';
        if (line[0] == '#' || line[strspn(line, " \t")] == '\0') continue;
        if (line[0] == '%') {
            if (!markers_only && !rules_directive(name, i + 1, line, rules->own->len > 0, &replacing, error))
                return NULL;
            continue;
        }
        g_auto(GStrv) fields = g_strsplit(line, "\t", 3);
        if (markers_only &&
            (g_strv_length(fields) != 3 || strcmp(fields[1], kind_names[HY_RULE_PROFILE]) != 0))
            continue;
        if (g_strv_length(fields) != 3 || fields[0][0] == '\0' || fields[2][0] == '\0') {
            g_set_error(error, HY_SEGMENT_ERROR, HY_SEGMENT_ERROR_RULE,
                        "%s:%d: expected name<TAB>kind<TAB>pattern", name, i + 1);
            return NULL;
        }
        HyRule *rule = rule_compile(name, i + 1, fields, error);
        if (rule == NULL) return NULL;
        g_ptr_array_add(rules->own, rule);
        g_ptr_array_add(rules->rules, rule);
        rules->n_group_names += rule->n_groups;
    }
    if (rules->rules->len == 0 && !markers_only) {
        g_set_error(error, HY_SEGMENT_ERROR, HY_SEGMENT_ERROR_RULE, "%s: no rules", name);
        return NULL;
    }
    if (!markers_only) rules_check_kinds(rules);
    if (replace != NULL) *replace = replacing;
    return g_steal_pointer(&rules);
}

HyRules *hy_rules_load_data(const char *name, const char *data, gsize len, GError **error)
{
    g_return_val_if_fail(name != NULL && data != NULL, NULL);
    return rules_load(name, data, len, FALSE, NULL, error);
}

HyRules *hy_rules_load(const char *path, GError **error)
{
    g_return_val_if_fail(path != NULL, NULL);
    g_autofree char *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &data, &len, error)) return NULL;
    return hy_rules_load_data(path, data, len, error);
}

HyRules *hy_rules_load_data_extending(const char *name, const char *data, gsize len, const char *base_profile,
                                      GError **error)
{
    g_return_val_if_fail(name != NULL && data != NULL && base_profile != NULL, NULL);
    gboolean replace = FALSE;
    g_autoptr(HyRules) rules = rules_load(name, data, len, FALSE, &replace, error);
    if (rules == NULL || replace) return g_steal_pointer(&rules);
    g_autoptr(HyRules) base = hy_rules_load_builtin(base_profile, error);
    if (base == NULL) return NULL;
    /* The base's rules are the compiled profile's, which lives as long as the process
     * (hy_rules_load_builtin): borrowed, not copied. */
    GPtrArray *tried = g_ptr_array_sized_new(rules->own->len + base->rules->len);
    for (guint i = 0; i < rules->own->len; i++) g_ptr_array_add(tried, g_ptr_array_index(rules->own, i));
    for (guint i = 0; i < base->rules->len; i++) g_ptr_array_add(tried, g_ptr_array_index(base->rules, i));
    g_ptr_array_unref(rules->rules);
    rules->rules = tried;
    rules->n_group_names += base->n_group_names;
    rules_check_kinds(rules);
    return g_steal_pointer(&rules);
}

HyRules *hy_rules_load_extending(const char *path, const char *base_profile, GError **error)
{
    g_return_val_if_fail(path != NULL && base_profile != NULL, NULL);
    g_autofree char *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &data, &len, error)) return NULL;
    return hy_rules_load_data_extending(path, data, len, base_profile, error);
}

/* Generated by glib-compile-resources (segment.gresource.xml). Asking for it by name
 * keeps its object in the link: a static library drops what nothing references. */
GResource *hy_segment_get_resource(void);

/* (transfer full) bytes of an embedded resource, or NULL with a G_RESOURCE_ERROR. */
GBytes *hy_segment__resource(const char *relative, GError **error)
{
    g_autofree char *path = g_strconcat(HY_RESOURCE_PREFIX, relative, NULL);
    return g_resource_lookup_data(hy_segment_get_resource(), path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
}

static HyRules *builtin_compile(const char *profile, gboolean markers_only, GError **error)
{
    g_autofree char *relative = g_strdup_printf("rules/%s.rules", profile);
    g_autoptr(GBytes) bytes = hy_segment__resource(relative, error);
    if (bytes == NULL) return NULL;
    gsize len = 0;
    const char *data = g_bytes_get_data(bytes, &len);
    g_autoptr(HyRules) rules = rules_load(relative, data, len, markers_only, NULL, error);
    if (rules == NULL) return NULL;
    g_free(rules->name);
    rules->name = g_strdup(profile);
    return g_steal_pointer(&rules);
}

/* Each built-in profile is compiled (and JIT-compiled) once per process, on first use,
 * and shared by every HyRules asked for it: compiling costs more than segmenting a short
 * report, and a batch run asks for the same profile again and again. */
static GMutex builtin_lock;
static HyRules *builtin_compiled[G_N_ELEMENTS(builtin_profiles) - 1];

HyRules *hy_rules_load_builtin(const char *profile, GError **error)
{
    g_return_val_if_fail(profile != NULL, NULL);
    if (!g_strv_contains(builtin_profiles, profile)) {
        g_set_error(error, HY_SEGMENT_ERROR, HY_SEGMENT_ERROR_RULE, "unknown profile '%s' (known: %s, %s)",
                    profile, builtin_profiles[0], builtin_profiles[1]);
        return NULL;
    }
    guint i = 0;
    while (strcmp(builtin_profiles[i], profile) != 0) i++;
    g_mutex_lock(&builtin_lock);
    if (builtin_compiled[i] == NULL) builtin_compiled[i] = builtin_compile(profile, FALSE, error);
    const HyRules *compiled = builtin_compiled[i];
    g_mutex_unlock(&builtin_lock);
    if (compiled == NULL) return NULL; /* not kept: the next call reports the error again */
    HyRules *rules = g_new(HyRules, 1);
    *rules = *compiled; /* read-only from here on, so the patterns can be shared */
    rules->name = g_strdup(compiled->name);
    rules->warnings = g_ptr_array_new_with_free_func(g_free); /* a built-in profile lacks nothing */
    rules->shared = compiled;
    return rules;
}

pcre2_match_data *hy_segment__match_data_new(const HyRules *rules)
{
    uint32_t most = 1;
    for (guint i = 0; i < rules->rules->len; i++) {
        const HyRule *rule = g_ptr_array_index(rules->rules, i);
        uint32_t captures = 0;
        pcre2_pattern_info(rule->code, PCRE2_INFO_CAPTURECOUNT, &captures);
        most = MAX(most, captures + 1);
    }
    return pcre2_match_data_create(most, NULL);
}

static gboolean rule_match(const HyRule *rule, const char *text, gsize len, pcre2_match_data *match_data)
{
    /* The text is known-valid UTF-8 (the normalizer checked it): skip PCRE2's re-check.
     * pcre2_match() would hand a JIT-compiled pattern to pcre2_jit_match() anyway, after
     * checks that cost a third of a typical failing match; with some 20 rules tried on
     * a line, calling it directly saves about 0.4 us a line (same result: PCRE2 runs the
     * same code, JIT stack and limits included). */
    if (rule->first_bytes != NULL && len > 0) {
        guchar first = (guchar)text[0];
        if ((rule->first_bytes[first / 8] & (1u << (first % 8))) == 0) return FALSE;
    }
    if (rule->required_byte >= 0 && memchr(text, rule->required_byte, len) == NULL) return FALSE;
    int rc = rule->jit
                 ? pcre2_jit_match(rule->code, (PCRE2_SPTR)text, len, 0, 0, match_data, NULL)
                 : pcre2_match(rule->code, (PCRE2_SPTR)text, len, 0, PCRE2_NO_UTF_CHECK, match_data, NULL);
    return rc >= 0;
}

/* Where a captured value lies in the line's text, until classification ends. */
typedef struct {
    const char *name; /* borrowed from the rule */
    PCRE2_SIZE start, end;
} CaptureSpan;

/* Adds what @rule captured to @spans (*@n_spans of them so far). */
static void collect_captures(const HyRule *rule, pcre2_match_data *match_data, CaptureSpan *spans,
                             guint *n_spans)
{
    PCRE2_SIZE *ovector = pcre2_get_ovector_pointer(match_data);
    uint32_t pairs = pcre2_get_ovector_count(match_data);
    for (guint g = 0; g < rule->n_groups; g++) {
        uint32_t number = (uint32_t)rule->group_numbers[g];
        if (number >= pairs || ovector[2 * number] == PCRE2_UNSET) continue;
        gboolean seen = FALSE;
        for (guint c = 0; c < *n_spans && !seen; c++) seen = strcmp(spans[c].name, rule->group_names[g]) == 0;
        if (seen) continue; /* the first rule to capture a name wins */
        spans[(*n_spans)++] = (CaptureSpan){rule->group_names[g], ovector[2 * number], ovector[2 * number + 1]};
    }
}

/* The captures of a line in one allocation: the array, then each value with its NUL. A
 * line may have several; one block instead of an array and a string each keeps the
 * allocator out of classification's way. */
static void store_captures(const char *text, const CaptureSpan *spans, guint n_spans, HyClassified *out)
{
    if (n_spans == 0) return;
    gsize bytes = n_spans * sizeof(HyCapture);
    for (guint c = 0; c < n_spans; c++) bytes += spans[c].end - spans[c].start + 1;
    HyCapture *captures = g_malloc(bytes);
    char *values = (char *)(captures + n_spans);
    for (guint c = 0; c < n_spans; c++) {
        gsize len = spans[c].end - spans[c].start;
        memcpy(values, text + spans[c].start, len);
        values[len] = '\0';
        captures[c] = (HyCapture){.name = spans[c].name, .value = values};
        values += len + 1;
    }
    out->captures = captures;
    out->n_captures = n_spans;
}

void hy_segment__classified_clear(HyClassified *classified)
{
    g_clear_pointer(&classified->captures, g_free);
    classified->n_captures = 0;
}

const char *hy_segment__capture(const HyClassified *classified, const char *name)
{
    for (guint i = 0; i < classified->n_captures; i++)
        if (strcmp(classified->captures[i].name, name) == 0) return classified->captures[i].value;
    return NULL;
}

/* Captures a line holds on the stack; rules with more names than this in all use the heap. */
#define HY_CAPTURES_ON_STACK 32

void hy_segment__classify(const HyRules *rules, const HyLine *line, pcre2_match_data *match_data,
                          HyClassified *out)
{
    *out = (HyClassified){.line = line, .line_class = HY_LINE_TEXT};
    const char *text = line->text;
    gsize len = strlen(text);
    if (len == 0) return;

    CaptureSpan on_stack[HY_CAPTURES_ON_STACK];
    CaptureSpan *spans = rules->n_group_names <= HY_CAPTURES_ON_STACK ? on_stack
                                                                       : g_new(CaptureSpan, rules->n_group_names);
    guint n_spans = 0;
    for (guint i = 0; i < rules->rules->len; i++) {
        const HyRule *rule = g_ptr_array_index(rules->rules, i);
        if (rule->kind >= HY_LINE_N_CLASSES) continue;
        if (out->rule != NULL && !(out->line_class == HY_LINE_FIELD && rule->kind == HY_LINE_FIELD)) continue;
        if (!rule_match(rule, text, len, match_data)) continue;
        if (out->rule == NULL) {
            out->rule = rule;
            out->line_class = (HyLineClass)rule->kind;
        }
        collect_captures(rule, match_data, spans, &n_spans);
    }
    store_captures(text, spans, n_spans, out);
    if (spans != on_stack) g_free(spans);
}

const HyRule *hy_segment__kind_match(const HyRules *rules, int kind, const char *text, pcre2_match_data *match_data)
{
    gsize len = strlen(text);
    for (guint i = 0; i < rules->rules->len; i++) {
        const HyRule *rule = g_ptr_array_index(rules->rules, i);
        if (rule->kind == kind && rule_match(rule, text, len, match_data)) return rule;
    }
    return NULL;
}

gboolean hy_segment__kind_matches(const HyRules *rules, int kind, const char *text, pcre2_match_data *match_data)
{
    return hy_segment__kind_match(rules, kind, text, match_data) != NULL;
}

gboolean hy_segment__profile_matches(const HyRules *rules, const char *text, pcre2_match_data *match_data)
{
    return hy_segment__kind_matches(rules, HY_RULE_PROFILE, text, match_data);
}

/* Detection only needs the `profile` rules of each built-in profile (the default's are
 * not even asked: it is what remains), so only those are compiled for it. */
static gpointer builtin_markers_load(gpointer unused)
{
    (void)unused;
    GPtrArray *all = g_ptr_array_new();
    for (int i = 0; builtin_profiles[i] != NULL; i++) {
        g_autoptr(GError) error = NULL;
        HyRules *rules = builtin_compile(builtin_profiles[i], TRUE, &error);
        if (rules == NULL) g_error("built-in rules '%s' do not load: %s", builtin_profiles[i], error->message);
        g_ptr_array_add(all, rules);
    }
    return all;
}

const char *hy_rules_detect_profile(GPtrArray *lines)
{
    static GOnce once = G_ONCE_INIT;
    GPtrArray *all = g_once(&once, builtin_markers_load, NULL);
    for (guint r = 1; r < all->len; r++) { /* 0 is the default: it is what remains */
        const HyRules *rules = g_ptr_array_index(all, r);
        pcre2_match_data *match_data = hy_segment__match_data_new(rules);
        gboolean found = FALSE;
        for (guint i = 0; i < lines->len && !found; i++)
            found = hy_segment__profile_matches(rules, ((const HyLine *)g_ptr_array_index(lines, i))->text,
                                                match_data);
        pcre2_match_data_free(match_data);
        if (found) return rules->name;
    }
    return builtin_profiles[0];
}
