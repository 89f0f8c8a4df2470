/* The session arena and its error slot (arena.h). */
#include "ref/sympy/arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void sy_arena_init(sy_ctx *ctx, size_t limit) {
  memset(ctx, 0, sizeof *ctx);
  py_arena_init(&ctx->arena, limit);
}

void sy_arena_keep_rational(sy_ctx *ctx, sy_rational_link *link, mpq_ptr q) {
  link->q = q;
  link->next = ctx->rationals;
  ctx->rationals = link;
}

void sy_ctx_reset(sy_ctx *ctx) {
  for (sy_rational_link *link = ctx->rationals; link != NULL; link = link->next) {
    mpq_clear(link->q);
  }
  ctx->rationals = NULL;
  py_arena_reset(&ctx->arena);
  ctx->failed = false;
  ctx->error_type[0] = '\0';
  pn_strbuf_clear(&ctx->error_message);
}

void sy_ctx_free(sy_ctx *ctx) {
  sy_ctx_reset(ctx);
  pn_strbuf_free(&ctx->error_message);
}

void *sy_alloc(sy_ctx *ctx, size_t size) {
  void *p = py_arena_alloc(&ctx->arena, size);
  return p != NULL ? p : sy_fail(ctx, "MemoryError", "%s", "");
}

char *sy_strdup(sy_ctx *ctx, const char *s, size_t n) {
  char *copy = py_arena_strndup(&ctx->arena, s, n);
  return copy != NULL ? copy : sy_fail(ctx, "MemoryError", "%s", "");
}

void *sy_fail(sy_ctx *ctx, const char *type, const char *format, ...) {
  if (ctx->failed) {
    return NULL;
  }
  ctx->failed = true;
  snprintf(ctx->error_type, sizeof ctx->error_type, "%s", type);
  pn_strbuf_clear(&ctx->error_message);
  va_list args;
  va_start(args, format);
  (void)pn_strbuf_vprintf(&ctx->error_message, format, args);
  va_end(args);
  return NULL;
}
