/*
 * The metrics registry (see metrics.h). Families are kept sorted by name, and each
 * family's series sorted by their joined label values, so the exposition text is stable;
 * counts are small (a few series per reconciled object), so sorted arrays with binary
 * search are enough. One mutex guards the whole registry: updates are a few instructions.
 */
#include "runtime/metrics.h"

#include <dirent.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

enum mtype { M_COUNTER, M_GAUGE, M_HISTOGRAM };

struct series {
	char *id;       /* label values joined with \x1f, for ordering and lookup */
	char **values;
	double value;   /* counter, gauge; histogram: sum */
	uint64_t count; /* histogram */
	uint64_t *bucket_counts;
};

struct rt_metric {
	struct rt_metrics *reg;
	char *name, *help;
	enum mtype type;
	char **labels;
	size_t nlabels;
	double *buckets;
	size_t nbuckets;
	struct series *series;
	size_t len, cap;
};

struct collector {
	void (*fn)(void *ud);
	void *ud;
};

struct rt_metrics {
	pthread_mutex_t mu;
	pthread_mutex_t collect_mu; /* held while collectors run, and to change the list */
	struct collector *collectors;
	size_t ncollectors, collectors_cap;
	struct rt_metric **fams;
	size_t len, cap;
	bool process;
	double start_time;
};

struct rt_metrics *rt_metrics_new(void)
{
	struct rt_metrics *m = xcalloc(1, sizeof(*m));
	pthread_mutex_init(&m->mu, NULL);
	pthread_mutex_init(&m->collect_mu, NULL);
	m->process = true;
	struct timeval tv;
	gettimeofday(&tv, NULL);
	m->start_time = (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
	return m;
}

static void free_series(struct rt_metric *f, struct series *s)
{
	for (size_t i = 0; i < f->nlabels; i++)
		free(s->values[i]);
	free(s->values);
	free(s->id);
	free(s->bucket_counts);
}

void rt_metrics_free(struct rt_metrics *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->len; i++) {
		struct rt_metric *f = m->fams[i];
		for (size_t j = 0; j < f->len; j++)
			free_series(f, &f->series[j]);
		free(f->series);
		for (size_t j = 0; j < f->nlabels; j++)
			free(f->labels[j]);
		free(f->labels);
		free(f->buckets);
		free(f->name);
		free(f->help);
		free(f);
	}
	free(m->fams);
	free(m->collectors);
	pthread_mutex_destroy(&m->collect_mu);
	pthread_mutex_destroy(&m->mu);
	free(m);
}

void rt_metrics_add_collector(struct rt_metrics *m, void (*fn)(void *ud), void *ud)
{
	pthread_mutex_lock(&m->collect_mu);
	m->collectors = xgrow(m->collectors, &m->collectors_cap, m->ncollectors + 1,
			      sizeof(*m->collectors));
	m->collectors[m->ncollectors++] = (struct collector){ fn, ud };
	pthread_mutex_unlock(&m->collect_mu);
}

void rt_metrics_remove_collector(struct rt_metrics *m, void *ud)
{
	pthread_mutex_lock(&m->collect_mu);
	for (size_t i = m->ncollectors; i-- > 0;)
		if (m->collectors[i].ud == ud) {
			memmove(m->collectors + i, m->collectors + i + 1,
				(m->ncollectors - i - 1) * sizeof(*m->collectors));
			m->ncollectors--;
		}
	pthread_mutex_unlock(&m->collect_mu);
}

void rt_metrics_process(struct rt_metrics *m, int on)
{
	m->process = on != 0;
}

static struct rt_metric *family(struct rt_metrics *m, const char *name, const char *help,
				enum mtype type, const char *const *labels, const double *buckets,
				size_t nbuckets)
{
	pthread_mutex_lock(&m->mu);
	size_t lo = 0, hi = m->len;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(m->fams[mid]->name, name);
		if (c == 0) {
			struct rt_metric *f = m->fams[mid];
			pthread_mutex_unlock(&m->mu);
			return f;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	struct rt_metric *f = xcalloc(1, sizeof(*f));
	f->reg = m;
	f->name = xstrdup(name);
	f->help = xstrdup(help ? help : "");
	f->type = type;
	while (labels && labels[f->nlabels])
		f->nlabels++;
	f->labels = xcalloc(f->nlabels + 1, sizeof(*f->labels));
	for (size_t i = 0; i < f->nlabels; i++)
		f->labels[i] = xstrdup(labels[i]);
	if (type == M_HISTOGRAM) {
		static const double defaults[] = { .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10 };
		if (!buckets) {
			buckets = defaults;
			nbuckets = sizeof(defaults) / sizeof(defaults[0]);
		}
		f->buckets = xcalloc(nbuckets, sizeof(double));
		memcpy(f->buckets, buckets, nbuckets * sizeof(double));
		f->nbuckets = nbuckets;
	}
	m->fams = xgrow(m->fams, &m->cap, m->len + 1, sizeof(*m->fams));
	memmove(m->fams + lo + 1, m->fams + lo, (m->len - lo) * sizeof(*m->fams));
	m->fams[lo] = f;
	m->len++;
	pthread_mutex_unlock(&m->mu);
	return f;
}

struct rt_metric *rt_metrics_counter(struct rt_metrics *m, const char *name, const char *help,
				     const char *const *labels)
{
	return family(m, name, help, M_COUNTER, labels, NULL, 0);
}

struct rt_metric *rt_metrics_gauge(struct rt_metrics *m, const char *name, const char *help,
				   const char *const *labels)
{
	return family(m, name, help, M_GAUGE, labels, NULL, 0);
}

struct rt_metric *rt_metrics_histogram(struct rt_metrics *m, const char *name, const char *help,
				       const char *const *labels, const double *buckets,
				       size_t nbuckets)
{
	return family(m, name, help, M_HISTOGRAM, labels, buckets, nbuckets);
}

static char *series_id(const struct rt_metric *f, const char *const *values)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < f->nlabels; i++) {
		if (i)
			buf_addch(&b, '\x1f');
		buf_adds(&b, values && values[i] ? values[i] : "");
	}
	return buf_detach(&b, NULL);
}

/* Binary search; *found tells whether index is an exact match. Under the lock. */
static size_t find_series(struct rt_metric *f, const char *id, bool *found)
{
	size_t lo = 0, hi = f->len;
	*found = false;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(f->series[mid].id, id);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct series *get_series(struct rt_metric *f, const char *const *values)
{
	char *id = series_id(f, values);
	bool found;
	size_t i = find_series(f, id, &found);
	if (found) {
		free(id);
		return &f->series[i];
	}
	f->series = xgrow(f->series, &f->cap, f->len + 1, sizeof(*f->series));
	memmove(f->series + i + 1, f->series + i, (f->len - i) * sizeof(*f->series));
	struct series *s = &f->series[i];
	memset(s, 0, sizeof(*s));
	s->id = id;
	s->values = xcalloc(f->nlabels + 1, sizeof(char *));
	for (size_t j = 0; j < f->nlabels; j++)
		s->values[j] = xstrdup(values && values[j] ? values[j] : "");
	if (f->type == M_HISTOGRAM)
		s->bucket_counts = xcalloc(f->nbuckets, sizeof(uint64_t));
	f->len++;
	return s;
}

void rt_metric_add(struct rt_metric *f, const char *const *values, double v)
{
	pthread_mutex_lock(&f->reg->mu);
	get_series(f, values)->value += v;
	pthread_mutex_unlock(&f->reg->mu);
}

void rt_metric_set(struct rt_metric *f, const char *const *values, double v)
{
	pthread_mutex_lock(&f->reg->mu);
	get_series(f, values)->value = v;
	pthread_mutex_unlock(&f->reg->mu);
}

void rt_metric_observe(struct rt_metric *f, const char *const *values, double v)
{
	pthread_mutex_lock(&f->reg->mu);
	struct series *s = get_series(f, values);
	s->value += v;
	s->count++;
	for (size_t i = 0; i < f->nbuckets; i++)
		if (v <= f->buckets[i])
			s->bucket_counts[i]++;
	pthread_mutex_unlock(&f->reg->mu);
}

static void remove_at(struct rt_metric *f, size_t i)
{
	free_series(f, &f->series[i]);
	memmove(f->series + i, f->series + i + 1, (f->len - i - 1) * sizeof(*f->series));
	f->len--;
}

void rt_metric_delete(struct rt_metric *f, const char *const *values)
{
	pthread_mutex_lock(&f->reg->mu);
	char *id = series_id(f, values);
	bool found;
	size_t i = find_series(f, id, &found);
	if (found)
		remove_at(f, i);
	free(id);
	pthread_mutex_unlock(&f->reg->mu);
}

void rt_metric_delete_matching(struct rt_metric *f, const char *label, const char *value)
{
	pthread_mutex_lock(&f->reg->mu);
	size_t li = f->nlabels;
	for (size_t i = 0; i < f->nlabels; i++)
		if (!strcmp(f->labels[i], label))
			li = i;
	if (li < f->nlabels) {
		for (size_t i = f->len; i-- > 0;)
			if (!strcmp(f->series[i].values[li], value))
				remove_at(f, i);
	}
	pthread_mutex_unlock(&f->reg->mu);
}

double rt_metric_value(struct rt_metric *f, const char *const *values)
{
	pthread_mutex_lock(&f->reg->mu);
	char *id = series_id(f, values);
	bool found;
	size_t i = find_series(f, id, &found);
	double v = found ? f->series[i].value : 0;
	free(id);
	pthread_mutex_unlock(&f->reg->mu);
	return v;
}

/* ---- Exposition ---------------------------------------------------------------------*/

/* A number as Prometheus' Go client writes it (strconv 'g' shortest form, +Inf, NaN). */
static void add_number(struct buf *b, double v)
{
	if (isnan(v)) {
		buf_adds(b, "NaN");
		return;
	}
	if (isinf(v)) {
		buf_adds(b, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	if (v == (double)(long long)v && fabs(v) < 1e15) {
		buf_addf(b, "%lld", (long long)v);
		return;
	}
	char tmp[64];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	buf_adds(b, tmp);
}

static void add_escaped(struct buf *b, const char *s, bool quote_too)
{
	for (; *s; s++) {
		if (*s == '\\')
			buf_adds(b, "\\\\");
		else if (*s == '\n')
			buf_adds(b, "\\n");
		else if (*s == '"' && quote_too)
			buf_adds(b, "\\\"");
		else
			buf_addch(b, *s);
	}
}

/* {a="x",b="y"} plus an optional extra label (le for buckets). */
static void add_labels(struct buf *b, const struct rt_metric *f, const struct series *s,
		       const char *extra, const char *extra_val)
{
	if (!f->nlabels && !extra)
		return;
	buf_addch(b, '{');
	for (size_t i = 0; i < f->nlabels; i++) {
		if (i)
			buf_addch(b, ',');
		buf_addf(b, "%s=\"", f->labels[i]);
		add_escaped(b, s->values[i], true);
		buf_addch(b, '"');
	}
	if (extra)
		buf_addf(b, "%s%s=\"%s\"", f->nlabels ? "," : "", extra, extra_val);
	buf_addch(b, '}');
}

static void write_family(struct buf *b, const struct rt_metric *f)
{
	static const char *const types[] = { "counter", "gauge", "histogram" };
	buf_addf(b, "# HELP %s ", f->name);
	add_escaped(b, f->help, false);
	buf_addf(b, "\n# TYPE %s %s\n", f->name, types[f->type]);
	for (size_t i = 0; i < f->len; i++) {
		const struct series *s = &f->series[i];
		if (f->type != M_HISTOGRAM) {
			buf_adds(b, f->name);
			add_labels(b, f, s, NULL, NULL);
			buf_addch(b, ' ');
			add_number(b, s->value);
			buf_addch(b, '\n');
			continue;
		}
		for (size_t j = 0; j < f->nbuckets; j++) {
			struct buf le = BUF_INIT;
			add_number(&le, f->buckets[j]);
			buf_addf(b, "%s_bucket", f->name);
			add_labels(b, f, s, "le", le.ptr);
			buf_addf(b, " %llu\n", (unsigned long long)s->bucket_counts[j]);
			buf_release(&le);
		}
		buf_addf(b, "%s_bucket", f->name);
		add_labels(b, f, s, "le", "+Inf");
		buf_addf(b, " %llu\n%s_sum", (unsigned long long)s->count, f->name);
		add_labels(b, f, s, NULL, NULL);
		buf_addch(b, ' ');
		add_number(b, s->value);
		buf_addf(b, "\n%s_count", f->name);
		add_labels(b, f, s, NULL, NULL);
		buf_addf(b, " %llu\n", (unsigned long long)s->count);
	}
}

static long count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	long n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the directory's own descriptor */
}

/* process_* as Prometheus' process collector names them. */
static void write_process(struct buf *b, double start_time)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		     (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
			pages = rss = 0;
		fclose(f);
	}
	long psz = sysconf(_SC_PAGESIZE);
	struct rlimit rl;
	double maxfds = getrlimit(RLIMIT_NOFILE, &rl) == 0 ? (double)rl.rlim_cur : 0;
	buf_adds(b, "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n"
		    "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total ");
	add_number(b, cpu);
	buf_addf(b, "\n# HELP process_max_fds Maximum number of open file descriptors.\n"
		    "# TYPE process_max_fds gauge\nprocess_max_fds ");
	add_number(b, maxfds);
	buf_addf(b, "\n# HELP process_open_fds Number of open file descriptors.\n"
		    "# TYPE process_open_fds gauge\nprocess_open_fds %ld\n", count_fds());
	buf_addf(b, "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
		    "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes %ld\n",
		 rss * psz);
	buf_adds(b, "# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.\n"
		    "# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds ");
	add_number(b, start_time);
	buf_addf(b, "\n# HELP process_virtual_memory_bytes Virtual memory size in bytes.\n"
		    "# TYPE process_virtual_memory_bytes gauge\nprocess_virtual_memory_bytes %ld\n",
		 pages * psz);
}

void rt_metrics_write(struct rt_metrics *m, struct buf *out)
{
	pthread_mutex_lock(&m->collect_mu);
	for (size_t i = 0; i < m->ncollectors; i++)
		m->collectors[i].fn(m->collectors[i].ud);
	pthread_mutex_unlock(&m->collect_mu);
	pthread_mutex_lock(&m->mu);
	bool process_done = !m->process;
	for (size_t i = 0; i < m->len; i++) {
		if (!process_done && strcmp(m->fams[i]->name, "process_") > 0) {
			write_process(out, m->start_time);
			process_done = true;
		}
		write_family(out, m->fams[i]);
	}
	if (!process_done)
		write_process(out, m->start_time);
	pthread_mutex_unlock(&m->mu);
}
