import Foundation
import ImageModel
import JobQueue
import Media
import Synchronization

/// One stream job's state, shared by the session's thread (samples) and the job's task
/// (connections, events): it runs the analysis and reports the status with the job's progress.
final class StreamMonitor: Sendable {
    private let status = Mutex(StreamStatus())
    private let analysis: Mutex<StreamAnalysis>
    private let progress: JobProgress

    init(detector: MotionDetector.Settings, faceInterval: Double?, progress: JobProgress) {
        analysis = Mutex(StreamAnalysis(detector: MotionDetector(settings: detector), faceInterval: faceInterval))
        self.progress = progress
    }

    /// Changes the status and reports it.
    func update(_ change: (inout StreamStatus) -> Void) {
        progress.report(status.withLock { status in
            change(&status)
            return status.encoded()
        })
    }

    /// A new connection: the detector learns its background again.
    func connected(_ attributes: VideoAttributes, width: Int, height: Int) {
        analysis.withLock { $0 = StreamAnalysis(detector: MotionDetector(settings: $0.detector.settings), faceInterval: $0.faceInterval) }
        update {
            $0.state = .running
            $0.codec = attributes.codec
            $0.width = width
            $0.height = height
        }
    }

    /// Analyses one sample seen at `now`: the motion event it completes, if any, and whether
    /// it is due a look for faces.
    func observe(_ sample: VideoSample, at now: Date) -> (event: MotionDetector.Event?, faces: Bool) {
        let (event, rates, faces) = analysis.withLock { analysis in
            let (event, rates) = analysis.observe(sample, at: now)
            return (event, rates, analysis.dueForFaces(at: now))
        }
        if let rates {
            update {
                $0.state = .running
                $0.fpsIn = rates.fpsIn
                $0.fpsOut = rates.fpsOut
                $0.lag = rates.lag
                $0.frames = rates.frames
                $0.lastFrameAt = WireFormat.timestamp(now)
            }
        }
        return (event, faces)
    }
}
