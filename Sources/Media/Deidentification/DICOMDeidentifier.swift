import Crypto
public import Foundation

/// Applies the Basic Application Level Confidentiality Profile (DICOM PS3.15 E.1) to a file:
/// the profile's attributes removed, emptied, given dummy values or new UIDs, and every
/// private element removed. The result is a valid DICOM file in the transfer syntax it came
/// in, its pixel data untouched.
///
/// UIDs are replaced consistently: the same UID under the same key always becomes the same
/// new UID (`2.25.` and 128 bits of an HMAC-SHA256 of the original, as PS3.5 B.2 derives UIDs
/// from UUIDs), so a study's series and instances still belong together, and nobody without
/// the key can go back.
public struct DICOMDeidentifier: Sendable {
    private let key: SymmetricKey

    /// What de-identifying one file found.
    public struct Report: Sendable, Codable, Equatable {
        /// Elements removed, emptied, replaced with dummies, and UIDs replaced.
        public var removed = 0
        /// Elements kept with an empty value.
        public var emptied = 0
        /// Elements given a dummy value.
        public var dummied = 0
        /// UIDs replaced.
        public var uidsReplaced = 0
        /// Private elements removed.
        public var privateRemoved = 0
        /// The Burned In Annotation attribute: `YES`, `NO`, or nil when the file does not say.
        /// Text burned into the pixels survives de-identification: only `NO` means clean.
        public var burnedInAnnotation: String?

        /// Whether the pixels are declared free of burned-in text.
        public var pixelsDeclaredClean: Bool { burnedInAnnotation == "NO" }
    }

    /// Creates a de-identifier whose UID replacements are scoped to `key`.
    public init(key: Data) {
        self.key = SymmetricKey(data: key)
    }

    /// De-identifies `bytes` and writes the result to `path`.
    ///
    /// - Throws: ``MediaError`` when the file cannot be read, edited or written.
    public func deidentify(_ bytes: Data, writingTo path: String) throws(MediaError) -> Report {
        let file: DICOMFile
        do { file = try DICOMFile(bytes: bytes) } catch { throw .broken("DICOM: \(error.message)") }
        var report = Report()
        report.burnedInAnnotation = file.string(.burnedInAnnotation)?.uppercased()
        let rules = Self.rules
        do {
            try file.edit { element in
                if element.tag.isPrivate {
                    report.privateRemoved += 1
                    return .remove
                }
                guard let action = rules[element.tag] ?? Self.repeatingGroupAction(element.tag) else { return .keep }
                switch action {
                case .remove:
                    report.removed += 1
                    return .remove
                case .empty:
                    report.emptied += 1
                    return .empty
                case .dummy:
                    report.dummied += 1
                    return Self.dummy(for: element.vr).map(DICOMEdit.replace) ?? .empty
                case .uid:
                    guard element.vr == "UI", !element.value.isEmpty else { return element.vr == "UI" ? .keep : .empty }
                    report.uidsReplaced += 1
                    return .replace(element.value.split(separator: "\\").map { replacementUID(for: String($0)) }
                        .joined(separator: "\\"))
                }
            }
            try file.put(DICOMTag(0x0012, 0x0062), "YES")
            try file.put(DICOMTag(0x0012, 0x0063), "DICOM PS3.15 E.1 Basic Application Level Confidentiality Profile")
            try file.save(to: path)
        } catch {
            throw .broken("DICOM: \(error.message)")
        }
        return report
    }

    /// The profile's rows as (group, element, action) in hex, `XX` for any two digits: for
    /// tools and tests that check a result against the profile.
    public static var profile: [(group: String, element: String, action: String)] {
        ConfidentialityProfile.rows.map { row in
            let action = switch row.2 {
            case .remove: "remove"
            case .empty: "empty"
            case .dummy: "dummy"
            case .uid: "uid"
            }
            return (row.0, row.1, action)
        }
    }

    /// The profile's attributes of the patient module (group 0010: name, ID, birth date, sex,
    /// address…): what `info` and DICOMweb leave out unless a deployment allows them.
    public static var patientTags: [DICOMTag] {
        ConfidentialityProfile.rows.compactMap { row in
            guard row.0 == "0010", let element = UInt16(row.1, radix: 16) else { return nil }
            return DICOMTag(0x0010, element)
        }
    }

    /// The new UID for `uid` under this key: `2.25.` and 128 bits of HMAC-SHA256, in decimal.
    public func replacementUID(for uid: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(uid.utf8), using: key)
        var value: UInt128 = 0
        for byte in Array(mac).prefix(16) { value = value << 8 | UInt128(byte) }
        return "2.25.\(value)"
    }

    /// The profile's rows with exact tags.
    private static let rules: [DICOMTag: ConfidentialityProfile.Action] = {
        var rules: [DICOMTag: ConfidentialityProfile.Action] = [:]
        for (group, element, action) in ConfidentialityProfile.rows {
            guard let g = UInt16(group, radix: 16), let e = UInt16(element, radix: 16) else { continue }
            rules[DICOMTag(g, e)] = action
        }
        return rules
    }()

    /// The profile's rows with `XX` in them: the repeating groups 50xx (curves) and 60xx (overlays).
    private static let repeating: [(group: String, element: String, action: ConfidentialityProfile.Action)] =
        ConfidentialityProfile.rows.filter { $0.0.contains("X") || $0.1.contains("X") }

    private static func repeatingGroupAction(_ tag: DICOMTag) -> ConfidentialityProfile.Action? {
        let hex = tag.description.dropFirst().dropLast().split(separator: ",").map(String.init)
        return repeating.first { rule in
            zip(rule.group, hex[0]).allSatisfy { $0 == "X" || $0 == $1 } && zip(rule.element, hex[1]).allSatisfy { $0 == "X" || $0 == $1 }
        }?.action
    }

    /// A dummy value valid for `vr`; nil where only an empty value is safe.
    private static func dummy(for vr: String) -> String? {
        switch vr {
        case "PN", "LO", "SH", "LT", "ST", "UT", "UC", "AE", "CS": "ANONYMIZED"
        case "DA": "19000101"
        case "TM": "000000"
        case "DT": "19000101000000"
        case "AS": "000D"
        case "IS", "DS": "0"
        default: nil
        }
    }
}
