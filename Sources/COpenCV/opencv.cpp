// Forwarding only: see include/COpenCV.h. Exceptions never cross into Swift.
#include "COpenCV.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include <opencv2/calib3d.hpp>
#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/features2d.hpp>
#include <opencv2/objdetect.hpp>
#include <opencv2/quality.hpp>
#include <opencv2/video/tracking.hpp>

namespace {
void copy_error(const char *message, char *error, size_t error_size) {
    if (error == nullptr || error_size == 0) return;
    std::strncpy(error, message, error_size - 1);
    error[error_size - 1] = '\0';
}
}

extern "C" void dr_cv_set_threads(int count) { cv::setNumThreads(count); }

extern "C" const char *dr_cv_version(void) { return CV_VERSION; }

extern "C" int dr_cv_orb(const uint8_t *pixels, int width, int height, size_t stride,
                         int max_features, float scale_factor, int levels, int edge_threshold, int fast_threshold,
                         float *xy, float *response, uint8_t *descriptors, int capacity,
                         char *error, size_t error_size) {
    try {
        // A view of the caller's pixels: no copy.
        cv::Mat image(height, width, CV_8UC1, const_cast<uint8_t *>(pixels), stride);
        auto orb = cv::ORB::create(max_features, scale_factor, levels, edge_threshold, 0, 2,
                                   cv::ORB::HARRIS_SCORE, edge_threshold, fast_threshold);
        std::vector<cv::KeyPoint> keypoints;
        cv::Mat found;
        orb->detectAndCompute(image, cv::noArray(), keypoints, found);
        int count = std::min<int>(static_cast<int>(keypoints.size()), capacity);
        for (int i = 0; i < count; i++) {
            xy[2 * i] = keypoints[i].pt.x;
            xy[2 * i + 1] = keypoints[i].pt.y;
            response[i] = keypoints[i].response;
            std::memcpy(descriptors + 32 * i, found.ptr<uint8_t>(i), 32);
        }
        return count;
    } catch (const std::exception &exception) {
        copy_error(exception.what(), error, error_size);
        return -1;
    }
}

extern "C" int dr_cv_find_homography(const float *source_xy, const float *destination_xy, int count, int method,
                                     double reprojection_threshold, int max_iterations, double confidence,
                                     double *homography, uint8_t *inliers, char *error, size_t error_size) {
    try {
        cv::Mat source(count, 1, CV_32FC2, const_cast<float *>(source_xy));
        cv::Mat destination(count, 1, CV_32FC2, const_cast<float *>(destination_xy));
        cv::Mat mask;
        cv::Mat found = cv::findHomography(source, destination, method, reprojection_threshold, mask,
                                           max_iterations, confidence);
        if (found.empty()) return 0;
        for (int i = 0; i < 9; i++) homography[i] = found.at<double>(i / 3, i % 3);
        for (int i = 0; i < count; i++) inliers[i] = mask.empty() ? 0 : mask.at<uint8_t>(i);
        return 1;
    } catch (const std::exception &exception) {
        copy_error(exception.what(), error, error_size);
        return -1;
    }
}

extern "C" int dr_cv_estimate_similarity(const float *source_xy, const float *destination_xy, int count,
                                         double reprojection_threshold, int max_iterations, double confidence,
                                         double *matrix, uint8_t *inliers, char *error, size_t error_size) {
    try {
        cv::Mat source(count, 1, CV_32FC2, const_cast<float *>(source_xy));
        cv::Mat destination(count, 1, CV_32FC2, const_cast<float *>(destination_xy));
        cv::Mat mask;
        cv::Mat found = cv::estimateAffinePartial2D(source, destination, mask, cv::RANSAC, reprojection_threshold,
                                                    static_cast<size_t>(max_iterations), confidence);
        if (found.empty()) return 0;
        for (int i = 0; i < 6; i++) matrix[i] = found.at<double>(i / 3, i % 3);
        for (int i = 0; i < count; i++) inliers[i] = mask.empty() ? 0 : mask.at<uint8_t>(i);
        return 1;
    } catch (const std::exception &exception) {
        copy_error(exception.what(), error, error_size);
        return -1;
    }
}

extern "C" int dr_cv_find_transform_ecc(const uint8_t *reference, const uint8_t *input, int width, int height,
                                        size_t stride, int motion, double *warp, int iterations, double epsilon,
                                        double *correlation, char *error, size_t error_size) {
    try {
        cv::Mat templateImage(height, width, CV_8UC1, const_cast<uint8_t *>(reference), stride);
        cv::Mat inputImage(height, width, CV_8UC1, const_cast<uint8_t *>(input), stride);
        int rows = motion == cv::MOTION_HOMOGRAPHY ? 3 : 2;
        cv::Mat matrix(rows, 3, CV_32F);
        for (int i = 0; i < rows * 3; i++) matrix.at<float>(i / 3, i % 3) = static_cast<float>(warp[i]);
        *correlation = cv::findTransformECC(templateImage, inputImage, matrix, motion,
                                            cv::TermCriteria(cv::TermCriteria::COUNT | cv::TermCriteria::EPS,
                                                             iterations, epsilon),
                                            cv::noArray(), 5);
        for (int i = 0; i < rows * 3; i++) warp[i] = matrix.at<float>(i / 3, i % 3);
        if (rows == 2) { warp[6] = 0; warp[7] = 0; warp[8] = 1; }
        return 1;
    } catch (const cv::Exception &exception) {
        // OpenCV reports a search that diverged or never converged as StsNoConv.
        if (exception.code == cv::Error::StsNoConv) return 0;
        copy_error(exception.what(), error, error_size);
        return -1;
    } catch (const std::exception &exception) {
        copy_error(exception.what(), error, error_size);
        return -1;
    }
}

struct dr_cv_net {
    cv::dnn::Net net;
};

extern "C" dr_cv_net *dr_cv_net_read_onnx(const char *path, char *error, size_t error_size) {
    try {
        auto *handle = new dr_cv_net{cv::dnn::readNetFromONNX(path)};
        handle->net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        handle->net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
        return handle;
    } catch (const std::exception &exception) {
        copy_error(exception.what(), error, error_size);
        return nullptr;
    }
}

extern "C" void dr_cv_net_free(dr_cv_net *net) { delete net; }

extern "C" long dr_cv_net_forward(dr_cv_net *net, const char *input_name, const float *input, const int *shape,
                                  int dimensions, const char *const *output_names, int output_count, float *output,
                                  size_t capacity, int *output_shapes, int *output_dimensions, char *error,
                                  size_t error_size) {
    try {
        // A view of the caller's tensor: no copy until OpenCV's own.
        cv::Mat blob(dimensions, shape, CV_32F, const_cast<float *>(input));
        net->net.setInput(blob, input_name == nullptr ? "" : input_name);
        std::vector<cv::Mat> results;
        if (output_count == 0) {
            results.push_back(net->net.forward());
        } else {
            std::vector<cv::String> names(output_names, output_names + output_count);
            net->net.forward(results, names);
        }
        size_t written = 0;
        for (size_t i = 0; i < results.size(); i++) {
            cv::Mat result = results[i].isContinuous() ? results[i] : results[i].clone();
            output_dimensions[i] = std::min(result.dims, 8);
            for (int d = 0; d < output_dimensions[i]; d++) output_shapes[8 * i + d] = result.size[d];
            size_t total = result.total();
            if (written + total <= capacity) std::memcpy(output + written, result.ptr<float>(), total * sizeof(float));
            written += total;
        }
        return static_cast<long>(written);
    } catch (const std::exception &exception) {
        copy_error(exception.what(), error, error_size);
        return -1;
    }
}

struct dr_cv_cascade {
    cv::CascadeClassifier classifier;
};

extern "C" dr_cv_cascade *dr_cv_cascade_load(const char *path, char *error, size_t error_size) {
    try {
        auto *handle = new dr_cv_cascade{};
        if (!handle->classifier.load(path)) {
            delete handle;
            copy_error("not a cascade classifier OpenCV can read", error, error_size);
            return nullptr;
        }
        return handle;
    } catch (const std::exception &exception) {
        copy_error(exception.what(), error, error_size);
        return nullptr;
    }
}

extern "C" void dr_cv_cascade_free(dr_cv_cascade *cascade) { delete cascade; }

extern "C" int dr_cv_cascade_detect(dr_cv_cascade *cascade, const uint8_t *pixels, int width, int height, size_t stride,
                                    double scale_factor, int min_neighbours, int min_size, int *boxes, int *neighbours,
                                    int capacity, char *error, size_t error_size) {
    try {
        cv::Mat image(height, width, CV_8UC1, const_cast<uint8_t *>(pixels), stride);
        std::vector<cv::Rect> found;
        std::vector<int> levels;
        cascade->classifier.detectMultiScale(image, found, levels, scale_factor, min_neighbours, 0,
                                             cv::Size(min_size, min_size));
        int count = std::min<int>(static_cast<int>(found.size()), capacity);
        for (int i = 0; i < count; i++) {
            boxes[4 * i] = found[i].x;
            boxes[4 * i + 1] = found[i].y;
            boxes[4 * i + 2] = found[i].width;
            boxes[4 * i + 3] = found[i].height;
            neighbours[i] = i < static_cast<int>(levels.size()) ? levels[i] : 0;
        }
        return count;
    } catch (const std::exception &exception) {
        copy_error(exception.what(), error, error_size);
        return -1;
    }
}

extern "C" int dr_cv_brisque(const uint8_t *pixels, int width, int height, size_t stride, const char *model, const char *range,
                             double *score, char *error, size_t error_size) {
    try {
        cv::Mat image(height, width, CV_8UC1, const_cast<uint8_t *>(pixels), stride);
        *score = cv::quality::QualityBRISQUE::compute(image, model, range)[0];
        return 0;
    } catch (const std::exception &exception) {
        copy_error(exception.what(), error, error_size);
        return -1;
    }
}
