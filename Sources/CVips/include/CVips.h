// Fixed-argument wrappers for libvips' variadic functions, which Swift cannot call.
// Each wrapper forwards its arguments unchanged; every decision is made in Swift.
#ifndef DARKROOM_CVIPS_H
#define DARKROOM_CVIPS_H

#include <vips/vips.h>

// --- loading (variadic: optional arguments) ---
VipsImage *dr_new_from_buffer(const void *buf, size_t len, const char *options, int access, int fail_on);
VipsImage *dr_new_from_file(const char *path, int access, int fail_on);
int dr_tiffload(const char *path, VipsImage **out, int page, int access, int fail_on);
int dr_thumbnail_buffer(void *buf, size_t len, VipsImage **out, int width, int height,
                        int size, int crop, gboolean no_rotate, const char *option_string);
int dr_thumbnail_image(VipsImage *in, VipsImage **out, int width, int height,
                       int size, int crop, gboolean no_rotate);

// --- resample ---
int dr_resize(VipsImage *in, VipsImage **out, double hscale, double vscale);
int dr_rotate(VipsImage *in, VipsImage **out, double angle, const double *bg, int n);

// --- conversion ---
int dr_extract_area(VipsImage *in, VipsImage **out, int left, int top, int width, int height);
int dr_smartcrop(VipsImage *in, VipsImage **out, int width, int height, int interesting);
int dr_autorot(VipsImage *in, VipsImage **out);
int dr_rot(VipsImage *in, VipsImage **out, int angle);
int dr_flip(VipsImage *in, VipsImage **out, int direction);
int dr_embed(VipsImage *in, VipsImage **out, int x, int y, int width, int height,
             const double *bg, int n);
int dr_flatten(VipsImage *in, VipsImage **out, const double *bg, int n);
int dr_cast(VipsImage *in, VipsImage **out, int format);
int dr_copy(VipsImage *in, VipsImage **out);
int dr_copy_interpretation(VipsImage *in, VipsImage **out, int interpretation);
int dr_maplut(VipsImage *in, VipsImage **out, VipsImage *lut);
int dr_recomb(VipsImage *in, VipsImage **out, VipsImage *matrix);
int dr_bandjoin_const1(VipsImage *in, VipsImage **out, double c);
int dr_extract_band(VipsImage *in, VipsImage **out, int band, int n);
int dr_composite2(VipsImage *base, VipsImage *overlay, VipsImage **out, int mode, int x, int y);
int dr_insert(VipsImage *main, VipsImage *sub, VipsImage **out, int x, int y);
int dr_draw_rect(VipsImage *image, const double *ink, int n, int left, int top, int width, int height, int fill);
int dr_max(VipsImage *in, double *out);
int dr_getpoint(VipsImage *in, double **vector, int *n, int x, int y);
int dr_find_trim(VipsImage *in, int *left, int *top, int *width, int *height,
                 double threshold, const double *bg, int n);

// --- the generic operation API (g_object_set/get are variadic), for operations that the
// headers Darkroom compiles against (8.14) do not declare ---
void dr_set_image(VipsOperation *operation, const char *name, VipsImage *value);
void dr_set_int(VipsOperation *operation, const char *name, int value);
void dr_set_double(VipsOperation *operation, const char *name, double value);
void dr_set_string(VipsOperation *operation, const char *name, const char *value);
void dr_get_image(VipsOperation *operation, const char *name, VipsImage **value);

// --- arithmetic and colour ---
int dr_linear(VipsImage *in, VipsImage **out, const double *a, const double *b, int n);
int dr_colourspace(VipsImage *in, VipsImage **out, int space);
int dr_icc_transform(VipsImage *in, VipsImage **out, const char *output_profile,
                     const char *input_profile, gboolean embedded);

// --- convolution ---
int dr_gaussblur(VipsImage *in, VipsImage **out, double sigma);
int dr_sharpen(VipsImage *in, VipsImage **out, double sigma);

// --- saving ---
// `metadata` names the option that keeps or drops metadata: "keep" (flags, libvips 8.15 and
// later) or "strip" (a boolean, older libvips); Swift picks which.
int dr_jpegsave_buffer(VipsImage *in, void **buf, size_t *len, int quality,
                       gboolean interlace, gboolean optimize_coding, int subsample_mode,
                       const char *metadata, int metadata_value);
int dr_pngsave_buffer(VipsImage *in, void **buf, size_t *len, int compression,
                      gboolean palette, int quality, gboolean interlace, const char *metadata, int metadata_value);
int dr_webpsave_buffer(VipsImage *in, void **buf, size_t *len, int quality,
                       gboolean lossless, int effort, const char *metadata, int metadata_value);
int dr_heifsave_buffer(VipsImage *in, void **buf, size_t *len, int quality, int effort,
                       int compression, const char *metadata, int metadata_value);
int dr_tiffsave_buffer(VipsImage *in, void **buf, size_t *len, int compression, int quality,
                       gboolean tile, int tile_width, int tile_height, gboolean pyramid,
                       const char *metadata, int metadata_value);
int dr_gifsave_buffer(VipsImage *in, void **buf, size_t *len, int effort, const char *metadata, int metadata_value);

#endif
