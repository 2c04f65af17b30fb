// Calls into FFmpeg for Darkroom's Video module. See include/CFFmpeg.h: no decisions here,
// only FFmpeg's own sequence of calls (and reading the container from memory).

#include "CFFmpeg.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

struct dr_video {
    const uint8_t *bytes;
    size_t length;
    int64_t position;
    AVIOContext *io;
    AVFormatContext *format;
    AVCodecContext *decoder;
    AVPacket *packet;
    AVFrame *frame;
    int stream;
    int draining;
    /// A live stream's URL opens once (the input itself); every other open is refused.
    int opens;
    int (*default_open)(struct AVFormatContext *, AVIOContext **, const char *, int, AVDictionary **);
};

static void copy_message(const char *message, char *error, size_t capacity) {
    if (error == NULL || capacity == 0) return;
    strncpy(error, message, capacity - 1);
    error[capacity - 1] = '\0';
}

static void copy_av_error(int code, char *error, size_t capacity) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {0};
    av_strerror(code, text, sizeof text);
    copy_message(text, error, capacity);
}

// FFmpeg's read callback over a buffer of `length` bytes read at `*position`.
static int read_from_buffer(const uint8_t *bytes, size_t length, int64_t *position, uint8_t *buffer, int size) {
    if (*position >= (int64_t)length) return AVERROR_EOF;
    int64_t left = (int64_t)length - *position;
    int count = size < left ? size : (int)left;
    memcpy(buffer, bytes + *position, count);
    *position += count;
    return count;
}

static int read_bytes(void *opaque, uint8_t *buffer, int size) {
    dr_video *video = opaque;
    return read_from_buffer(video->bytes, video->length, &video->position, buffer, size);
}

// FFmpeg's seek callback over a buffer of `length` bytes read or written at `*position`.
static int64_t seek_in_buffer(int64_t *position, size_t length, int64_t offset, int whence) {
    int64_t target;
    switch (whence & ~AVSEEK_FORCE) {
    case AVSEEK_SIZE: return (int64_t)length;
    case SEEK_SET: target = offset; break;
    case SEEK_CUR: target = *position + offset; break;
    case SEEK_END: target = (int64_t)length + offset; break;
    default: return -1;
    }
    if (target < 0 || target > (int64_t)length) return -1;
    *position = target;
    return target;
}

static int64_t seek_bytes(void *opaque, int64_t offset, int whence) {
    dr_video *video = opaque;
    return seek_in_buffer(&video->position, video->length, offset, whence);
}

// Containers may name other files or URLs to read (HLS playlists, concat lists, image
// sequences): the video is only ever the bytes it was given, so every such open fails.
static int refuse_nested_open(struct AVFormatContext *format, AVIOContext **pb, const char *url, int flags,
                              AVDictionary **options) {
    (void)format; (void)pb; (void)url; (void)flags; (void)options;
    return AVERROR(EPERM);
}

// A live stream: the input's own URL is opened (once, by FFmpeg's default opener, with the
// protocol whitelist); anything the stream then names is refused as for bytes.
static int open_input_once(struct AVFormatContext *format, AVIOContext **pb, const char *url, int flags,
                           AVDictionary **options) {
    dr_video *video = format->opaque;
    if (video->opens++ > 0) return AVERROR(EPERM);
    return video->default_open(format, pb, url, flags, options);
}

void dr_video_quiet(void) { av_log_set_level(AV_LOG_FATAL); }

double dr_video_keyframe_before(const dr_video *video, double seconds) {
    AVStream *stream = video->format->streams[video->stream];
    int64_t target = (int64_t)(seconds / av_q2d(stream->time_base));
    const AVIndexEntry *entry = avformat_index_get_entry_from_timestamp(stream, target, AVSEEK_FLAG_BACKWARD);
    return entry ? entry->timestamp * av_q2d(stream->time_base) : -1;
}

void dr_video_skip_unreferenced(dr_video *video, int skip) {
    video->decoder->skip_frame = skip ? AVDISCARD_NONREF : AVDISCARD_DEFAULT;
    video->decoder->skip_loop_filter = skip ? AVDISCARD_ALL : AVDISCARD_DEFAULT;
}

void dr_video_key_frames_only(dr_video *video) {
    video->decoder->skip_frame = AVDISCARD_NONKEY;
    video->decoder->skip_loop_filter = AVDISCARD_DEFAULT;
}

static dr_video *open_decoder(dr_video *video, int *unsupported, char *error, size_t error_capacity) {
    int status = avformat_find_stream_info(video->format, NULL);
    if (status < 0) { copy_av_error(status, error, error_capacity); dr_video_close(video); return NULL; }
    const AVCodec *codec = NULL;
    video->stream = av_find_best_stream(video->format, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (video->stream < 0 || codec == NULL) {
        *unsupported = video->stream == AVERROR_DECODER_NOT_FOUND;
        copy_message(*unsupported ? "no decoder in this build for the video's codec" : "no video stream", error, error_capacity);
        dr_video_close(video);
        return NULL;
    }
    video->decoder = avcodec_alloc_context3(codec);
    video->packet = av_packet_alloc();
    video->frame = av_frame_alloc();
    if (video->decoder == NULL || video->packet == NULL || video->frame == NULL) {
        copy_message("out of memory", error, error_capacity);
        dr_video_close(video);
        return NULL;
    }
    avcodec_parameters_to_context(video->decoder, video->format->streams[video->stream]->codecpar);
    video->decoder->thread_count = 1;
    status = avcodec_open2(video->decoder, codec, NULL);
    if (status < 0) { copy_av_error(status, error, error_capacity); dr_video_close(video); return NULL; }
    return video;
}

dr_video *dr_video_open(const void *bytes, size_t length, int *unsupported, char *error, size_t error_capacity) {
    *unsupported = 0;
    dr_video *video = av_mallocz(sizeof(dr_video));
    if (video == NULL) { copy_message("out of memory", error, error_capacity); return NULL; }
    video->bytes = bytes;
    video->length = length;
    unsigned char *buffer = av_malloc(64 << 10);
    video->io = buffer ? avio_alloc_context(buffer, 64 << 10, 0, video, read_bytes, NULL, seek_bytes) : NULL;
    video->format = avformat_alloc_context();
    if (video->io == NULL || video->format == NULL) {
        if (video->io == NULL) av_free(buffer);
        copy_message("out of memory", error, error_capacity);
        dr_video_close(video);
        return NULL;
    }
    video->format->pb = video->io;
    video->format->io_open = refuse_nested_open;
    AVDictionary *options = NULL;
    av_dict_set(&options, "format_whitelist", DR_VIDEO_CONTAINERS, 0);
    int status = avformat_open_input(&video->format, NULL, NULL, &options);
    av_dict_free(&options);
    if (status < 0) { copy_av_error(status, error, error_capacity); video->format = NULL; dr_video_close(video); return NULL; }
    return open_decoder(video, unsupported, error, error_capacity);
}

dr_video *dr_video_open_url(const char *url, const char *protocols, int64_t timeout_us, int *unsupported, char *error,
                            size_t error_capacity) {
    *unsupported = 0;
    dr_video *video = av_mallocz(sizeof(dr_video));
    if (video == NULL) { copy_message("out of memory", error, error_capacity); return NULL; }
    video->format = avformat_alloc_context();
    if (video->format == NULL) { copy_message("out of memory", error, error_capacity); dr_video_close(video); return NULL; }
    video->format->opaque = video;
    video->default_open = video->format->io_open;
    video->format->io_open = open_input_once;
    char timeout[32];
    snprintf(timeout, sizeof timeout, "%lld", (long long)timeout_us);
    AVDictionary *options = NULL;
    av_dict_set(&options, "format_whitelist", DR_VIDEO_CONTAINERS ",rtsp", 0);
    av_dict_set(&options, "protocol_whitelist", protocols, 0);
    av_dict_set(&options, "rw_timeout", timeout, 0);
    av_dict_set(&options, "timeout", timeout, 0);
    av_dict_set(&options, "overrun_nonfatal", "1", 0);
    // A redirect would lead past the address the caller checked.
    av_dict_set(&options, "max_redirects", "0", 0);
    av_dict_set(&options, "analyzeduration", "2000000", 0);
    int status = avformat_open_input(&video->format, url, NULL, &options);
    av_dict_free(&options);
    if (status < 0) { copy_av_error(status, error, error_capacity); video->format = NULL; dr_video_close(video); return NULL; }
    return open_decoder(video, unsupported, error, error_capacity);
}

void dr_video_close(dr_video *video) {
    if (video == NULL) return;
    av_frame_free(&video->frame);
    av_packet_free(&video->packet);
    avcodec_free_context(&video->decoder);
    if (video->format) avformat_close_input(&video->format);
    if (video->io) { av_freep(&video->io->buffer); avio_context_free(&video->io); }
    av_free(video);
}

void dr_video_info_of(const dr_video *video, dr_video_info *out) {
    memset(out, 0, sizeof *out);
    const AVStream *stream = video->format->streams[video->stream];
    out->width = stream->codecpar->width;
    out->height = stream->codecpar->height;
    if (video->format->duration > 0) out->duration = (double)video->format->duration / AV_TIME_BASE;
    if (stream->avg_frame_rate.den > 0) out->fps = av_q2d(stream->avg_frame_rate);
    const uint8_t *matrix = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, NULL);
    if (matrix) out->rotation = av_display_rotation_get((const int32_t *)matrix);
    strncpy(out->codec, video->decoder->codec->name, sizeof out->codec - 1);
}

int dr_video_seek(dr_video *video, double seconds) {
    const AVStream *stream = video->format->streams[video->stream];
    int64_t target = (int64_t)(seconds / av_q2d(stream->time_base));
    if (av_seek_frame(video->format, video->stream, target, AVSEEK_FLAG_BACKWARD) < 0) return 0;
    avcodec_flush_buffers(video->decoder);
    video->draining = 0;
    return 1;
}

int dr_video_next_frame(dr_video *video, double *seconds, char *error, size_t error_capacity) {
    const AVStream *stream = video->format->streams[video->stream];
    for (;;) {
        int status = avcodec_receive_frame(video->decoder, video->frame);
        if (status == 0) {
            int64_t pts = video->frame->best_effort_timestamp;
            *seconds = pts == AV_NOPTS_VALUE ? 0 : pts * av_q2d(stream->time_base);
            return 1;
        }
        if (status == AVERROR_EOF) return 0;
        if (status != AVERROR(EAGAIN)) { copy_av_error(status, error, error_capacity); return -1; }
        if (video->draining) return 0;
        status = av_read_frame(video->format, video->packet);
        if (status == AVERROR_EOF) {
            video->draining = 1;
            avcodec_send_packet(video->decoder, NULL);
            continue;
        }
        if (status < 0) { copy_av_error(status, error, error_capacity); return -1; }
        if (video->packet->stream_index == video->stream) status = avcodec_send_packet(video->decoder, video->packet);
        av_packet_unref(video->packet);
        if (status < 0 && status != AVERROR(EAGAIN)) { copy_av_error(status, error, error_capacity); return -1; }
    }
}

void dr_video_frame_state(const dr_video *video, int *key_frame, int *corrupt) {
    *key_frame = video->frame->key_frame;
    *corrupt = (video->frame->flags & AV_FRAME_FLAG_CORRUPT) || video->frame->decode_error_flags;
}

void dr_video_frame_size(const dr_video *video, int *width, int *height) {
    *width = video->frame->width;
    *height = video->frame->height;
}

int dr_video_frame_rgb(dr_video *video, int width, int height, void *out, size_t capacity) {
    const AVFrame *frame = video->frame;
    if (frame->width <= 0 || frame->height <= 0 || width <= 0 || height <= 0 || (size_t)width * height * 3 > capacity) return 0;
    int flags = width == frame->width && height == frame->height ? SWS_BILINEAR | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT : SWS_AREA;
    struct SwsContext *scale = sws_getContext(frame->width, frame->height, frame->format, width, height,
                                              AV_PIX_FMT_RGB24, flags, NULL, NULL, NULL);
    if (scale == NULL) return 0;
    uint8_t *planes[4] = {out, NULL, NULL, NULL};
    int strides[4] = {width * 3, 0, 0, 0};
    int rows = sws_scale(scale, (const uint8_t *const *)frame->data, frame->linesize, 0, frame->height, planes, strides);
    sws_freeContext(scale);
    return rows == height;
}

// MARK: Encoding (an H.264 MP4 written to memory)

struct dr_encoder {
    AVFormatContext *format;
    AVCodecContext *encoder;
    AVStream *stream;
    struct SwsContext *scale;
    AVFrame *frame;
    AVPacket *packet;
    AVIOContext *io;
    uint8_t *bytes;
    size_t length;
    size_t capacity;
    int64_t position;
    int64_t next_pts;
    int width;
    int height;
    int started;
    /// The source whose audio stream `audio_in` is copied to the output's `audio_out`.
    dr_video *audio_source;
    int audio_in;
    AVStream *audio_out;
    /// The next audio packet, read but not yet written (its time is past the pictures so far).
    AVPacket *audio_packet;
    int audio_pending;
    int audio_done;
};

static int write_out(void *opaque, uint8_t *buffer, int size) {
    dr_encoder *encoder = opaque;
    size_t end = (size_t)encoder->position + (size_t)size;
    if (end > encoder->capacity) {
        size_t capacity = encoder->capacity ? encoder->capacity : (1 << 20);
        while (capacity < end) capacity *= 2;
        uint8_t *grown = av_realloc(encoder->bytes, capacity);
        if (grown == NULL) return AVERROR(ENOMEM);
        encoder->bytes = grown;
        encoder->capacity = capacity;
    }
    memcpy(encoder->bytes + encoder->position, buffer, size);
    encoder->position += size;
    if ((size_t)encoder->position > encoder->length) encoder->length = encoder->position;
    return size;
}

static int64_t seek_out(void *opaque, int64_t offset, int whence) {
    dr_encoder *encoder = opaque;
    return seek_in_buffer(&encoder->position, encoder->length, offset, whence);
}

// `movflags=faststart`: after the last packet the MP4 muxer opens its output again, for
// reading, and moves the data up to make room for the index at the front. The output is the
// encoder's memory, so that second open reads it, at a position of its own.
typedef struct {
    dr_encoder *encoder;
    int64_t position;
} output_reader;

static int read_output(void *opaque, uint8_t *buffer, int size) {
    output_reader *reader = opaque;
    return read_from_buffer(reader->encoder->bytes, reader->encoder->length, &reader->position, buffer, size);
}

static int64_t seek_output(void *opaque, int64_t offset, int whence) {
    output_reader *reader = opaque;
    return seek_in_buffer(&reader->position, reader->encoder->length, offset, whence);
}

static int open_output_reader(struct AVFormatContext *format, AVIOContext **pb, const char *url, int flags,
                              AVDictionary **options) {
    (void)url; (void)options;
    if ((flags & AVIO_FLAG_WRITE) || !(flags & AVIO_FLAG_READ)) return AVERROR(EPERM);
    output_reader *reader = av_mallocz(sizeof(output_reader));
    unsigned char *buffer = av_malloc(64 << 10);
    *pb = reader && buffer ? avio_alloc_context(buffer, 64 << 10, 0, reader, read_output, NULL, seek_output) : NULL;
    if (*pb == NULL) { av_free(reader); av_free(buffer); return AVERROR(ENOMEM); }
    reader->encoder = format->opaque;
    return 0;
}

static int close_output_reader(struct AVFormatContext *format, AVIOContext *pb) {
    (void)format;
    av_freep(&pb->opaque);
    av_freep(&pb->buffer);
    avio_context_free(&pb);
    return 0;
}

dr_encoder *dr_encoder_open(int width, int height, int fps_num, int fps_den, int crf, char *error, size_t error_capacity) {
    dr_encoder *encoder = av_mallocz(sizeof(dr_encoder));
    if (encoder == NULL) { copy_message("out of memory", error, error_capacity); return NULL; }
    encoder->width = width;
    encoder->height = height;
    int status = avformat_alloc_output_context2(&encoder->format, NULL, "mp4", NULL);
    const AVCodec *codec = avcodec_find_encoder_by_name("libx264");
    if (codec == NULL) codec = avcodec_find_encoder(AV_CODEC_ID_H264);
    if (status < 0 || codec == NULL) {
        copy_message(codec == NULL ? "no H.264 encoder in this build" : "cannot make an MP4", error, error_capacity);
        dr_encoder_close(encoder);
        return NULL;
    }
    encoder->encoder = avcodec_alloc_context3(codec);
    encoder->stream = avformat_new_stream(encoder->format, NULL);
    encoder->frame = av_frame_alloc();
    encoder->packet = av_packet_alloc();
    unsigned char *buffer = av_malloc(64 << 10);
    encoder->io = buffer ? avio_alloc_context(buffer, 64 << 10, 1, encoder, NULL, write_out, seek_out) : NULL;
    if (encoder->encoder == NULL || encoder->stream == NULL || encoder->frame == NULL || encoder->packet == NULL || encoder->io == NULL) {
        if (encoder->io == NULL) av_free(buffer);
        copy_message("out of memory", error, error_capacity);
        dr_encoder_close(encoder);
        return NULL;
    }
    AVCodecContext *context = encoder->encoder;
    // 4:2:0 needs even sides: the picture is scaled to the even size at or below its own.
    context->width = width & ~1;
    context->height = height & ~1;
    context->pix_fmt = AV_PIX_FMT_YUV420P;
    context->time_base = (AVRational){fps_den, fps_num};
    context->framerate = (AVRational){fps_num, fps_den};
    context->thread_count = 1;
    if (encoder->format->oformat->flags & AVFMT_GLOBALHEADER) context->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    char quality[16];
    snprintf(quality, sizeof quality, "%d", crf);
    AVDictionary *options = NULL;
    av_dict_set(&options, "crf", quality, 0);
    av_dict_set(&options, "preset", "veryfast", 0);
    status = avcodec_open2(context, codec, &options);
    av_dict_free(&options);
    if (status < 0) { copy_av_error(status, error, error_capacity); dr_encoder_close(encoder); return NULL; }
    avcodec_parameters_from_context(encoder->stream->codecpar, context);
    encoder->stream->time_base = context->time_base;
    encoder->stream->avg_frame_rate = context->framerate;
    encoder->format->pb = encoder->io;
    encoder->format->flags |= AVFMT_FLAG_CUSTOM_IO;
    encoder->format->opaque = encoder;
    encoder->format->io_open = open_output_reader;
    encoder->format->io_close2 = close_output_reader;
    encoder->frame->format = context->pix_fmt;
    encoder->frame->width = context->width;
    encoder->frame->height = context->height;
    status = av_frame_get_buffer(encoder->frame, 0);
    if (status < 0) { copy_av_error(status, error, error_capacity); dr_encoder_close(encoder); return NULL; }
    encoder->scale = sws_getContext(width, height, AV_PIX_FMT_RGB24, context->width, context->height, AV_PIX_FMT_YUV420P,
                                    SWS_BILINEAR, NULL, NULL, NULL);
    if (encoder->scale == NULL) { copy_message("cannot convert RGB to YUV", error, error_capacity); dr_encoder_close(encoder); return NULL; }
    return encoder;
}

int dr_encoder_copy_audio(dr_encoder *encoder, dr_video *source, char *error, size_t error_capacity) {
    if (encoder->started) { copy_message("audio must be added before the first frame", error, error_capacity); return 0; }
    int index = av_find_best_stream(source->format, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0);
    if (index < 0) return 2;
    AVCodecParameters *parameters = source->format->streams[index]->codecpar;
    if (avformat_query_codec(encoder->format->oformat, parameters->codec_id, FF_COMPLIANCE_NORMAL) != 1) return 2;
    AVStream *stream = avformat_new_stream(encoder->format, NULL);
    encoder->audio_packet = av_packet_alloc();
    if (stream == NULL || encoder->audio_packet == NULL) { copy_message("out of memory", error, error_capacity); return 0; }
    int status = avcodec_parameters_copy(stream->codecpar, parameters);
    if (status < 0) { copy_av_error(status, error, error_capacity); return 0; }
    stream->codecpar->codec_tag = 0;
    stream->time_base = source->format->streams[index]->time_base;
    encoder->audio_source = source;
    encoder->audio_in = index;
    encoder->audio_out = stream;
    return 1;
}

// The header is written with the first frame (or at the end), once every stream is added.
static int start(dr_encoder *encoder, char *error, size_t error_capacity) {
    if (encoder->started) return 1;
    // The index at the front, so that a player can start before the whole file has arrived.
    AVDictionary *options = NULL;
    av_dict_set(&options, "movflags", "faststart", 0);
    int status = avformat_write_header(encoder->format, &options);
    av_dict_free(&options);
    if (status < 0) { copy_av_error(status, error, error_capacity); return 0; }
    encoder->started = 1;
    return 1;
}

// Writes the source's audio packets that start at or before `until` seconds (the pictures
// written so far), so that sound and pictures lie interleaved in the file.
static int copy_audio(dr_encoder *encoder, double until, char *error, size_t error_capacity) {
    if (encoder->audio_source == NULL || encoder->audio_done) return 1;
    AVFormatContext *input = encoder->audio_source->format;
    AVRational from = input->streams[encoder->audio_in]->time_base;
    AVPacket *packet = encoder->audio_packet;
    for (;;) {
        if (!encoder->audio_pending) {
            int status = av_read_frame(input, packet);
            if (status == AVERROR_EOF) { encoder->audio_done = 1; return 1; }
            if (status < 0) { copy_av_error(status, error, error_capacity); return 0; }
            if (packet->stream_index != encoder->audio_in) { av_packet_unref(packet); continue; }
            encoder->audio_pending = 1;
        }
        int64_t start = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
        if (start != AV_NOPTS_VALUE && start * av_q2d(from) > until) return 1;
        av_packet_rescale_ts(packet, from, encoder->audio_out->time_base);
        packet->stream_index = encoder->audio_out->index;
        packet->pos = -1;
        encoder->audio_pending = 0;
        int status = av_interleaved_write_frame(encoder->format, packet);
        if (status < 0) { copy_av_error(status, error, error_capacity); return 0; }
    }
}

// Sends `frame` (NULL to flush) and writes every packet the encoder has ready.
static int encode(dr_encoder *encoder, AVFrame *frame, char *error, size_t error_capacity) {
    if (!start(encoder, error, error_capacity)) return 0;
    int status = avcodec_send_frame(encoder->encoder, frame);
    if (status < 0) { copy_av_error(status, error, error_capacity); return 0; }
    for (;;) {
        status = avcodec_receive_packet(encoder->encoder, encoder->packet);
        if (status == AVERROR(EAGAIN) || status == AVERROR_EOF) return 1;
        if (status < 0) { copy_av_error(status, error, error_capacity); return 0; }
        // Each frame lasts one tick of the encoder's clock (one frame): the last one too.
        if (encoder->packet->duration == 0) encoder->packet->duration = 1;
        // The sound up to the end of this picture goes in first.
        double until = (double)(encoder->packet->pts + encoder->packet->duration) * av_q2d(encoder->encoder->time_base);
        av_packet_rescale_ts(encoder->packet, encoder->encoder->time_base, encoder->stream->time_base);
        encoder->packet->stream_index = encoder->stream->index;
        status = av_interleaved_write_frame(encoder->format, encoder->packet);
        if (status < 0) { copy_av_error(status, error, error_capacity); return 0; }
        if (!copy_audio(encoder, until, error, error_capacity)) return 0;
    }
}

int dr_encoder_write(dr_encoder *encoder, const void *rgb, size_t length, char *error, size_t error_capacity) {
    if (length != (size_t)encoder->width * encoder->height * 3) { copy_message("a frame of the wrong size", error, error_capacity); return 0; }
    int status = av_frame_make_writable(encoder->frame);
    if (status < 0) { copy_av_error(status, error, error_capacity); return 0; }
    const uint8_t *planes[4] = {rgb, NULL, NULL, NULL};
    int strides[4] = {encoder->width * 3, 0, 0, 0};
    sws_scale(encoder->scale, planes, strides, 0, encoder->height, encoder->frame->data, encoder->frame->linesize);
    encoder->frame->pts = encoder->next_pts++;
    return encode(encoder, encoder->frame, error, error_capacity);
}

int dr_encoder_finish(dr_encoder *encoder, const void **bytes, size_t *length, char *error, size_t error_capacity) {
    if (!encode(encoder, NULL, error, error_capacity)) return 0;
    if (!copy_audio(encoder, INFINITY, error, error_capacity)) return 0;
    int status = av_write_trailer(encoder->format);
    if (status < 0) { copy_av_error(status, error, error_capacity); return 0; }
    avio_flush(encoder->io);
    *bytes = encoder->bytes;
    *length = encoder->length;
    return 1;
}

void dr_encoder_close(dr_encoder *encoder) {
    if (encoder == NULL) return;
    sws_freeContext(encoder->scale);
    av_frame_free(&encoder->frame);
    av_packet_free(&encoder->packet);
    av_packet_free(&encoder->audio_packet);
    avcodec_free_context(&encoder->encoder);
    if (encoder->format) avformat_free_context(encoder->format);
    if (encoder->io) { av_freep(&encoder->io->buffer); avio_context_free(&encoder->io); }
    av_free(encoder->bytes);
    av_free(encoder);
}
