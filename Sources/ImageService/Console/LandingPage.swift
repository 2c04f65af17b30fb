public import Hummingbird
import ImageModel

/// `/`: what this server is (version, engine, storage, queue, scheduler), live example URLs
/// over the demo images, their IIIF links, and an upload form. It needs no set-up, so a
/// newcomer's first request answers something useful; `--no-landing` turns it off.
public struct LandingPage: Sendable {
    let settings: ImageServiceSettings

    /// Creates the page.
    public init(settings: ImageServiceSettings) {
        self.settings = settings
    }

    /// Adds `GET /`.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/") { _, _ in ConsoleController.html(ConsoleTemplates.render(self.page(), "landing")) }
    }

    func page() -> ConsolePages.Landing {
        let examples = settings.console.demoImages.prefix(6).map { name in
            let source = "local:///demo/\(name)"
            return ConsolePages.Example(name: name, url: settings.signer.url(for: "/rs:fit:320:240/plain/\(source)"),
                                        iiif: "/iiif/3/\(ConsoleController.escapeSegment("demo/\(name)"))/info.json")
        }
        return ConsolePages.Landing(about: settings.console.about, examples: Array(examples))
    }
}
