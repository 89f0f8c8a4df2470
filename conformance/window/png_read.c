#include "conformance/window/png_read.h"

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pn_rgb_image_free(pn_rgb_image *image) {
  free(image->pixels);
  memset(image, 0, sizeof *image);
}

int pn_png_read_rgb(const char *path, pn_rgb_image *image, char *error, size_t error_size) {
  memset(image, 0, sizeof *image);
  png_image png;
  memset(&png, 0, sizeof png);
  png.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&png, path)) {
    snprintf(error, error_size, "cannot read %s: %s", path, png.message);
    return -1;
  }
  png.format = PNG_FORMAT_RGB;
  /* A frame is at most a screen: refuse sizes that could overflow. */
  if (png.width == 0 || png.height == 0 || png.width > 16384 || png.height > 16384) {
    snprintf(error, error_size, "%s: unexpected size %ux%u", path, png.width, png.height);
    png_image_free(&png);
    return -1;
  }
  size_t size = PNG_IMAGE_SIZE(png);
  image->pixels = malloc(size);
  if (image->pixels == NULL) {
    png_image_free(&png);
    snprintf(error, error_size, "out of memory");
    return -1;
  }
  if (!png_image_finish_read(&png, NULL, image->pixels, 0, NULL)) {
    snprintf(error, error_size, "cannot read %s: %s", path, png.message);
    pn_rgb_image_free(image);
    return -1;
  }
  image->width = (int)png.width;
  image->height = (int)png.height;
  return 0;
}
