/*
 * A pyglet 1.5 text.Label as pixels: the font that fontconfig matches for a
 * family name, each glyph rendered by FreeType as pyglet's FreeType renderer
 * does (FT_Set_Char_Size at 96 dpi, FT_LOAD_RENDER), and placed as
 * pyglet.text.layout.TextLayout places a single-line label anchored at its
 * center. No OpenGL here: the window draws the glyphs it returns.
 */
#ifndef PYNOTES_REF_WINDOW_LABEL_H_
#define PYNOTES_REF_WINDOW_LABEL_H_

#include <stddef.h>

/* One glyph's coverage, placed in window pixels with pyglet's origin at the
 * bottom left: columns x .. x+width-1, rows y .. y+height-1. */
typedef struct pn_label_glyph {
  int x;
  int y;
  int width;
  int height;
  unsigned char *coverage; /* width*height bytes, FreeType's rows: top row first */
} pn_label_glyph;

typedef struct pn_label {
  size_t glyph_count;
  pn_label_glyph *glyphs; /* in drawing order */
  int content_width;      /* sum of the advances, as pyglet's content_width */
  int ascent;             /* the font's, as pyglet's FreeTypeFontMetrics */
  int descent;
} pn_label;

/* Room for an error message. */
#define PN_LABEL_ERROR_MAX 512

/*
 * Writes to path (path_size bytes) the file of the font fontconfig matches
 * for `family` (as pyglet's fontconfig lookup: regular weight, roman slant).
 * Returns 0, or -1 with the reason in error (PN_LABEL_ERROR_MAX bytes) when no
 * font matches, as when no font is installed.
 */
int pn_label_find_font(const char *family, char *path, size_t path_size, char *error);

/*
 * Lays out `text` (ASCII or UTF-8) in the font file font_path at `points` pt
 * and 96 dpi, centred on (center_x, center_y) as pyglet's anchor_x='center'
 * and anchor_y='center' do, into *label. Returns 0, or -1 with the reason in
 * error (a font FreeType cannot read, a malformed UTF-8 sequence, no memory);
 * *label is then empty. Free it with pn_label_free.
 */
int pn_label_layout(const char *font_path, const char *text, double points, int center_x,
                    int center_y, pn_label *label, char *error);

/* Frees what *label holds; it is empty afterwards. */
void pn_label_free(pn_label *label);

#endif /* PYNOTES_REF_WINDOW_LABEL_H_ */
