/* review_private.h -- what the files of `hyosho review` share: the page images
 * (review_render.c) and the HTML of a document and of the index (review_html.c). The
 * command itself is tools/cmd_review.c. */
#pragma once

#include "hy_cli.h"

#include <errno.h>
#include <stdio.h>

#include <glib/gstdio.h>

/* Resolution of the page images: enough to read 9-point captions, and the boxes are
 * percentages of the page, so the browser may scale it. */
#define HY_REVIEW_DPI 110.0

typedef struct {
    double width, height; /* points */
    gboolean image;       /* page-N.png was written */
} HyReviewPage;

/* Renders every page of the PDF at @pdf_path to @folder/page-N.png (N from 1) at @dpi on
 * up to @threads threads (0: one a core). Returns: (transfer full) HyReviewPage per page,
 * or NULL with the error (a PDF poppler cannot open, a PNG that cannot be written). */
GArray *hy_review_render_pages(const char *pdf_path, const char *password, const char *folder, double dpi,
                               int threads, GError **error);

/* One document of a review. */
typedef struct {
    const char *input;        /* the path the user gave */
    const char *name;         /* the page's name without .html ("doc-3"); its images are in
                               * the folder of that name, its JSON is NAME.json */
    const HyConversion *conversion; /* (nullable) NULL: it failed, see @failure */
    const HyEmitDocument *summary;  /* (nullable) for the index: the document as read back
                                     * from NAME.json, when @conversion is NULL */
    GArray *pages;            /* (nullable) HyReviewPage: a PDF's page images */
    const char *failure;      /* (nullable) why it did not convert */
} HyReviewDocument;

/* The page of @doc: its pages with a box round each line, coloured by the field it went
 * into, beside its awards as a form. Returns: (transfer full) the HTML. */
char *hy_review_document_html(const HyReviewDocument *doc);
/* The index of a review: a row per document. Returns: (transfer full) the HTML. */
char *hy_review_index_html(const HyReviewDocument *docs, guint n_docs);

/* review_files.c */
/* Whether @folder holds an index.html hyosho did not write (a review may not go there). */
gboolean hy_review_foreign_folder(const char *folder);
/* Makes @folder ready for a review before anything is converted: made if missing, tried
 * for writing, and not a folder of the user's (unless @overwrite). FALSE with the reason. */
gboolean hy_review_prepare_folder(const char *folder, gboolean overwrite, GError **error);
/* The name of the review page of @input in a batch: "doc-" and 12 hex digits of the
 * SHA-256 of its path, the same in the batch and in its workers. Returns: (transfer full). */
char *hy_review_name_for(const char *input);
/* Writes @doc's files into @folder: NAME.json (with provenance), NAME/page-K.png for a
 * PDF (on options' threads) and NAME.html; @doc->conversion must have provenance. */
gboolean hy_review_write_document(HyReviewDocument *doc, const char *folder, const HyPipelineOptions *options,
                                  GError **error);
gboolean hy_review_write_index(const char *folder, const HyReviewDocument *docs, guint n_docs, GError **error);
