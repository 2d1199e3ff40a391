import ArgumentParser
import Foundation

@main
struct Waymark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "waymark",
        abstract: "Builds a multilingual customer knowledge base with onboarding routes from a folder of Markdown.",
        version: "0.1.0",
        subcommands: [Build.self, Serve.self, Check.self, New.self, Report.self, Search.self]
    )

    /// Version plus the executable's size and modification time: a rebuilt binary never reuses a build.
    static var fingerprint: String {
        var st = stat()
        let path = CommandLine.arguments.first.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil } ?? "/proc/self/exe"
        _ = stat(path, &st)
        return "\(configuration.version) \(st.st_size) \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
    }
}
