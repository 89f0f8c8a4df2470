/*
 * The raw context switch under the greenlets: a few instructions that save
 * the callee-saved registers on the running stack, store its stack pointer,
 * load another and restore that stack's registers (x86-64 SysV and aarch64
 * AAPCS64; no signal mask, unlike swapcontext, so no system call).
 *
 * A context is just a saved stack pointer. Nothing here knows about
 * sanitizers or stacks' bounds: ref/greenlets/hub.c adds those.
 */
#ifndef PYNOTES_REF_GREENLETS_CONTEXT_H_
#define PYNOTES_REF_GREENLETS_CONTEXT_H_

#include <stddef.h>

typedef struct pn_context {
  void *sp; /* where the suspended stack's registers are saved */
} pn_context;

/* The first thing a new context runs: `arg` is the value given to
 * pn_context_make, `transfer` the one passed by the first switch into it.
 * It must never return (switch away for the last time instead). */
typedef void (*pn_context_entry)(void *arg, void *transfer);

/* Prepares `ctx` to run entry(arg, transfer) on the stack [stack, stack +
 * size) at its first switch. The stack must be 16-byte aligned at both ends
 * and at least 256 bytes. */
void pn_context_make(pn_context *ctx, void *stack, size_t size, pn_context_entry entry, void *arg);

/* Saves the running context into *from and resumes `to`; returns, when some
 * later switch comes back to *from, the `transfer` value that switch passed.
 * `to` must be a context made by pn_context_make or saved by a switch, and
 * not the running one. */
void *pn_context_switch(pn_context *from, const pn_context *to, void *transfer);

#endif /* PYNOTES_REF_GREENLETS_CONTEXT_H_ */
