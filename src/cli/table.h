/*
 * Tables printed the way `flux get` prints them (olekukonko/tablewriter configured by
 * flux2's pkg/printers): headers upper-cased, cells left-aligned and padded to the column's
 * width, a tab after each cell (a space after the last header), no borders. Cells with
 * newlines span several lines.
 */
#ifndef TIDE_CLI_TABLE_H
#define TIDE_CLI_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct table;

/* A table with ncols columns named by header (copied). */
struct table *table_new(const char *const *header, size_t ncols);
/* Adds a row of ncols cells (copied; NULL is printed as ""). */
void table_add(struct table *t, const char *const *cells);
size_t table_rows(const struct table *t);
void table_print(const struct table *t, FILE *out);
/* The rows only, column widths from the rows (flux's --no-header). */
void table_print_rows(const struct table *t, FILE *out);
void table_free(struct table *t);

/* One event of a watch as flux's watchUntil prints it: t (a table of one row, its widths
 * its own) with the header when *header, which is then cleared; flushed, for a terminal. */
void table_print_event(const struct table *t, FILE *out, bool *header);

#endif
