// The OpenCV calls Darkroom makes, behind a C interface: Swift cannot call C++ templates or
// catch C++ exceptions. Each function forwards its arguments to one OpenCV call, catches its
// exception into `error`, and copies the result into the caller's buffers; every decision is
// made in Swift (module Vision). No C++ type crosses this header.
#ifndef DARKROOM_COPENCV_H
#define DARKROOM_COPENCV_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// OpenCV's own worker threads (0: none; the caller's pool provides the parallelism).
void dr_cv_set_threads(int count);

/// The OpenCV version, "4.6.0".
const char *dr_cv_version(void);

/// cv::ORB::detectAndCompute on one 8-bit plane of `width`×`height` pixels, rows `stride`
/// bytes apart. Writes at most `capacity` keypoints: `xy` (2 floats each), `response` (1 float
/// each) and `descriptors` (32 bytes each). Returns how many, or -1 with a message in `error`.
int dr_cv_orb(const uint8_t *pixels, int width, int height, size_t stride,
              int max_features, float scale_factor, int levels, int edge_threshold, int fast_threshold,
              float *xy, float *response, uint8_t *descriptors, int capacity,
              char *error, size_t error_size);

/// cv::findHomography from `count` point pairs (2 floats each) by `method` (OpenCV's own
/// constant: RANSAC is 8, USAC_DEFAULT 32, …). Writes the 3×3 matrix, row by row, into
/// `homography` and 1 or 0 per pair into `inliers`. Returns 1 when a homography was found, 0
/// when none was, or -1 with a message in `error`.
int dr_cv_find_homography(const float *source_xy, const float *destination_xy, int count, int method,
                          double reprojection_threshold, int max_iterations, double confidence,
                          double *homography, uint8_t *inliers, char *error, size_t error_size);

/// cv::estimateAffinePartial2D by RANSAC: the similarity (rotation, uniform scale, translation)
/// that takes `count` source points (2 floats each) to their destinations. Writes the 2×3
/// matrix, row by row, into `matrix` and 1 or 0 per pair into `inliers`. Returns 1 when one was
/// found, 0 when none was, or -1 with a message in `error`.
int dr_cv_estimate_similarity(const float *source_xy, const float *destination_xy, int count, double reprojection_threshold,
                              int max_iterations, double confidence, double *matrix, uint8_t *inliers,
                              char *error, size_t error_size);

/// cv::findTransformECC: the warp of `motion` (OpenCV's constant: 0 translation, 1 euclidean,
/// 2 affine, 3 homography) that best maps `input` onto `reference`, both 8-bit planes of
/// `width`×`height` pixels rows `stride` bytes apart. `warp` (9 doubles, row by row) is the
/// starting guess and receives the result. Stops after `iterations` or a step under `epsilon`.
/// Writes the correlation reached into `correlation`. Returns 1, or 0 when the search did not
/// converge, or -1 with a message in `error` for any other failure.
int dr_cv_find_transform_ecc(const uint8_t *reference, const uint8_t *input, int width, int height, size_t stride,
                             int motion, double *warp, int iterations, double epsilon, double *correlation,
                             char *error, size_t error_size);

/// A network read by cv::dnn (opaque to Swift).
typedef struct dr_cv_net dr_cv_net;

/// cv::dnn::readNetFromONNX on the file at `path`, to run on OpenCV's own CPU backend. Returns
/// the network, or NULL with a message in `error`. Free it with dr_cv_net_free.
dr_cv_net *dr_cv_net_read_onnx(const char *path, char *error, size_t error_size);

void dr_cv_net_free(dr_cv_net *net);

/// One forward pass: `input` (float32, `dimensions` sizes in `shape`, row-major) set as the
/// input `input_name`, then the outputs named in `output_names` computed (`output_count` of
/// them; 0: the network's first unconnected output alone). Writes the outputs one after
/// another into `output` while they fit in `capacity` floats, each one's shape into 8 slots of
/// `output_shapes` and its rank into `output_dimensions`. Returns the element count of all
/// outputs together (which may exceed `capacity`: then nothing past it was written), or -1 with
/// a message in `error`. Not safe to call on one network from two threads at once.
long dr_cv_net_forward(dr_cv_net *net, const char *input_name, const float *input, const int *shape, int dimensions,
                       const char *const *output_names, int output_count, float *output, size_t capacity,
                       int *output_shapes, int *output_dimensions, char *error, size_t error_size);

/// A cascade classifier read by cv::CascadeClassifier (opaque to Swift).
typedef struct dr_cv_cascade dr_cv_cascade;

/// cv::CascadeClassifier::load on the XML file at `path` (Haar or LBP). Returns the classifier,
/// or NULL with a message in `error`. Free it with dr_cv_cascade_free.
dr_cv_cascade *dr_cv_cascade_load(const char *path, char *error, size_t error_size);

void dr_cv_cascade_free(dr_cv_cascade *cascade);

/// cv::CascadeClassifier::detectMultiScale on one 8-bit plane of `width`×`height` pixels, rows
/// `stride` bytes apart. Writes at most `capacity` boxes into `boxes` (x, y, width, height each)
/// and as many neighbour counts into `neighbours`. Returns how many, or -1 with a message in
/// `error`. Not safe to call on one classifier from two threads at once.
int dr_cv_cascade_detect(dr_cv_cascade *cascade, const uint8_t *pixels, int width, int height, size_t stride,
                         double scale_factor, int min_neighbours, int min_size, int *boxes, int *neighbours, int capacity,
                         char *error, size_t error_size);

/// cv::quality::QualityBRISQUE::compute on one 8-bit grey plane of `width`×`height` pixels, rows
/// `stride` bytes apart, with the model and range files at `model` and `range`. Writes the score
/// (0 best, about 100 worst) into `score`. Returns 0, or -1 with a message in `error`.
int dr_cv_brisque(const uint8_t *pixels, int width, int height, size_t stride, const char *model, const char *range,
                  double *score, char *error, size_t error_size);

#ifdef __cplusplus
}
#endif

#endif
