/*
 * The greenlets note's benchmark, medians of ROUNDS rounds, one line per
 * measurement, `NAME IMPL VALUE` (tools/bench puts gevent and greenlet
 * beside it):
 *
 *   switch      ns per raw switch, two contexts ping-ponging 10^6 times:
 *               pyref's pn_context_switch; C peers Boost.Context's
 *               jump_fcontext (greenlets_peers.cc) and glibc's swapcontext
 *   sleep0      ns per sleep(0) through the hub, two greenlets taking turns
 *   spawn_join  ns per spawn + join of a greenlet that returns at once
 *   idle_bytes  resident bytes per idle greenlet, 100,000 parked on a timer
 *               (unguarded stacks: Linux allows 65,530 mappings and a
 *               guarded stack takes two), and idle_bytes_guard for 20,000
 *               with guard pages
 *
 *   greenlets_bench [ROUNDS]
 */
#define _GNU_SOURCE /* ucontext */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include "tools/benchmarks/bench_clock.h"

#include "ref/greenlets/context.h"
#include "ref/greenlets/hub.h"
#include "ref/greenlets/stack.h"
#include "tools/benchmarks/greenlets_peers.h"

#define MAX_ROUNDS 64
#define SWITCHES 1000000L

/* ---- raw switch ---- */

static pn_context main_context, task_context;

static void bounce(void *arg, void *transfer) {
  (void)arg;
  for (;;) {
    transfer = pn_context_switch(&task_context, &main_context, transfer);
  }
}

static double time_raw_switch(pn_stack *stack) {
  pn_context_make(&task_context, stack->low, stack->size, bounce, NULL);
  double start = pn_bench_now_ns();
  for (long i = 0; i < SWITCHES / 2; i++) {
    pn_context_switch(&main_context, &task_context, NULL);
  }
  return (pn_bench_now_ns() - start) / SWITCHES;
}

static ucontext_t main_ucontext, task_ucontext;

static void bounce_ucontext(void) {
  for (;;) {
    swapcontext(&task_ucontext, &main_ucontext);
  }
}

static double time_swapcontext(pn_stack *stack) {
  getcontext(&task_ucontext);
  task_ucontext.uc_stack.ss_sp = stack->low;
  task_ucontext.uc_stack.ss_size = stack->size;
  task_ucontext.uc_link = NULL;
  makecontext(&task_ucontext, bounce_ucontext, 0);
  double start = pn_bench_now_ns();
  for (long i = 0; i < SWITCHES / 2; i++) {
    swapcontext(&main_ucontext, &task_ucontext);
  }
  return (pn_bench_now_ns() - start) / SWITCHES;
}

/* ---- through the hub ---- */

static const pn_exc *sleeper(pn_hub *hub, void *arg, pn_value *result) {
  (void)result;
  long count = *(long *)arg;
  for (long i = 0; i < count; i++) {
    pn_sleep(hub, 0);
  }
  return NULL;
}

static double time_sleep0(long count) {
  pn_hub *hub = pn_hub_new(NULL);
  pn_greenlet *g[2] = {pn_spawn(hub, sleeper, &count, "a"), pn_spawn(hub, sleeper, &count, "b")};
  double start = pn_bench_now_ns();
  pn_joinall(hub, g, 2, -1, NULL);
  double ns = (pn_bench_now_ns() - start) / (2.0 * (double)count);
  pn_hub_free(hub);
  return ns;
}

static const pn_exc *returns_at_once(pn_hub *hub, void *arg, pn_value *result) {
  (void)hub;
  result->ptr = arg;
  return NULL;
}

static double time_spawn_join(long count) {
  pn_hub *hub = pn_hub_new(NULL);
  double start = pn_bench_now_ns();
  for (long i = 0; i < count; i++) {
    pn_join(hub, pn_spawn(hub, returns_at_once, NULL, "f"), -1);
  }
  double ns = (pn_bench_now_ns() - start) / (double)count;
  pn_hub_free(hub);
  return ns;
}

static long resident_bytes(void) {
  long pages_total = 0, pages_resident = 0;
  FILE *statm = fopen("/proc/self/statm", "r");
  if (statm == NULL || fscanf(statm, "%ld %ld", &pages_total, &pages_resident) != 2) {
    pages_resident = 0;
  }
  if (statm != NULL) {
    fclose(statm);
  }
  return pages_resident * sysconf(_SC_PAGESIZE);
}

static const pn_exc *idles(pn_hub *hub, void *arg, pn_value *result) {
  (void)arg;
  (void)result;
  return pn_sleep(hub, 1000);
}

static double idle_bytes(long count, bool guarded) {
  pn_hub_options options = {.virtual_time = true, .unguarded = !guarded};
  long before = resident_bytes();
  pn_hub *hub = pn_hub_new(&options);
  for (long i = 0; i < count; i++) {
    pn_spawn(hub, idles, NULL, "idle");
  }
  pn_sleep(hub, 0); /* every greenlet starts and parks on its timer */
  double bytes = (double)(resident_bytes() - before) / (double)count;
  pn_hub_free(hub);
  return bytes;
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 7;
  if (rounds < 1 || rounds > MAX_ROUNDS) {
    fprintf(stderr, "usage: greenlets_bench [ROUNDS 1..%d]\n", MAX_ROUNDS);
    return 2;
  }
  pn_stack stack;
  if (pn_stack_map(&stack, 64 * 1024, true) != 0) {
    perror("greenlets_bench");
    return 1;
  }
  /* First, while the heap holds nothing freed that would hide new memory. */
  double idle = idle_bytes(100000, false);
  double idle_guarded = idle_bytes(20000, true);
  double raw[MAX_ROUNDS], fcontext[MAX_ROUNDS], swap[MAX_ROUNDS], sleep0[MAX_ROUNDS],
      spawn[MAX_ROUNDS];
  time_raw_switch(&stack); /* warm-up */
  for (int r = 0; r < rounds; r++) {
    raw[r] = time_raw_switch(&stack);
    fcontext[r] = pn_peer_jump_fcontext_ns(stack.low, stack.size, SWITCHES);
    swap[r] = time_swapcontext(&stack);
    sleep0[r] = time_sleep0(SWITCHES / 2);
    spawn[r] = time_spawn_join(200000);
  }
  printf("switch pyref %.2f\n", pn_bench_median(raw, rounds));
  printf("switch c:jump_fcontext %.2f\n", pn_bench_median(fcontext, rounds));
  printf("switch c:swapcontext %.2f\n", pn_bench_median(swap, rounds));
  printf("sleep0 pyref %.2f\n", pn_bench_median(sleep0, rounds));
  printf("spawn_join pyref %.2f\n", pn_bench_median(spawn, rounds));
  printf("idle_bytes pyref %.0f\n", idle);
  printf("idle_bytes_guard pyref %.0f\n", idle_guarded);
  pn_stack_unmap(&stack);
  return 0;
}
