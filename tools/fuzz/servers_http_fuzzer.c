/* libFuzzer target: the servers note's HTTP request parser (Twisted's
 * HTTPChannel, ref/servers/http_channel.h) given any bytes, split into
 * reads at points the first byte picks, never crashes, leaks or loops, keeps
 * what it buffers bounded, and yields only well-formed requests. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ref/servers/http_channel.h"

/* The most one read can leave buffered: a line of PN_LINES_MAX_LENGTH plus
 * its end, then one more read. */
#define MAX_BUFFERED(read_len) (PN_LINES_MAX_LENGTH + 2 + (read_len))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) {
    return 0;
  }
  size_t chunk = (size_t)data[0] * 7 + 1;
  data++;
  size--;
  pn_http_channel channel;
  pn_http_channel_init(&channel);
  for (size_t at = 0; at < size;) {
    size_t n = size - at < chunk ? size - at : chunk;
    if (pn_http_channel_feed(&channel, (const char *)data + at, n) != 0) {
      break;
    }
    at += n;
    for (int events = 0;; events++) {
      pn_http_event event = pn_http_channel_next(&channel);
      if (event == PN_HTTP_NEED_MORE) {
        break;
      }
      if (events > (int)size + 2) {
        __builtin_trap(); /* more events than bytes: a loop */
      }
      if (event == PN_HTTP_REQUEST &&
          (channel.method.len == 0 || channel.uri.len == 0 || channel.version.len == 0 ||
           strlen(channel.method.data) > channel.method.len)) {
        __builtin_trap();
      }
    }
    if (!channel.done && !channel.in_body && pn_lines_buffered(&channel.lines) > MAX_BUFFERED(n)) {
      __builtin_trap();
    }
  }
  pn_http_channel_free(&channel);
  return 0;
}
