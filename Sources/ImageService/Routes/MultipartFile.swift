import Foundation

/// The first file of a `multipart/form-data` body: enough for an upload form or `curl -F`.
struct MultipartFile {
    let filename: String?
    let contentType: String?
    let data: Data

    /// The boundary of a `multipart/form-data` content type, or nil.
    static func boundary(contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.trimmingCharacters(in: .whitespaces)
            guard pair.lowercased().hasPrefix("boundary=") else { continue }
            let value = pair.dropFirst("boundary=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return value.isEmpty || value.count > 200 ? nil : value
        }
        return nil
    }

    /// The first part with a file name (or, failing that, the first part), or nil when the body
    /// is not well-formed multipart.
    static func first(in body: Data, boundary: String) -> MultipartFile? {
        let delimiter = Data("--\(boundary)".utf8)
        let headerEnd = Data("\r\n\r\n".utf8)
        var parts: [MultipartFile] = []
        guard var cursor = body.range(of: delimiter)?.upperBound else { return nil }
        while let next = body.range(of: Data("\r\n".utf8) + delimiter, in: cursor..<body.endIndex) {
            // Skip the CRLF after the delimiter line.
            let start = body.index(cursor, offsetBy: 2, limitedBy: next.lowerBound) ?? next.lowerBound
            guard let headersRange = body.range(of: headerEnd, in: start..<next.lowerBound) else { return nil }
            let headers = String(decoding: body[start..<headersRange.lowerBound], as: UTF8.self)
            var filename: String?
            var contentType: String?
            for line in headers.components(separatedBy: "\r\n") {
                let lower = line.lowercased()
                if lower.hasPrefix("content-disposition:"), let range = line.range(of: "filename=\"") {
                    filename = line[range.upperBound...].split(separator: "\"", maxSplits: 1).first.map(String.init)
                } else if lower.hasPrefix("content-type:") {
                    contentType = line.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces)
                }
            }
            parts.append(MultipartFile(filename: filename, contentType: contentType,
                                       data: body.subdata(in: headersRange.upperBound..<next.lowerBound)))
            cursor = next.upperBound
        }
        return parts.first { $0.filename != nil } ?? parts.first
    }
}
