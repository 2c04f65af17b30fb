public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A live MPEG-TS stream sent to 127.0.0.1 by the `ffmpeg` tool in real time (`-re`): a grey
/// scene with temporal noise, and from 2 to 4 s of every 6-second cycle a white square moving
/// across it (or a photo in front of it). Stopped (and so restartable) by its PID; stopped at
/// the latest when it goes away.
public final class StreamSender {
    /// What the stream shows.
    public enum Scene: Sendable {
        /// A 40-pixel white square crossing a 320 x 180 noisy grey scene.
        case movingSquare
        /// The image file at this path, filling a 320 x 240 frame, over a grey one.
        case photo(String)
    }

    /// Where the stream goes.
    public enum Output: Sendable {
        /// Datagrams to this port of 127.0.0.1; the reader listens on `udp://127.0.0.1:port`.
        case udp(port: Int)
        /// ffmpeg serves one HTTP client on this port (`-listen 1`) and exits when it leaves.
        case http(port: Int)
    }

    /// The `ffmpeg` tool (Debian's, from `scripts/bootstrap`).
    public static let ffmpeg = "/usr/bin/ffmpeg"
    /// Whether the tool is installed.
    public static var available: Bool { FileManager.default.isExecutableFile(atPath: ffmpeg) }

    /// The URL a reader opens.
    public let url: String
    private let output: Output
    private let scene: Scene
    private var process: Process?

    /// A sender of `scene` to `output`, not started.
    public init(_ output: Output, scene: Scene = .movingSquare) {
        self.output = output
        self.scene = scene
        switch output {
        case let .udp(port): url = "udp://127.0.0.1:\(port)"
        case let .http(port): url = "http://127.0.0.1:\(port)/live.ts"
        }
    }

    deinit { stop() }

    /// Starts sending (again).
    public func start() throws {
        stop()
        var arguments = ["-v", "error", "-nostdin"]
        switch scene {
        case .movingSquare:
            arguments += ["-re", "-f", "lavfi", "-i", "color=c=gray:s=320x180:r=30,noise=alls=25:allf=t[bg];color=c=white:s=40x40:r=30[box];"
                + "[bg][box]overlay=x='20+75*(mod(t,6)-2)':y=70:enable='between(mod(t,6),2,4)'"]
        case let .photo(path):
            arguments += ["-re", "-f", "lavfi", "-i", "color=c=gray:s=320x240:r=30", "-re", "-loop", "1", "-framerate", "30", "-i", path,
                          "-filter_complex", "[1]scale=320:240[photo];[0][photo]overlay=enable='between(mod(t,6),2,4)'"]
        }
        // One thread, a key frame every second: a reader joining late starts soon.
        arguments += ["-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30", "-threads", "1",
                      "-pix_fmt", "yuv420p", "-f", "mpegts"]
        switch output {
        case let .udp(port): arguments.append("udp://127.0.0.1:\(port)?pkt_size=1316")
        case let .http(port): arguments += ["-listen", "1", "http://127.0.0.1:\(port)/live.ts"]
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.ffmpeg)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
    }

    /// Stops the sender and waits (a few seconds at most) for it to end.
    public func stop() {
        guard let process else { return }
        self.process = nil
        kill(process.processIdentifier, SIGTERM)
        // Polled, not `waitUntilExit`: the wait must end even if Foundation misses the exit.
        for _ in 0..<100 where process.isRunning { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// A port on 127.0.0.1 that is free (for UDP or for TCP) at the time of asking.
    public static func freePort(udp: Bool) -> Int {
        let socket = Glibc.socket(AF_INET, Int32(udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(socket, pointer, length)
                return getsockname(socket, pointer, &length)
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
