#ifndef DARKROOM_CFFMPEG_H
#define DARKROOM_CFFMPEG_H

// FFmpeg 5.1 (Debian's libavformat-dev, libavcodec-dev, libswscale-dev) behind a small
// fixed-argument C interface. Each function is one step of FFmpeg's own sequence (open, seek,
// decode one frame, convert it); which frame to keep, limits and timing are decided in Swift.

#include <stddef.h>
#include <stdint.h>

/// The demuxers FFmpeg may use: the containers Darkroom sniffs as video (ISO BMFF, Matroska and
/// WebM, MPEG-TS, AVI). Without the list FFmpeg probes every format it has, and finds one in noise.
#define DR_VIDEO_CONTAINERS "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,mpegts,avi"

/// An opened video: its container read from memory, its best video stream's decoder open.
typedef struct dr_video dr_video;

/// What the container and the stream say, before any frame is decoded.
typedef struct {
    int width;
    int height;
    /// Seconds; 0 when unknown (a live stream).
    double duration;
    /// Frames per second (the stream's average rate); 0 when unknown.
    double fps;
    /// Degrees the display matrix turns the picture, counter-clockwise (0, 90, 180, 270…).
    double rotation;
    /// The decoder's short name (`h264`, `vp9`…), NUL-terminated.
    char codec[32];
} dr_video_info;

/// Opens `length` bytes (which must outlive the video) as a container and its best video
/// stream, decoded on one thread. A container that asks to open other files or URLs (HLS, concat
/// lists…) is refused. NULL on failure, with FFmpeg's message in `error`; `unsupported` is set
/// to 1 when the container holds a video stream that this FFmpeg has no decoder for.
dr_video *dr_video_open(const void *bytes, size_t length, int *unsupported, char *error, size_t error_capacity);

/// Opens a live stream (or any URL) that FFmpeg reads itself: only the protocols in the
/// comma-separated `protocols` (FFmpeg's whitelist, e.g. "udp" or "http,tcp"), only the
/// containers above and RTSP, a read that waits longer than `timeout_us` fails. The URL was
/// checked by the caller; nothing the stream names is opened. NULL on failure, as above.
dr_video *dr_video_open_url(const char *url, const char *protocols, int64_t timeout_us, int *unsupported, char *error,
                            size_t error_capacity);

/// Closes the video and frees everything it holds.
void dr_video_close(dr_video *video);

/// The stream's facts.
void dr_video_info_of(const dr_video *video, dr_video_info *out);

/// Seeks to the key frame at or before `seconds` and empties the decoder. 0 on failure.
int dr_video_seek(dr_video *video, double seconds);

/// Decodes the next frame of the stream: 1 with its time in `seconds`, 0 at the end, -1 on a
/// decoding error (message in `error`).
int dr_video_next_frame(dr_video *video, double *seconds, char *error, size_t error_capacity);

/// Whether the last decoded frame is a key frame, and whether the decoder flagged it corrupt
/// (a live stream joined between key frames decodes references it never had).
void dr_video_frame_state(const dr_video *video, int *key_frame, int *corrupt);

/// The size of the last decoded frame (which may differ from the stream's stated size).
void dr_video_frame_size(const dr_video *video, int *width, int *height);

/// Converts the last decoded frame to packed 8-bit RGB at `width` x `height` (scaled with
/// FFmpeg's area filter when that differs from the frame's size) into `out`, which holds
/// `capacity` bytes. 0 on failure.
int dr_video_frame_rgb(dr_video *video, int width, int height, void *out, size_t capacity);

/// The time of the last key frame at or before `seconds` that the container's index lists, or
/// -1 when the index does not say (then only decoding finds out).
double dr_video_keyframe_before(const dr_video *video, double seconds);

/// Whether the decoder may skip frames no other frame refers to (B-frames, mostly) and the
/// deblocking filter: 1 when frames are sampled sparsely and scaled down, so fewer are decoded,
/// faster (the small blocking this leaves disappears in the downscale); 0 (the default) to decode
/// every frame exactly.
void dr_video_skip_unreferenced(dr_video *video, int skip);

/// Makes the decoder skip every frame but key frames (until the next dr_video_skip_unreferenced).
void dr_video_key_frames_only(dr_video *video);

/// Keeps FFmpeg's own log to fatal errors: a failure reaches Darkroom as a message on the wire,
/// and a live stream joined between key frames would otherwise fill the server's log.
void dr_video_quiet(void);

/// An H.264 encoder writing an MP4 into memory.
typedef struct dr_encoder dr_encoder;

/// Opens an encoder for `width` x `height` packed RGB frames at `fps_num`/`fps_den` frames a
/// second, with libx264's constant rate factor `crf` (the picture is scaled to even sides,
/// which 4:2:0 needs). NULL on failure, with the reason in `error`.
dr_encoder *dr_encoder_open(int width, int height, int fps_num, int fps_den, int crf, char *error, size_t error_capacity);

/// Copies `source`'s audio (its best audio stream) into the file unchanged, packet for packet:
/// call before the first frame; `source` must stay open until the encoder is finished. 1 when
/// it will be copied, 2 when there is none an MP4 can hold, 0 on failure.
int dr_encoder_copy_audio(dr_encoder *encoder, dr_video *source, char *error, size_t error_capacity);

/// Encodes the next frame (`width * height * 3` bytes). 0 on failure.
int dr_encoder_write(dr_encoder *encoder, const void *rgb, size_t length, char *error, size_t error_capacity);

/// Flushes the encoder and finishes the file: `bytes` points at it (owned by the encoder, valid
/// until it is closed). 0 on failure.
int dr_encoder_finish(dr_encoder *encoder, const void **bytes, size_t *length, char *error, size_t error_capacity);

/// Frees the encoder and the file it wrote.
void dr_encoder_close(dr_encoder *encoder);

#endif
