/*
 * Cooperative greenlets with gevent's scheduling order.
 *
 * A hub is gevent's Hub in miniature: an event loop of its own (a FIFO of
 * callbacks, run before anything else in each iteration, and timers by
 * deadline), running on its own stack, that every blocking call switches to.
 * The order in which greenlets run follows from the same mechanisms gevent
 * 22.10 uses, not from a table of cases:
 *
 * - spawn schedules the greenlet's start as a loop callback (FIFO);
 * - sleep(0) schedules the caller's wake-up as a callback, at the back;
 *   sleep(s > 0) starts a timer; timers that expire together fire in
 *   deadline order (join and joinall timeouts after the others, as their
 *   lower libev priority makes them);
 * - a greenlet that finishes notifies the greenlets waiting for it (join,
 *   joinall) from one callback, in the order they started waiting;
 * - kill cancels a start that has not happened yet, and otherwise throws
 *   GreenletExit into the greenlet from a callback, then waits for it.
 *
 * Failures are exceptions (pn_exc): a blocking call returns the exception
 * thrown into the caller (NULL when none), and a greenlet's function returns
 * the one it ends with. One hub per thread at a time; not thread-safe.
 */
#ifndef PYNOTES_REF_GREENLETS_HUB_H_
#define PYNOTES_REF_GREENLETS_HUB_H_

#include <stdbool.h>
#include <stddef.h>

typedef struct pn_hub pn_hub;
typedef struct pn_greenlet pn_greenlet;

/* An exception: a type name (`ZeroDivisionError`, `GreenletExit`) and a
 * message ("" when it has none). Made by pn_hub_exception, owned by the hub. */
typedef struct pn_exc {
  const char *type;
  const char *message;
} pn_exc;

/* What a greenlet ended with when it did not fail: a value of the caller's
 * (ptr), or the GreenletExit that killed it (exc). Both NULL: None. */
typedef struct pn_value {
  const void *ptr;
  const pn_exc *exc;
} pn_value;

/* A greenlet's body. Returns NULL after setting *result (zeroed before the
 * call), or the exception it fails with. */
typedef const pn_exc *(*pn_greenlet_fn)(pn_hub *hub, void *arg, pn_value *result);

typedef struct pn_hub_options {
  /* Usable bytes per greenlet stack (0: 64 KiB; 256 KiB under ASan). */
  size_t stack_size;
  /* No guard pages: for 100,000s of greenlets (a guarded stack takes two of
   * the 65,530 mappings Linux allows by default). */
  bool unguarded;
  /* Simulated time: sleeping jumps the clock to the next deadline instead of
   * waiting, so programs run at once and their order never depends on how
   * long the work between switches took. */
  bool virtual_time;
  /* Where a failing greenlet is reported (gevent prints the traceback and
   * `<Greenlet at 0x...: NAME> failed with TYPE`). NULL: to stderr. */
  void (*report)(void *context, const pn_greenlet *greenlet, const pn_exc *error);
  void *report_context;
} pn_hub_options;

/* A new hub, or NULL (out of memory, or the overflow handler could not be
 * installed). options may be NULL for the defaults. */
pn_hub *pn_hub_new(const pn_hub_options *options);

/* Frees the hub with every greenlet, finished or not. Suspended greenlets are
 * dropped without running again, as when a Python program ends. Call from the
 * main context (the code that called pn_hub_new). */
void pn_hub_free(pn_hub *hub);

/* The exception `type: message` (message NULL or "" for none), owned by the
 * hub; NULL when out of memory. type must outlive the hub (a literal). */
const pn_exc *pn_hub_exception(pn_hub *hub, const char *type, const char *message);

/* gevent.spawn(fn): a greenlet whose start is scheduled on the loop. name is
 * what reports show (`foo`); kept, not copied. NULL when out of memory. */
pn_greenlet *pn_spawn(pn_hub *hub, pn_greenlet_fn fn, void *arg, const char *name);

/* gevent.sleep(seconds): seconds <= 0 yields to every callback already
 * scheduled. Returns an exception thrown in meanwhile (GreenletExit from a
 * kill), or NULL. */
const pn_exc *pn_sleep(pn_hub *hub, double seconds);

/* greenlet.join(timeout): waits until the greenlet is ready or timeout
 * seconds pass (timeout < 0: no limit). NULL, or an exception thrown in
 * meanwhile (LoopExit when nothing can ever wake the caller). */
const pn_exc *pn_join(pn_hub *hub, pn_greenlet *greenlet, double timeout);

/* gevent.joinall(greenlets, timeout): waits until all are ready or timeout
 * seconds pass (< 0: no limit); *ready_count (may be NULL) gets how many
 * finished in time. Returns as pn_join does. */
const pn_exc *pn_joinall(pn_hub *hub, pn_greenlet *const *greenlets, size_t count, double timeout,
                         size_t *ready_count);

/* greenlet.kill(block=block): GreenletExit into the greenlet; with block,
 * waits until it is dead. Returns an exception thrown into the caller while
 * it waited, or NULL (also when out of memory: nothing is killed then). */
const pn_exc *pn_kill(pn_hub *hub, pn_greenlet *greenlet, bool block);

/* The running greenlet, NULL in the main context. */
pn_greenlet *pn_current(const pn_hub *hub);

/* Its state, as gevent's Greenlet reports it: dead (will never run again),
 * ready (finished: dead, or has a result), successful (finished without
 * an error; killed counts), the value it returned (or the GreenletExit that
 * killed it), the exception it failed with (NULL if none), its name. */
bool pn_greenlet_dead(const pn_greenlet *greenlet);
bool pn_greenlet_ready(const pn_greenlet *greenlet);
bool pn_greenlet_successful(const pn_greenlet *greenlet);
pn_value pn_greenlet_value(const pn_greenlet *greenlet);
const pn_exc *pn_greenlet_exception(const pn_greenlet *greenlet);
const char *pn_greenlet_name(const pn_greenlet *greenlet);

/* How many greenlets have a stack mapped right now (started, not dead). */
size_t pn_hub_stacks_in_use(const pn_hub *hub);

#endif /* PYNOTES_REF_GREENLETS_HUB_H_ */
