import ArgumentParser
import Crypto
import Foundation
import ImageModel
import Media

/// `darkroom dicom`: DICOM tools that work on whole files.
struct DICOMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dicom",
        abstract: "DICOM files: de-identification.",
        subcommands: [Deidentify.self])

    /// `darkroom dicom deidentify IN OUT`.
    struct Deidentify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "deidentify",
            abstract: "Apply DICOM's Basic Application Level Confidentiality Profile (PS3.15 E.1) to files.",
            discussion: """
                The profile's attributes are removed, emptied, given dummy values or new UIDs, and every
                private element is removed; pixel data and the transfer syntax are kept. The same UID under
                the same --key always becomes the same new UID, so studies and series stay together.

                Text burned into the pixels is not removed: each file's Burned In Annotation attribute is
                reported, and the command exits 3 when any file does not declare it NO.

                Prints one JSON object per file. Exit codes: 0 every file done and declared clean, 3 done
                but not every file declared clean, 1 a file failed, 2 usage.

                Example:
                  darkroom dicom deidentify --key "$STUDY_KEY" scans/ anonymised/
                """)

        @Argument(help: "A DICOM file, or a folder of them.")
        var input: String

        @Argument(help: "The output file, or folder (created when missing).")
        var output: String

        @Option(help: "The key UID replacements are scoped to (default: DARKROOM_DICOM_KEY; without either, a random key: UIDs then agree within this run only).")
        var key: String?

        @Option(help: "The largest file read, in bytes (larger files are reported and skipped).")
        var maxSrcBytes: Int = Limits().maxInputBytes

        func run() async throws {
            let fm = FileManager.default
            var isFolder: ObjCBool = false
            guard fm.fileExists(atPath: input, isDirectory: &isFolder) else {
                throw ValidationError("\(input): no such file or folder")
            }
            var secret = key ?? ProcessInfo.processInfo.environment["DARKROOM_DICOM_KEY"]
            if secret == nil {
                FileHandle.standardError.write(Data("dicom deidentify: no --key or DARKROOM_DICOM_KEY: new UIDs agree within this run only\n".utf8))
                secret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
            }
            let deidentifier = DICOMDeidentifier(key: Data(secret!.utf8))
            let pairs: [(String, String)]
            if isFolder.boolValue {
                try fm.createDirectory(atPath: output, withIntermediateDirectories: true)
                let names = try fm.contentsOfDirectory(atPath: input).sorted().filter { !$0.hasPrefix(".") }
                pairs = names.map { ("\(input)/\($0)", "\(output)/\($0)") }
            } else {
                var outputIsFolder: ObjCBool = false
                let into = fm.fileExists(atPath: output, isDirectory: &outputIsFolder) && outputIsFolder.boolValue
                pairs = [(input, into ? "\(output)/\((input as NSString).lastPathComponent)" : output)]
            }
            var failed = false, unclean = false
            for (source, destination) in pairs {
                var line: [String: Any] = ["file": source]
                do {
                    // The size from the file system, before a byte is read.
                    let size = ((try? fm.attributesOfItem(atPath: source))?[.size] as? NSNumber)?.intValue ?? 0
                    try Limits(maxInputBytes: maxSrcBytes).checkInput(bytes: size)
                    guard let bytes = fm.contents(atPath: source) else { throw MediaError.broken("\(source) cannot be read") }
                    let report = try deidentifier.deidentify(bytes, writingTo: destination)
                    line["output"] = destination
                    line["removed"] = report.removed
                    line["emptied"] = report.emptied
                    line["dummied"] = report.dummied
                    line["uids_replaced"] = report.uidsReplaced
                    line["private_removed"] = report.privateRemoved
                    line["burned_in_annotation"] = report.burnedInAnnotation ?? "unknown"
                    if !report.pixelsDeclaredClean { unclean = true }
                } catch {
                    failed = true
                    line["error"] = String(describing: error)
                }
                let json = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
                FileHandle.standardOutput.write(json + Data("\n".utf8))
            }
            if failed { throw ExitCode(1) }
            if unclean {
                FileHandle.standardError.write(Data("dicom deidentify: pixels may carry burned-in text (Burned In Annotation is not NO): review before release\n".utf8))
                throw ExitCode(3)
            }
        }
    }
}
