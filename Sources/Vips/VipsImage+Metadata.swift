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
            tags[tag] = Self.readableExifValue(value, tag: tag)
        }
        return tags
    }

    /// libvips writes `raw (readable, Format, N components, M bytes)`; the readable part is wanted.
    ///
    /// The libexif inside the 8.18 wheel has no names for enumerated values and renders them
    /// `Internal error (unknown value 6)`; then the raw value is given, and the orientation,
    /// the one enumerated tag callers rely on, is named here as EXIF names it.
    static func readableExifValue(_ value: String, tag: String = "") -> String {
        guard value.hasSuffix(")"), let open = value.range(of: " (") else { return value }
        var parts = value[open.upperBound..<value.index(before: value.endIndex)].components(separatedBy: ", ")
        if parts.count > 3 { parts.removeLast(3) }
        let readable = parts.joined(separator: ", ").trimmingCharacters(in: .whitespaces)
        guard readable.hasPrefix("Internal error") else { return readable }
        let raw = String(value[..<open.lowerBound]).trimmingCharacters(in: .whitespaces)
        if tag == "Orientation", let code = Int(raw), orientationNames.indices.contains(code - 1) {
            return orientationNames[code - 1]
        }
        return raw
    }

    /// EXIF's names for orientations 1…8, as libexif writes them.
    private static let orientationNames = [
        "Top-left", "Top-right", "Bottom-right", "Bottom-left", "Left-top", "Right-top", "Right-bottom", "Left-bottom",
    ]
}
