/*
 * fl_signals: the normalised vocabulary that rules map raw lines to and
 * that the correlator and the verdict reason about. A rule naming a signal
 * outside this table fails to load. Static data; nothing to free.
 */
#ifndef FL_SIGNALS_H
#define FL_SIGNALS_H

#include <stddef.h>

enum fl_signal_category {
	FL_CAT_POWER,
	FL_CAT_HOST,
	FL_CAT_SECURITY,
	FL_CAT_CONTEXT
};

struct fl_signal_def {
	const char *name;
	enum fl_signal_category category;
	const char *meaning;
};

const struct fl_signal_def *fl_signal_find(const char *name);
const struct fl_signal_def *fl_signal_table(size_t *n);
const char *fl_signal_category_name(enum fl_signal_category cat);

#endif
