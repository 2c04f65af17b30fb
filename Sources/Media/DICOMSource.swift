public import Foundation
public import ImageModel
public import Vips

/// A DICOM file as an image source: its attributes, read without decoding, and any frame
/// rendered into a libvips image (8-bit windowed, or 16-bit) for the usual operations.
///
/// Parse, then check, then decode: ``header`` gives the sizes that the caller checks against
/// its limits; ``render(frame:window:bitDepth:maxDecodedBytes:)`` checks what decoding every
/// frame allocates before the toolkit allocates it.
public struct DICOMSource {
    private let file: DICOMFile
    private let geometry: DICOMGeometry
    /// The file's attributes.
    public let attributes: DICOMAttributes

    /// Whether `bytes` are a DICOM Part 10 file (`DICM` after the 128-byte preamble).
    public static func claims(_ bytes: Data) -> Bool {
        DICOMFile.hasPreamble(bytes)
    }

    /// Parses `bytes` and reads the attributes. No pixel is decoded.
    ///
    /// - Throws: ``MediaError/broken(_:)`` when the toolkit cannot parse them;
    ///   ``MediaError/unsupported(_:)`` when they hold no image, or samples Darkroom does not render.
    public init(bytes: Data) throws(MediaError) {
        do { file = try DICOMFile(bytes: bytes) } catch { throw .broken("DICOM: \(error.message)") }
        guard let geometry = file.geometry else {
            throw .unsupported("DICOM: the file holds no image (no Pixel Data, or not an image object)")
        }
        self.geometry = geometry
        attributes = Self.attributes(of: file, geometry: geometry)
        try checkRenderable()
    }

    /// The header the processor checks against its limits: one frame's size, and the frames.
    public var header: ImageHeader {
        ImageHeader(format: "dicom", width: geometry.columns, height: geometry.rows,
                    bands: geometry.samplesPerPixel == 1 && !isPalette ? 1 : 3, orientation: 1,
                    hasAlpha: false, pages: geometry.frames, hasICCProfile: false, dicom: attributes)
    }

    /// The data set as DICOM JSON (PS3.18 F.2) for DICOMweb's `/metadata`, without Pixel Data,
    /// and without the patient module's identifying attributes unless `includesPatient`.
    ///
    /// - Throws: ``MediaError/broken(_:)`` when the toolkit cannot write it.
    public func metadataJSON(includesPatient: Bool) throws(MediaError) -> String {
        let patient = includesPatient ? [] : DICOMDeidentifier.patientTags
        do { return try file.json(excluding: patient) } catch { throw .broken("DICOM: \(error.message)") }
    }

    /// Decodes the file and renders frame `frame`.
    ///
    /// Monochrome frames go through ``VOILookup``: 8-bit output is windowed (the recipe's window,
    /// the file's, or the frame's range); 16-bit output is windowed onto 0–65,535, or carries
    /// the stored values for `.none`. Colour frames are shown as stored: YBR converted to RGB,
    /// a palette applied.
    /// - Parameter maxDecodedBytes: the most bytes decoding every frame may allocate.
    /// - Throws: ``MediaError``.
    public func render(frame: Int, window: DICOMWindow, bitDepth: Int, maxDecodedBytes: Int) throws(MediaError) -> VipsImage {
        guard frame < geometry.frames else {
            throw .unsupported("frame: the file has \(geometry.frames) frame\(geometry.frames == 1 ? "" : "s") (0 to \(geometry.frames - 1)), not \(frame)")
        }
        guard let frameBytes = geometry.bytesPerFrame else { throw .broken("DICOM: the dimensions overflow") }
        let (total, overflow) = frameBytes.multipliedReportingOverflow(by: geometry.frames)
        if overflow || total > maxDecodedBytes {
            throw .limitExceeded(LimitError(limit: "decoded bytes (every frame)", maximum: maxDecodedBytes,
                                            actual: overflow ? Int.max : total))
        }
        if let name = Self.undecodable[file.transferSyntaxUID] {
            throw .unsupported("DICOM: \(name) (\(file.transferSyntaxUID)) is not decoded by this build's toolkit (DCMTK)")
        }
        // Native YBR_FULL_422 stores two chroma samples per two pixels: two thirds of the bytes.
        let subsampled = attributes.photometricInterpretation == "YBR_FULL_422" && file.nativePixelDataLength != nil
        let storedFrame = subsampled ? frameBytes / 3 * 2 : frameBytes
        do throws(DICOMError) {
            try file.decode()
            guard let length = file.nativePixelDataLength, length >= storedFrame * geometry.frames else {
                throw DICOMError("Pixel Data holds \(file.nativePixelDataLength ?? 0) bytes; \(geometry.frames) frame(s) of \(geometry.columns) × \(geometry.rows) need \(storedFrame * geometry.frames)")
            }
        } catch {
            throw .broken("DICOM: \(error.message)")
        }
        let offset = frame * storedFrame
        do {
            let sixteen = geometry.bitsAllocated == 16
            if isPalette {
                return try renderPalette(frameImage(offset: offset, count: storedFrame, bands: 1, format: .uchar, interpretation: .bw))
            }
            if geometry.samplesPerPixel == 1 {
                return try renderGrey(offset: offset, count: storedFrame, window: window, bitDepth: bitDepth)
            }
            // Swift rearranges what libvips cannot read as it is: 4:2:2 chroma, colour planes.
            if subsampled || geometry.planar {
                let stored = try file.pixelBytes(offset: offset, count: storedFrame)
                let samples = subsampled ? FrameLayout.expanding422(stored)
                    : FrameLayout.interleaving(stored, bytesPerSample: sixteen ? 2 : 1)
                return try renderColour(VipsImage.fromMemory(samples[...], width: geometry.columns, height: geometry.rows, bands: 3,
                                                             format: sixteen ? .ushort : .uchar, interpretation: sixteen ? .rgb16 : .srgb))
            }
            return try renderColour(frameImage(offset: offset, count: storedFrame, bands: 3, format: sixteen ? .ushort : .uchar,
                                               interpretation: sixteen ? .rgb16 : .srgb))
        } catch let error as MediaError {
            throw error
        } catch {
            throw .broken("DICOM: \(error)")
        }
    }

    /// One frame's samples as a libvips image, copied once, straight from the toolkit's buffer.
    private func frameImage(offset: Int, count: Int, bands: Int, format: BandFormat, interpretation: Interpretation) throws -> VipsImage {
        try file.withPixelBytes(offset: offset, count: count) { raw in
            try VipsImage.fromMemory(raw, width: geometry.columns, height: geometry.rows, bands: bands, format: format,
                                     interpretation: interpretation)
        }
    }

    private var isPalette: Bool { attributes.photometricInterpretation == "PALETTE COLOR" }

    /// The compressed transfer syntaxes DCMTK (as Debian builds it) has no decoder for.
    static let undecodable: [String: String] = [
        "1.2.840.10008.1.2.4.90": "JPEG 2000 lossless", "1.2.840.10008.1.2.4.91": "JPEG 2000",
        "1.2.840.10008.1.2.4.92": "JPEG 2000 part 2 lossless", "1.2.840.10008.1.2.4.93": "JPEG 2000 part 2",
        "1.2.840.10008.1.2.4.100": "MPEG-2", "1.2.840.10008.1.2.4.102": "MPEG-4 AVC", "1.2.840.10008.1.2.4.201": "HTJ2K lossless",
        "1.2.840.10008.1.2.4.202": "HTJ2K lossless RPCL", "1.2.840.10008.1.2.4.203": "HTJ2K",
    ]

    /// Refuses, before decoding, what Darkroom does not render.
    private func checkRenderable() throws(MediaError) {
        switch geometry.bitsAllocated {
        case 8, 16: break
        default:
            throw .unsupported("DICOM: \(geometry.bitsAllocated)-bit samples are not rendered (8 and 16 are)")
        }
        guard geometry.samplesPerPixel == 1 || geometry.samplesPerPixel == 3 else {
            throw .unsupported("DICOM: \(geometry.samplesPerPixel) samples per pixel (1 or 3 are rendered)")
        }
        guard geometry.frames >= 1 else { throw .broken("DICOM: Number of Frames is \(geometry.frames)") }
        if isPalette, geometry.bitsAllocated != 8 || geometry.samplesPerPixel != 1 {
            throw .unsupported("DICOM: palette colour with \(geometry.bitsAllocated)-bit indices (8 are rendered)")
        }
        guard geometry.bitsStored >= 1, geometry.bitsStored <= geometry.bitsAllocated else {
            throw .broken("DICOM: \(geometry.bitsStored) bits stored in \(geometry.bitsAllocated) allocated")
        }
    }

    private func renderGrey(offset: Int, count: Int, window: DICOMWindow, bitDepth: Int) throws -> VipsImage {
        let sixteen = geometry.bitsAllocated == 16
        let chosen: (centre: Double, width: Double)?
        // The file's own choice: its VOI LUT when it has one (as pydicom prefers), else its window,
        // else the frame's range.
        let lut = window == .file ? fileLUT : nil
        switch window {
        case .none: chosen = nil
        case .file where lut != nil: chosen = nil
        case .file: chosen = try fileWindow ?? VOILookup.covering(modalityRange(file.pixelBytes(offset: offset, count: count)))
        default: chosen = window.explicitWindow
        }
        let table = try VOILookup.table(VOILookup.Parameters(
            bitsAllocated: geometry.bitsAllocated, bitsStored: geometry.bitsStored, signed: geometry.isSigned,
            slope: attributes.rescaleSlope, intercept: attributes.rescaleIntercept, centre: chosen?.centre, width: chosen?.width,
            invert: attributes.photometricInterpretation == "MONOCHROME1" && (chosen != nil || lut != nil), outputBits: bitDepth,
            lut: lut))
        let image = try frameImage(offset: offset, count: count, bands: 1, format: sixteen ? .ushort : .uchar,
                                   interpretation: sixteen ? .grey16 : .bw)
        return try image.mapped(through: table).labelled(bitDepth == 16 ? .grey16 : .bw)
    }

    private func renderColour(_ image: VipsImage) throws -> VipsImage {
        // DCMTK's JPEG decoder turns YBR into RGB and says so; native YBR is converted here.
        guard file.photometricInterpretation.hasPrefix("YBR_FULL"), image.bandFormat == .uchar else { return image }
        return try image.linear([1, 1, 1], [0, -128, -128])
            .recombined([[1, 0, 1.402], [1, -0.344136, -0.714136], [1, 1.772, 0]])
            .linear([1, 1, 1], [0.5, 0.5, 0.5])
            .cast(to: .uchar)
            .labelled(.srgb)
    }

    /// A palette image: each index mapped through the red, green and blue tables (their high
    /// 8 bits when the entries are 16-bit).
    private func renderPalette(_ indices: VipsImage) throws -> VipsImage {
        var bands: [[UInt8]] = []
        for (descriptorTag, dataTag) in [(DICOMTag(0x0028, 0x1101), DICOMTag(0x0028, 0x1201)),
                                         (DICOMTag(0x0028, 0x1102), DICOMTag(0x0028, 0x1202)),
                                         (DICOMTag(0x0028, 0x1103), DICOMTag(0x0028, 0x1203))] {
            guard let descriptor = file.uint16s(descriptorTag, limit: 3), descriptor.count == 3,
                  let data = file.uint16s(dataTag) else {
                throw MediaError.broken("DICOM: a palette image without its lookup tables")
            }
            bands.append(PaletteTable(descriptor: descriptor, data: data).levels)
        }
        var table = [UInt8](repeating: 0, count: 256 * 3)
        for index in 0..<256 {
            for band in 0..<3 { table[index * 3 + band] = bands[band][index] }
        }
        let lookup = try VipsImage.fromMemory(table[...], width: 256, height: 1, bands: 3, format: .uchar, interpretation: .srgb)
        return try indices.mapped(through: lookup).labelled(.srgb)
    }

    /// The first table of the file's VOI LUT Sequence (0028,3010), when it has one.
    private var fileLUT: VOITable? {
        let sequence = DICOMTag(0x0028, 0x3010)
        guard let descriptor = file.uint16s(DICOMTag(0x0028, 0x3002), inFirstItemOf: sequence, limit: 3),
              let data = file.uint16s(DICOMTag(0x0028, 0x3006), inFirstItemOf: sequence) else { return nil }
        return VOITable(descriptor: descriptor, data: data, signed: geometry.isSigned)
    }

    /// The file's first window, when it states one.
    private var fileWindow: (centre: Double, width: Double)? {
        guard let centre = attributes.windowCentre, let width = attributes.windowWidth, width >= 1 else { return nil }
        return (centre, width)
    }

    /// The frame's smallest and largest modality values.
    private func modalityRange(_ samples: [UInt8]) -> ClosedRange<Double> {
        let stored = min(max(geometry.bitsStored, 1), geometry.bitsAllocated)
        let mask = (1 << stored) - 1
        var low = Int.max, high = Int.min
        if geometry.bitsAllocated == 16 {
            var index = samples.startIndex
            while index + 1 < samples.endIndex {
                // Native order is little-endian on every platform Darkroom builds for.
                let pattern = (Int(samples[index]) | Int(samples[index + 1]) << 8) & mask
                let value = VOILookup.storedValue(pattern, bits: stored, signed: geometry.isSigned)
                low = min(low, value)
                high = max(high, value)
                index += 2
            }
        } else {
            for byte in samples {
                let value = VOILookup.storedValue(Int(byte) & mask, bits: stored, signed: geometry.isSigned)
                low = min(low, value)
                high = max(high, value)
            }
        }
        guard low <= high else { return 0...1 }
        let a = Double(low) * attributes.rescaleSlope + attributes.rescaleIntercept
        let b = Double(high) * attributes.rescaleSlope + attributes.rescaleIntercept
        return min(a, b)...max(a, b)
    }

    /// Reads the attributes `info` reports.
    private static func attributes(of file: DICOMFile, geometry: DICOMGeometry) -> DICOMAttributes {
        func number(_ tag: DICOMTag) -> Double? {
            file.string(tag)?.split(separator: "\\").first.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        }
        let spacing = file.string(.pixelSpacing).map {
            $0.split(separator: "\\").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        }
        var patient: [String: String] = [:]
        for (keyword, tag) in [("PatientName", DICOMTag.patientName), ("PatientID", .patientID),
                               ("PatientBirthDate", .patientBirthDate), ("PatientSex", .patientSex)] {
            if let value = file.string(tag), !value.isEmpty { patient[keyword] = value }
        }
        return DICOMAttributes(
            modality: file.string(.modality), transferSyntax: file.transferSyntaxUID,
            photometricInterpretation: file.string(.photometricInterpretation) ?? file.photometricInterpretation,
            bitsAllocated: geometry.bitsAllocated, bitsStored: geometry.bitsStored, signed: geometry.isSigned,
            frames: geometry.frames, pixelSpacing: spacing?.count == 2 ? spacing : nil,
            rescaleSlope: number(.rescaleSlope) ?? 1, rescaleIntercept: number(.rescaleIntercept) ?? 0,
            windowCentre: number(.windowCenter), windowWidth: number(.windowWidth),
            studyInstanceUID: file.string(.studyInstanceUID), seriesInstanceUID: file.string(.seriesInstanceUID),
            sopInstanceUID: file.string(.sopInstanceUID), sopClassUID: file.string(.sopClassUID),
            burnedInAnnotation: file.string(.burnedInAnnotation), patient: patient.isEmpty ? nil : patient)
    }
}
