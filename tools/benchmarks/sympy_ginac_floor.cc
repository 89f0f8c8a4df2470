// The floor of the sympy benchmark: the same four measurements with GiNaC
// (Debian's libginac-dev), printed as `NAME c:GiNaC NS` (median of ROUNDS).
//
//   sympy_ginac_floor [ROUNDS]
#include <ginac/ginac.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "tools/benchmarks/sympy_texts.h"

namespace {

double now_ns() {
  return std::chrono::duration<double, std::nano>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

template <typename F>
double median_ns(int rounds, F &&run) {
  std::vector<double> times;
  for (int r = 0; r < rounds; r++) {
    double start = now_ns();
    run();
    times.push_back(now_ns() - start);
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char **argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 7;
  if (rounds < 1) {
    return 2;
  }
  GiNaC::symbol x("x"), y("y"), z("z"), w("w");
  GiNaC::symtab table;
  table["x"] = x;
  table["y"] = y;
  table["z"] = z;
  table["w"] = w;
  volatile size_t sink = 0;
  for (int n : {10, 20, 30}) {
    double ns = median_ns(rounds, [&] {
      GiNaC::ex p = GiNaC::expand(GiNaC::pow(x + y + z + w, n));
      sink = sink + p.nops();
    });
    std::printf("expand/N%d c:GiNaC %.0f\n", n, ns);
  }
  char *text = pn_sympy_bench_text10k("^");
  GiNaC::ex poly = GiNaC::expand(GiNaC::pow(x + y + 1, 44));
  double subs_ns = median_ns(rounds, [&] { sink = sink + poly.subs(x == 2).nops(); });
  std::printf("subs/1000 c:GiNaC %.0f\n", subs_ns);
  std::string source(text);
  double parse_ns = median_ns(rounds, [&] {
    GiNaC::parser fresh(table);
    sink = sink + fresh(source).nops();
  });
  std::printf("sympify/10KB c:GiNaC %.0f\n", parse_ns);
  std::free(text);
  return 0;
}
