#include "ref/greenlets/context.h"

#include <stdint.h>
#include <string.h>

/* pn_context_switch(from, to, transfer) saves the callee-saved registers of
 * the ABI on the running stack, stores that stack pointer in from->sp,
 * switches to to->sp, restores its registers and returns `transfer` there.
 * pn_context_start is where a fresh context "returns" to: it calls
 * entry(arg, transfer) from registers that pn_context_make preset. */
#if defined(__x86_64__)

/* Frame, from the saved sp up: r15, r14, r13, r12, rbx, rbp, return address.
 * The MXCSR and x87 control words (callee-saved too, by the letter of the
 * ABI) are not switched, as minicoro does not: nothing here changes rounding
 * modes, and ldmxcsr + fldcw would nearly double the cost of a switch.
 * It leaves by popq + jmpq *%r8 (r8 is caller-saved), as Boost's
 * jump_fcontext does, not by ret: a ret on the other stack never matches the
 * call that the CPU's return-address predictor remembers, so every switch
 * mispredicted (about 10 ns a switch with ret, 3.7 with the jump, measured
 * on this machine's x86-64). */
__asm__(
    ".text\n"
    ".globl pn_context_switch\n"
    ".type pn_context_switch,@function\n"
    "pn_context_switch:\n"
    "  pushq %rbp\n"
    "  pushq %rbx\n"
    "  pushq %r12\n"
    "  pushq %r13\n"
    "  pushq %r14\n"
    "  pushq %r15\n"
    "  movq %rsp, (%rdi)\n"
    "  movq (%rsi), %rsp\n"
    "  popq %r15\n"
    "  popq %r14\n"
    "  popq %r13\n"
    "  popq %r12\n"
    "  popq %rbx\n"
    "  popq %rbp\n"
    "  movq %rdx, %rax\n"
    "  popq %r8\n"
    "  jmpq *%r8\n"
    ".size pn_context_switch,.-pn_context_switch\n"
    ".globl pn_context_start\n"
    ".hidden pn_context_start\n"
    ".type pn_context_start,@function\n"
    "pn_context_start:\n"
    "  movq %r13, %rdi\n"
    "  movq %rax, %rsi\n"
    "  callq *%r12\n"
    "  ud2\n"
    ".size pn_context_start,.-pn_context_start\n");

enum { kFrameWords = 7 };

#elif defined(__aarch64__)

/* Frame, from the saved sp up: x19..x30 (x29 frame pointer, x30 return
 * address), then d8..d15. */
__asm__(
    ".text\n"
    ".globl pn_context_switch\n"
    ".type pn_context_switch,%function\n"
    "pn_context_switch:\n"
    "  sub sp, sp, #160\n"
    "  stp x19, x20, [sp, #0]\n"
    "  stp x21, x22, [sp, #16]\n"
    "  stp x23, x24, [sp, #32]\n"
    "  stp x25, x26, [sp, #48]\n"
    "  stp x27, x28, [sp, #64]\n"
    "  stp x29, x30, [sp, #80]\n"
    "  stp d8, d9, [sp, #96]\n"
    "  stp d10, d11, [sp, #112]\n"
    "  stp d12, d13, [sp, #128]\n"
    "  stp d14, d15, [sp, #144]\n"
    "  mov x9, sp\n"
    "  str x9, [x0]\n"
    "  ldr x9, [x1]\n"
    "  mov sp, x9\n"
    "  ldp x19, x20, [sp, #0]\n"
    "  ldp x21, x22, [sp, #16]\n"
    "  ldp x23, x24, [sp, #32]\n"
    "  ldp x25, x26, [sp, #48]\n"
    "  ldp x27, x28, [sp, #64]\n"
    "  ldp x29, x30, [sp, #80]\n"
    "  ldp d8, d9, [sp, #96]\n"
    "  ldp d10, d11, [sp, #112]\n"
    "  ldp d12, d13, [sp, #128]\n"
    "  ldp d14, d15, [sp, #144]\n"
    "  add sp, sp, #160\n"
    "  mov x0, x2\n"
    "  ret\n"
    ".size pn_context_switch,.-pn_context_switch\n"
    ".globl pn_context_start\n"
    ".hidden pn_context_start\n"
    ".type pn_context_start,%function\n"
    "pn_context_start:\n"
    "  mov x1, x0\n"
    "  mov x0, x20\n"
    "  blr x19\n"
    "  brk #0\n"
    ".size pn_context_start,.-pn_context_start\n");

enum { kFrameWords = 20 };

#else
#error "ref/greenlets has a context switch for x86-64 and aarch64 only"
#endif

/* Global but hidden: a PIE's C code takes its address through the GOT, and
 * on aarch64 a GOT entry for a file-local symbol lost its offset in the
 * section (binutils 2.40), so the first switch into a new context "returned"
 * into pn_context_switch itself and crashed (found under qemu-aarch64). */
extern void pn_context_start(void);

void pn_context_make(pn_context *ctx, void *stack, size_t size, pn_context_entry entry, void *arg) {
  uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
  /* 16 spare bytes above the frame keep the entry's stack aligned. */
  uintptr_t *frame = (uintptr_t *)(top - 16) - kFrameWords;
  memset(frame, 0, kFrameWords * sizeof *frame);
#if defined(__x86_64__)
  frame[2] = (uintptr_t)arg;              /* r13 */
  frame[3] = (uintptr_t)entry;            /* r12 */
  frame[5] = 0;                           /* rbp: ends frame-pointer chains */
  frame[6] = (uintptr_t)pn_context_start; /* return address */
#else
  frame[0] = (uintptr_t)entry;             /* x19 */
  frame[1] = (uintptr_t)arg;               /* x20 */
  frame[10] = 0;                           /* x29 */
  frame[11] = (uintptr_t)pn_context_start; /* x30 */
#endif
  ctx->sp = frame;
}
