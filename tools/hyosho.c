/* hyosho.c -- entry point of the hyosho CLI: dispatches to a subcommand from one
 * table, which also lists them for --help. */
#include "hy_cli.h"
#include "hy_test_hooks.h"
#include "hy_version.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

static const HyCommand commands[] = {
    {"convert", hy_cmd_convert, "Convert an award report (PDF or text) to JSON records"},
    {"check", hy_cmd_check, "Compare fixtures with their golden JSON (regression test)"},
    {"explain", hy_cmd_explain, "Show every line with its class, rule and destination"},
    {"batch", hy_cmd_batch, "Convert many reports (files, folders) in parallel worker processes"},
    {"review", hy_cmd_review, "Write a review to check in a browser: each record shown on its page"},
    {"worker", hy_cmd_worker, NULL}, /* batch's own: not listed */
};

static void print_help(FILE *out)
{
    fprintf(out, "Usage: hyosho COMMAND [OPTIONS] [FILE...]\n\n"
                 "Turns 自治体国際交流表彰 award-report PDFs into structured records.\n\nCommands:\n");
    for (guint i = 0; i < G_N_ELEMENTS(commands); i++)
        if (commands[i].summary != NULL) fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nOptions:\n  -h, --help     Show this help\n  -V, --version  Show the version\n\n"
                 "'hyosho COMMAND --help' shows a command's options.\n");
}

/* `-j4` as make and xargs spell it: GOption only knows `-j 4`, and would take the next
 * argument as the count. Rewritten to `-j 4` before a command parses its options; not
 * after `--`, where every argument is an input. Returns: (transfer container) the
 * arguments, pointing into @argv's strings (GOption never writes into them). */
static char **split_attached_jobs(int argc, char **argv, int *new_argc)
{
    static char jobs_option[] = "-j";
    GPtrArray *args = g_ptr_array_new();
    gboolean options_end = FALSE;
    for (int i = 0; i < argc; i++) {
        char *arg = argv[i];
        options_end = options_end || strcmp(arg, "--") == 0;
        gboolean attached = !options_end && g_str_has_prefix(arg, "-j") && arg[2] != '\0' &&
                            strspn(arg + 2, "0123456789") == strlen(arg + 2);
        g_ptr_array_add(args, attached ? jobs_option : arg);
        if (attached) g_ptr_array_add(args, arg + 2);
    }
    *new_argc = (int)args->len;
    g_ptr_array_add(args, NULL);
    return (char **)g_ptr_array_free(args, FALSE);
}

static const HyCommand *find_command(const char *name)
{
    for (guint i = 0; i < G_N_ELEMENTS(commands); i++)
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    return NULL;
}

/* glibc's malloc gives freed memory back to the kernel eagerly (the top of the heap past
 * 128 KiB, and every block of 128 KiB or more, which has a mapping of its own), so
 * memory that a conversion frees and allocates again, page after page, is faulted in
 * again each time; a fault costs 10-40 us on some virtual machines (BENCH.md, fifth
 * round). Keeping up to 32 MiB, and growing the heap 4 MiB at a time, saves ~10 % of
 * the faults of a PDF conversion and 7 % of a text one; resident memory stays the
 * same, as pages that are never touched are not resident. A setting the user made in
 * GLIBC_TUNABLES is left as it is. */
static void tune_allocator(void)
{
#ifdef __GLIBC__
    const char *tunables = g_getenv("GLIBC_TUNABLES");
    gboolean user_set = tunables != NULL && (strstr(tunables, "glibc.malloc.trim_threshold") != NULL ||
                                             strstr(tunables, "glibc.malloc.top_pad") != NULL ||
                                             strstr(tunables, "glibc.malloc.mmap_threshold") != NULL);
    if (user_set) return;
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TOP_PAD, 4 * 1024 * 1024);
#endif
}

int main(int argc, char **argv)
{
    tune_allocator();
    setlocale(LC_ALL, "");
    g_set_prgname("hyosho");
    if (argc < 2) {
        print_help(stderr);
        return HY_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        print_help(stdout);
        return HY_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        printf("hyosho %s%s\n", HY_VERSION, HY_TEST_HOOKS_NOTE);
        return HY_EXIT_OK;
    }
    if (strcmp(name, "help") == 0) {
        if (argc < 3) {
            print_help(stdout);
            return HY_EXIT_OK;
        }
        const HyCommand *command = find_command(argv[2]);
        if (command == NULL) {
            fprintf(stderr, "hyosho: unknown command '%s'\nsee 'hyosho --help'\n", argv[2]);
            return HY_EXIT_USAGE;
        }
        char *help_argv[] = {argv[2], "--help", NULL};
        return command->run(2, help_argv);
    }
    const HyCommand *command = find_command(name);
    if (command == NULL) {
        fprintf(stderr, "hyosho: unknown command '%s'\nsee 'hyosho --help'\n", name);
        return HY_EXIT_USAGE;
    }
    int command_argc = 0;
    char **command_argv = split_attached_jobs(argc - 1, argv + 1, &command_argc);
    int status = command->run(command_argc, command_argv);
    g_free(command_argv);
    return status;
}
