#include "config.h"

#include "fl_signals.h"

#include <string.h>

static const struct fl_signal_def signals[] = {
	/* power devices */
	{"utility_lost", FL_CAT_POWER, "mains/utility power lost at a UPS or feed"},
	{"on_battery", FL_CAT_POWER, "a UPS is running on battery"},
	{"battery_low", FL_CAT_POWER, "UPS battery low or runtime limit reached"},
	{"battery_exhausted", FL_CAT_POWER, "UPS battery exhausted; load drops"},
	{"ups_fault", FL_CAT_POWER, "UPS hardware fault: battery failure, overload, bypass"},
	{"ups_output_off", FL_CAT_POWER, "UPS output switched off"},
	{"ups_selftest", FL_CAT_POWER, "UPS self-test (benign)"},
	{"utility_restored", FL_CAT_POWER, "mains power back at a UPS or feed"},
	{"ups_commanded_shutdown", FL_CAT_POWER, "a UPS daemon orders the host to shut down"},
	{"ups_comm_lost", FL_CAT_POWER, "communication with the UPS lost"},
	{"pdu_input_lost", FL_CAT_POWER, "a PDU lost its input feed"},
	{"breaker_trip", FL_CAT_POWER, "a circuit breaker tripped"},
	{"outlet_off", FL_CAT_POWER, "a PDU outlet was switched off"},
	{"outlet_on", FL_CAT_POWER, "a PDU outlet was switched on"},
	{"epo", FL_CAT_POWER, "emergency power off"},
	{"generator_start", FL_CAT_POWER, "generator started"},
	{"generator_stop", FL_CAT_POWER, "generator stopped"},
	{"generator_fail", FL_CAT_POWER, "generator failed to start or run"},
	{"ats_transfer", FL_CAT_POWER, "automatic transfer switch changed source"},
	{"psu_ac_lost", FL_CAT_POWER, "a server power supply lost AC input (BMC/agent)"},
	{"psu_ac_restored", FL_CAT_POWER, "a server power supply has AC input again (BMC)"},
	{"psu_redundancy_lost", FL_CAT_POWER, "a server lost power-supply redundancy"},
	{"bmc_power_off", FL_CAT_POWER, "the BMC recorded a power-off or soft-off"},
	{"bmc_power_on", FL_CAT_POWER, "the BMC recorded a power-on / boot initiated"},
	/* host life */
	{"boot", FL_CAT_HOST, "the host booted (kernel banner, journal boot)"},
	{"shutdown_begin", FL_CAT_HOST, "an orderly shutdown started"},
	{"shutdown_end", FL_CAT_HOST, "an orderly shutdown reached its end"},
	{"shutdown_request", FL_CAT_HOST, "someone or something asked for a shutdown"},
	{"logger_start", FL_CAT_HOST, "the system logger started"},
	{"logger_stop", FL_CAT_HOST, "the system logger stopped"},
	{"unclean_recovery", FL_CAT_HOST, "recovery after an unclean stop (journal, ext4, xfs, fsck)"},
	{"service_up", FL_CAT_HOST, "a service started"},
	{"service_down", FL_CAT_HOST, "a service stopped"},
	{"service_failed", FL_CAT_HOST, "a service failed"},
	{"clock_step", FL_CAT_HOST, "the clock was stepped (NTP/chrony)"},
	{"kernel_panic", FL_CAT_HOST, "kernel panic, lockup or crash"},
	{"hw_error", FL_CAT_HOST, "hardware error (MCE, ECC, disk)"},
	/* security */
	{"auth_fail", FL_CAT_SECURITY, "failed authentication"},
	{"auth_invalid_user", FL_CAT_SECURITY, "login attempt for an unknown user"},
	{"auth_success", FL_CAT_SECURITY, "successful login"},
	{"scan_noise", FL_CAT_SECURITY, "pre-auth connection noise from scanners"},
	{"priv_escalation", FL_CAT_SECURITY, "root privileges gained (sudo, su)"},
	{"account_change", FL_CAT_SECURITY, "user or group created, changed or deleted"},
	{"persistence", FL_CAT_SECURITY, "crontab or startup changes"},
	{"firewall_change", FL_CAT_SECURITY, "firewall flushed or stopped"},
	{"remote_power_command", FL_CAT_SECURITY, "a power command issued by a person or script"},
	{"destructive_command", FL_CAT_SECURITY, "a command that destroys data"},
	{"log_tamper", FL_CAT_SECURITY, "logs deleted, truncated or logging disabled"},
	{"audit_stop", FL_CAT_SECURITY, "audit daemon stopped or audit rules removed"},
	{"history_clear", FL_CAT_SECURITY, "shell history cleared"},
	{"malware_indicator", FL_CAT_SECURITY, "ransomware, miner or exploit indicator"},
	{"physical_access", FL_CAT_SECURITY, "badge/door access or a button pressed at the machine"},
	{"chassis_intrusion", FL_CAT_SECURITY, "chassis opened"},
	{"bmc_auth_fail", FL_CAT_SECURITY, "out-of-band (BMC) password violation"},
	{"bmc_login", FL_CAT_SECURITY, "a BMC/management-interface login"},
	/* correlations */
	{"brute_force", FL_CAT_SECURITY, "many failed logins from one source"},
	{"brute_force_success", FL_CAT_SECURITY, "a brute-forcing source then logged in"},
	{"lateral_movement", FL_CAT_SECURITY, "one source or user reaching many hosts"},
	{"escalation_after_login", FL_CAT_SECURITY, "privilege escalation right after a login"},
	{"battery_unrestored", FL_CAT_POWER, "on battery with no restore before the end"},
	{"shutdown_incomplete", FL_CAT_HOST, "shutdown begun but never finished"},
	/* context */
	{"segfault", FL_CAT_CONTEXT, "a process crashed (segfault)"},
	{"admin_login", FL_CAT_CONTEXT, "routine administrator session"},
};

const struct fl_signal_def *
fl_signal_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof signals / sizeof signals[0]; i++)
		if (strcmp(signals[i].name, name) == 0)
			return &signals[i];
	return NULL;
}

const struct fl_signal_def *
fl_signal_table(size_t *n)
{
	*n = sizeof signals / sizeof signals[0];
	return signals;
}

const char *
fl_signal_category_name(enum fl_signal_category cat)
{
	switch (cat) {
	case FL_CAT_POWER: return "power";
	case FL_CAT_HOST: return "host";
	case FL_CAT_SECURITY: return "security";
	case FL_CAT_CONTEXT: return "context";
	}
	return "?";
}
