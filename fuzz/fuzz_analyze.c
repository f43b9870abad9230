/*
 * Fuzz target: the analysis end to end. The bytes become an evidence file
 * (a memfd reached by its /proc path) and `faultline analyze` runs on it in
 * this process, in one of its four output formats (picked by the input's
 * size so that the bytes stay evidence), writing to /dev/null: lanes,
 * outages, clock skew, hypotheses and every report view see what the
 * scanner made of hostile bytes. The command must return one of its exit
 * statuses.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fl_commands.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const formats[] = { "json", "text", "html",
	    "markdown" };
	char path[64], *argv[12];
	int fd, argc = 0, r;

	fd = memfd_create("evidence", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (size > 0 && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	argv[argc++] = (char *)"analyze";
	argv[argc++] = (char *)"-q";
	argv[argc++] = (char *)"-j";
	argv[argc++] = (char *)"1";
	argv[argc++] = (char *)"--tz";
	argv[argc++] = (char *)"Europe/Paris";
	argv[argc++] = (char *)"-f";
	argv[argc++] = (char *)formats[size % 4];
	argv[argc++] = (char *)"-o";
	argv[argc++] = (char *)"/dev/null";
	argv[argc++] = path;
	argv[argc] = NULL;
	r = fl_cmd_analyze(argc, argv);
	if (r < 0 || r > 4)
		abort();
	close(fd);
	return 0;
}
