#include "config.h"

#include <stdio.h>

#include "fl_commands.h"

int
fl_cmd_rules(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("faultline: rules: not built yet\n", stderr);
	return 2;
}
