#include "ref/window/png_write.h"

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <string.h>

/* libpng reports errors by longjmp; the jump buffer lives in png_struct, so
 * nothing here needs to survive it but the FILE, closed by the caller. */
static int write_rows(FILE *file, const unsigned char *pixels, int width, int height, char *error,
                      size_t error_size) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  png_infop info = png != NULL ? png_create_info_struct(png) : NULL;
  if (info == NULL) {
    png_destroy_write_struct(&png, NULL);
    snprintf(error, error_size, "out of memory");
    return -1;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    snprintf(error, error_size, "libpng failed to write the image");
    return -1;
  }
  png_init_io(png, file);
  png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, PNG_COLOR_TYPE_RGB,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int row = height - 1; row >= 0; row--) {
    png_write_row(png, pixels + (size_t)row * (size_t)width * 3);
  }
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return 0;
}

int pn_png_write_rgb(const char *path, const unsigned char *pixels, int width, int height,
                     char *error, size_t error_size) {
  FILE *file = fopen(path, "wb");
  if (file == NULL) {
    snprintf(error, error_size, "cannot write %s: %s", path, strerror(errno));
    return -1;
  }
  int status = write_rows(file, pixels, width, height, error, error_size);
  if (fclose(file) != 0 && status == 0) {
    snprintf(error, error_size, "cannot write %s: %s", path, strerror(errno));
    status = -1;
  }
  return status;
}
