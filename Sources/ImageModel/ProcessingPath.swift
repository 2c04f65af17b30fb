import Foundation

/// The parts of an imgproxy-style URL path, before anything is trusted.
///
/// `/<signature>/<options>/plain/<percent-encoded source>[@<ext>]` or
/// `/<signature>/<options>/<base64url source>[.<ext>]`; `/<signature>/info/...` asks for metadata.
public struct ProcessingPath: Sendable, Equatable {
    /// The signature segment as written (`unsafe`, `_`, or a base64url HMAC).
    public let signature: String
    /// Everything after the signature segment, starting with `/`: what the signature covers.
    public let signedPath: String
    /// Whether this is an `info` request.
    public let isInfo: Bool
    /// The processing options, joined by `/`.
    public let options: String
    /// The source URL, decoded.
    public let source: String
    /// The requested output extension, when the URL gives one.
    public let outputExtension: String?

    /// Splits a URL path (still percent-encoded) into its parts.
    ///
    /// - Throws: ``RecipeError`` naming `path` or `source` when the path has no source or the
    ///   source cannot be decoded.
    public static func parse(_ rawPath: String) throws(RecipeError) -> ProcessingPath {
        let path = rawPath.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        guard path.hasPrefix("/") else {
            throw RecipeError(option: "path", expected: "/<signature>/<options>/plain/<source> or /<signature>/<options>/<base64 source>")
        }
        var segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard segments.count >= 2, !segments[0].isEmpty else {
            throw RecipeError(option: "path", expected: "a signature segment followed by a source", found: path)
        }
        let signature = segments.removeFirst()
        let signedPath = String(path.dropFirst(signature.count + 1))
        var isInfo = false
        if segments.first == "info" {
            isInfo = true
            segments.removeFirst()
        }
        let source: String, ext: String?, optionSegments: [String]
        if let plain = segments.firstIndex(of: "plain") {
            optionSegments = Array(segments[..<plain])
            var encoded = segments[(plain + 1)...].joined(separator: "/")
            var found: String?
            // A short alphanumeric tail after the last @ is an extension; anything else is part of the source.
            if let at = encoded.lastIndex(of: "@") {
                let tail = encoded[encoded.index(after: at)...]
                if (1...5).contains(tail.count), tail.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
                    found = String(tail)
                    encoded = String(encoded[..<at])
                }
            }
            guard !encoded.isEmpty, let decoded = encoded.removingPercentEncoding else {
                throw RecipeError(option: "source", expected: "a percent-encoded source URL after /plain/", found: encoded)
            }
            (source, ext) = (decoded, found)
        } else {
            guard let last = segments.last, !last.isEmpty else {
                throw RecipeError(option: "source", expected: "a base64url-encoded source URL as the last segment")
            }
            optionSegments = Array(segments.dropLast())
            var encoded = last, found: String?
            if let dot = last.lastIndex(of: ".") {
                found = String(last[last.index(after: dot)...])
                encoded = String(last[..<dot])
            }
            guard let data = Base64URL.decode(encoded), let decoded = String(data: data, encoding: .utf8), !decoded.isEmpty else {
                throw RecipeError(option: "source", expected: "a base64url-encoded source URL", found: encoded)
            }
            (source, ext) = (decoded, found)
        }
        if let ext, OutputFormat(name: ext) == nil {
            throw RecipeError(option: "extension", expected: "jpg, png, webp, avif, tiff or gif", found: ext)
        }
        return ProcessingPath(signature: signature, signedPath: signedPath, isInfo: isInfo,
                              options: optionSegments.filter { !$0.isEmpty }.joined(separator: "/"),
                              source: source, outputExtension: ext)
    }
}
