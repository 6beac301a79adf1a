// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libkipc-mq: mq_notify. The kernel keeps the registration (one per queue,
 * owned by the process, KIPC_IOC_NOTIFY) and, when it fires, puts a record
 * on this process's notification channel. A module cannot raise a
 * process-directed signal with a siginfo of its own choosing, so one thread
 * per process reads the channel and does what the sigevent asks:
 * rt_sigqueueinfo() to the process for SIGEV_SIGNAL, a new detached thread
 * for SIGEV_THREAD, as glibc's helper thread does for Linux's netlink
 * notifications. The thread starts at the first such registration, with
 * every signal blocked so that no process-directed signal lands on it; a
 * forked child starts its own when it registers.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mq_internal.h"

typedef int (*kmq_notify_fn)(mqd_t, const struct sigevent *);

/* A registration this process made with KIPC_NOTIFY_CHANNEL. */
struct kmq_reg {
	struct kmq_reg *next;
	uint64_t cookie;
	uint32_t queue_id;
	int notify;			/* SIGEV_SIGNAL or SIGEV_THREAD */
	int signo;
	union sigval value;
	void (*function)(union sigval);
	pthread_attr_t attr;		/* SIGEV_THREAD: the thread's */
};

static pthread_mutex_t kmq_notify_lock = PTHREAD_MUTEX_INITIALIZER;
/* All below under kmq_notify_lock. */
static struct kmq_reg *kmq_regs;
static uint64_t kmq_next_cookie = 1;
static int kmq_channel = -1;

static void kmq_reg_free(struct kmq_reg *r)
{
	if (r->notify == SIGEV_THREAD)
		pthread_attr_destroy(&r->attr);
	free(r);
}

/* Unlink and return the registration @match picks; the lock is held. */
static struct kmq_reg *kmq_reg_take(int (*match)(const struct kmq_reg *, uint64_t),
				    uint64_t key)
{
	struct kmq_reg **pp, *r;

	for (pp = &kmq_regs; (r = *pp); pp = &r->next) {
		if (match(r, key)) {
			*pp = r->next;
			return r;
		}
	}
	return NULL;
}

static int kmq_by_cookie(const struct kmq_reg *r, uint64_t cookie)
{
	return r->cookie == cookie;
}

static int kmq_by_queue(const struct kmq_reg *r, uint64_t id)
{
	return r->queue_id == id;
}

static void kmq_forget_queue(uint32_t id)
{
	struct kmq_reg *r;

	pthread_mutex_lock(&kmq_notify_lock);
	while ((r = kmq_reg_take(kmq_by_queue, id)))
		kmq_reg_free(r);
	pthread_mutex_unlock(&kmq_notify_lock);
}

void kmq_notify_forget_fd(int fd)
{
	struct kipc_stats st;
	int saved = errno, any;

	pthread_mutex_lock(&kmq_notify_lock);
	any = kmq_regs != NULL;
	pthread_mutex_unlock(&kmq_notify_lock);
	if (any && !kmq_stats(fd, &st))
		kmq_forget_queue(st.id);
	errno = saved;
}

/* What a SIGEV_THREAD thread needs, apart from its registration. */
struct kmq_call {
	void (*function)(union sigval);
	union sigval value;
};

static void *kmq_notify_call(void *arg)
{
	struct kmq_call c = *(struct kmq_call *)arg;

	free(arg);
	c.function(c.value);
	return NULL;
}

static void kmq_fire(const struct kipc_notification *rec)
{
	struct kmq_call *c;
	struct kmq_reg *r;
	pthread_t t;
	siginfo_t si;

	pthread_mutex_lock(&kmq_notify_lock);
	r = kmq_reg_take(kmq_by_cookie, rec->cookie);
	pthread_mutex_unlock(&kmq_notify_lock);
	if (!r)
		return;		/* removed while its record was on its way */
	if (r->notify == SIGEV_SIGNAL) {
		si = (siginfo_t){
			.si_signo = r->signo,
			.si_code = SI_MESGQ,
		};
		si.si_value = r->value;
		si.si_pid = rec->pid;
		si.si_uid = rec->uid;
		/* To one's own process, any si_code is allowed. */
		syscall(SYS_rt_sigqueueinfo, getpid(), r->signo, &si);
		kmq_reg_free(r);
		return;
	}
	/* glibc too drops the notification when no thread can be had. */
	c = malloc(sizeof(*c));
	if (c) {
		c->function = r->function;
		c->value = r->value;
		if (pthread_create(&t, &r->attr, kmq_notify_call, c))
			free(c);
	}
	kmq_reg_free(r);
}

static void *kmq_notify_thread(void *arg)
{
	struct kipc_notification recs[16];
	int fd = (int)(intptr_t)arg;
	ssize_t n, i;

	for (;;) {
		n = read(fd, recs, sizeof(recs));
		if (n < 0 && errno == EINTR)
			continue;
		/* A forked child closed its copy: that thread is not here. */
		if (n <= 0)
			return NULL;
		for (i = 0; i < n / (ssize_t)sizeof(recs[0]); i++)
			kmq_fire(&recs[i]);
	}
}

/*
 * The child has no notification thread, and its registrations are not
 * its own (the kernel's owner is the parent): it starts afresh, and closes
 * the channel it shares with the parent so it never reads the parent's
 * records.
 */
static void kmq_atfork_prepare(void)
{
	pthread_mutex_lock(&kmq_notify_lock);
}

static void kmq_atfork_parent(void)
{
	pthread_mutex_unlock(&kmq_notify_lock);
}

static void kmq_atfork_child(void)
{
	struct kmq_reg *r;

	pthread_mutex_init(&kmq_notify_lock, NULL);
	while ((r = kmq_regs)) {
		kmq_regs = r->next;
		kmq_reg_free(r);
	}
	if (kmq_channel >= 0)
		close(kmq_channel);
	kmq_channel = -1;
}

static pthread_once_t kmq_atfork_once = PTHREAD_ONCE_INIT;
static int kmq_atfork_err;

static void kmq_atfork_register(void)
{
	kmq_atfork_err = pthread_atfork(kmq_atfork_prepare, kmq_atfork_parent,
					kmq_atfork_child);
}

/* The channel, and the thread that reads it; the lock is held. */
static int kmq_channel_get(void)
{
	struct kipc_channel_open co = { .size = sizeof(co) };
	sigset_t all, old;
	pthread_attr_t a;
	pthread_t t;
	int fd, absent, err;

	if (kmq_channel >= 0)
		return kmq_channel;
	pthread_once(&kmq_atfork_once, kmq_atfork_register);
	if (kmq_atfork_err) {
		errno = kmq_atfork_err;
		return -1;
	}
	fd = kmq_device_open(O_RDWR, &absent);
	if (fd < 0)
		return -1;
	if (ioctl(fd, KIPC_IOC_CHANNEL_OPEN, &co) < 0) {
		err = errno == ENOTTY ? ENOSYS : errno;	/* module before ABI 4 */
		goto fail;
	}
	/* Created with every signal blocked, it never runs a handler. */
	sigfillset(&all);
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&t, &a, kmq_notify_thread, (void *)(intptr_t)fd);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&a);
	if (err)
		goto fail;
	kmq_channel = fd;
	return fd;
fail:
	close(fd);
	errno = err;
	return -1;
}

/*
 * The thread attributes mq_notify(3) was given, copied now (the caller may
 * destroy its own): always detached, and with the signal mask of the
 * registering thread unless the attributes name one.
 */
static int kmq_attr_copy(pthread_attr_t *dst, const pthread_attr_t *src)
{
	struct sched_param sp;
	sigset_t mask;
	size_t sz;
	int v;

	if (pthread_attr_init(dst))
		return -1;
	pthread_attr_setdetachstate(dst, PTHREAD_CREATE_DETACHED);
	if (src) {
		if (!pthread_attr_getstacksize(src, &sz))
			pthread_attr_setstacksize(dst, sz);
		if (!pthread_attr_getguardsize(src, &sz))
			pthread_attr_setguardsize(dst, sz);
		if (!pthread_attr_getinheritsched(src, &v))
			pthread_attr_setinheritsched(dst, v);
		if (!pthread_attr_getschedpolicy(src, &v))
			pthread_attr_setschedpolicy(dst, v);
		if (!pthread_attr_getschedparam(src, &sp))
			pthread_attr_setschedparam(dst, &sp);
		if (!pthread_attr_getscope(src, &v))
			pthread_attr_setscope(dst, v);
		if (pthread_attr_getsigmask_np(src, &mask) == 0)
			return pthread_attr_setsigmask_np(dst, &mask) ? -1 : 0;
	}
	pthread_sigmask(SIG_SETMASK, NULL, &mask);
	return pthread_attr_setsigmask_np(dst, &mask) ? -1 : 0;
}

static int kmq_notify_ioctl(int fd, uint32_t how, int channel, uint64_t cookie)
{
	struct kipc_notify n = {
		.size = sizeof(n),
		.how = how,
		.channel_fd = channel,
		.cookie = cookie,
	};

	if (ioctl(fd, KIPC_IOC_NOTIFY, &n) == 0)
		return 0;
	if (errno == ENOTTY)
		errno = ENOSYS;		/* a module before ABI 4 */
	return -1;
}

/* Linux: valid_signal(), and it takes 0 (nothing is sent when it fires). */
static int kmq_sigevent_bad(const struct sigevent *sev)
{
	switch (sev->sigev_notify) {
	case SIGEV_NONE:
	case SIGEV_THREAD:
		return 0;
	case SIGEV_SIGNAL:
		return (unsigned int)sev->sigev_signo > _NSIG - 1;
	}
	return 1;
}

static int kmq_notify(mqd_t mqd, const struct sigevent *sev)
{
	struct kmq_reg *r, *old, **pp;
	struct kipc_stats st;
	int chan, err;

	if (kmq_stats(mqd, &st))
		return -1;
	if (!sev) {
		if (kmq_notify_ioctl(mqd, KIPC_NOTIFY_REMOVE, -1, 0))
			return -1;
		kmq_forget_queue(st.id);
		return 0;
	}
	if (sev->sigev_notify == SIGEV_NONE ||
	    (sev->sigev_notify == SIGEV_SIGNAL && !sev->sigev_signo))
		return kmq_notify_ioctl(mqd, KIPC_NOTIFY_NONE, -1, 0);

	r = calloc(1, sizeof(*r));
	if (!r)
		return -1;
	r->queue_id = st.id;
	r->notify = sev->sigev_notify;
	r->signo = sev->sigev_signo;
	r->value = sev->sigev_value;
	if (r->notify == SIGEV_THREAD) {
		r->function = sev->sigev_notify_function;
		if (kmq_attr_copy(&r->attr, sev->sigev_notify_attributes)) {
			err = errno;
			pthread_attr_destroy(&r->attr);
			free(r);
			errno = err;
			return -1;
		}
	}
	pthread_mutex_lock(&kmq_notify_lock);
	chan = kmq_channel_get();
	if (chan < 0)
		goto fail;
	r->cookie = kmq_next_cookie++;
	/* On the list first: the record may arrive before the ioctl returns. */
	r->next = kmq_regs;
	kmq_regs = r;
	if (kmq_notify_ioctl(mqd, KIPC_NOTIFY_CHANNEL, chan, r->cookie)) {
		kmq_reg_take(kmq_by_cookie, r->cookie);
		goto fail;
	}
	/* Left by a close(2) behind the library's back: ended in the kernel. */
	for (pp = &r->next; (old = *pp);) {
		if (old->queue_id == r->queue_id) {
			*pp = old->next;
			kmq_reg_free(old);
		} else {
			pp = &old->next;
		}
	}
	pthread_mutex_unlock(&kmq_notify_lock);
	return 0;
fail:
	err = errno;
	pthread_mutex_unlock(&kmq_notify_lock);
	kmq_reg_free(r);
	errno = err;
	return -1;
}

KMQ_EXPORT int mq_notify(mqd_t mqd, const struct sigevent *sev)
{
	kmq_notify_fn fn;
	int ret;

	if (sev && kmq_sigevent_bad(sev)) {
		errno = EINVAL;
		return -1;
	}
	if (kmq_lookup(mqd)) {
		ret = kmq_notify(mqd, sev);
		/* ENOTTY from the stats: the number now names something else. */
		if (ret == 0 || errno != ENOTTY || kmq_adopt(mqd))
			return ret;
	}
	fn = (kmq_notify_fn)kmq_real(KMQ_REAL_NOTIFY);
	ret = fn ? fn(mqd, sev) : -1;
	if (ret == 0 || errno != EBADF || !kmq_adopt(mqd))
		return ret;
	return kmq_notify(mqd, sev);
}
