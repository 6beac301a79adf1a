// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: plots. The data go to *.dat files and the drawing to one
 * gnuplot script, plots.gp, that makes every plot as PNG and as SVG; the
 * script runs where gnuplot is (the test VM has none: `make bench` runs it
 * on the host once the results are back). Plots: round-trip latency per
 * mechanism (bars: mean, p50, p99), round-trip mean against message size, and
 * one-way throughput (MB/s and msgs/s) against message size, log axes with
 * the sizes in binary units; kipc's series drawn thick, the stock ones thin.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cases.h"
#include "report.h"
#include "report_file.h"

/* One row per mechanism measured at the headline size. */
static int latency_dat(const char *dir, const struct bench_run *run, unsigned int *nbars)
{
	size_t size = run_headline_size(run), i;
	FILE *f = report_open(dir, "latency.dat");

	if (!f)
		return -1;
	fprintf(f, "# round trip, %zu B: mechanism mean_us p50_us p99_us\n", size);
	for (i = 0; i < run->nmechs; i++) {
		const struct bench_result *r =
			run_find(run, run->mechs[i], RESULT_LATENCY, size, 1);

		if (r && r->status == RESULT_OK) {
			fprintf(f, "\"%s\" %.3f %.3f %.3f\n", r->mech->title, r->mean_ns / 1e3,
				r->p50_ns / 1e3, r->p99_ns / 1e3);
			(*nbars)++;
		}
	}
	return report_close(f);
}

/*
 * One block per mechanism with at least one measured size (gnuplot
 * "index"); returns the mechanisms of the blocks through @blocks.
 */
static int by_size_dat(const char *dir, const char *name, const struct bench_run *run,
		       enum result_section section, const struct bench_mech **blocks,
		       unsigned int *nblocks)
{
	const struct bench_options *o = run->opts;
	FILE *f = report_open(dir, name);
	unsigned int j;
	size_t i;

	if (!f)
		return -1;
	*nblocks = 0;
	for (i = 0; i < run->nmechs; i++) {
		bool any = false;

		for (j = 0; j < o->nsizes; j++) {
			const struct bench_result *r =
				run_find(run, run->mechs[i], section, o->sizes[j], 1);

			if (!r || r->status != RESULT_OK)
				continue;
			if (!any)
				fprintf(f, "%s# %s\n", *nblocks ? "\n\n" : "", run->mechs[i]->title);
			any = true;
			if (section == RESULT_LATENCY)
				fprintf(f, "%zu %.3f\n", r->msg_size, r->mean_ns / 1e3);
			else
				fprintf(f, "%zu %.6g %.6g\n", r->msg_size, r->mb_per_s, r->msgs_per_s);
		}
		if (any)
			blocks[(*nblocks)++] = run->mechs[i];
	}
	return report_close(f);
}

/* Twenty distinguishable colours; past ten lines the dash pattern changes too. */
static const char *const colors[] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
	"#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39",
	"#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363",
};

/*
 * kipc's own series stand out: thick, solid, in strong colours of their
 * own; the stock mechanisms, the field it is compared with, in thin lines.
 */
static const char *const kipc_colors[] = { "#d62728", "#ff7f0e", "#9467bd", "#e31a1c" };

static bool is_kipc(const struct bench_mech *m)
{
	return bench_mech_is_kipc(m);
}

static void plot_lines(FILE *f, const char *file, const struct bench_mech **blocks,
		       unsigned int n, int column)
{
	unsigned int i, stock = 0, kipc = 0, ncolors = sizeof(colors) / sizeof(colors[0]);

	fprintf(f, "plot ");
	for (i = 0; i < n; i++) {
		const char *color;
		double lw;
		unsigned int dt;

		if (is_kipc(blocks[i])) {
			color = kipc_colors[kipc++ % 4];
			lw = 4;
			dt = 1;
		} else {
			/* The stock palette without the reds and oranges kipc wears. */
			do
				color = colors[stock++ % ncolors];
			while (!strcmp(color, "#d62728") || !strcmp(color, "#ff7f0e") ||
			       !strcmp(color, "#e6550d"));
			lw = 1.2;
			dt = stock <= 10 ? 1 : 2;
		}
		fprintf(f, "%s'%s' index %u using 1:%d with linespoints lw %.1f pt %u ps %.1f "
			   "lc rgb '%s' dt %u title \"%s\"",
			i ? ", \\\n     " : "", file, i, column, lw, i % 13 + 1,
			is_kipc(blocks[i]) ? 1.5 : 0.8, color, dt, blocks[i]->title);
	}
	fprintf(f, "\n");
}

/* Size ticks at the measured sizes, named in binary units: 8 B, 1 KiB, 1 MiB. */
static void size_tics(FILE *f, const struct bench_run *run)
{
	const struct bench_options *o = run->opts;
	unsigned int j;
	char label[32];

	fprintf(f, "set logscale x 2\nset xtics (");
	for (j = 0; j < o->nsizes; j++)
		fprintf(f, "%s\"%s\" %zu", j ? ", " : "",
			format_size(o->sizes[j], label, sizeof(label)), o->sizes[j]);
	fprintf(f, ")\n");
}

static void latency_bars(FILE *f, const struct bench_run *run, const char *ext,
			 const char *where)
{
	fprintf(f, "reset\nset encoding utf8\nset grid ytics\n"
		   "set style data histograms\nset style histogram clustered gap 1\n"
		   "set style fill solid 0.85 border -1\nset boxwidth 0.9\n"
		   "set xtics rotate by -40 scale 0 noenhanced\nset key top left noenhanced\n"
		   "set yrange [0:*]\nset ylabel 'microseconds per round trip'\n");
	fprintf(f, "set title \"Round-trip latency, %zu B, %s (%s)\" noenhanced\n",
		run_headline_size(run), run->opts->threads ? "threads" : "processes", where);
	fprintf(f, "set output 'latency.%s'\n", ext);
	fprintf(f, "plot 'latency.dat' using 2:xticlabels(1) title 'mean', "
		   "'' using 3 title 'p50', '' using 4 title 'p99'\n");
}

static void script_for(FILE *f, const struct bench_run *run, const char *terminal,
		       const char *ext, unsigned int nbars,
		       const struct bench_mech **lat_titles, unsigned int nlat,
		       const struct bench_mech **thr_titles, unsigned int nthr)
{
	const struct bench_env *e = &run->env;
	char where[160];

	snprintf(where, sizeof(where), "%s, %s%s%s, %d vCPU", e->kernel, e->where,
		 strcmp(e->where, "vm") ? "" : " ", strcmp(e->where, "vm") ? "" : e->clock,
		 e->vcpus);
	fprintf(f, "\n# ---- %s ----\nset terminal %s\n", ext, terminal);
	/* No round trip measured (--only throughput): gnuplot fails on an empty file. */
	if (nbars)
		latency_bars(f, run, ext, where);

	fprintf(f, "reset\nset grid\nset logscale xy\nset key outside right noenhanced\n"
		   "set offsets graph 0.02, graph 0.02, graph 0.05, graph 0.02\n"
		   "set xlabel 'message size'\n");
	size_tics(f, run);
	if (nlat) {
		fprintf(f, "set title \"Round-trip latency (mean) against message size (%s)\" "
			   "noenhanced\nset ylabel 'microseconds'\nset output 'latency-size.%s'\n",
			where, ext);
		plot_lines(f, "latency-size.dat", lat_titles, nlat, 2);
	}
	if (nthr) {
		fprintf(f, "set title \"One-way throughput against message size (%s)%s\" "
			   "noenhanced\nset ylabel 'MB/s'\nset output 'throughput.%s'\n", where,
			strcmp(e->clock, "icount") ? "" :
			"\\nicount: bulk figures distorted, see the memcpy costs", ext);
		plot_lines(f, "throughput.dat", thr_titles, nthr, 2);
		fprintf(f, "set title \"One-way messages per second against message size (%s)\" "
			   "noenhanced\nset ylabel 'messages/s'\nset output 'throughput-msgs.%s'\n",
			where, ext);
		plot_lines(f, "throughput.dat", thr_titles, nthr, 3);
	}
	report_growth_plot(f, run->growth, where, ext);
	fprintf(f, "unset output\n");
}

static int run_gnuplot_in(const char *dir)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		if (chdir(dir))
			_exit(126);
		execlp("gnuplot", "gnuplot", "plots.gp", (char *)NULL);
		_exit(errno == ENOENT ? 127 : 126);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		fprintf(stderr, "kipc-bench: gnuplot not installed: run 'gnuplot plots.gp' in %s\n",
			dir);
		return 0;
	}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int report_plots(const char *dir, const struct bench_run *run, bool run_gnuplot)
{
	const struct bench_mech *lat_titles[64], *thr_titles[64];
	unsigned int nbars = 0, nlat = 0, nthr = 0;
	FILE *f;

	if (run->nmechs > 64)
		return -1;
	if (latency_dat(dir, run, &nbars) ||
	    by_size_dat(dir, "latency-size.dat", run, RESULT_LATENCY, lat_titles, &nlat) ||
	    by_size_dat(dir, "throughput.dat", run, RESULT_THROUGHPUT, thr_titles, &nthr) ||
	    report_growth_dat(dir, run->growth))
		return -1;
	f = report_open(dir, "plots.gp");
	if (!f)
		return -1;
	fprintf(f, "# kipc-bench plots: run 'gnuplot plots.gp' in this directory.\n");
	script_for(f, run, "pngcairo size 1280,720 font ',10'", "png", nbars, lat_titles, nlat,
		   thr_titles, nthr);
	script_for(f, run, "svg size 1280,720 dynamic font ',10'", "svg", nbars, lat_titles, nlat,
		   thr_titles, nthr);
	if (report_close(f))
		return -1;
	return run_gnuplot ? run_gnuplot_in(dir) : 0;
}
