import CVips
import Foundation

extension VipsImage {
    /// The EXIF tags libvips parsed from the source, by tag name (`Make`, `DateTimeOriginal`…),
    /// each as libvips renders it for people (`Canon`, `1/125 sec.`).
    ///
    /// Tags come from every IFD; when a name appears twice the first IFD wins.
    public func exifTags() -> [String: String] {
        guard let fields = vips_image_get_fields(pointer) else { return [:] }
        defer { g_strfreev(fields) }
        var tags: [String: String] = [:]
        var index = 0
        while let field = fields[index] {
            index += 1
            let name = String(cString: field)
            // exif-ifd0-Make, exif-ifd2-ExposureTime…; `exif-data` is the raw block.
            guard name.hasPrefix("exif-ifd"), let dash = name.dropFirst(8).firstIndex(of: "-") else { continue }
            let tag = String(name[name.index(after: dash)...])
            guard tags[tag] == nil, let value = string(named: name) else { continue }
            tags[tag] = Self.readableExifValue(value)
        }
        return tags
    }

    /// libvips writes `raw (readable, Format, N components, M bytes)`; the readable part is wanted.
    static func readableExifValue(_ value: String) -> String {
        guard value.hasSuffix(")"), let open = value.range(of: " (") else { return value }
        var parts = value[open.upperBound..<value.index(before: value.endIndex)].components(separatedBy: ", ")
        if parts.count > 3 { parts.removeLast(3) }
        return parts.joined(separator: ", ").trimmingCharacters(in: .whitespaces)
    }
}
