/// What `info` and the `dicom` pipeline feature report about a DICOM source, read without
/// decoding its pixels. Patient-identifying fields are in ``patient``, which the service leaves
/// out unless its configuration allows them.
public struct DICOMAttributes: Sendable, Equatable, Codable {
    /// The modality (`CT`, `MR`, `CR`, `US`…), when stated.
    public var modality: String?
    /// The transfer syntax's UID.
    public var transferSyntax: String
    /// The photometric interpretation as stored (`MONOCHROME1`, `MONOCHROME2`, `RGB`, `YBR_FULL_422`…).
    public var photometricInterpretation: String
    /// Bits allocated and stored per sample.
    public var bitsAllocated: Int
    /// Bits stored per sample.
    public var bitsStored: Int
    /// Whether samples are signed.
    public var signed: Bool
    /// Number of frames.
    public var frames: Int
    /// Row and column spacing in millimetres, when stated.
    public var pixelSpacing: [Double]?
    /// Rescale slope and intercept (modality units = stored × slope + intercept).
    public var rescaleSlope: Double
    /// The rescale intercept.
    public var rescaleIntercept: Double
    /// The file's first window centre and width, when stated.
    public var windowCentre: Double?
    /// The file's first window width.
    public var windowWidth: Double?
    /// The study, series and SOP instance UIDs.
    public var studyInstanceUID: String?
    /// The series UID.
    public var seriesInstanceUID: String?
    /// The instance UID.
    public var sopInstanceUID: String?
    /// The SOP class UID.
    public var sopClassUID: String?
    /// The Burned In Annotation attribute: `YES`, `NO`, or nil when absent (which is not "clean").
    public var burnedInAnnotation: String?
    /// Patient name, ID, birth date and sex, by keyword; removed before a response unless allowed.
    public var patient: [String: String]?

    /// Creates attributes; every optional field may be left out.
    public init(modality: String? = nil, transferSyntax: String, photometricInterpretation: String, bitsAllocated: Int,
                bitsStored: Int, signed: Bool, frames: Int, pixelSpacing: [Double]? = nil, rescaleSlope: Double = 1,
                rescaleIntercept: Double = 0, windowCentre: Double? = nil, windowWidth: Double? = nil,
                studyInstanceUID: String? = nil, seriesInstanceUID: String? = nil, sopInstanceUID: String? = nil,
                sopClassUID: String? = nil, burnedInAnnotation: String? = nil, patient: [String: String]? = nil) {
        self.modality = modality
        self.transferSyntax = transferSyntax
        self.photometricInterpretation = photometricInterpretation
        self.bitsAllocated = bitsAllocated
        self.bitsStored = bitsStored
        self.signed = signed
        self.frames = frames
        self.pixelSpacing = pixelSpacing
        self.rescaleSlope = rescaleSlope
        self.rescaleIntercept = rescaleIntercept
        self.windowCentre = windowCentre
        self.windowWidth = windowWidth
        self.studyInstanceUID = studyInstanceUID
        self.seriesInstanceUID = seriesInstanceUID
        self.sopInstanceUID = sopInstanceUID
        self.sopClassUID = sopClassUID
        self.burnedInAnnotation = burnedInAnnotation
        self.patient = patient
    }
}
