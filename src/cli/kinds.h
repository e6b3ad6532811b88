/*
 * The Flux kinds the CLI knows, in one table (kinds.c), and the one parser of the words a
 * user names them with: `ks`, `kustomization`, `kustomizations`, `source git`, `sources
 * git`, `hr`, `alert-provider`, `image policy` ... Every verb that takes a kind (get,
 * export, reconcile, suspend, resume, delete, tree, build, diff, create) parses it here;
 * events, stats, uninstall, trace and completion read the same table.
 */
#ifndef TIDE_CLI_KINDS_H
#define TIDE_CLI_KINDS_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cli.h"

struct kube_resource;

/* The word flux puts before some kinds: `source git`, `image policy`. */
enum cli_family {
	CLI_FAMILY_NONE,
	CLI_FAMILY_SOURCE, /* "source" or "sources"; required before the kind except in `get` */
	CLI_FAMILY_IMAGE,  /* "image" or "images"; optional */
	CLI_FAMILY_ARTIFACT, /* "artifact" or "artifacts"; required (`artifact generator`) */
};

/* What a `flux get` column shows (after NAME; READY and MESSAGE always end the row). */
enum cli_cell {
	CLI_CELL_REVISION,  /* the string at the kind's revision_path, long hex words cut to 8 */
	CLI_CELL_SUSPENDED, /* spec.suspend as True / False */
	CLI_CELL_TEXT,      /* the string at path, "" when missing */
	CLI_CELL_SOURCE_REF, /* the reference at path as "Kind/namespace/name", "" when missing */
	CLI_CELL_DISABLED,  /* the annotation path says "disabled" (any case): True / False */
};

struct cli_column {
	const char *header; /* NULL ends the list */
	enum cli_cell cell;
	const char *path;   /* CLI_CELL_TEXT only */
};

#define CLI_MAX_COLUMNS 3

/* The lists of every kind flux prints in an order of its own (the table's order is the one
 * flux's help and completion use: kustomization, helmrelease, sources, notification, image). */
enum cli_list {
	CLI_LIST_GET_ALL,   /* `get all`: sources, images, then helmreleases ... alerts */
	CLI_LIST_STATS,     /* `stats` rows */
	CLI_LIST_UNINSTALL, /* `uninstall` removing finalizers (flux's pkg/uninstall) */
	CLI_LIST_COUNT,
};

/* One Flux kind. */
struct cli_kind {
	/* The API resource; api_version is "<group>/<version>", singular the lower-case kind. */
	const char *kind, *singular, *group, *version, *api_version, *plural;
	bool namespaced;
	/* The words naming it: flux's word after the family word ("git", "kustomization",
	 * "alert-provider", "policy"), a short alias ("ks", "hr") or NULL, the word `flux get`
	 * lists it by when that is not the plural ("alert-providers") or NULL; the plural and
	 * the singular ("gitrepository") are accepted too. */
	const char *word, *alias, *list_word;
	enum cli_family family;
	/* flux's humanKind, in messages: "source git", "alert provider", "image policy". */
	const char *human;
	/* `flux get`: the columns between NAME and READY; where the REVISION column (and the
	 * revision `reconcile` reports) is read; whether the object has no status and counts
	 * as Ready (flux's isStaticObjectReadyConditionFunc: Alert and Provider v1beta3). */
	struct cli_column columns[CLI_MAX_COLUMNS + 1];
	const char *revision_path;
	bool static_ready;
	/* MESSAGE as the condition says it (flux's get for this kind does not shorten hex). */
	bool raw_message;
	/* Only read: flux offers get, export (and tree) for it, no verb that changes it
	 * (reconcile, suspend, resume, delete, create). */
	bool read_only;
	/* flux's fluxKindMap for `events --for`: the field naming what the object refers to,
	 * the kind referred to when that field holds only a name, and whether it may name
	 * another namespace. NULL field: the kind refers to nothing. */
	const char *ref_field, *ref_kind;
	bool ref_cross_namespace;
	/* Where the kind stands in each list flux prints in an order of its own (1 first). */
	unsigned char order[CLI_LIST_COUNT];
	/* `tide create <words> NAME`: argv[0] is the kind's last word. NULL: not creatable. */
	cli_run_fn create;
};

/* The table (see kinds.c for how to add a kind); it holds at most CLI_MAX_KINDS rows, so
 * callers may collect kinds in arrays of that size. */
#define CLI_MAX_KINDS 32
extern const struct cli_kind cli_kinds[];
extern const size_t cli_kind_count;

/* The row of an API kind ("GitRepository", compared case-insensitively), or NULL. */
const struct cli_kind *cli_kind_by_name(const char *kind);

/* Whether word is one of the words naming API kind ("ks" names "Kustomization"). */
bool cli_word_names(const char *word, const char *kind);

/* Fills out[0..cli_kind_count) with every kind in list l's order; returns the count. */
size_t cli_kinds_in_order(const struct cli_kind **out, enum cli_list l);

/* The kube_resource of k without asking discovery (all Flux kinds are served as their
 * CRDs declare them). */
void cli_kind_resource(struct kube_resource *out, const struct cli_kind *k);

/* How a verb takes kind words. */
struct cli_verb_kinds {
	const char *verb;    /* in messages: "delete" */
	const char *example; /* after `tide <verb> ` in "a kind is required, e.g. ...": "kustomization NAME" */
	bool all;            /* "all", "sources all" and "images all" name groups (get) */
	bool bare_sources;   /* source kinds without the word source ("git", "gitrepositories") */
	bool create;         /* only kinds with a create function count (create's own messages) */
	bool writes;         /* the verb changes objects: read-only kinds are not taken */
};

/* What cli_kind_parse found. */
struct cli_kind_arg {
	const struct cli_kind *kind; /* NULL when a group was named ("all", "sources all") */
	enum cli_family group;       /* with kind NULL: CLI_FAMILY_NONE for "all", else the family */
	size_t words;                /* how many of args were kind words (1 or 2) */
};

/* Parses the kind words at args[0..nargs) for verb v. ERR_INVALID with the verb's message
 * when none is given ("<verb>: a kind is required, e.g. `tide <verb> <example>` (see --help)")
 * or a family word lacks its kind ("<verb> source: a source kind is required: git, oci,
 * helm, chart or bucket", "get artifacts: a kind is required: all or generator"); ERR_NOTFOUND ("<verb>: unknown kind \"x\"") for a word that names
 * no kind the verb takes. */
int cli_kind_parse(struct cli_kind_arg *out, const struct cli_verb_kinds *v, const char *const *args,
		   size_t nargs);

/* Whether kind k belongs to group g as cli_kind_arg names groups (CLI_FAMILY_NONE: all). */
bool cli_kind_in_group(const struct cli_kind *k, enum cli_family g);

#endif
