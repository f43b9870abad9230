#include "config.h"

#include <stdio.h>

#include "fl_commands.h"

int
fl_cmd_sources(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("faultline: sources: not built yet\n", stderr);
	return 2;
}
