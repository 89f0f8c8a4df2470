#include "ref/window/label.h"

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include FT_FREETYPE_H

/* pyglet.font.freetype's resolution since pyglet 1.1. */
#define PYGLET_DPI 96

int pn_label_find_font(const char *family, char *path, size_t path_size, char *error) {
  /* A configuration of our own, destroyed below: fontconfig's implicit
   * default one would stay allocated until exit. */
  FcConfig *config = FcInitLoadConfigAndFonts();
  FcPattern *pattern = config != NULL ? FcPatternCreate() : NULL;
  if (pattern == NULL) {
    if (config != NULL) {
      FcConfigDestroy(config);
    }
    snprintf(error, PN_LABEL_ERROR_MAX, "window: fontconfig failed to start");
    return -1;
  }
  FcPatternAddString(pattern, FC_FAMILY, (const FcChar8 *)family);
  FcPatternAddInteger(pattern, FC_WEIGHT, FC_WEIGHT_REGULAR);
  FcPatternAddInteger(pattern, FC_SLANT, FC_SLANT_ROMAN);
  FcConfigSubstitute(config, pattern, FcMatchPattern);
  FcDefaultSubstitute(pattern);
  FcResult result = FcResultNoMatch;
  FcPattern *match = FcFontMatch(config, pattern, &result);
  FcPatternDestroy(pattern);
  FcChar8 *file = NULL;
  int status = -1;
  if (match != NULL && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch) {
    if (strlen((const char *)file) < path_size) {
      strcpy(path, (const char *)file);
      status = 0;
    } else {
      snprintf(error, PN_LABEL_ERROR_MAX, "window: font path too long: %s", (const char *)file);
    }
  } else {
    snprintf(error, PN_LABEL_ERROR_MAX,
             "window: no font matches '%s' (fontconfig found no fonts: install fonts-liberation)",
             family);
  }
  if (match != NULL) {
    FcPatternDestroy(match);
  }
  FcConfigDestroy(config);
  return status;
}

/* Python's // on ints: rounds toward negative infinity. */
static int floor_div(int a, int b) {
  int q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Decodes the next UTF-8 code point at *s, advancing it. Returns the code
 * point, or -1 for a malformed sequence. */
static long next_code_point(const unsigned char **s) {
  const unsigned char *p = *s;
  long value;
  int extra;
  if (p[0] < 0x80) {
    value = p[0];
    extra = 0;
  } else if (p[0] >= 0xC2 && p[0] < 0xE0) {
    value = p[0] & 0x1F;
    extra = 1;
  } else if (p[0] >= 0xE0 && p[0] < 0xF0) {
    value = p[0] & 0x0F;
    extra = 2;
  } else if (p[0] >= 0xF0 && p[0] < 0xF5) {
    value = p[0] & 0x07;
    extra = 3;
  } else {
    return -1;
  }
  for (int i = 1; i <= extra; i++) {
    if ((p[i] & 0xC0) != 0x80) {
      return -1;
    }
    value = (value << 6) | (p[i] & 0x3F);
  }
  static const long kSmallest[] = {0, 0x80, 0x800, 0x10000};
  if (value < kSmallest[extra] || value > 0x10FFFF || (value >= 0xD800 && value < 0xE000)) {
    return -1;
  }
  *s = p + extra + 1;
  return value;
}

void pn_label_free(pn_label *label) {
  for (size_t i = 0; i < label->glyph_count; i++) {
    free(label->glyphs[i].coverage);
  }
  free(label->glyphs);
  memset(label, 0, sizeof *label);
}

/* Appends the glyph FreeType rendered into slot at pen position pen_x (its
 * baseline at y 0 for now). Returns 0 or -1 (no memory). */
static int add_glyph(pn_label *label, FT_GlyphSlot slot, int pen_x) {
  const FT_Bitmap *bitmap = &slot->bitmap;
  pn_label_glyph glyph = {
      .x = pen_x + slot->bitmap_left,
      /* pyglet's glyph baseline is rows - bitmap_top; its bottom edge sits
       * that far below the line's baseline. */
      .y = -((int)bitmap->rows - slot->bitmap_top),
      .width = (int)bitmap->width,
      .height = (int)bitmap->rows,
  };
  size_t size = (size_t)glyph.width * (size_t)glyph.height;
  if (size > 0) {
    glyph.coverage = malloc(size);
    if (glyph.coverage == NULL) {
      return -1;
    }
    for (int row = 0; row < glyph.height; row++) {
      const unsigned char *source = bitmap->buffer + (ptrdiff_t)row * bitmap->pitch;
      if (bitmap->pixel_mode == FT_PIXEL_MODE_MONO) {
        /* As pyglet's _convert_mono_to_gray_bitmap. */
        for (int column = 0; column < glyph.width; column++) {
          int bit = (source[column / 8] >> (7 - column % 8)) & 1;
          glyph.coverage[(size_t)row * (size_t)glyph.width + (size_t)column] = bit ? 255 : 0;
        }
      } else {
        memcpy(glyph.coverage + (size_t)row * (size_t)glyph.width, source, (size_t)glyph.width);
      }
    }
  }
  pn_label_glyph *grown = realloc(label->glyphs, (label->glyph_count + 1) * sizeof *grown);
  if (grown == NULL) {
    free(glyph.coverage);
    return -1;
  }
  label->glyphs = grown;
  label->glyphs[label->glyph_count++] = glyph;
  return 0;
}

/* Lays the glyphs out from pen position 0 on baseline 0; fills content_width. */
static int layout_glyphs(FT_Face face, const char *text, pn_label *label, char *error) {
  const unsigned char *cursor = (const unsigned char *)text;
  int pen_x = 0;
  while (*cursor != 0) {
    long code_point = next_code_point(&cursor);
    if (code_point < 0) {
      snprintf(error, PN_LABEL_ERROR_MAX, "window: the label's text is not UTF-8");
      return -1;
    }
    FT_UInt index = FT_Get_Char_Index(face, (FT_ULong)code_point);
    FT_Error failure = FT_Load_Glyph(face, index, FT_LOAD_RENDER);
    if (failure != 0) {
      snprintf(error, PN_LABEL_ERROR_MAX, "window: FreeType cannot render U+%04lX (error %d)",
               code_point, failure);
      return -1;
    }
    if (face->glyph->bitmap.pixel_mode != FT_PIXEL_MODE_GRAY &&
        face->glyph->bitmap.pixel_mode != FT_PIXEL_MODE_MONO) {
      snprintf(error, PN_LABEL_ERROR_MAX, "window: unsupported glyph bitmap mode %d",
               face->glyph->bitmap.pixel_mode);
      return -1;
    }
    if (add_glyph(label, face->glyph, pen_x) != 0) {
      snprintf(error, PN_LABEL_ERROR_MAX, "window: out of memory");
      return -1;
    }
    /* pyglet keeps int(advance.x / 64): whole pixels, truncated. */
    pen_x += (int)(face->glyph->advance.x / 64);
  }
  label->content_width = pen_x;
  return 0;
}

int pn_label_layout(const char *font_path, const char *text, double points, int center_x,
                    int center_y, pn_label *label, char *error) {
  memset(label, 0, sizeof *label);
  FT_Library library;
  if (FT_Init_FreeType(&library) != 0) {
    snprintf(error, PN_LABEL_ERROR_MAX, "window: FreeType failed to start");
    return -1;
  }
  FT_Face face;
  int status = -1;
  if (FT_New_Face(library, font_path, 0, &face) != 0) {
    snprintf(error, PN_LABEL_ERROR_MAX, "window: FreeType cannot read the font %s", font_path);
    FT_Done_FreeType(library);
    return -1;
  }
  if (FT_Set_Char_Size(face, 0, (FT_F26Dot6)(points * 64), PYGLET_DPI, PYGLET_DPI) != 0) {
    snprintf(error, PN_LABEL_ERROR_MAX, "window: the font %s has no %g pt size", font_path, points);
  } else if (layout_glyphs(face, text, label, error) == 0) {
    /* int(f26p6_to_float(...)): truncated toward zero. */
    label->ascent = (int)(face->size->metrics.ascender / 64);
    label->descent = (int)(face->size->metrics.descender / 64);
    /* TextLayout._get_left and _get_top for one line without a height: the
     * top is y + ascent // 2 - descent // 4, the baseline one ascent below. */
    int left = center_x - floor_div(label->content_width, 2);
    int top = center_y + floor_div(label->ascent, 2) - floor_div(label->descent, 4);
    int baseline = top - label->ascent;
    for (size_t i = 0; i < label->glyph_count; i++) {
      label->glyphs[i].x += left;
      label->glyphs[i].y += baseline;
    }
    status = 0;
  }
  if (status != 0) {
    pn_label_free(label);
  }
  FT_Done_Face(face);
  FT_Done_FreeType(library);
  return status;
}
