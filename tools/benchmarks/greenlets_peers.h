/* The greenlets benchmark's C++ peer (greenlets_peers.cc): Boost.Context's
 * jump_fcontext (libboost-context-dev), the fastest context switch in Debian,
 * timed on the same ping-pong as pyref's pn_context_switch. */
#ifndef PYNOTES_TOOLS_BENCHMARKS_GREENLETS_PEERS_H_
#define PYNOTES_TOOLS_BENCHMARKS_GREENLETS_PEERS_H_

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Ping-pongs between the caller and a context on stack[0..size) (its low
 * end and size) switches times in all, by jump_fcontext; returns the
 * nanoseconds per switch. */
double pn_peer_jump_fcontext_ns(void *stack_low, size_t size, long switches);

#ifdef __cplusplus
}
#endif

#endif /* PYNOTES_TOOLS_BENCHMARKS_GREENLETS_PEERS_H_ */
