/*
 * fl_sandbox: once the options are read, the process gives up writing to
 * the file system anywhere but the files it was asked to write (-o FILE),
 * so that hostile evidence that took control of it could still not write
 * elsewhere. Linux landlock where the kernel has it (configure looks for
 * linux/landlock.h); elsewhere nothing changes. Reading is not restricted.
 *
 * Ownership: nothing is allocated; the restriction lasts for the process
 * and every thread it starts afterwards.
 */
#ifndef FL_SANDBOX_H
#define FL_SANDBOX_H

#include <stddef.h>

#include "fl_util.h"

/* Restricts writes to the n paths given (NULL and "-" entries are
 * skipped; a path that does not exist yet is created empty, so that it can
 * be named). Must be called before any thread is started. Returns 1 when
 * the restriction is in force, 0 when the platform lacks it, a path
 * cannot be opened for writing, or the kernel refused it: the process then
 * carries on as before, and diag gets a note when the kernel refused. */
int fl_sandbox_writes_only(const char *const *paths, size_t n,
    const struct fl_diag *diag);

#endif
