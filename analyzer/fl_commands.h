/*
 * The subcommands. Each takes the arguments after its name (argv[0] is the
 * subcommand) and returns the process exit status; only main() exits.
 */
#ifndef FL_COMMANDS_H
#define FL_COMMANDS_H

int fl_cmd_sources(int argc, char **argv);
int fl_cmd_timeline(int argc, char **argv);
int fl_cmd_analyze(int argc, char **argv);
int fl_cmd_rules(int argc, char **argv);
int fl_cmd_scan(int argc, char **argv);

#endif
