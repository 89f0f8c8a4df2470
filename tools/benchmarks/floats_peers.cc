#include "tools/benchmarks/floats_peers.h"

#include <double-conversion/double-conversion.h>
#include <fast_float/fast_float.h>
#include <fmt/compile.h>
#include <fmt/format.h>

#include <limits>
#include <system_error>

double pn_peer_fast_float_read(char *const *texts, const size_t *lengths, int count) {
  double total = 0;
  for (int i = 0; i < count; i++) {
    double x = 0;
    fast_float::from_chars(texts[i], texts[i] + lengths[i], x);
    total += x;
  }
  return total;
}

double pn_peer_fast_float_value(const char *text, size_t length) {
  double x = 0;
  fast_float::from_chars_result result = fast_float::from_chars(text, text + length, x);
  if (result.ec != std::errc() || result.ptr != text + length) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  return x;
}

double pn_peer_double_conversion_read(char *const *texts, const size_t *lengths, int count) {
  const double_conversion::StringToDoubleConverter converter(
      double_conversion::StringToDoubleConverter::NO_FLAGS, 0.0,
      std::numeric_limits<double>::quiet_NaN(), "inf", "nan");
  double total = 0;
  for (int i = 0; i < count; i++) {
    int used = 0;
    total += converter.StringToDouble(texts[i], static_cast<int>(lengths[i]), &used);
  }
  return total;
}

unsigned pn_peer_fmt_repr(const double *values, int count) {
  char text[32];
  unsigned total = 0;
  for (int i = 0; i < count; i++) {
    char *end = fmt::format_to(text, FMT_COMPILE("{}"), values[i]);
    total += static_cast<unsigned>(end - text) + static_cast<unsigned char>(text[0]);
  }
  return total;
}

unsigned pn_peer_double_conversion_repr(const double *values, int count) {
  const double_conversion::DoubleToStringConverter &converter =
      double_conversion::DoubleToStringConverter::EcmaScriptConverter();
  char text[32];
  unsigned total = 0;
  for (int i = 0; i < count; i++) {
    double_conversion::StringBuilder builder(text, sizeof text);
    converter.ToShortest(values[i], &builder);
    total += static_cast<unsigned>(builder.position()) + static_cast<unsigned char>(text[0]);
  }
  return total;
}
