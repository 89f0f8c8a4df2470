/* The session arena and its error slot (expr.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref/sympy/expr.h"

typedef struct sy_block {
  struct sy_block *next;
  size_t used, size;
  max_align_t data[];
} sy_block;

enum { BLOCK_BYTES = 64 * 1024 };

void sy_ctx_init(sy_ctx *ctx, size_t limit) {
  memset(ctx, 0, sizeof *ctx);
  ctx->limit = limit;
}

void sy_ctx_reset(sy_ctx *ctx) {
  for (sy_expr *e = ctx->numbers; e != NULL; e = e->next_number) {
    mpq_clear(e->q);
  }
  ctx->numbers = NULL;
  sy_block *b = ctx->blocks;
  while (b != NULL) {
    sy_block *next = b->next;
    free(b);
    b = next;
  }
  ctx->blocks = NULL;
  ctx->bytes = 0;
  ctx->failed = false;
  ctx->error_type[0] = '\0';
  pn_strbuf_clear(&ctx->error_message);
}

void sy_ctx_free(sy_ctx *ctx) {
  sy_ctx_reset(ctx);
  pn_strbuf_free(&ctx->error_message);
}

void *sy_alloc(sy_ctx *ctx, size_t size) {
  size = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
  sy_block *b = ctx->blocks;
  if (b == NULL || b->size - b->used < size) {
    size_t want = size > BLOCK_BYTES ? size : BLOCK_BYTES;
    if (ctx->bytes + want > ctx->limit || want > ctx->limit) {
      return sy_fail(ctx, "MemoryError", "%s", "");
    }
    b = malloc(sizeof *b + want);
    if (b == NULL) {
      return sy_fail(ctx, "MemoryError", "%s", "");
    }
    b->size = want;
    b->used = 0;
    b->next = ctx->blocks;
    ctx->blocks = b;
    ctx->bytes += want;
  }
  void *p = (char *)b->data + b->used;
  b->used += size;
  memset(p, 0, size);
  return p;
}

char *sy_strdup(sy_ctx *ctx, const char *s, size_t n) {
  char *copy = sy_alloc(ctx, n + 1);
  if (copy != NULL) {
    memcpy(copy, s, n);
  }
  return copy;
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
