#ifndef DARKROOM_CDCMTK_H
#define DARKROOM_CDCMTK_H

// DCMTK 3.6 (Debian's libdcmtk-dev) behind a C interface. Each function is one call, or a fixed
// sequence of calls, into the toolkit; every decision (limits, windowing, colour conversion,
// what de-identification removes) is made in Swift. No C++ type crosses this header.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A parsed DICOM file: its meta header and data set, the pixel data not yet decoded.
typedef struct dr_dicom dr_dicom;

/// What the data set states about its pixel data (Image Pixel module), without decoding it.
typedef struct {
    uint16_t columns;
    uint16_t rows;
    int32_t frames;
    uint16_t samples_per_pixel;
    uint16_t bits_allocated;
    uint16_t bits_stored;
    uint16_t pixel_representation;
    uint16_t planar_configuration;
    /// Whether the data set has a Pixel Data element.
    int has_pixel_data;
} dr_dicom_geometry;

/// Parses `length` bytes as a DICOM file (Part 10, or a bare data set). NULL on failure, with
/// the toolkit's message in `error`.
dr_dicom *dr_dicom_read(const void *bytes, size_t length, char *error, size_t error_capacity);

/// Whether the toolkit's data dictionary is loaded (Debian installs it in /usr/share/libdcmtk17).
int dr_dicom_dictionary_loaded(void);

/// Releases a file.
void dr_dicom_free(dr_dicom *file);

/// The Image Pixel module's values; absent ones are 0 (frames: 1).
void dr_dicom_geometry_of(const dr_dicom *file, dr_dicom_geometry *out);

/// The value of the top-level element (group, element) as text, multiple values joined by
/// backslashes, written into `buffer` (NUL-terminated, cut at `capacity`). Returns the full
/// length, or -1 when the element is absent.
long dr_dicom_string(const dr_dicom *file, uint16_t group, uint16_t element, char *buffer, size_t capacity);

/// The 16-bit values of the top-level element (a lookup table's descriptor or data), copied into
/// `out` (at most `capacity`). Returns how many it holds, or -1 when absent or not 16-bit.
long dr_dicom_uint16s(const dr_dicom *file, uint16_t group, uint16_t element, uint16_t *out, size_t capacity);

/// Like `dr_dicom_uint16s`, for an element of the first item of the top-level sequence
/// (sequence_group, sequence_element): a VOI LUT Sequence's descriptor or data, say.
long dr_dicom_item_uint16s(const dr_dicom *file, uint16_t sequence_group, uint16_t sequence_element, uint16_t group,
                           uint16_t element, uint16_t *out, size_t capacity);

/// The UID of the transfer syntax the file was read in.
long dr_dicom_transfer_syntax(const dr_dicom *file, char *buffer, size_t capacity);

/// The byte length of the Pixel Data value as it is now: stored (native), or decoded after
/// `dr_dicom_decode`; -1 when absent or still encapsulated.
long dr_dicom_pixel_data_length(const dr_dicom *file);

/// Decodes the pixel data in place into explicit VR little endian, with the toolkit's JPEG,
/// JPEG-LS and RLE decoders. 0 on failure, with a message in `error`.
int dr_dicom_decode(dr_dicom *file, char *error, size_t error_capacity);

/// The (native or decoded) Pixel Data value in place, valid while the file lives and is not
/// edited; NULL when absent or encapsulated.
const void *dr_dicom_pixel_pointer(const dr_dicom *file, size_t *length);

/// Copies `count` bytes of the (native or decoded) Pixel Data value from `offset` into `out`.
/// 0 when the value is absent, encapsulated or shorter.
int dr_dicom_pixel_bytes(const dr_dicom *file, size_t offset, size_t count, void *out);

/// What `dr_dicom_edit`'s visitor answers for one element.
enum {
    DR_DICOM_KEEP = 0,
    /// Remove the element.
    DR_DICOM_REMOVE = 1,
    /// Replace its value with the text the visitor wrote into `replacement`.
    DR_DICOM_REPLACE = 2,
    /// Keep the element with an empty value (an empty sequence for SQ).
    DR_DICOM_EMPTY = 3,
};

/// Called for every element of the data set, sequences' items included (depth 0 is the top
/// level). `value` is the element's text (multiple values joined by backslashes), empty for
/// binary VRs and sequences.
typedef int (*dr_dicom_visitor)(void *context, int depth, uint16_t group, uint16_t element, const char *vr,
                                const char *value, char *replacement, size_t replacement_capacity);

/// Visits every element, then applies the visitor's answers (deepest first, so an edit inside
/// a sequence happens before the sequence itself is removed). 0 on failure, with a message.
int dr_dicom_edit(dr_dicom *file, dr_dicom_visitor visitor, void *context, char *error, size_t error_capacity);

/// Sets a top-level element to `value` (inserting it when absent). 0 on failure.
int dr_dicom_put_string(dr_dicom *file, uint16_t group, uint16_t element, const char *value);

/// Writes the file to `path` in the transfer syntax it was read in, its meta header updated to
/// the data set (SOP class and instance UIDs). 0 on failure, with a message.
int dr_dicom_save(dr_dicom *file, const char *path, char *error, size_t error_capacity);

/// The data set as DICOM JSON (PS3.18 F.2), without Pixel Data and without the `count`
/// elements whose (group, element) pairs `excluded` lists, into `buffer` (NUL-terminated, cut at
/// `capacity`). Returns the full length, or -1 on failure.
long dr_dicom_json(const dr_dicom *file, const uint16_t *excluded, size_t count, char *buffer, size_t capacity);

#ifdef __cplusplus
}
#endif

#endif
