import COpenCV

/// OpenCV's process-wide settings, made once before the first call.
public enum VisionRuntime {
    /// OpenCV's version, such as "4.6.0".
    public static var version: String { String(cString: dr_cv_version()) }

    /// Work runs on the caller's bounded pool; OpenCV's own thread pool would add a second set
    /// of threads the pool does not count, so it is switched off.
    private static let started: Void = { dr_cv_set_threads(0) }()

    static func ensureStarted() { _ = started }
}
