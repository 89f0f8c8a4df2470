/*
 * The greenlets reference's parts on their own: the raw context switch, the
 * hub's scheduling order, stack reuse, and the guard page's report of a
 * stack overflow (in a child process). The golden scenarios run in
 * //conformance/greenlets.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conformance/shim/ctest.h"
#include "ref/greenlets/context.h"
#include "ref/greenlets/hub.h"
#include "ref/greenlets/scenario.h"
#include "ref/greenlets/scenario_run.h"
#include "ref/greenlets/stack.h"

/* ---- the raw switch ---- */

typedef struct ping_pong {
  pn_context main, task;
  long rounds;
  double checksum; /* a float live across switches: callee-saved state survives */
} ping_pong;

static void pong(void *arg, void *transfer) {
  ping_pong *p = arg;
  uintptr_t value = (uintptr_t)transfer;
  for (;;) {
    p->rounds++;
    value = (uintptr_t)pn_context_switch(&p->task, &p->main, (void *)(value * 2));
  }
}

CT_TEST(Context, PingPongPassesValuesBothWays) {
  ping_pong p;
  memset(&p, 0, sizeof p);
  pn_stack stack;
  CT_ASSERT_TRUE(pn_stack_map(&stack, 64 * 1024, true) == 0);
  pn_context_make(&p.task, stack.low, stack.size, pong, &p);
  double local = 0.5;
  for (uintptr_t i = 1; i <= 1000; i++) {
    uintptr_t doubled = (uintptr_t)pn_context_switch(&p.main, &p.task, (void *)i);
    CT_EXPECT_INT_EQ(2 * i, doubled);
    local += 1.0;
  }
  CT_EXPECT_INT_EQ(1000, p.rounds);
  CT_EXPECT_TRUE(local == 1000.5);
  pn_stack_unmap(&stack);
}

/* ---- the hub ---- */

typedef struct trace {
  char text[256];
} trace;

static void note(trace *t, const char *what) {
  if (t->text[0] != '\0') {
    strcat(t->text, " ");
  }
  strcat(t->text, what);
}

typedef struct step_arg {
  trace *trace;
  const char *name;
  int yields;
  double seconds;
} step_arg;

/* Notes "NAME0", sleeps, "NAME1", sleeps, ... `yields` times. */
static const pn_exc *stepper(pn_hub *hub, void *arg, pn_value *result) {
  step_arg *a = arg;
  (void)result;
  for (int i = 0; i <= a->yields; i++) {
    char label[32];
    snprintf(label, sizeof label, "%s%d", a->name, i);
    note(a->trace, label);
    if (i < a->yields) {
      const pn_exc *exc = pn_sleep(hub, a->seconds);
      if (exc != NULL) {
        return exc;
      }
    }
  }
  return NULL;
}

static pn_hub *virtual_hub(void) {
  pn_hub_options options = {.virtual_time = true};
  return pn_hub_new(&options);
}

CT_TEST(Hub, SpawnOrderAndSleepZeroRoundRobin) {
  trace t = {""};
  pn_hub *hub = virtual_hub();
  CT_ASSERT_TRUE(hub != NULL);
  step_arg a = {&t, "a", 2, 0}, b = {&t, "b", 1, 0};
  pn_greenlet *g[2] = {pn_spawn(hub, stepper, &a, "a"), pn_spawn(hub, stepper, &b, "b")};
  note(&t, "spawned");
  CT_EXPECT_TRUE(pn_joinall(hub, g, 2, -1, NULL) == NULL);
  CT_EXPECT_STR_EQ("spawned a0 b0 a1 b1 a2", t.text);
  CT_EXPECT_TRUE(pn_greenlet_dead(g[0]) && pn_greenlet_successful(g[1]));
  CT_EXPECT_INT_EQ(0, pn_hub_stacks_in_use(hub) - 1); /* only the hub's own */
  pn_hub_free(hub);
}

CT_TEST(Hub, TimersFireByDeadlineAfterCallbacks) {
  trace t = {""};
  pn_hub *hub = virtual_hub();
  CT_ASSERT_TRUE(hub != NULL);
  step_arg slow = {&t, "slow", 1, 0.03}, fast = {&t, "fast", 1, 0.01}, now = {&t, "now", 1, 0};
  pn_greenlet *g[3] = {pn_spawn(hub, stepper, &slow, "slow"), pn_spawn(hub, stepper, &fast, "fast"),
                       pn_spawn(hub, stepper, &now, "now")};
  CT_EXPECT_TRUE(pn_joinall(hub, g, 3, -1, NULL) == NULL);
  CT_EXPECT_STR_EQ("slow0 fast0 now0 now1 fast1 slow1", t.text);
  pn_hub_free(hub);
}

CT_TEST(Hub, JoinallTimeoutLeavesTheSlowOneAlive) {
  trace t = {""};
  pn_hub *hub = virtual_hub();
  CT_ASSERT_TRUE(hub != NULL);
  step_arg quick = {&t, "q", 1, 0.01}, slow = {&t, "s", 1, 1.0};
  pn_greenlet *g[2] = {pn_spawn(hub, stepper, &quick, "q"), pn_spawn(hub, stepper, &slow, "s")};
  size_t ready = 99;
  CT_EXPECT_TRUE(pn_joinall(hub, g, 2, 0.1, &ready) == NULL);
  CT_EXPECT_INT_EQ(1, ready);
  CT_EXPECT_TRUE(pn_greenlet_ready(g[0]) && !pn_greenlet_ready(g[1]));
  CT_EXPECT_TRUE(pn_kill(hub, g[1], true) == NULL);
  CT_EXPECT_TRUE(pn_greenlet_dead(g[1]) && pn_greenlet_successful(g[1]));
  CT_EXPECT_STR_EQ("GreenletExit", pn_greenlet_value(g[1]).exc->type);
  CT_EXPECT_STR_EQ("q0 s0 q1", t.text);
  pn_hub_free(hub);
}

CT_TEST(Hub, KillBeforeStartNeverRuns) {
  trace t = {""};
  pn_hub *hub = virtual_hub();
  CT_ASSERT_TRUE(hub != NULL);
  step_arg a = {&t, "a", 0, 0};
  pn_greenlet *g = pn_spawn(hub, stepper, &a, "a");
  CT_EXPECT_TRUE(pn_kill(hub, g, true) == NULL);
  CT_EXPECT_TRUE(pn_greenlet_dead(g));
  CT_EXPECT_TRUE(pn_sleep(hub, 0) == NULL);
  CT_EXPECT_STR_EQ("", t.text);
  pn_hub_free(hub);
}

static const pn_exc *joins_itself(pn_hub *hub, void *arg, pn_value *result) {
  (void)arg;
  (void)result;
  return pn_join(hub, pn_current(hub), -1);
}

CT_TEST(Hub, MainGetsLoopExitWhenNothingCanRun) {
  pn_hub *hub = virtual_hub();
  CT_ASSERT_TRUE(hub != NULL);
  pn_greenlet *g = pn_spawn(hub, joins_itself, NULL, "w");
  const pn_exc *exc = pn_join(hub, g, -1);
  CT_ASSERT_TRUE(exc != NULL);
  CT_EXPECT_STR_EQ("LoopExit", exc->type);
  pn_hub_free(hub);
}

CT_TEST(Hub, RealClockSleepWaits) {
  pn_hub *hub = pn_hub_new(NULL);
  CT_ASSERT_TRUE(hub != NULL);
  struct timespec before, after;
  clock_gettime(CLOCK_MONOTONIC, &before);
  CT_EXPECT_TRUE(pn_sleep(hub, 0.002) == NULL);
  clock_gettime(CLOCK_MONOTONIC, &after);
  double waited = (double)(after.tv_sec - before.tv_sec) + (after.tv_nsec - before.tv_nsec) * 1e-9;
  CT_EXPECT_TRUE(waited >= 0.002);
  pn_hub_free(hub);
}

static const pn_exc *quick_task(pn_hub *hub, void *arg, pn_value *result) {
  (void)hub;
  result->ptr = arg;
  return NULL;
}

CT_TEST(Hub, FinishedStacksAreReused) {
  pn_hub *hub = virtual_hub();
  CT_ASSERT_TRUE(hub != NULL);
  static const char kValue[] = "done";
  for (int i = 0; i < 2000; i++) {
    pn_greenlet *g = pn_spawn(hub, quick_task, (void *)kValue, "q");
    CT_ASSERT_TRUE(pn_join(hub, g, -1) == NULL);
    CT_ASSERT_TRUE(pn_greenlet_value(g).ptr == kValue);
  }
  CT_EXPECT_INT_EQ(1, pn_hub_stacks_in_use(hub)); /* the hub's own stack */
  pn_hub_free(hub);
}

/* ---- the guard page ---- */

/* Deeper than any stack: the limit only keeps the compiler from calling the
 * recursion infinite. */
static volatile int recursion_limit = 1 << 30;

static int recurse(volatile char *previous, int depth) {
  volatile char frame[512];
  if (depth > recursion_limit) {
    return 0;
  }
  frame[0] = (char)depth;
  frame[511] = previous != NULL ? previous[0] : 0;
  return recurse(frame, depth + 1) + frame[depth % 512];
}

static const pn_exc *overflow(pn_hub *hub, void *arg, pn_value *result) {
  (void)hub;
  (void)arg;
  result->ptr = (void *)(intptr_t)recurse(NULL, 0);
  return NULL;
}

CT_TEST(Stack, OverflowIsReportedNotSilent) {
  int err[2];
  CT_ASSERT_TRUE(pipe(err) == 0);
  fflush(NULL);
  pid_t pid = fork();
  CT_ASSERT_TRUE(pid >= 0);
  if (pid == 0) {
    dup2(err[1], STDERR_FILENO);
    close(err[0]);
    pn_hub *hub = pn_hub_new(NULL);
    pn_greenlet *g = hub ? pn_spawn(hub, overflow, NULL, "deep") : NULL;
    if (g != NULL) {
      pn_join(hub, g, -1);
    }
    _exit(0); /* not reached when the guard page works */
  }
  close(err[1]);
  char message[4096] = "";
  size_t len = 0;
  ssize_t n;
  while ((n = read(err[0], message + len, sizeof message - 1 - len)) > 0) {
    len += (size_t)n;
  }
  message[len] = '\0';
  close(err[0]);
  int status = 0;
  CT_ASSERT_TRUE(waitpid(pid, &status, 0) == pid);
  CT_EXPECT_TRUE(strstr(message, "pyref: greenlet stack overflow") != NULL);
  CT_EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
}

/* ---- the scenario parser and runner, beyond the goldens ---- */

CT_TEST(Scenario, TooManyGreenletsIsAnError) {
  pn_strbuf error = PN_STRBUF_INIT, out = PN_STRBUF_INIT;
  static const char kLine[] = "f { spawn f } main { spawn f; sleep 1; print \"end\" }";
  pn_scenario *s = pn_scenario_parse(kLine, sizeof kLine - 1, &error);
  CT_ASSERT_TRUE(s != NULL);
  CT_EXPECT_INT_EQ(0, pn_scenario_run(s, &out));
  CT_EXPECT_TRUE(out.data != NULL &&
                 strstr(out.data, "! RuntimeError: too many greenlets") != NULL);
  CT_EXPECT_TRUE(out.data != NULL && strstr(out.data, " | end") != NULL);
  pn_scenario_free(s);
  pn_strbuf_free(&error);
  pn_strbuf_free(&out);
}
