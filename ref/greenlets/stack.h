/*
 * Greenlet stacks: mmap'd, lazily committed, with a PROT_NONE guard page below
 * each one, and a SIGSEGV handler (on an alternate signal stack) that turns a
 * guard-page hit into a clear message instead of silent corruption:
 *
 *   pyref: greenlet stack overflow (stack 0x..-0x.., fault at 0x..)
 *
 * after which the process dies of SIGSEGV, as it would have anyway.
 */
#ifndef PYNOTES_REF_GREENLETS_STACK_H_
#define PYNOTES_REF_GREENLETS_STACK_H_

#include <stdbool.h>
#include <stddef.h>

typedef struct pn_stack {
  void *base;    /* the whole mapping, guard page first */
  size_t mapped; /* its length */
  void *low;     /* usable stack: [low, low + size) */
  size_t size;
  bool guarded; /* a PROT_NONE page lies just below `low` */
} pn_stack;

/* Maps a stack of at least `size` usable bytes (rounded up to pages), with a
 * guard page below it when `guard` is true. Returns 0, or -1 with errno set
 * (ENOMEM: out of memory or of mappings, whose count vm.max_map_count
 * limits; a guarded stack takes two). */
int pn_stack_map(pn_stack *stack, size_t size, bool guard);

/* Unmaps a stack from pn_stack_map (no-op for a zeroed one). */
void pn_stack_unmap(pn_stack *stack);

/* Tells this thread's overflow handler which stack is running (NULL: none of
 * ours). The hub calls it on every switch into or out of a greenlet. */
void pn_stack_set_running(const pn_stack *stack);

/* Installs, once per process, the SIGSEGV/SIGBUS handler that recognises a
 * hit in (or up to 64 KiB below) the running stack's guard page; and, once
 * per thread, the alternate signal stack it runs on (an overflowed stack has
 * no room left for a handler). Other faults go to the handler that was there
 * before. Returns 0, or -1 if sigaltstack or sigaction failed. */
int pn_stack_install_overflow_handler(void);

#endif /* PYNOTES_REF_GREENLETS_STACK_H_ */
