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
        /// A camera-like RTSP server on this port: the scene is rendered to a 12-second MP4 first,
        /// which GStreamer's RTSP server (`Tests/RTSP/rtsp_server.py`) plays at real-time pace to
        /// each client of `rtsp://127.0.0.1:port/cam`, from its start.
        case rtsp(port: Int)
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
    /// The clip an RTSP server plays, removed at stop.
    private var clip: String?

    /// A sender of `scene` to `output`, not started.
    public init(_ output: Output, scene: Scene = .movingSquare) {
        self.output = output
        self.scene = scene
        switch output {
        case let .udp(port): url = "udp://127.0.0.1:\(port)"
        case let .http(port): url = "http://127.0.0.1:\(port)/live.ts"
        case let .rtsp(port): url = "rtsp://127.0.0.1:\(port)/cam"
        }
    }

    deinit { stop() }

    /// Starts sending (again).
    public func start() throws {
        stop()
        guard case let .rtsp(port) = output else {
            process = try Self.launch(Self.ffmpeg, sceneArguments(realTime: true) + Self.encoding + destination)
            return
        }
        let clip = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-rtsp-\(UUID().uuidString).mp4").path
        self.clip = clip
        let render = try Self.launch(Self.ffmpeg, sceneArguments(realTime: false) + ["-t", "12"] + Self.encoding.dropLast(2) + [clip])
        // Polled, as in stop(): about a second of work, at most a minute on a loaded machine.
        for _ in 0..<3000 where render.isRunning { usleep(20_000) }
        guard !render.isRunning, render.terminationStatus == 0 else {
            render.terminate()
            throw SenderError(message: "ffmpeg could not render the RTSP clip")
        }
        process = try Self.launch("/usr/bin/python3", [Self.rtspServer.path, String(port), clip])
    }

    /// Debian's python3 (with GStreamer's introspection data) runs it; the pyenv one would not.
    static let rtspServer = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Tests/RTSP/rtsp_server.py")

    /// Why a sender could not start.
    public struct SenderError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    private func sceneArguments(realTime: Bool) -> [String] {
        let pace = realTime ? ["-re"] : []
        switch scene {
        case .movingSquare:
            return ["-v", "error", "-nostdin"] + pace + ["-f", "lavfi", "-i",
                "color=c=gray:s=320x180:r=30,noise=alls=25:allf=t[bg];color=c=white:s=40x40:r=30[box];"
                + "[bg][box]overlay=x='20+75*(mod(t,6)-2)':y=70:enable='between(mod(t,6),2,4)'"]
        case let .photo(path):
            return ["-v", "error", "-nostdin"] + pace + ["-f", "lavfi", "-i", "color=c=gray:s=320x240:r=30"] + pace
                + ["-loop", "1", "-framerate", "30", "-i", path,
                   "-filter_complex", "[1]scale=320:240[photo];[0][photo]overlay=enable='between(mod(t,6),2,4)'"]
        }
    }

    // One thread, a key frame every second: a reader joining late starts soon.
    private static let encoding = ["-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30", "-threads", "1",
                                   "-pix_fmt", "yuv420p", "-f", "mpegts"]

    private var destination: [String] {
        switch output {
        case let .udp(port): ["udp://127.0.0.1:\(port)?pkt_size=1316"]
        case let .http(port): ["-listen", "1", "http://127.0.0.1:\(port)/live.ts"]
        case .rtsp: []
        }
    }

    private static func launch(_ executable: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Stops the sender and waits (a few seconds at most) for it to end.
    public func stop() {
        defer {
            if let clip { try? FileManager.default.removeItem(atPath: clip) }
            clip = nil
        }
        guard let process else { return }
        self.process = nil
        kill(process.processIdentifier, SIGTERM)
        // Polled, not `waitUntilExit`: the wait must end even if Foundation misses the exit.
        for _ in 0..<100 where process.isRunning { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
