import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport
import Vips
import ImageModel

/// What users deploy: the container image's root file system (scripts/image) run the way a
/// container runtime runs it, and the Kubernetes manifests (deploy/kubernetes) validated offline.
@Suite("Deployment")
struct DeploymentTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let deploy = repository.appendingPathComponent("Tests/Deploy")

    /// The Python with kubernetes-validate that scripts/test-servers installs.
    static var python: URL? {
        ProcessInfo.processInfo.environment["DARKROOM_TEST_PYTHON"].map(URL.init(fileURLWithPath:))
    }

    static func which(_ program: String) -> URL? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
            .map { URL(fileURLWithPath: String($0)).appendingPathComponent(program) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    @Test("the Kubernetes overlays render, pass strict schemas for two Kubernetes versions and KEDA's CRDs, and every broken manifest is refused")
    func kubernetesManifests() async throws {
        let python = try #require(Self.python, "make test runs this through scripts/test-servers, which installs kubernetes-validate")
        let kubectl = try #require(Self.which("kubectl"), "kubectl renders the overlays (scripts/bootstrap installs it)")
        let result = try await CLI.run([Self.deploy.appendingPathComponent("validate_manifests.py").path, kubectl.path, Self.repository.path],
                                       executable: python, timeout: .seconds(180))
        let report = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], "\(result.stderr)")
        #expect(result.status == 0, "\(report["problems"] ?? result.stderr)")
        #expect((report["problems"] as? [String])?.isEmpty == true)
        let rendered = report["rendered"] as? [String: [String]] ?? [:]
        for kind in ["Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ScaledObject", "TriggerAuthentication", "ConfigMap"] {
            #expect(rendered["dev"]?.contains(kind) == true && rendered["prod"]?.contains(kind) == true, "\(kind) is rendered")
        }
        #expect(rendered["dev"]?.contains("StatefulSet") == true, "dev runs PostgreSQL in the cluster")
        #expect(rendered["prod"]?.contains("StatefulSet") == false, "prod uses an external PostgreSQL")
        let rejected = report["rejected"] as? [String: String] ?? [:]
        #expect(rejected.count >= 10)
        #expect(rejected.keys.contains { $0.contains("scaledobject") }, "a bad KEDA trigger is among them")
        #expect((report["accepted"] as? Int ?? 0) >= 20)
    }

    /// A root file system assembled by scripts/image (with `--video`, the video image) from the
    /// test build's binary, and a /data folder with the demo files in it, owned by uid 10001;
    /// both in `scratch`, which the caller removes.
    struct RootFileSystem {
        let scratch: URL
        var rootfs: URL { scratch.appendingPathComponent("rootfs") }
        var data: URL { scratch.appendingPathComponent("data") }
        static let runner = DeploymentTests.deploy.appendingPathComponent("run_in_rootfs.sh")

        init(in scratch: URL, video: Bool, demo: [String: String]) async throws {
            self.scratch = scratch
            let assembled = try await CLI.run([DeploymentTests.repository.appendingPathComponent("scripts/image").path, "--rootfs-only"]
                                              + (video ? ["--video"] : []) + [CLI.executable.path, scratch.appendingPathComponent("rootfs").path],
                                              executable: URL(fileURLWithPath: "/usr/bin/env"), timeout: .seconds(400))
            try #require(assembled.status == 0, "\(assembled.stderr)")
            let folder = scratch.appendingPathComponent("data/demo")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (name, fixture) in demo { try FileManager.default.copyItem(at: Fixtures.url(fixture), to: folder.appendingPathComponent(name)) }
            #expect(chown(data.path, 10001, 10001) == 0 && chown(folder.path, 10001, 10001) == 0)
        }

        /// Runs `command` inside, as the image's user.
        func run(_ command: [String], timeout: Duration = .seconds(60)) async throws -> CLI.Result {
            try await CLI.run([rootfs.path, data.path, "--"] + command, executable: Self.runner, timeout: timeout)
        }

        /// The libraries the loader inside resolves for `binary`; each must come from inside.
        func libraries(of binary: String) async throws -> [Substring] {
            let loader = try await run(["/lib64/ld-linux-x86-64.so.2", "--list", binary])
            #expect(loader.status == 0, "\(loader.stderr)")
            #expect(!loader.output.contains("not found"), "\(loader.output)")
            return loader.output.split(separator: "\n").filter { $0.contains("=>") }
        }

        /// `darkroom serve` inside, on a free port, until `body` returns; then SIGTERM, which it
        /// must answer with exit status 0.
        func serving(_ body: (_ base: String) async throws -> Void) async throws {
            let port = LocalPort.free()
            let environment = ["DARKROOM_BIND=127.0.0.1", "DARKROOM_PORT=\(port)", "DARKROOM_STORAGE=file:/data",
                               "DARKROOM_QUEUE=sqlite:/data/queue.db", "DARKROOM_LOCAL_ROOT=/data",
                               "DARKROOM_FACE_MODELS=/opt/darkroom/models/faces", "TMPDIR=/tmp"]
            let server = Process()
            server.executableURL = Self.runner
            server.arguments = [rootfs.path, data.path] + environment + ["--", "/opt/darkroom/darkroom", "serve"]
            server.standardOutput = FileHandle.nullDevice
            server.standardError = FileHandle.nullDevice
            try server.run()
            defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
            var healthy = false
            for _ in 0..<300 where !healthy && server.isRunning {
                healthy = (try? await ServeCommandTests.get("http://127.0.0.1:\(port)/health").status) == 200
                if !healthy { try await Task.sleep(for: .milliseconds(100)) }
            }
            try #require(healthy, "serve started inside the root file system")
            try await body("http://127.0.0.1:\(port)")
            kill(server.processIdentifier, SIGTERM)
            #expect(try await ServeCommandTests.exitStatus(of: server) == 0)
        }
    }

    @Test("the image's root file system has every library the binary loads, and serves as user 10001 on a read-only root",
          .enabled(if: getuid() == 0, "mounting and chroot need root, as CI runs"))
    func imageRootFileSystem() async throws {
        // An implicit VR DICOM file reads right only with DCMTK's data dictionary in the image.
        let scratch = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let image = try await RootFileSystem(in: scratch, video: false,
                                             demo: ["rocket.jpg": "natural/rocket.jpg", "mr.dcm": "dicom/MR_small_implicit.dcm"])

        // The loader inside the image resolves every library, and none from outside it.
        let libraries = try await image.libraries(of: "/opt/darkroom/darkroom")
        #expect(libraries.count > 20)
        // The wheel's engine travels in lib/ beside the binary; a LIBVIPS=system build takes Debian's.
        let wheelEngine = (try? FileManager.default.contentsOfDirectory(atPath: CLI.executable.deletingLastPathComponent()
            .appendingPathComponent("lib").path))?.contains { $0.hasPrefix("libvips-") } ?? false
        #expect(libraries.contains { $0.contains("libvips") && $0.contains(wheelEngine ? "/opt/darkroom/lib/" : "/lib/") },
                "\(libraries.filter { $0.contains("vips") })")
        #expect(!FileManager.default.fileExists(atPath: image.rootfs.appendingPathComponent("opt/darkroom/darkroom-video").path),
                "the default image has no video helper")

        let version = try await image.run(["/opt/darkroom/darkroom", "--version"])
        let expected = try await CLI.run(["--version"])
        #expect(version.status == 0 && version.output == expected.output, "\(version.output) \(version.stderr)")

        try await image.serving { base in
            let (status, body) = try await ServeCommandTests.get("\(base)/unsafe/rs:fit:90:90/plain/local:///demo/rocket.jpg")
            #expect(status == 200)
            #expect(try VipsImage.probe(body).width == 90)
            let (dicomStatus, dicomBody) = try await ServeCommandTests.get("\(base)/unsafe/dw:lung/f:png/plain/local:///demo/mr.dcm")
            #expect(dicomStatus == 200, "\(String(decoding: dicomBody, as: UTF8.self))")
            // The image's HEALTHCHECK command, run inside it.
            let check = try await image.run(["/opt/darkroom/darkroom", "health", "--url", "\(base)/ready"], timeout: .seconds(30))
            #expect(check.status == 0, "\(check.output) \(check.stderr)")
            // Writes go to /data only: an upload lands in the volume.
            var request = URLRequest(url: URL(string: "\(base)/v1/images")!)
            request.httpMethod = "POST"
            request.httpBody = try Fixtures.data("natural/rocket.jpg")
            let (_, response) = try await URLSession.shared.data(for: request)
            #expect((response as? HTTPURLResponse)?.statusCode == 202)
            #expect(FileManager.default.fileExists(atPath: image.data.appendingPathComponent("originals").path))
        }
    }

    @Test("the video image runs darkroom-video inside: a clip's poster frame is served, its libraries all from the image",
          .enabled(if: getuid() == 0, "mounting and chroot need root, as CI runs"))
    func videoImage() async throws {
        let scratch = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let image = try await RootFileSystem(in: scratch, video: true, demo: ["clip.mp4": "video/colours.mp4"])
        let libraries = try await image.libraries(of: "/opt/darkroom/darkroom-video")
        #expect(libraries.contains { $0.contains("libavcodec") }, "\(libraries)")
        try await image.serving { base in
            let (status, body) = try await ServeCommandTests.get("\(base)/unsafe/rs:fit:40:40/f:png/plain/local:///demo/clip.mp4")
            try #require(status == 200, "\(String(decoding: body, as: UTF8.self))")
            #expect(try VipsImage.probe(body).width == 40)
        }
    }
}
