// darkroom-video: Darkroom's video decoder, a helper process.
//
// Debian's FFmpeg links librsvg, which loads the system GLib; Darkroom's libvips carries a GLib
// of its own, and one process cannot hold both (libvips crashes registering its types). So video
// is decoded here, in a process that links FFmpeg and not libvips, and frames travel to Darkroom
// as raw RGB over a pipe (VideoWire). A crash in a codec ends this process, not the server.
//
// Usage (Darkroom starts it; nobody needs to by hand):
//   darkroom-video --max-bytes N --max-pixels N   < container and commands   > messages

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

/// Reads `--name value` pairs; exits 2 with a message on anything else.
func limits(_ arguments: [String]) -> (bytes: Int, pixels: Int) {
    var values: [String: Int] = [:]
    var index = 0
    while index < arguments.count {
        let name = arguments[index]
        guard ["--max-bytes", "--max-pixels"].contains(name), index + 1 < arguments.count,
              let value = Int(arguments[index + 1]), value > 0 else {
            usage("expected --max-bytes N --max-pixels N (positive whole numbers), got \(arguments)")
        }
        values[name] = value
        index += 2
    }
    guard let bytes = values["--max-bytes"], let pixels = values["--max-pixels"] else {
        usage("both --max-bytes and --max-pixels are required")
    }
    return (bytes, pixels)
}

// Darkroom may close the pipe early (a cancelled request): writes then fail with EPIPE
// instead of killing this process silently.
signal(SIGPIPE, SIG_IGN)
VideoFile.quietLogging()
let (maxBytes, maxPixels) = limits(Array(CommandLine.arguments.dropFirst()))
let session = DecoderSession(input: VideoWire(descriptor: 0), output: VideoWire(descriptor: 1),
                             maxBytes: maxBytes, maxPixels: maxPixels)
exit(session.run())
