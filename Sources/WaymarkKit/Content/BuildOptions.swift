/// How to build: the flags of `waymark build` (and of `check` and `serve`, which reuse the pipeline).
public struct BuildOptions: Sendable {
    public var content: String
    public var templates: String
    public var output: String
    /// Overrides site.yml's `baseURL` (a deploy preview under another host or sub-path).
    public var baseURL: String?
    public var includeDrafts: Bool
    /// Warnings fail the build too.
    public var strict: Bool
    /// Validate everything but write nothing (`waymark check`).
    public var dryRun: Bool
    /// Add the live-reload script to every page (`waymark serve` only; never in published builds).
    public var liveReload: Bool
    /// Write gzip and Brotli copies next to text files, for servers that send them as they are.
    public var precompress = false
    /// Render templates with swift-mustache even where the compiled renderer could (parity tests).
    var referenceTemplates = false
    /// Skip the build when nothing changed since the last one (see `UpToDate`).
    public var skipUnchanged = false
    /// Identifies the waymark binary, part of the up-to-date check (a new binary rebuilds).
    public var tool = ""
    /// Run the content-health checks (`waymark check`, `waymark report`) and collect `BuildSummary.health`.
    public var health = false
    /// "Today" for staleness; injected so checks are reproducible (defaults to the current date).
    public var today: Day?

    public init(
        content: String = "content", templates: String = "templates", output: String = "output",
        baseURL: String? = nil, includeDrafts: Bool = false, strict: Bool = false, dryRun: Bool = false,
        liveReload: Bool = false
    ) {
        self.content = content
        self.templates = templates
        self.output = output
        self.baseURL = baseURL
        self.includeDrafts = includeDrafts
        self.strict = strict
        self.dryRun = dryRun
        self.liveReload = liveReload
    }

    /// The site's absolute base URL (ending in `/`): `--base-url` over site.yml's `baseURL`.
    func baseURL(_ config: SiteConfig) -> String {
        let base = baseURL ?? config.baseURL
        return base.hasSuffix("/") ? base : base + "/"
    }

    /// The path every site URL starts with (`/` or `/help/`), from `baseURL(_:)`.
    func basePath(_ config: SiteConfig) -> String {
        var c = config
        c.baseURL = baseURL(config)
        return baseURL == nil ? config.basePath : c.basePath
    }
}
