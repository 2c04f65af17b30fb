public import Foundation

/// The test images bundled with the tests, copied from the shared corpus (see `Fixtures/LICENSES.tsv`).
public enum Fixtures {
    /// The folder that holds every fixture.
    public static var root: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
    }

    /// The URL of a fixture, such as `natural/rocket.jpg`.
    public static func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    /// The bytes of a fixture.
    public static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: url(relativePath))
    }

    /// The relative paths of every fixture in `folder` whose name ends with one of `extensions`.
    public static func files(in folder: String, extensions: Set<String>) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: url(folder).path)
        return names.filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }
            .sorted().map { "\(folder)/\($0)" }
    }
}
