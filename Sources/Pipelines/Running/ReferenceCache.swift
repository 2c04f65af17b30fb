import Foundation
import ImageAnalysis
import ImageProcessing
import ObjectStorage
import Synchronization

/// The golden references of `inspect:` steps, read from the object store and prepared once per
/// key and options, then shared by every job (a reference's keypoints and working copy are a
/// few megabytes and take a decode to make).
final class ReferenceCache: Sendable {
    private let prepared = Mutex<[String: ReferenceInspector]>([:])
    /// References kept at most; past it the cache starts again (lines have a handful each).
    static let capacity = 32

    /// The prepared reference for `step`.
    /// - Throws: ``PipelineError/unavailable(_:)`` when the reference cannot be read or decoded.
    func inspector(for step: InspectionStep, store: any ObjectStore, processor: ImageProcessor) async throws -> ReferenceInspector {
        let id = "\(step.reference)|\(step.options.threshold)|\(step.options.minimumArea)|\(step.options.workingSize)"
        if let known = prepared.withLock({ $0[id] }) { return known }
        let inspector: ReferenceInspector
        do {
            let data = try await store.get(try ObjectKey(step.reference)).data
            inspector = try await InspectionReader(reference: .bytes(data), processor: processor, options: step.options).inspector
        } catch let error as ProcessingError where error == .overloaded || error == .shuttingDown {
            throw error
        } catch {
            throw PipelineError.unavailable("the inspection reference '\(step.reference)': \(error)")
        }
        prepared.withLock {
            if $0.count >= Self.capacity { $0.removeAll() }
            $0[id] = inspector
        }
        return inspector
    }
}
