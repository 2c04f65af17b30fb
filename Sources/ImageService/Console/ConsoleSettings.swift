/// What the landing page says and when the console opens.
public struct ConsoleSettings: Sendable {
    /// Whether `/` shows the landing page; `--no-landing` turns it off in production.
    public var landingPage: Bool
    /// Whether the server listens on loopback only. With no API key and no token, the console
    /// then opens without a log-in (only this machine can reach it); elsewhere it stays off
    /// until a key exists.
    public var loopbackOnly: Bool
    /// The server's version, engine, storage, queue and scheduler, as the landing page shows them.
    public var about: ServerDescription
    /// Images under the local root's `demo/` folder, which the landing page renders.
    public var demoImages: [String]

    /// Creates the settings; by default the landing page is on and the console needs a key.
    public init(landingPage: Bool = true, loopbackOnly: Bool = false, about: ServerDescription = ServerDescription(),
                demoImages: [String] = []) {
        self.landingPage = landingPage
        self.loopbackOnly = loopbackOnly
        self.about = about
        self.demoImages = demoImages
    }
}

/// What this server is, in words for people.
public struct ServerDescription: Sendable {
    public var version: String
    public var engine: String
    public var storage: String
    public var queue: String
    public var scheduler: String

    /// Creates a description.
    public init(version: String = "dev", engine: String = "libvips", storage: String = "-", queue: String = "-",
                scheduler: String = "-") {
        self.version = version
        self.engine = engine
        self.storage = storage
        self.queue = queue
        self.scheduler = scheduler
    }
}
