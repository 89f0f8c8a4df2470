/*
 * Reading a frame saved as PNG (any PNG libpng reads) as 8-bit RGB.
 */
#ifndef PYNOTES_CONFORMANCE_WINDOW_PNG_READ_H_
#define PYNOTES_CONFORMANCE_WINDOW_PNG_READ_H_

#include <stddef.h>

typedef struct pn_rgb_image {
  int width;
  int height;
  unsigned char *pixels; /* width*height*3 bytes, top row first */
} pn_rgb_image;

/* Reads the PNG at path into *image (palette, grey, 16-bit and alpha are
 * converted; alpha is dropped). Returns 0, or -1 with the reason in error
 * (error_size bytes) and *image empty. Free with pn_rgb_image_free. */
int pn_png_read_rgb(const char *path, pn_rgb_image *image, char *error, size_t error_size);

void pn_rgb_image_free(pn_rgb_image *image);

#endif /* PYNOTES_CONFORMANCE_WINDOW_PNG_READ_H_ */
