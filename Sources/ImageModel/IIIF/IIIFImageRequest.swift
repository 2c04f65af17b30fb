import Foundation

/// What a IIIF Image API 3.0 URL asks for, below the service prefix (`/iiif/3/`).
public enum IIIFPath: Hashable, Sendable {
    /// `{identifier}/info.json`.
    case info(identifier: String)
    /// `{identifier}` alone, which redirects to its `info.json`.
    case base(identifier: String)
    /// `{identifier}/{region}/{size}/{rotation}/{quality}.{format}`.
    case image(IIIFImageRequest)

    /// Parses the still percent-encoded path after the prefix. Identifiers are percent-decoded,
    /// so `%2F` carries a slash.
    public init(parsing encodedPath: String) throws(IIIFError) {
        let segments = encodedPath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        func identifier(_ parts: ArraySlice<String>) throws(IIIFError) -> String {
            let raw = parts.joined(separator: "/")
            guard !raw.isEmpty, let decoded = raw.removingPercentEncoding, !decoded.isEmpty else {
                throw IIIFError(parameter: "identifier", "expected a percent-encoded identifier, got '\(raw)'")
            }
            return decoded
        }
        if segments.last == "info.json", segments.count >= 2 {
            self = .info(identifier: try identifier(segments.dropLast()))
        } else if segments.count >= 5, segments.last!.contains(".") {
            self = .image(try IIIFImageRequest(identifier: try identifier(segments.dropLast(4)), parameters: Array(segments.suffix(4))))
        } else {
            self = .base(identifier: try identifier(segments[...]))
        }
    }
}

/// One image request, parsed and checked for syntax; ``recipe(width:height:limits:)`` turns it
/// into the same `Recipe` every other path runs, once the source's size is known.
public struct IIIFImageRequest: Hashable, Sendable {
    /// The formats this server writes, by their IIIF names.
    public static let formats: [String: OutputFormat] = [
        "jpg": .jpeg, "png": .png, "webp": .webp, "tif": .tiff, "gif": .gif, "avif": .avif,
    ]
    /// Formats the specification names that this server does not write: asking is a 501.
    static let unimplementedFormats: Set<String> = ["jp2", "pdf"]

    public let identifier: String
    public let region: IIIFRegion
    public let size: IIIFSize
    public let rotation: IIIFRotation
    public let quality: IIIFQuality
    public let format: OutputFormat

    /// Parses the four parameter segments: region, size, rotation, `quality.format`.
    public init(identifier: String, parameters: [String]) throws(IIIFError) {
        precondition(parameters.count == 4)
        func decoded(_ text: String) -> String { text.removingPercentEncoding ?? text }
        self.identifier = identifier
        region = try IIIFRegion(parsing: decoded(parameters[0]))
        size = try IIIFSize(parsing: decoded(parameters[1]))
        rotation = try IIIFRotation(parsing: decoded(parameters[2]))
        let last = decoded(parameters[3])
        let dot = last.lastIndex(of: ".")!
        quality = try IIIFQuality(parsing: String(last[..<dot]))
        let name = String(last[last.index(after: dot)...])
        if let format = Self.formats[name] {
            self.format = format
        } else if Self.unimplementedFormats.contains(name) {
            throw IIIFError(status: 501, parameter: "format", "\(name) is not implemented (jpg, png, webp, tif, gif and avif are)")
        } else {
            throw IIIFError(parameter: "format", "expected jpg, png, webp, tif, gif or avif, got '\(name)'")
        }
    }

    /// The recipe for a source of `width` × `height` (as displayed, after EXIF orientation):
    /// extract the region, scale it, mirror, rotate, then the quality, in that order.
    public func recipe(width: Int, height: Int, limits: IIIFLimits) throws(IIIFError) -> Recipe {
        let rect = try region.resolve(width: width, height: height)
        let target = try size.resolve(regionWidth: rect.width, regionHeight: rect.height, limits: limits)
        var operations: [Operation] = []
        if rect != IIIFRect(x: 0, y: 0, width: width, height: height) {
            operations.append(.extract(x: rect.x, y: rect.y, width: rect.width, height: rect.height))
        }
        if target.width != rect.width || target.height != rect.height {
            operations.append(.resize(mode: .force, width: target.width, height: target.height, enlarge: true, extend: false,
                                      gravity: .centre))
        }
        if rotation.mirror { operations.append(.flip(horizontal: true, vertical: false)) }
        if rotation.degrees != 0 {
            // Corners are transparent where the format has alpha, white where it has not.
            let clear = format == .png || format == .webp || format == .avif || format == .tiff || format == .gif
            operations.append(.rotate(degrees: rotation.degrees, background: clear ? .transparent : .white))
        }
        switch quality {
        case .default, .color: break
        case .gray: operations.append(.grayscale)
        case .bitonal: operations.append(.bitonal)
        }
        var output = OutputSpec()
        output.format = format
        do {
            return try Recipe(operations: operations, output: output)
        } catch {
            throw IIIFError(parameter: "size", String(describing: error))
        }
    }
}
