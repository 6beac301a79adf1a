// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: the textbook's claims about processes and threads, judged from
 * the creation, crash and unsync sections (see process_report.h).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "appendf.h"
#include "process_report.h"

/* A process way of creating "holds" when it costs this many threads. */
#define EXPENSIVE_RATIO	1.2

static void creation_claim(const struct creation_result *c, struct textbook_claim *out)
{
	static const char *const ways[] = { "fork + _exit + waitpid", "vfork + exec + waitpid",
					    "posix_spawn + waitpid" };
	static const char *const short_names[] = { "fork", "vfork+exec", "posix_spawn" };
	const struct creation_row *t = creation_find(c, "pthread_create + pthread_join");
	const struct creation_row *big;
	const struct creation_memory *m = &c->mem;
	unsigned int i, agree = 0, tested = 0;

	out->claim = "Creating a process is expensive, a thread much cheaper";
	if (!c->measured || !t || !t->ok) {
		out->verdict = CLAIM_UNTESTED;
		snprintf(out->evidence, sizeof(out->evidence), "needs the creation section");
		return;
	}
	for (i = 0; i < 3; i++) {
		const struct creation_row *p = creation_find(c, ways[i]);

		if (!p || !p->ok)
			continue;
		tested++;
		agree += p->us >= EXPENSIVE_RATIO * t->us;
		appendf(out->evidence, sizeof(out->evidence), "%s %.1f us (%.1fx a thread); ",
			short_names[i], p->us, p->us / t->us);
	}
	appendf(out->evidence, sizeof(out->evidence), "pthread_create+join %.1f us", t->us);
	big = creation_find(c, "fork + _exit + waitpid, parent +32 MiB");
	if (big && big->ok)
		appendf(out->evidence, sizeof(out->evidence),
			"; fork of a parent 32 MiB bigger %.1f us", big->us);
	if (m->child_rss >= 0)
		appendf(out->evidence, sizeof(out->evidence),
			"; memory: parent %ld KiB resident, a forked child %ld KiB resident "
			"(PSS %ld, private %ld, page tables %ld), one more thread +%ld KiB "
			"resident, +%ld KiB page tables",
			m->parent_rss, m->child_rss, m->child_pss, m->child_private, m->child_pte,
			m->thread_rss, m->thread_pte);
	out->verdict = claim_verdict_of(agree, tested);
}

static void crash_claim(const struct crash_result *c, struct textbook_claim *out)
{
	unsigned int i, agree = 0, tested = 0;

	out->claim = "A crashing process leaves its partner running; a crashing thread takes "
		     "its whole process down";
	if (!c->measured) {
		out->verdict = CLAIM_UNTESTED;
		snprintf(out->evidence, sizeof(out->evidence), "needs the crash section");
		return;
	}
	for (i = 0; i < c->nrows; i++) {
		const struct crash_row *r = &c->rows[i];

		if (!r->tested || !r->peer_segv)
			continue;
		tested++;
		agree += r->survived;
		appendf(out->evidence, sizeof(out->evidence), "%s: %s / send %s; ", r->mechanism,
			r->receive, r->send);
	}
	if (c->thread_tested) {
		tested++;
		agree += c->thread_child_signal == SIGSEGV && !c->other_thread_finished;
		appendf(out->evidence, sizeof(out->evidence),
			"a thread's SIGSEGV killed its process (signal %d), the other thread %s",
			c->thread_child_signal,
			c->other_thread_finished ? "finished" : "never finished");
	}
	out->verdict = claim_verdict_of(agree, tested);
}

static void unsync_claim(const struct unsync_result *u, struct textbook_claim *out)
{
	const struct unsync_row *plain = &u->rows[0], *append = &u->rows[1], *sem = &u->rows[2];
	const struct unsync_row *atomic = &u->rows[3];

	out->claim = "Shared memory must be paired with a semaphore or mutex";
	if (!u->measured || u->nrows < 4 || !plain->ok || !append->ok || !sem->ok) {
		out->verdict = CLAIM_UNTESTED;
		snprintf(out->evidence, sizeof(out->evidence), "needs the unsync section");
		return;
	}
	appendf(out->evidence, sizeof(out->evidence),
		"two processes, %ld CPU%s: plain ++ lost %llu of %llu (%llu preemptions); plain "
		"append lost %llu of %llu (%llu preemptions); append under a semaphore lost %llu "
		"of %llu",
		u->cpus, u->cpus == 1 ? "" : "s", (unsigned long long)unsync_lost(plain),
		(unsigned long long)plain->expected, (unsigned long long)plain->preemptions,
		(unsigned long long)unsync_lost(append), (unsigned long long)append->expected,
		(unsigned long long)append->preemptions, (unsigned long long)unsync_lost(sem),
		(unsigned long long)sem->expected);
	if (atomic->ok)
		appendf(out->evidence, sizeof(out->evidence),
			"; an atomic ++ with no lock lost %llu "
			"(%.1f ns each, the locked append %.1f)",
			(unsigned long long)unsync_lost(atomic), atomic->ns_per_add,
			sem->ns_per_add);
	if (unsync_lost(sem))
		out->verdict = CLAIM_CONTRADICTED;
	else if (unsync_lost(plain) || unsync_lost(append))
		out->verdict = CLAIM_HOLDS;
	else {
		/* No race seen is not proof of no race: say so rather than judge. */
		out->verdict = CLAIM_UNTESTED;
		appendf(out->evidence, sizeof(out->evidence),
			"; no lost update seen, so not shown here "
			"(more --scale, or make bench-smp)");
	}
}

unsigned int process_claims(const struct bench_run *run, struct textbook_claim *out)
{
	creation_claim(&run->creation, &out[0]);
	crash_claim(&run->crash, &out[1]);
	unsync_claim(&run->unsync, &out[2]);
	return 3;
}
