// Each function exists because the libvips call it forwards to is variadic
// (NULL-terminated optional arguments), which Swift cannot call directly.
#include "CVips.h"

VipsImage *dr_new_from_buffer(const void *buf, size_t len, const char *options, int access, int fail_on) {
    return vips_image_new_from_buffer(buf, len, options, "access", access, "fail_on", fail_on, NULL);
}

int dr_tiffload(const char *path, VipsImage **out, int page, int access, int fail_on) {
    return vips_tiffload(path, out, "page", page, "access", access, "fail_on", fail_on, NULL);
}

VipsImage *dr_new_from_file(const char *path, int access, int fail_on) {
    return vips_image_new_from_file(path, "access", access, "fail_on", fail_on, NULL);
}

int dr_thumbnail_buffer(void *buf, size_t len, VipsImage **out, int width, int height,
                        int size, int crop, gboolean no_rotate, const char *option_string) {
    return vips_thumbnail_buffer(buf, len, out, width, "height", height, "size", size,
                                 "crop", crop, "no_rotate", no_rotate,
                                 "option_string", option_string, NULL);
}

int dr_thumbnail_image(VipsImage *in, VipsImage **out, int width, int height,
                       int size, int crop, gboolean no_rotate) {
    return vips_thumbnail_image(in, out, width, "height", height, "size", size,
                                "crop", crop, "no_rotate", no_rotate, NULL);
}

int dr_resize(VipsImage *in, VipsImage **out, double hscale, double vscale) {
    return vips_resize(in, out, hscale, "vscale", vscale, NULL);
}

// The background array is owned here only for the duration of the call.
int dr_rotate(VipsImage *in, VipsImage **out, double angle, const double *bg, int n) {
    VipsArrayDouble *background = vips_array_double_new(bg, n);
    int result = vips_rotate(in, out, angle, "background", background, NULL);
    vips_area_unref(VIPS_AREA(background));
    return result;
}

int dr_extract_area(VipsImage *in, VipsImage **out, int left, int top, int width, int height) {
    return vips_extract_area(in, out, left, top, width, height, NULL);
}

int dr_smartcrop(VipsImage *in, VipsImage **out, int width, int height, int interesting) {
    return vips_smartcrop(in, out, width, height, "interesting", interesting, NULL);
}

int dr_autorot(VipsImage *in, VipsImage **out) {
    return vips_autorot(in, out, NULL);
}

int dr_rot(VipsImage *in, VipsImage **out, int angle) {
    return vips_rot(in, out, angle, NULL);
}

int dr_flip(VipsImage *in, VipsImage **out, int direction) {
    return vips_flip(in, out, direction, NULL);
}

int dr_embed(VipsImage *in, VipsImage **out, int x, int y, int width, int height,
             const double *bg, int n) {
    VipsArrayDouble *background = vips_array_double_new(bg, n);
    int result = vips_embed(in, out, x, y, width, height, "extend", VIPS_EXTEND_BACKGROUND,
                            "background", background, NULL);
    vips_area_unref(VIPS_AREA(background));
    return result;
}

int dr_flatten(VipsImage *in, VipsImage **out, const double *bg, int n) {
    VipsArrayDouble *background = vips_array_double_new(bg, n);
    int result = vips_flatten(in, out, "background", background, NULL);
    vips_area_unref(VIPS_AREA(background));
    return result;
}

int dr_cast(VipsImage *in, VipsImage **out, int format) {
    return vips_cast(in, out, format, NULL);
}

int dr_copy(VipsImage *in, VipsImage **out) {
    return vips_copy(in, out, NULL);
}

int dr_copy_interpretation(VipsImage *in, VipsImage **out, int interpretation) {
    return vips_copy(in, out, "interpretation", interpretation, NULL);
}

int dr_maplut(VipsImage *in, VipsImage **out, VipsImage *lut) {
    return vips_maplut(in, out, lut, NULL);
}

int dr_recomb(VipsImage *in, VipsImage **out, VipsImage *matrix) {
    return vips_recomb(in, out, matrix, NULL);
}

void dr_set_image(VipsOperation *operation, const char *name, VipsImage *value) {
    g_object_set(operation, name, value, NULL);
}

void dr_set_int(VipsOperation *operation, const char *name, int value) {
    g_object_set(operation, name, value, NULL);
}

void dr_set_double(VipsOperation *operation, const char *name, double value) {
    g_object_set(operation, name, value, NULL);
}

void dr_set_string(VipsOperation *operation, const char *name, const char *value) {
    g_object_set(operation, name, value, NULL);
}

void dr_get_image(VipsOperation *operation, const char *name, VipsImage **value) {
    g_object_get(operation, name, value, NULL);
}

int dr_max(VipsImage *in, double *out) {
    return vips_max(in, out, NULL);
}

int dr_bandjoin_const1(VipsImage *in, VipsImage **out, double c) {
    return vips_bandjoin_const1(in, out, c, NULL);
}

int dr_extract_band(VipsImage *in, VipsImage **out, int band, int n) {
    return vips_extract_band(in, out, band, "n", n, NULL);
}

int dr_composite2(VipsImage *base, VipsImage *overlay, VipsImage **out, int mode, int x, int y) {
    return vips_composite2(base, overlay, out, mode, "x", x, "y", y, NULL);
}

int dr_insert(VipsImage *main, VipsImage *sub, VipsImage **out, int x, int y) {
    return vips_insert(main, sub, out, x, y, NULL);
}

int dr_draw_rect(VipsImage *image, const double *ink, int n, int left, int top, int width, int height, int fill) {
    return vips_draw_rect(image, (double *) ink, n, left, top, width, height, "fill", fill, NULL);
}

int dr_getpoint(VipsImage *in, double **vector, int *n, int x, int y) {
    return vips_getpoint(in, vector, n, x, y, NULL);
}

int dr_find_trim(VipsImage *in, int *left, int *top, int *width, int *height,
                 double threshold, const double *bg, int n) {
    VipsArrayDouble *background = vips_array_double_new(bg, n);
    int result = vips_find_trim(in, left, top, width, height, "threshold", threshold,
                                "background", background, NULL);
    vips_area_unref(VIPS_AREA(background));
    return result;
}

int dr_linear(VipsImage *in, VipsImage **out, const double *a, const double *b, int n) {
    return vips_linear(in, out, a, b, n, NULL);
}

int dr_colourspace(VipsImage *in, VipsImage **out, int space) {
    return vips_colourspace(in, out, space, NULL);
}

int dr_icc_transform(VipsImage *in, VipsImage **out, const char *output_profile,
                     const char *input_profile, gboolean embedded) {
    return vips_icc_transform(in, out, output_profile, "input_profile", input_profile,
                              "embedded", embedded, "intent", VIPS_INTENT_PERCEPTUAL, NULL);
}

int dr_gaussblur(VipsImage *in, VipsImage **out, double sigma) {
    return vips_gaussblur(in, out, sigma, NULL);
}

int dr_sharpen(VipsImage *in, VipsImage **out, double sigma) {
    return vips_sharpen(in, out, "sigma", sigma, NULL);
}

int dr_jpegsave_buffer(VipsImage *in, void **buf, size_t *len, int quality,
                       gboolean interlace, gboolean optimize_coding, int subsample_mode,
                       const char *metadata, int metadata_value) {
    return vips_jpegsave_buffer(in, buf, len, "Q", quality, "interlace", interlace,
                                "optimize_coding", optimize_coding,
                                "subsample_mode", subsample_mode, metadata, metadata_value, NULL);
}

int dr_pngsave_buffer(VipsImage *in, void **buf, size_t *len, int compression,
                      gboolean palette, int quality, gboolean interlace, const char *metadata, int metadata_value) {
    return vips_pngsave_buffer(in, buf, len, "compression", compression, "palette", palette,
                               "Q", quality, "interlace", interlace, metadata, metadata_value, NULL);
}

int dr_webpsave_buffer(VipsImage *in, void **buf, size_t *len, int quality,
                       gboolean lossless, int effort, const char *metadata, int metadata_value) {
    return vips_webpsave_buffer(in, buf, len, "Q", quality, "lossless", lossless,
                                "effort", effort, metadata, metadata_value, NULL);
}

int dr_heifsave_buffer(VipsImage *in, void **buf, size_t *len, int quality, int effort,
                       int compression, const char *metadata, int metadata_value) {
    return vips_heifsave_buffer(in, buf, len, "Q", quality, "effort", effort,
                                "compression", compression, metadata, metadata_value, NULL);
}

int dr_tiffsave_buffer(VipsImage *in, void **buf, size_t *len, int compression, int quality,
                       gboolean tile, int tile_width, int tile_height, gboolean pyramid,
                       const char *metadata, int metadata_value) {
    return vips_tiffsave_buffer(in, buf, len, "compression", compression, "Q", quality,
                                "tile", tile, "tile_width", tile_width,
                                "tile_height", tile_height, "pyramid", pyramid,
                                metadata, metadata_value, NULL);
}

int dr_gifsave_buffer(VipsImage *in, void **buf, size_t *len, int effort, const char *metadata, int metadata_value) {
    return vips_gifsave_buffer(in, buf, len, "effort", effort, metadata, metadata_value, NULL);
}
