/* flux-style table printing (see table.h). */
#include "cli/table.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct table {
	size_t ncols;
	char **header;
	char ***rows;
	size_t nrows, cap;
};

struct table *table_new(const char *const *header, size_t ncols)
{
	struct table *t = xcalloc(1, sizeof(*t));
	t->ncols = ncols;
	t->header = xcalloc(ncols, sizeof(char *));
	for (size_t i = 0; i < ncols; i++) {
		t->header[i] = xstrdup(header[i]);
		for (char *p = t->header[i]; *p; p++)
			*p = (char)toupper((unsigned char)*p);
	}
	return t;
}

void table_add(struct table *t, const char *const *cells)
{
	t->rows = xgrow(t->rows, &t->cap, t->nrows + 1, sizeof(char **));
	char **row = xcalloc(t->ncols, sizeof(char *));
	for (size_t i = 0; i < t->ncols; i++)
		row[i] = xstrdup(cells[i] ? cells[i] : "");
	t->rows[t->nrows++] = row;
}

size_t table_rows(const struct table *t)
{
	return t->nrows;
}

/* Display width of s[0..n): code points, as tablewriter counts for non-wide text. */
static size_t width(const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n;) {
		size_t l = utf8_valid_prefix(s + i, n - i);
		i += l ? l : 1;
		w++;
	}
	return w;
}

static size_t cell_width(const char *s)
{
	size_t max = 0;
	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		size_t w = width(s, n);
		if (w > max)
			max = w;
		if (!nl)
			return max;
		s = nl + 1;
	}
}

static size_t line_count(const char *s)
{
	size_t n = 1;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Writes line k of cell s padded to w, or blanks when s has fewer lines. */
static void put_line(FILE *out, const char *s, size_t k, size_t w)
{
	while (k && s) {
		s = strchr(s, '\n');
		if (s)
			s++;
		k--;
	}
	size_t n = 0;
	if (s) {
		const char *nl = strchr(s, '\n');
		n = nl ? (size_t)(nl - s) : strlen(s);
		fwrite(s, 1, n, out);
	}
	size_t used = s ? width(s, n) : 0;
	for (; used < w; used++)
		fputc(' ', out);
}

static void print_table(const struct table *t, FILE *out, bool header)
{
	size_t *w = xcalloc(t->ncols, sizeof(size_t));
	for (size_t c = 0; c < t->ncols; c++) {
		w[c] = header ? cell_width(t->header[c]) : 0;
		for (size_t r = 0; r < t->nrows; r++) {
			size_t cw = cell_width(t->rows[r][c]);
			if (cw > w[c])
				w[c] = cw;
		}
	}
	for (size_t c = 0; header && c < t->ncols; c++) {
		put_line(out, t->header[c], 0, w[c]);
		fputc(c + 1 == t->ncols ? ' ' : '\t', out);
	}
	if (header)
		fputc('\n', out);
	for (size_t r = 0; r < t->nrows; r++) {
		size_t lines = 1;
		for (size_t c = 0; c < t->ncols; c++) {
			size_t l = line_count(t->rows[r][c]);
			if (l > lines)
				lines = l;
		}
		for (size_t k = 0; k < lines; k++) {
			for (size_t c = 0; c < t->ncols; c++) {
				put_line(out, t->rows[r][c], k, w[c]);
				fputc('\t', out);
			}
			fputc('\n', out);
		}
	}
	free(w);
}

void table_print(const struct table *t, FILE *out)
{
	print_table(t, out, true);
}

void table_print_rows(const struct table *t, FILE *out)
{
	print_table(t, out, false);
}

void table_print_event(const struct table *t, FILE *out, bool *header)
{
	print_table(t, out, *header);
	fflush(out);
	*header = false;
}

void table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->ncols; i++)
		free(t->header[i]);
	free(t->header);
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++)
			free(t->rows[r][c]);
		free(t->rows[r]);
	}
	free(t->rows);
	free(t);
}
