import ArgumentParser
import Foundation
import ImageModel
import Media

/// The options and the opening every video command shares: its limits, a file read only after
/// its size passed them, and the exit status a failure maps to.
struct VideoInputOptions: ParsableArguments {
    @Option(help: "The largest video read, in bytes.")
    var maxSrcBytes: Int = Limits().maxInputBytes

    @Option(help: "The most pixels a frame may have.")
    var maxSrcPixels: Int = Limits().maxInputPixels

    /// Opens `path` in the video decoder, its size checked from the file system first.
    func open(_ path: String) throws -> VideoSource {
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue
        guard let size else { throw ValidationError("\(path): no such file") }
        try Limits(maxInputBytes: maxSrcBytes).checkInput(bytes: size)
        guard let bytes = FileManager.default.contents(atPath: path) else { throw MediaError.broken("\(path) cannot be read") }
        return try VideoSource(bytes: bytes, maxPixels: maxSrcPixels)
    }

    /// Runs `body`, turning a video's failure into one line on standard error and an exit
    /// status: 2 for a video this build cannot decode (like a refused format), 1 for the rest.
    static func reportingFailures(_ command: String, _ path: String, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as MediaError {
            FileHandle.standardError.write(Data("\(command): \(path): \(error)\n".utf8))
            if case .unsupported = error { throw ExitCode(2) }
            throw ExitCode(1)
        } catch let error as LimitError {
            FileHandle.standardError.write(Data("\(command): \(path): \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
