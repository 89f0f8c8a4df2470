/*
 * Saving a frame as PNG with libpng.
 */
#ifndef PYNOTES_REF_WINDOW_PNG_WRITE_H_
#define PYNOTES_REF_WINDOW_PNG_WRITE_H_

#include <stddef.h>

/*
 * Writes width x height RGB pixels (3 bytes each, rows bottom to top as
 * glReadPixels returns them) to path as an 8-bit RGB PNG, top row first.
 * Returns 0, or -1 with the reason in error (error_size bytes).
 */
int pn_png_write_rgb(const char *path, const unsigned char *pixels, int width, int height,
                     char *error, size_t error_size);

#endif /* PYNOTES_REF_WINDOW_PNG_WRITE_H_ */
