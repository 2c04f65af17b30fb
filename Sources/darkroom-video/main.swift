// darkroom-video: Darkroom's video decoder, a helper process.
//
// Debian's FFmpeg links librsvg, which loads the system GLib; Darkroom's libvips carries a GLib
// of its own, and one process cannot hold both (libvips crashes registering its types). So video
// is decoded here, in a process that links FFmpeg and not libvips, and frames travel to Darkroom
// as raw RGB over a pipe (VideoWire). A crash in a codec ends this process, not the server.
//
// Usage (Darkroom starts it; nobody needs to by hand):
//   darkroom-video --max-bytes N --max-pixels N   < container and commands   > messages
//   darkroom-video --url URL --protocols udp --timeout-ms N --max-pixels N   < commands   > messages
//   darkroom-video --encode WxH --fps N/D --max-frames N --max-pixels N [--audio-bytes N]
//                  < [the source video, whose audio is kept] RGB frames   > the MP4

#if canImport(Glibc)
import Glibc
#endif
import VideoWire

/// Writes a usage message to standard error and exits 2.
func usage(_ message: String) -> Never {
    let line = "darkroom-video: \(message)\n"
    _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    exit(2)
}

/// Reads `--name value` pairs: the limits, and for a live stream its URL, protocols and read
/// timeout. Exits 2 with a message on anything else.
func arguments(_ arguments: [String]) -> (source: DecoderSession.Source?, pixels: Int, values: [String: String]) {
    var values: [String: String] = [:]
    var index = 0
    let names: Set = ["--max-bytes", "--max-pixels", "--url", "--protocols", "--timeout-ms", "--encode", "--fps", "--max-frames",
                      "--audio-bytes"]
    while index < arguments.count {
        let name = arguments[index]
        guard names.contains(name), index + 1 < arguments.count else {
            usage("expected --max-pixels N and either --max-bytes N or --url URL --protocols LIST --timeout-ms N, got \(arguments)")
        }
        values[name] = arguments[index + 1]
        index += 2
    }
    func number(_ name: String) -> Int? {
        guard let text = values[name] else { return nil }
        guard let value = Int(text), value > 0 else { usage("\(name) takes a positive whole number, not '\(text)'") }
        return value
    }
    guard let pixels = number("--max-pixels") else { usage("--max-pixels is required") }
    if values["--encode"] != nil { return (nil, pixels, values) }
    if let url = values["--url"] {
        guard let protocols = values["--protocols"], let timeout = number("--timeout-ms") else {
            usage("a stream (--url) needs --protocols and --timeout-ms")
        }
        return (.stream(url: url, protocols: protocols, timeout: .milliseconds(timeout)), pixels, values)
    }
    guard let bytes = number("--max-bytes") else { usage("either --max-bytes or --url is required") }
    return (.input(maxBytes: bytes), pixels, values)
}

/// An encoding session from `--encode WxH --fps N/D --max-frames N`, its frame size checked
/// against the pixel limit.
func encoder(_ values: [String: String], maxPixels: Int) -> EncoderSession {
    let size = (values["--encode"] ?? "").split(separator: "x").compactMap { Int($0) }
    let fps = (values["--fps"] ?? "").split(separator: "/").compactMap { Int($0) }
    guard size.count == 2, size.allSatisfy({ $0 >= 2 && $0 <= 16384 }), size[0] * size[1] <= maxPixels else {
        usage("--encode takes WxH, each side 2...16384, within --max-pixels")
    }
    guard fps.count == 2, fps.allSatisfy({ $0 > 0 && $0 <= 1_000_000 }) else { usage("--fps takes N/D, both positive") }
    guard let frames = values["--max-frames"].flatMap({ Int($0) }), frames > 0 else { usage("--encode needs --max-frames N") }
    let audioBytes = values["--audio-bytes"].map { text in
        guard let bytes = Int(text), bytes > 0 else { usage("--audio-bytes takes a positive whole number, not '\(text)'") }
        return bytes
    }
    return EncoderSession(input: VideoWire(descriptor: 0), output: VideoWire(descriptor: 1), width: size[0], height: size[1],
                          fps: (fps[0], fps[1]), maxFrames: frames, audioBytes: audioBytes)
}

// Darkroom may close the pipe early (a cancelled request): writes then fail with EPIPE
// instead of killing this process silently.
signal(SIGPIPE, SIG_IGN)
VideoFile.quietLogging()
let (source, maxPixels, values) = arguments(Array(CommandLine.arguments.dropFirst()))
if let source {
    exit(DecoderSession(input: VideoWire(descriptor: 0), output: VideoWire(descriptor: 1), source: source, maxPixels: maxPixels).run())
}
exit(encoder(values, maxPixels: maxPixels).run())
