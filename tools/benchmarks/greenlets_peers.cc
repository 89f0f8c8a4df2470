#include "tools/benchmarks/greenlets_peers.h"

#include <boost/context/detail/fcontext.hpp>

#include "tools/benchmarks/bench_clock.h"

namespace fcontext = boost::context::detail;

namespace {

/* The other side: jumps straight back to whoever jumped to it, forever. */
void bounce(fcontext::transfer_t transfer) {
  for (;;) {
    transfer = fcontext::jump_fcontext(transfer.fctx, transfer.data);
  }
}

}  // namespace

double pn_peer_jump_fcontext_ns(void *stack_low, size_t size, long switches) {
  /* make_fcontext takes the stack's top: it grows down. */
  fcontext::fcontext_t other =
      fcontext::make_fcontext(static_cast<char *>(stack_low) + size, size, bounce);
  double start = pn_bench_now_ns();
  for (long i = 0; i < switches / 2; i++) {
    other = fcontext::jump_fcontext(other, nullptr).fctx;
  }
  return (pn_bench_now_ns() - start) / static_cast<double>(switches);
}
