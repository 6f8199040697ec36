/* SPDX-License-Identifier: MIT */
/* netbench: command line. Everything else lives in run.c and what it builds. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/conf.h"
#include "src/devices.h"
#include "src/run.h"
#include "src/scenario.h"

#ifndef NB_VERSION
#define NB_VERSION "unknown"
#endif

enum { OPT_JSON = 256, OPT_CHECK, OPT_LIST_DEVICES, OPT_REPORT, OPT_JUNIT, OPT_PLOT,
       OPT_REPORT_DIR, OPT_REPRODUCIBLE };

static const struct option long_opts[] = {
	{ "sim", required_argument, NULL, 's' },
	{ "duration", required_argument, NULL, 'd' },
	{ "control", required_argument, NULL, 'c' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "quiet", no_argument, NULL, 'q' },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "junit", required_argument, NULL, OPT_JUNIT },
	{ "plot", required_argument, NULL, OPT_PLOT },
	{ "report-dir", required_argument, NULL, OPT_REPORT_DIR },
	{ "reproducible", no_argument, NULL, OPT_REPRODUCIBLE },
	{ "verbose", no_argument, NULL, 'v' },
	{ "list-devices", no_argument, NULL, OPT_LIST_DEVICES },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fputs("Usage: netbench --sim FILE.yml [OPTION]...\n"
	      "Run a scenario: real embedded Ethernet driver code against a register-level chip\n"
	      "model, joined through one stack wrapper to TAP interfaces or pcap files.\n"
	      "\n"
	      "Options:\n"
	      "  -s, --sim FILE        the scenario to run (YAML; README.md, \"Scenario files\")\n"
	      "  -d, --duration TIME   run for TIME (10s, 1.5s, 250ms, ...) whatever the file says\n"
	      "  -c, --control PATH    accept line commands on a Unix socket at PATH while running:\n"
	      "                        status (one JSON line), link down, link up, promisc on|off,\n"
	      "                        impair {to_device: {loss: 2%}} (as a timeline entry),\n"
	      "                        stop, help\n"
	      "      --json            print the final report as one JSON object on stdout\n"
	      "  -q, --quiet           print no report; the exit code tells the outcome\n"
	      "                        (a live status line is shown on stderr when it is a\n"
	      "                        terminal, unless --quiet or --json)\n"
	      "      --check           check the scenario file and exit without running it\n"
	      "      --report FILE     write the JSON report with every check to FILE (also when\n"
	      "                        the run fails or is interrupted)\n"
	      "      --junit FILE      write the checks as JUnit XML (one testcase each)\n"
	      "      --plot FILE       write throughput and latency over simulated time as SVG\n"
	      "      --report-dir DIR  all three: DIR/report.json, DIR/junit.xml, DIR/plot.svg\n"
	      "      --reproducible    leave the wall-clock section (\"wall\") out of JSON output:\n"
	      "                        the same scenario and seed then give identical bytes\n"
	      "  -v, --verbose         more driver and model log on stderr: -v info, -vv debug\n"
	      "                        (default: warnings and errors)\n"
	      "      --list-devices    list the device types a scenario can use\n"
	      "  -h, --help            show this help\n"
	      "  -V, --version         show the version\n"
	      "\n"
	      "Time: virtual (as fast as possible, deterministic) unless a TAP is attached, then\n"
	      "real time. Without a duration a run ends 1 s after its pcap sources are finished,\n"
	      "or, with a TAP and no pcap source, when stopped (SIGINT, SIGTERM, \"stop\").\n"
	      "\n"
	      "Exit status:\n"
	      "  0  the run completed and every check passed (also: an open-ended run that was\n"
	      "     stopped by SIGINT/SIGTERM or the control socket)\n"
	      "  1  the run failed: runtime error, failed expectation or assertion, chip-model\n"
	      "     violation, or a run that did not finish by its timeout\n"
	      "  2  usage error or invalid scenario file (reported as file:line:column: ...)\n"
	      "  130  a run with a defined end interrupted by SIGINT or SIGTERM before it\n",
	      f);
}

static int usage_error(const char *fmt, const char *arg)
{
	fputs("netbench: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'netbench --help'.\n", stderr);
	return NB_EXIT_USAGE;
}

/* --report-dir: the directory is made if missing (one level, like mkdir). */
static int report_dir(struct nb_run_opts *o, const char *dir, char *paths[3])
{
	static const char *const names[3] = { "report.json", "junit.xml", "plot.svg" };

	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		fprintf(stderr, "netbench: --report-dir: cannot create '%s': %s\n", dir,
			strerror(errno));
		return -1;
	}
	for (int i = 0; i < 3; i++) {
		if (asprintf(&paths[i], "%s/%s", dir, names[i]) < 0) {
			paths[i] = NULL;
			fputs("netbench: out of memory\n", stderr);
			return -1;
		}
	}
	o->report_path = paths[0];
	o->junit_path = paths[1];
	o->plot_path = paths[2];
	return 0;
}

int main(int argc, char **argv)
{
	char *dir_paths[3] = { NULL, NULL, NULL };
	const char *dir = NULL;
	struct nb_run_opts opts = { .level = NB_LOG_WARN };
	const char *sim = NULL, *duration = NULL;
	bool check_only = false;
	uint64_t duration_ns = 0;
	struct nb_scenario *scn;
	int opt, ret;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":s:d:c:qvhV", long_opts, NULL)) != -1) {
		switch (opt) {
		case 's': sim = optarg; break;
		case 'd': duration = optarg; break;
		case 'c': opts.control_path = optarg; break;
		case 'q': opts.quiet = true; break;
		case OPT_JSON: opts.json = true; break;
		case OPT_CHECK: check_only = true; break;
		case OPT_REPORT: opts.report_path = optarg; break;
		case OPT_JUNIT: opts.junit_path = optarg; break;
		case OPT_PLOT: opts.plot_path = optarg; break;
		case OPT_REPORT_DIR: dir = optarg; break;
		case OPT_REPRODUCIBLE: opts.reproducible = true; break;
		case 'v':
			if (opts.level < NB_LOG_DEBUG)
				opts.level++;
			break;
		case OPT_LIST_DEVICES:
			for (int i = 0; nb_device_types[i]; i++)
				printf("%-10s %s\n", nb_device_types[i]->name,
				       nb_device_types[i]->summary);
			return NB_EXIT_OK;
		case 'h': usage(stdout); return NB_EXIT_OK;
		case 'V': printf("netbench %s\n", NB_VERSION); return NB_EXIT_OK;
		case ':':
			return usage_error("option '%s' needs an argument", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (!sim)
		return usage_error("%s", "no scenario given: use --sim FILE.yml");

	if (duration && (nb_parse_duration(duration, &duration_ns) < 0 || duration_ns == 0))
		return usage_error("--duration: expected a duration above 0 such as 10s or 500ms, "
				   "got '%s'", duration);

	scn = calloc(1, sizeof(*scn));
	if (!scn) {
		fputs("netbench: out of memory\n", stderr);
		return NB_EXIT_FAILED;
	}
	ret = nb_scenario_load(scn, sim, duration ? &duration_ns : NULL);
	if (ret < 0) {
		fprintf(stderr, "%s\n", scn->conf.err);
		nb_scenario_free(scn);
		free(scn);
		return NB_EXIT_USAGE;
	}
	if (check_only) {
		printf("%s: ok\n", sim);
		ret = NB_EXIT_OK;
	} else if (dir && report_dir(&opts, dir, dir_paths) < 0) {
		ret = NB_EXIT_USAGE;
	} else {
		opts.status_line = !opts.quiet && !opts.json && isatty(STDERR_FILENO);
		ret = nb_run_scenario(scn, &opts);
	}
	for (int i = 0; i < 3; i++)
		free(dir_paths[i]);
	nb_scenario_free(scn);
	free(scn);
	return ret;
}
