#define _GNU_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE, MAP_STACK */
#include "ref/greenlets/stack.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define PN_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PN_ASAN 1
#endif
#endif
#ifdef PN_ASAN
#include <sanitizer/asan_interface.h>
#endif

/* A fault this far below the guard page still counts as an overflow: one big
 * frame can step over a single page. */
enum { kGuardReach = 64 * 1024 };

static __thread const pn_stack *running_stack;
static __thread void *alternate_stack;
static struct sigaction previous_segv, previous_bus;
static int handler_installed;

static size_t page_size(void) {
  long page = sysconf(_SC_PAGESIZE);
  return page > 0 ? (size_t)page : 4096;
}

int pn_stack_map(pn_stack *stack, size_t size, bool guard) {
  size_t page = page_size();
  size_t usable = (size + page - 1) / page * page;
  size_t mapped = usable + (guard ? page : 0);
  void *base = mmap(NULL, mapped, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  if (base == MAP_FAILED) {
    return -1;
  }
  if (guard && mprotect(base, page, PROT_NONE) != 0) {
    int saved = errno;
    munmap(base, mapped);
    errno = saved;
    return -1;
  }
#ifdef PN_ASAN
  /* munmap leaves ASan's shadow as it was: a stack unmapped with frames on
   * it would poison whatever is mapped at that address next. */
  __asan_unpoison_memory_region(base, mapped);
#endif
  stack->base = base;
  stack->mapped = mapped;
  stack->low = (char *)base + (guard ? page : 0);
  stack->size = usable;
  stack->guarded = guard;
  return 0;
}

void pn_stack_unmap(pn_stack *stack) {
  if (stack->base != NULL) {
#ifdef PN_ASAN
    __asan_unpoison_memory_region(stack->base, stack->mapped);
#endif
    munmap(stack->base, stack->mapped);
  }
  memset(stack, 0, sizeof *stack);
}

void pn_stack_set_running(const pn_stack *stack) {
  running_stack = stack;
}

/* Writes a number in hex with only async-signal-safe calls. */
static size_t format_hex(char *out, uintptr_t value) {
  char digits[2 * sizeof value];
  size_t n = 0;
  do {
    digits[n++] = "0123456789abcdef"[value & 15];
    value >>= 4;
  } while (value != 0);
  out[0] = '0';
  out[1] = 'x';
  for (size_t i = 0; i < n; i++) {
    out[2 + i] = digits[n - 1 - i];
  }
  return n + 2;
}

static void append(char *buffer, size_t *len, const char *text) {
  size_t n = strlen(text);
  memcpy(buffer + *len, text, n);
  *len += n;
}

static void on_fault(int signal_number, siginfo_t *info, void *ucontext) {
  const pn_stack *stack = running_stack;
  uintptr_t fault = (uintptr_t)info->si_addr;
  if (stack != NULL && stack->guarded) {
    uintptr_t low = (uintptr_t)stack->low;
    if (fault < low && fault + kGuardReach >= low) {
      char message[160];
      size_t len = 0;
      append(message, &len, "pyref: greenlet stack overflow (stack ");
      len += format_hex(message + len, low);
      append(message, &len, "-");
      len += format_hex(message + len, low + stack->size);
      append(message, &len, ", fault at ");
      len += format_hex(message + len, fault);
      append(message, &len, ")\n");
      ssize_t ignored = write(STDERR_FILENO, message, len);
      (void)ignored;
      /* Die of the signal: the default action on return re-faults. */
      signal(signal_number, SIG_DFL);
      return;
    }
  }
  /* Not ours: hand the fault to whoever handled it before (ASan, or the
   * default action, which the re-executed instruction then triggers). */
  const struct sigaction *previous = signal_number == SIGBUS ? &previous_bus : &previous_segv;
  if (previous->sa_flags & SA_SIGINFO) {
    if (previous->sa_sigaction != NULL) {
      previous->sa_sigaction(signal_number, info, ucontext);
      return;
    }
  } else if (previous->sa_handler != SIG_DFL && previous->sa_handler != SIG_IGN &&
             previous->sa_handler != NULL) {
    previous->sa_handler(signal_number);
    return;
  }
  signal(signal_number, SIG_DFL);
}

int pn_stack_install_overflow_handler(void) {
  if (alternate_stack == NULL) {
    /* Generous: sanitizers' handlers run on it too. */
    size_t size = 64 * 1024;
    void *memory = malloc(size);
    if (memory == NULL) {
      return -1;
    }
    stack_t alternate = {.ss_sp = memory, .ss_size = size, .ss_flags = 0};
    if (sigaltstack(&alternate, NULL) != 0) {
      free(memory);
      return -1;
    }
    alternate_stack = memory;
  }
  if (__atomic_exchange_n(&handler_installed, 1, __ATOMIC_ACQ_REL) == 0) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_fault;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGSEGV, &action, &previous_segv) != 0 ||
        sigaction(SIGBUS, &action, &previous_bus) != 0) {
      return -1;
    }
  }
  return 0;
}
