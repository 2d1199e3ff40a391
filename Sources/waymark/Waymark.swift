import ArgumentParser

@main
struct Waymark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "waymark",
        abstract: "Builds a multilingual customer knowledge base with onboarding routes from a folder of Markdown.",
        version: "0.1.0",
        subcommands: [Build.self, Serve.self, Check.self, New.self, Report.self, Search.self]
    )
}
