// Forwarding only: see include/COpenCV.h. Exceptions never cross into Swift.
#include "COpenCV.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include <opencv2/calib3d.hpp>
#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/features2d.hpp>
#include <opencv2/quality.hpp>

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
                                  int dimensions, const char *output_name, float *output, size_t capacity,
                                  int *output_shape, int *output_dimensions, char *error, size_t error_size) {
    try {
        // A view of the caller's tensor: no copy until OpenCV's own.
        cv::Mat blob(dimensions, shape, CV_32F, const_cast<float *>(input));
        net->net.setInput(blob, input_name == nullptr ? "" : input_name);
        cv::Mat result = output_name == nullptr ? net->net.forward() : net->net.forward(output_name);
        if (!result.isContinuous()) result = result.clone();
        *output_dimensions = std::min(result.dims, 8);
        for (int i = 0; i < *output_dimensions; i++) output_shape[i] = result.size[i];
        size_t total = result.total();
        std::memcpy(output, result.ptr<float>(), std::min(total, capacity) * sizeof(float));
        return static_cast<long>(total);
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
