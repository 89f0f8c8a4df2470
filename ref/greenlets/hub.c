#define _POSIX_C_SOURCE 200809L /* clock_gettime, nanosleep */
#include "ref/greenlets/hub.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ref/greenlets/context.h"
#include "ref/greenlets/stack.h"

#if defined(__SANITIZE_ADDRESS__)
#define PN_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PN_ASAN 1
#endif
#endif
#ifdef PN_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

/* gevent's greenlet start event: scheduled, cancelled by a kill before it
 * ran, or done. */
typedef enum { START_PENDING, START_ABORTED, START_COMPLETED } start_state;
/* gevent's _exc_info: none yet, a result (value or GreenletExit), an error. */
typedef enum { OUTCOME_NONE, OUTCOME_RESULT, OUTCOME_ERROR } outcome;
typedef enum { LINK_SWITCH, LINK_MULTIWAITER } link_kind;

typedef struct callback callback;
typedef void (*callback_fn)(pn_hub *hub, void *a, void *b);

/* A loop callback (gevent's loop.run_callback). `owner`, when set, is a
 * handle the loop clears once the callback has run and been released. */
struct callback {
  callback_fn fn; /* NULL once stopped */
  void *a;
  void *b;
  callback **owner;
  callback *next_free;
};

typedef struct timer timer;
struct timer {
  double deadline;
  unsigned long long sequence; /* start order: breaks deadline ties */
  int priority;                /* 0, or -1 for Timeout and joinall's timer */
  callback_fn fn;
  void *a;
  void *b;
  size_t heap_index;  /* SIZE_MAX when not in the heap */
  size_t batch_index; /* SIZE_MAX when not expired-and-waiting */
  timer *next_free;
};

typedef struct link {
  link_kind kind;
  void *target; /* the greenlet to switch to, or the multiwaiter */
} link;

/* gevent's Waiter: a value or exception for the greenlet that waits in get,
 * stored if it arrives first. */
typedef struct waiter {
  pn_greenlet *greenlet; /* waiting in waiter_get, or NULL */
  bool ready;
  void *value;
  const pn_exc *exc;
  int refs; /* pool waiters only */
  struct waiter *next_free;
} waiter;

/* gevent's MultipleWaiter, for joinall: every switch's value is queued. */
typedef struct multiwaiter {
  waiter base;
  void **values;
  size_t head, len, cap;
} multiwaiter;

struct pn_greenlet {
  pn_hub *hub;
  pn_context context;
  pn_stack stack;
  const void *asan_bottom;
  size_t asan_size;
  bool is_main, is_hub;
  bool lib_started, lib_dead; /* the greenlet library's view: switched into, returned */
  pn_greenlet_fn fn;
  void *arg;
  const char *name;
  start_state start;
  callback *start_callback;
  outcome outcome;
  pn_value value;
  const pn_exc *exception;
  link *links;
  size_t link_count, link_cap;
  callback *notifier; /* set while _notify_links is scheduled or running */
  pn_greenlet *next_in_hub;
};

typedef struct exc_node {
  struct exc_node *next;
  pn_exc exc;
  char message[];
} exc_node;

typedef struct transfer {
  void *value;
  const pn_exc *exc;
} transfer;

enum { kStackCacheMax = 256 };

struct pn_hub {
  pn_hub_options options;
  size_t stack_size;
  pn_greenlet main_greenlet;
  pn_greenlet hub_greenlet;
  pn_greenlet *current;
  pn_greenlet *switching_from;
  pn_greenlet *dying; /* finished; its stack is released once off it */
  transfer transfer;
  pn_greenlet *all;
  size_t stacks_in_use;
  pn_stack stack_cache[kStackCacheMax];
  size_t stack_cache_len;
  /* loop */
  double now;
  unsigned long long timer_sequence;
  callback **queue; /* ring */
  size_t queue_head, queue_len, queue_cap;
  callback *free_callbacks;
  timer **heap;
  size_t heap_len, heap_cap;
  timer **batch;
  size_t batch_len, batch_cap;
  timer *free_timers;
  waiter *free_waiters;
  void *chunks; /* every pool allocation, chained for pn_hub_free */
  exc_node *exceptions;
  const pn_exc *loop_exit, *greenlet_exit, *timeout;
};

/* ---- memory ---- */

static void *checked(void *p) {
  if (p == NULL) {
    fputs("pyref: out of memory in the greenlet hub\n", stderr);
    abort();
  }
  return p;
}

/* Pool objects come from chunks chained on the hub; free lists reuse them. */
static void *pool_alloc(pn_hub *hub, size_t size) {
  void **chunk = checked(calloc(1, sizeof(void *) + size));
  chunk[0] = hub->chunks;
  hub->chunks = chunk;
  return chunk + 1;
}

static void grow(void **array, size_t *cap, size_t element) {
  size_t new_cap = *cap ? *cap * 2 : 16;
  *array = checked(realloc(*array, new_cap * element));
  *cap = new_cap;
}

const pn_exc *pn_hub_exception(pn_hub *hub, const char *type, const char *message) {
  size_t len = message ? strlen(message) : 0;
  exc_node *node = malloc(sizeof *node + len + 1);
  if (node == NULL) {
    return NULL;
  }
  if (len) {
    memcpy(node->message, message, len);
  }
  node->message[len] = '\0';
  node->exc.type = type;
  node->exc.message = node->message;
  node->next = hub->exceptions;
  hub->exceptions = node;
  return &node->exc;
}

static bool is_greenlet_exit(const pn_exc *exc) {
  return strcmp(exc->type, "GreenletExit") == 0;
}

/* ---- clock ---- */

static double monotonic_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void update_now(pn_hub *hub) {
  if (!hub->options.virtual_time) {
    hub->now = monotonic_seconds();
  }
}

/* ---- callbacks ---- */

static callback *run_callback(pn_hub *hub, callback_fn fn, void *a, void *b) {
  callback *cb = hub->free_callbacks;
  if (cb != NULL) {
    hub->free_callbacks = cb->next_free;
  } else {
    cb = pool_alloc(hub, sizeof *cb);
  }
  cb->fn = fn;
  cb->a = a;
  cb->b = b;
  cb->owner = NULL;
  if (hub->queue_len == hub->queue_cap) {
    size_t old_cap = hub->queue_cap;
    grow((void **)&hub->queue, &hub->queue_cap, sizeof *hub->queue);
    /* Unwrap the ring into the larger array. */
    for (size_t i = 0; i < hub->queue_head + hub->queue_len - old_cap && old_cap; i++) {
      hub->queue[old_cap + i] = hub->queue[i];
    }
  }
  hub->queue[(hub->queue_head + hub->queue_len) % hub->queue_cap] = cb;
  hub->queue_len++;
  return cb;
}

static void release_callback(pn_hub *hub, callback *cb) {
  if (cb->owner != NULL && *cb->owner == cb) {
    *cb->owner = NULL;
  }
  cb->next_free = hub->free_callbacks;
  hub->free_callbacks = cb;
}

/* ---- timers: a binary heap on (deadline, sequence) ---- */

static bool timer_before(const timer *x, const timer *y) {
  return x->deadline < y->deadline || (x->deadline == y->deadline && x->sequence < y->sequence);
}

static void heap_place(pn_hub *hub, size_t i, timer *t) {
  hub->heap[i] = t;
  t->heap_index = i;
}

static void heap_up(pn_hub *hub, size_t i) {
  timer *t = hub->heap[i];
  while (i > 0 && timer_before(t, hub->heap[(i - 1) / 2])) {
    heap_place(hub, i, hub->heap[(i - 1) / 2]);
    i = (i - 1) / 2;
  }
  heap_place(hub, i, t);
}

static void heap_down(pn_hub *hub, size_t i) {
  timer *t = hub->heap[i];
  for (;;) {
    size_t child = 2 * i + 1;
    if (child >= hub->heap_len) {
      break;
    }
    if (child + 1 < hub->heap_len && timer_before(hub->heap[child + 1], hub->heap[child])) {
      child++;
    }
    if (!timer_before(hub->heap[child], t)) {
      break;
    }
    heap_place(hub, i, hub->heap[child]);
    i = child;
  }
  heap_place(hub, i, t);
}

static void heap_remove(pn_hub *hub, timer *t) {
  size_t i = t->heap_index;
  t->heap_index = SIZE_MAX;
  timer *last = hub->heap[--hub->heap_len];
  if (last != t) {
    heap_place(hub, i, last);
    heap_up(hub, i);
    heap_down(hub, last->heap_index);
  }
}

static timer *timer_start(pn_hub *hub, double seconds, int priority, callback_fn fn, void *a,
                          void *b) {
  timer *t = hub->free_timers;
  if (t != NULL) {
    hub->free_timers = t->next_free;
  } else {
    t = pool_alloc(hub, sizeof *t);
  }
  update_now(hub); /* gevent's sleep and Timeout both update the loop's time */
  t->deadline = hub->now + seconds;
  t->sequence = ++hub->timer_sequence;
  t->priority = priority;
  t->fn = fn;
  t->a = a;
  t->b = b;
  t->batch_index = SIZE_MAX;
  if (hub->heap_len == hub->heap_cap) {
    grow((void **)&hub->heap, &hub->heap_cap, sizeof *hub->heap);
  }
  heap_place(hub, hub->heap_len++, t);
  heap_up(hub, hub->heap_len - 1);
  return t;
}

/* Stops the timer (it will not fire, even if it expired in this iteration)
 * and returns it to the pool. */
static void timer_close(pn_hub *hub, timer *t) {
  if (t->heap_index != SIZE_MAX) {
    heap_remove(hub, t);
  }
  if (t->batch_index != SIZE_MAX) {
    hub->batch[t->batch_index] = NULL;
    t->batch_index = SIZE_MAX;
  }
  t->next_free = hub->free_timers;
  hub->free_timers = t;
}

/* ---- switching ---- */

static void greenlet_entry(void *arg, void *unused);
static void hub_entry(void *arg, void *unused);

static void release_stack(pn_hub *hub, pn_greenlet *g) {
  if (g->stack.base == NULL) {
    return;
  }
#ifdef PN_ASAN
  /* Frames that died with the greenlet leave poisoned redzones behind. */
  __asan_unpoison_memory_region(g->stack.low, g->stack.size);
#endif
  if (hub->stack_cache_len < kStackCacheMax && g->stack.size == hub->stack_size) {
    hub->stack_cache[hub->stack_cache_len++] = g->stack;
    memset(&g->stack, 0, sizeof g->stack);
  } else {
    pn_stack_unmap(&g->stack);
  }
  hub->stacks_in_use--;
}

static void start_context(pn_hub *hub, pn_greenlet *g) {
  if (hub->stack_cache_len > 0) {
    g->stack = hub->stack_cache[--hub->stack_cache_len];
#ifdef PN_ASAN
    __asan_unpoison_memory_region(g->stack.low, g->stack.size);
#endif
  } else if (pn_stack_map(&g->stack, hub->stack_size, !hub->options.unguarded) != 0) {
    perror("pyref: cannot map a greenlet stack");
    abort();
  }
  hub->stacks_in_use++;
  g->asan_bottom = g->stack.low;
  g->asan_size = g->stack.size;
  pn_context_make(&g->context, g->stack.low, g->stack.size, g->is_hub ? hub_entry : greenlet_entry,
                  g);
  g->lib_started = true;
}

/* What every context does first after a switch lands on it. */
static void landed(pn_hub *hub, void *fake_stack) {
#ifdef PN_ASAN
  const void *bottom = NULL;
  size_t size = 0;
  __sanitizer_finish_switch_fiber(fake_stack, &bottom, &size);
  if (hub->switching_from != NULL && hub->switching_from->is_main) {
    hub->switching_from->asan_bottom = bottom;
    hub->switching_from->asan_size = size;
  }
#else
  (void)fake_stack;
#endif
  if (hub->dying != NULL) {
    release_stack(hub, hub->dying);
    hub->dying = NULL;
  }
}

/* greenlet.switch / greenlet.throw: runs `target` (starting it if new) with
 * `value`, or with `exc` raised where it waits; returns what the switch that
 * comes back here brings. */
static transfer switch_to(pn_hub *hub, pn_greenlet *target, const pn_exc *exc, void *value) {
  pn_greenlet *self = hub->current;
  if (!target->lib_started) {
    start_context(hub, target);
  }
  hub->transfer.value = value;
  hub->transfer.exc = exc;
  hub->switching_from = self;
  hub->current = target;
  pn_stack_set_running(target->stack.base != NULL ? &target->stack : NULL);
  void *fake_stack = NULL;
#ifdef PN_ASAN
  __sanitizer_start_switch_fiber(self->lib_dead ? NULL : &fake_stack, target->asan_bottom,
                                 target->asan_size);
#endif
  pn_context_switch(&self->context, &target->context, NULL);
  landed(hub, fake_stack);
  return hub->transfer;
}

static transfer hub_switch(pn_hub *hub) {
  return switch_to(hub, &hub->hub_greenlet, NULL, NULL);
}

/* ---- waiters ---- */

static waiter *waiter_new(pn_hub *hub, int refs) {
  waiter *w = hub->free_waiters;
  if (w != NULL) {
    hub->free_waiters = w->next_free;
  } else {
    w = pool_alloc(hub, sizeof *w);
  }
  memset(w, 0, sizeof *w);
  w->refs = refs;
  return w;
}

static void waiter_unref(pn_hub *hub, waiter *w) {
  if (--w->refs == 0) {
    w->next_free = hub->free_waiters;
    hub->free_waiters = w;
  }
}

/* Waiter.switch / Waiter.throw, from the hub. Touches nothing after the
 * switch: the waiter may be gone by then. */
static void waiter_deliver(pn_hub *hub, waiter *w, const pn_exc *exc, void *value) {
  if (w->greenlet == NULL) {
    w->ready = true;
    w->value = value;
    w->exc = exc;
    return;
  }
  switch_to(hub, w->greenlet, exc, value);
}

static transfer waiter_get(pn_hub *hub, waiter *w) {
  if (w->ready) {
    return (transfer){w->value, w->exc};
  }
  w->greenlet = hub->current;
  transfer t = hub_switch(hub);
  w->greenlet = NULL;
  return t;
}

static void waiter_switch_callback(pn_hub *hub, void *w, void *unused) {
  (void)unused;
  waiter_deliver(hub, w, NULL, NULL);
  waiter_unref(hub, w);
}

/* A timer's wake-up: the sleeper owns the waiter and closes the timer first. */
static void waiter_timer_callback(pn_hub *hub, void *w, void *unused) {
  (void)unused;
  waiter_deliver(hub, w, NULL, NULL);
}

static void multiwaiter_switch(pn_hub *hub, multiwaiter *m, void *item) {
  if (m->len == m->cap) {
    void **values = checked(malloc((m->cap ? 2 * m->cap : 8) * sizeof *values));
    for (size_t i = 0; i < m->len; i++) {
      values[i] = m->values[(m->head + i) % m->cap];
    }
    free(m->values);
    m->values = values;
    m->head = 0;
    m->cap = m->cap ? 2 * m->cap : 8;
  }
  m->values[(m->head + m->len) % m->cap] = item;
  m->len++;
  waiter_deliver(hub, &m->base, NULL, (void *)1);
}

static void multiwaiter_timer_callback(pn_hub *hub, void *m, void *unused) {
  (void)unused;
  multiwaiter_switch(hub, m, m); /* itself: the timeout */
}

/* ---- greenlet results and links ---- */

static void call_link(pn_hub *hub, link l, pn_greenlet *g) {
  if (l.kind == LINK_SWITCH) {
    pn_greenlet *target = l.target;
    if (!target->lib_dead) {
      switch_to(hub, target, NULL, g);
    }
  } else {
    multiwaiter_switch(hub, l.target, g);
  }
}

/* Greenlet._notify_links: every link, first linked first, even those added
 * while it runs. */
static void notify_links_callback(pn_hub *hub, void *greenlet, void *unused) {
  (void)unused;
  pn_greenlet *g = greenlet;
  while (g->link_count > 0) {
    link first = g->links[0];
    memmove(g->links, g->links + 1, --g->link_count * sizeof *g->links);
    call_link(hub, first, g);
  }
}

static void schedule_notifier(pn_hub *hub, pn_greenlet *g) {
  if (g->link_count > 0 && g->notifier == NULL) {
    g->notifier = run_callback(hub, notify_links_callback, g, NULL);
    g->notifier->owner = &g->notifier;
  }
}

static void rawlink(pn_hub *hub, pn_greenlet *g, link_kind kind, void *target) {
  if (g->link_count == g->link_cap) {
    grow((void **)&g->links, &g->link_cap, sizeof *g->links);
  }
  g->links[g->link_count++] = (link){kind, target};
  if (pn_greenlet_ready(g)) {
    schedule_notifier(hub, g);
  }
}

static void unlink_first(pn_greenlet *g, link_kind kind, void *target) {
  for (size_t i = 0; i < g->link_count; i++) {
    if (g->links[i].kind == kind && g->links[i].target == target) {
      memmove(g->links + i, g->links + i + 1, (g->link_count - i - 1) * sizeof *g->links);
      g->link_count--;
      return;
    }
  }
}

static void report_result(pn_hub *hub, pn_greenlet *g, pn_value value) {
  g->outcome = OUTCOME_RESULT;
  g->value = value;
  schedule_notifier(hub, g);
}

static void default_report(void *context, const pn_greenlet *g, const pn_exc *error) {
  (void)context;
  fprintf(stderr, "%s%s%s\n<Greenlet at %p: %s> failed with %s\n\n", error->type,
          error->message[0] ? ": " : "", error->message, (const void *)g, g->name, error->type);
}

static void report_error(pn_hub *hub, pn_greenlet *g, const pn_exc *exc) {
  if (is_greenlet_exit(exc)) {
    report_result(hub, g, (pn_value){NULL, exc});
    return;
  }
  g->outcome = OUTCOME_ERROR;
  g->exception = exc;
  schedule_notifier(hub, g);
  hub->options.report(hub->options.report_context, g, exc);
}

/* Greenlet.run, on the greenlet's own stack; ends by switching to the hub
 * for good. */
static void greenlet_entry(void *arg, void *unused) {
  (void)unused;
  pn_greenlet *g = arg;
  pn_hub *hub = g->hub;
  landed(hub, NULL);
  const pn_exc *thrown = hub->transfer.exc;
  if (g->start_callback != NULL) {
    g->start_callback->fn = NULL;
    g->start_callback = NULL;
  }
  g->start = START_COMPLETED;
  pn_value result = {NULL, NULL};
  const pn_exc *exc = thrown != NULL ? thrown : g->fn(hub, g->arg, &result);
  if (exc != NULL) {
    report_error(hub, g, exc);
  } else {
    report_result(hub, g, result);
  }
  g->lib_dead = true;
  hub->dying = g;
  switch_to(hub, &hub->hub_greenlet, NULL, NULL);
  abort(); /* a dead greenlet is never switched to */
}

/* ---- the loop ---- */

static void run_callbacks(pn_hub *hub) {
  while (hub->queue_len > 0) {
    callback *cb = hub->queue[hub->queue_head];
    hub->queue_head = (hub->queue_head + 1) % hub->queue_cap;
    hub->queue_len--;
    if (cb->fn != NULL) {
      callback_fn fn = cb->fn;
      cb->fn = NULL;
      fn(hub, cb->a, cb->b);
    }
    release_callback(hub, cb);
  }
  update_now(hub);
}

static void wait_for_first_timer(pn_hub *hub) {
  double deadline = hub->heap[0]->deadline;
  if (hub->options.virtual_time) {
    if (deadline > hub->now) {
      hub->now = deadline;
    }
    return;
  }
  double delay = deadline - monotonic_seconds();
  if (delay > 0) {
    struct timespec ts = {(time_t)delay, (long)((delay - (double)(time_t)delay) * 1e9)};
    while (nanosleep(&ts, &ts) != 0) {
    }
  }
  update_now(hub);
}

/* Fires the expired timers: all that expired are collected first, as libev
 * does, then run by priority (0 before -1), each group in deadline order. */
static void fire_timers(pn_hub *hub) {
  hub->batch_len = 0;
  while (hub->heap_len > 0 && hub->heap[0]->deadline <= hub->now) {
    timer *t = hub->heap[0];
    heap_remove(hub, t);
    if (hub->batch_len == hub->batch_cap) {
      grow((void **)&hub->batch, &hub->batch_cap, sizeof *hub->batch);
    }
    t->batch_index = hub->batch_len;
    hub->batch[hub->batch_len++] = t;
  }
  for (int priority = 0; priority >= -1; priority--) {
    for (size_t i = 0; i < hub->batch_len; i++) {
      timer *t = hub->batch[i];
      if (t == NULL || t->priority != priority) {
        continue;
      }
      hub->batch[i] = NULL;
      t->batch_index = SIZE_MAX;
      t->fn(hub, t->a, t->b);
    }
  }
  hub->batch_len = 0;
}

/* The hub greenlet: runs the loop until nothing is left to wait for, then
 * raises LoopExit in the main context, forever (gevent's Hub.run). */
static void hub_entry(void *arg, void *unused) {
  (void)unused;
  pn_hub *hub = ((pn_greenlet *)arg)->hub;
  landed(hub, NULL);
  for (;;) {
    for (;;) {
      run_callbacks(hub);
      if (hub->heap_len == 0) {
        break;
      }
      wait_for_first_timer(hub);
      fire_timers(hub);
    }
    switch_to(hub, &hub->main_greenlet, hub->loop_exit, NULL);
  }
}

/* ---- the public calls ---- */

pn_hub *pn_hub_new(const pn_hub_options *options) {
  if (pn_stack_install_overflow_handler() != 0) {
    return NULL;
  }
  pn_hub *hub = calloc(1, sizeof *hub);
  if (hub == NULL) {
    return NULL;
  }
  if (options != NULL) {
    hub->options = *options;
  }
  if (hub->options.report == NULL) {
    hub->options.report = default_report;
  }
  hub->stack_size = hub->options.stack_size;
  if (hub->stack_size == 0) {
#ifdef PN_ASAN
    hub->stack_size = 256 * 1024;
#else
    hub->stack_size = 64 * 1024;
#endif
  }
  hub->main_greenlet.hub = hub;
  hub->main_greenlet.is_main = true;
  hub->main_greenlet.lib_started = true;
  hub->main_greenlet.name = "main";
  hub->hub_greenlet.hub = hub;
  hub->hub_greenlet.is_hub = true;
  hub->hub_greenlet.name = "Hub";
  hub->current = &hub->main_greenlet;
  update_now(hub);
  hub->loop_exit = pn_hub_exception(hub, "LoopExit", "This operation would block forever");
  hub->greenlet_exit = pn_hub_exception(hub, "GreenletExit", NULL);
  hub->timeout = pn_hub_exception(hub, "Timeout", NULL);
  if (hub->loop_exit == NULL || hub->greenlet_exit == NULL || hub->timeout == NULL) {
    pn_hub_free(hub);
    return NULL;
  }
  return hub;
}

void pn_hub_free(pn_hub *hub) {
  if (hub == NULL) {
    return;
  }
  pn_stack_set_running(NULL);
  for (pn_greenlet *g = hub->all, *next; g != NULL; g = next) {
    next = g->next_in_hub;
    pn_stack_unmap(&g->stack);
    free(g->links);
    free(g);
  }
  pn_stack_unmap(&hub->hub_greenlet.stack);
  for (size_t i = 0; i < hub->stack_cache_len; i++) {
    pn_stack_unmap(&hub->stack_cache[i]);
  }
  for (void **chunk = hub->chunks, **next; chunk != NULL; chunk = next) {
    next = chunk[0];
    free(chunk);
  }
  for (exc_node *node = hub->exceptions, *next; node != NULL; node = next) {
    next = node->next;
    free(node);
  }
  free(hub->queue);
  free(hub->heap);
  free(hub->batch);
  free(hub);
}

static void start_callback(pn_hub *hub, void *greenlet, void *unused) {
  (void)unused;
  switch_to(hub, greenlet, NULL, NULL);
}

pn_greenlet *pn_spawn(pn_hub *hub, pn_greenlet_fn fn, void *arg, const char *name) {
  pn_greenlet *g = calloc(1, sizeof *g);
  if (g == NULL) {
    return NULL;
  }
  g->hub = hub;
  g->fn = fn;
  g->arg = arg;
  g->name = name;
  g->start = START_PENDING;
  g->next_in_hub = hub->all;
  hub->all = g;
  g->start_callback = run_callback(hub, start_callback, g, NULL);
  g->start_callback->owner = &g->start_callback;
  return g;
}

const pn_exc *pn_sleep(pn_hub *hub, double seconds) {
  if (seconds <= 0) {
    waiter *w = waiter_new(hub, 2);
    run_callback(hub, waiter_switch_callback, w, NULL);
    transfer t = waiter_get(hub, w);
    waiter_unref(hub, w);
    return t.exc;
  }
  waiter *w = waiter_new(hub, 1);
  timer *t = timer_start(hub, seconds, 0, waiter_timer_callback, w, NULL);
  transfer result = waiter_get(hub, w);
  timer_close(hub, t);
  waiter_unref(hub, w);
  return result.exc;
}

static void throw_callback(pn_hub *hub, void *greenlet, void *exc) {
  switch_to(hub, greenlet, exc, NULL);
}

const pn_exc *pn_join(pn_hub *hub, pn_greenlet *g, double timeout) {
  if (pn_greenlet_ready(g)) {
    return NULL;
  }
  pn_greenlet *self = hub->current;
  rawlink(hub, g, LINK_SWITCH, self);
  timer *t = timeout >= 0
                 ? timer_start(hub, timeout, -1, throw_callback, self, (void *)hub->timeout)
                 : NULL;
  transfer result = hub_switch(hub);
  if (t != NULL) {
    timer_close(hub, t);
  }
  if (result.exc != NULL) {
    unlink_first(g, LINK_SWITCH, self);
    return result.exc == hub->timeout ? NULL : result.exc;
  }
  return NULL;
}

const pn_exc *pn_joinall(pn_hub *hub, pn_greenlet *const *greenlets, size_t count, double timeout,
                         size_t *ready_count) {
  multiwaiter m;
  memset(&m, 0, sizeof m);
  size_t done = 0;
  const pn_exc *exc = NULL;
  for (size_t i = 0; i < count; i++) {
    rawlink(hub, greenlets[i], LINK_MULTIWAITER, &m);
  }
  timer *t =
      timeout >= 0 ? timer_start(hub, timeout, -1, multiwaiter_timer_callback, &m, NULL) : NULL;
  while (done < count) {
    if (m.len == 0) {
      transfer result = waiter_get(hub, &m.base);
      if (result.exc != NULL) {
        exc = result.exc;
        break;
      }
      m.base.ready = false;
      m.base.value = NULL;
    }
    void *item = m.values[m.head];
    m.head = (m.head + 1) % m.cap;
    m.len--;
    if (item == &m) {
      break;
    }
    done++;
  }
  if (t != NULL) {
    timer_close(hub, t);
  }
  for (size_t i = 0; i < count; i++) {
    unlink_first(greenlets[i], LINK_MULTIWAITER, &m);
  }
  free(m.values);
  if (ready_count != NULL) {
    *ready_count = done;
  }
  return exc;
}

/* gevent's _kill: GreenletExit into the greenlet (nothing if it is already
 * dead: the throw lands in the hub, where GreenletExit is not an error), then
 * wakes the killer. */
static void kill_callback(pn_hub *hub, void *greenlet, void *killer) {
  pn_greenlet *g = greenlet;
  if (g->lib_started && !g->lib_dead) {
    switch_to(hub, g, hub->greenlet_exit, NULL);
  }
  if (killer != NULL) {
    waiter_deliver(hub, killer, NULL, NULL);
    waiter_unref(hub, killer);
  }
}

const pn_exc *pn_kill(pn_hub *hub, pn_greenlet *g, bool block) {
  /* _maybe_kill_before_start: a start still pending is cancelled, and the
   * greenlet dies without ever running, killed by GreenletExit. */
  if (g->start == START_PENDING) {
    if (g->start_callback != NULL) {
      g->start_callback->fn = NULL;
      g->start_callback = NULL;
    }
    g->start = START_ABORTED;
  }
  if (pn_greenlet_dead(g)) {
    if (g->outcome == OUTCOME_NONE) {
      report_result(hub, g, (pn_value){NULL, hub->greenlet_exit});
    }
    return NULL;
  }
  if (pn_greenlet_ready(g)) {
    return NULL;
  }
  waiter *w = block ? waiter_new(hub, 2) : NULL;
  run_callback(hub, kill_callback, g, w);
  if (w == NULL) {
    return NULL;
  }
  transfer result = waiter_get(hub, w);
  waiter_unref(hub, w);
  if (result.exc != NULL) {
    return result.exc;
  }
  return pn_join(hub, g, -1);
}

pn_greenlet *pn_current(const pn_hub *hub) {
  pn_greenlet *g = hub->current;
  return g->is_main || g->is_hub ? NULL : g;
}

bool pn_greenlet_dead(const pn_greenlet *g) {
  return g->start == START_ABORTED || g->lib_dead;
}

bool pn_greenlet_ready(const pn_greenlet *g) {
  return pn_greenlet_dead(g) || g->outcome != OUTCOME_NONE;
}

bool pn_greenlet_successful(const pn_greenlet *g) {
  return g->outcome == OUTCOME_RESULT;
}

pn_value pn_greenlet_value(const pn_greenlet *g) {
  return g->value;
}

const pn_exc *pn_greenlet_exception(const pn_greenlet *g) {
  return g->outcome == OUTCOME_ERROR ? g->exception : NULL;
}

const char *pn_greenlet_name(const pn_greenlet *g) {
  return g->name;
}

size_t pn_hub_stacks_in_use(const pn_hub *hub) {
  return hub->stacks_in_use;
}
